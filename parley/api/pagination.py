"""Cursor pagination for long lists (docs/api.md).

A page is `{"items": [...], "next_cursor": "…" | null}`; the next page is asked for with
`?cursor=…`. The cursor is the sort key of the last item, opaque to clients (base64 of
JSON): the query continues *after* it through an index (keyset), so page 5,000 costs what
page 1 costs and a post written meanwhile neither repeats nor skips an item, which OFFSET
pages do.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from .errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _encode(values: Sequence[Any]) -> str:
    plain = [
        v.isoformat() if isinstance(v, datetime) else int(v) if isinstance(v, bool) else v
        for v in values
    ]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[Any]:
    bad = ApiError(400, "bad_cursor", "That cursor is not one this list gave out.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(values, list) or len(values) != count:
        raise bad
    if not all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in values):
        raise bad
    return values


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order` (each field "name" or "-name")."""
    condition = Q()
    for i, field in enumerate(order):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _bad_cursor() -> ApiError:
    return ApiError(400, "bad_cursor", "That cursor is not one this list gave out.")


def page(
    rows: QuerySet[Any], *, order: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `rows` in `order` (the last field unique, usually "id"/"-id") after
    `cursor`, and the cursor of the page after it (None on the last page). One query:
    it reads limit + 1 rows to know whether there is more."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = rows.order_by(*order)
    if cursor:
        raw = _decode(cursor, len(order))
        values = [_typed(rows, f.lstrip("-"), v) for f, v in zip(order, raw, strict=True)]
        rows = rows.filter(_after(order, values))
    items = list(rows[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, _encode([getattr(last, f.lstrip("-")) for f in order])


def _typed(rows: QuerySet[Any], name: str, value: Any) -> Any:
    """The cursor's value for `name` as the column's type, or a 400 (never a 500)."""
    kind = rows.model._meta.get_field(name).get_internal_type()
    if kind == "DateTimeField":
        if not isinstance(value, str):
            raise _bad_cursor()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _bad_cursor() from None
        if moment.tzinfo is None:
            raise _bad_cursor()
        return moment
    if kind.endswith("IntegerField") or kind.endswith("AutoField"):
        if not isinstance(value, int) or abs(value) > 2**62:
            raise _bad_cursor()
        return value
    if kind == "BooleanField":
        if value not in (0, 1):
            raise _bad_cursor()
        return bool(value)
    return value
