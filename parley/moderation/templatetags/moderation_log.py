"""How a log entry's before/after reads: "state: visible → deleted", not two dict reprs."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "—"
    return str(value)


@register.filter
def log_changes(entry: Any) -> list[tuple[str, str]]:
    """(field, what happened to it) for every field the entry recorded that changed."""
    before, after = entry.before or {}, entry.after or {}
    changes: list[tuple[str, str]] = []
    for key in dict.fromkeys([*before, *after]):
        if key in before and key in after:
            if before[key] != after[key]:
                changes.append((key, f"{_show(before[key])} → {_show(after[key])}"))
        elif key in after:
            changes.append((key, _show(after[key])))
        else:
            changes.append((key, f"was {_show(before[key])}"))
    return changes
