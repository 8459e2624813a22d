"""Pure text functions for story clustering (no ORM): fold case and diacritics, drop the
words every news article shares, and weigh what is left.

A page becomes a bag of terms: headline words count three times, the description twice, the
article's opening paragraphs once. Only the opening counts because agencies and papers put
the event itself first and background (shared with every earlier story on the subject) last.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

HEADLINE_WEIGHT = 3
DESCRIPTION_WEIGHT = 2
TEXT_WORDS = 250  # of the article text: the lead, not the background
MAX_TERMS = 120  # kept per page; the rest are one-offs that never match anything

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Function words and the vocabulary of news writing itself ("said", "officials", "reported"):
# they appear in every article and say nothing about which event it reports.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours its it's says said say saying told tell according
    new news report reports reported reporting officials official statement statements added
    week weeks day days today yesterday tomorrow monday tuesday wednesday thursday friday
    saturday sunday morning afternoon evening night year years month months time people
    one two three first last since around near per cent percent least many much still
    live latest update updates breaking video photo photos watch read
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ŧ": "t"}
)


def fold(text: str) -> str:
    """Lower case without diacritics: "Žilina", "ZILINA" and "zilina" are one word, and so
    are "Łódź" and "Lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_UNDECOMPOSED)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOPWORDS]


def terms(headline: str, description: str, text: str) -> dict[str, int]:
    """The page's weighted terms, at most MAX_TERMS of them (the heaviest)."""
    counts: Counter[str] = Counter()
    for word in words(headline):
        counts[word] += HEADLINE_WEIGHT
    for word in words(description):
        counts[word] += DESCRIPTION_WEIGHT
    for word in words(text)[:TEXT_WORDS]:
        counts[word] += 1
    return dict(counts.most_common(MAX_TERMS))


# IDF counts this many unrelated pages as always present. Without it, a quiet window holding
# only one story's pages would give the words they share the lowest weight of all, and keep
# apart exactly the pages that belong together; on a busy window it hardly matters.
BACKGROUND_PAGES = 20


def idf(documents: Iterable[Mapping[str, int]]) -> dict[str, float]:
    """Inverse document frequency over the pages compared together (smoothed, so a word
    every page has still weighs a little)."""
    docs = list(documents)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs) + BACKGROUND_PAGES
    return {word: math.log((1 + n) / (1 + count)) + 1 for word, count in df.items()}


def vector(doc: Mapping[str, int], weights: Mapping[str, float]) -> dict[str, float]:
    """TF-IDF with a damped term frequency, normalised to length 1."""
    raw = {w: (1 + math.log(c)) * weights.get(w, 1.0) for w, c in doc.items()}
    norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
    return {w: v / norm for w, v in raw.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())
