"""A headline as the article prints it, without what sites append to their titles.

`og:title` and `<title>` often read "Headline | Section | The Harbour Times" or
"Headline - 2 March 2026". Segments split off by a bar, a dash (of any width), a middle dot,
a bullet or "::" are dropped from either end while they name the site (its name or its
domain), a date, or the section already known (or, once the site is dropped, a one- or
two-word segment before it: the section in "Headline | Section | Site"); what remains
must still have two words, so a headline that merely contains a dash is left alone. The
page title itself is kept whole: it is the link text Parley shows.
"""

from __future__ import annotations

import re

from .dates import normalize_date

__all__ = ["clean_headline", "same_headline"]

_SEPARATOR_RE = re.compile(r"(\s+(?:\||-|–|—|·|•|::|»|/)\s+)")
_BRACKET_DATE_RE = re.compile(r"\s*[(\[]([^()\[\]]{6,30})[)\]]\s*$")


def _norm(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _keys(site_name: str | None, host: str, section: str | None) -> set[str]:
    keys = set()
    for value in (site_name, section):
        if value:
            keys.add(_norm(value))
            keys.add(_norm(re.sub(r"^the\s+", "", value, flags=re.I)))
    labels = [p for p in host.lower().split(".") if p and p not in ("www", "m", "amp")]
    if labels:
        keys.add(_norm(".".join(labels)))
        if len(labels) >= 2:
            keys.add(_norm("".join(labels[:-1])))
            keys.add(_norm(labels[-2]))
    keys.discard("")
    return keys


def _is_suffix(segment: str, keys: set[str]) -> bool:
    key = _norm(segment)
    if not key:
        return True
    if key in keys or any(key == k + "news" or key == "the" + k for k in keys):
        return True
    # A date, perhaps with a weekday or "Updated": not a clause that mentions a date.
    return len(segment.split()) <= 5 and normalize_date(segment.strip()) is not None


def clean_headline(
    headline: str | None, *, site_name: str | None, host: str, section: str | None
) -> str | None:
    if not headline:
        return headline
    keys = _keys(site_name, host, section)
    text = headline
    match = _BRACKET_DATE_RE.search(text)
    if match and normalize_date(match[1]) and len(text[: match.start()].split()) >= 2:
        text = text[: match.start()]
    tokens = _SEPARATOR_RE.split(text)  # part, separator, part, ...
    first, last = 0, len(tokens) - 1
    while last > first and _is_suffix(tokens[last], keys):
        last -= 2
    if last < len(tokens) - 1 and last > first and len(tokens[last].split()) <= 2:
        last -= 2  # "Headline | Section | Site": the section sits before the site
    while last > first and _is_suffix(tokens[first], keys):
        first += 2
    result = "".join(tokens[first : last + 1]).strip()
    if len(result.split()) < 2:
        return headline
    return result


def same_headline(
    old: str, new: str, *, site_name: str | None, host: str, section: str | None
) -> bool:
    """Whether a re-check found the same headline: a headline stored before suffixes were
    dropped ("Headline | Site") is the same as "Headline", not a changed one."""
    if old == new:
        return True
    return clean_headline(old, site_name=site_name, host=host, section=section) == new
