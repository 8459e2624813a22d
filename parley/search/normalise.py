"""Folding text the same way before indexing and before querying, in Python, so both
engines see the same words: the Turkish spelling of Sanliurfa (with its dotless i),
SANLIURFA and Sanliurfa are one word, Ü is U.

SQLite's `remove_diacritics` and PostgreSQL's `unaccent` each miss letters that are not
"a letter plus a mark" in Unicode (the dotless i U+0131, ø, ł, đ …); NFKD cannot take those apart,
so they are mapped here first.
"""

from __future__ import annotations

import re
import unicodedata

# Letters with no decomposition into base letter + combining mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ŀ": "l",
        "Ŀ": "l",
    }
)
# A word is a run of letters and digits (no underscore): what FTS5's unicode61 tokenizer
# calls a token, so the words we write are the words it finds.
_WORD = re.compile(r"[^\W_]+")
# Longest text indexed per post: enough for any article-length post.
MAX_INDEXED_CHARS = 60_000


def fold(text: str) -> str:
    """Case- and diacritic-free form of `text`."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    stripped = "".join(c for c in text if not unicodedata.combining(c))
    return stripped.casefold().translate(_LETTERS)


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return _WORD.findall(fold(text))


def index_text(text: str) -> str:
    """What the engines index: folded words separated by single spaces, so that SQLite's
    and PostgreSQL's parsers split it identically."""
    return " ".join(words(text[:MAX_INDEXED_CHARS]))
