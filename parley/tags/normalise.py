"""Tag names as members type them -> one tag: case, spacing and accents do not make a new
tag ("Côte d'Ivoire", "cote d'ivoire " and "COTE D'IVOIRE" are one), while letters of other
scripts are kept as they are (a Cyrillic or Arabic tag is a tag, not an empty slug)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify

MAX_TAG_LENGTH = 30


def _without_accents(text: str) -> str:
    """Accents off Latin letters only: é is e, but Ukrainian ї or Russian й are letters of
    their own, not an i with a mark, and keep theirs."""
    kept: list[str] = []
    base = ""
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(c):
            if not base.isascii():
                kept.append(c)
            continue
        base = c
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


def tag_name(raw: str) -> str:
    """The name shown: lower case, single spaces, no surrounding space."""
    return " ".join(unicodedata.normalize("NFKC", raw).split()).lower()


def tag_slug(raw: str) -> str:
    """The key that decides which tag a name is: accents dropped, Unicode slug."""
    return slugify(_without_accents(tag_name(raw)), allow_unicode=True)


def split_tags(raw: str) -> list[str]:
    """Comma-separated input -> names, empty pieces dropped."""
    return [piece for piece in (tag_name(p) for p in raw.split(",")) if piece]


def checked_tag(raw: str) -> tuple[str, str]:
    """(slug, name) of one tag, or a ValidationError that says what is wrong with it."""
    name = tag_name(raw)
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(
            f"The tag “{name[:40]}” is too long: at most {MAX_TAG_LENGTH} characters.",
            code="tag_length",
        )
    slug = tag_slug(name)
    if not slug:
        raise ValidationError(
            f"“{name}” is not a usable tag: use letters or digits.", code="tag_empty"
        )
    return slug, name
