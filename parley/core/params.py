"""Reading numbers that clients send (ids in query strings and forms).

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as another
number: a client-triggered 500 or a surprise. Parley accepts ASCII digits only.
"""

from __future__ import annotations

# Longer than any id a BigAutoField holds (19 digits) is never an id.
MAX_ID_DIGITS = 18


def ascii_int(raw: object, *, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The non-negative integer that `raw` spells in ASCII digits, else None."""
    if not isinstance(raw, str) or not raw or len(raw) > max_digits:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)
