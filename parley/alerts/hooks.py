"""Extension points other apps fill in.

Ignore lists: Parley has none yet. When one exists, it registers a filter here:
`filter(actor_id, recipient_ids) -> the recipient ids that ignore the actor`; those members
get no alert (and no mail or push) about what the actor did."""

from __future__ import annotations

from collections.abc import Callable

IgnoreFilter = Callable[[int, set[int]], set[int]]

ignore_filters: list[IgnoreFilter] = []


def register_ignore_filter(check: IgnoreFilter) -> None:
    if check not in ignore_filters:
        ignore_filters.append(check)


def ignoring(actor_id: int | None, recipient_ids: set[int]) -> set[int]:
    if actor_id is None or not recipient_ids:
        return set()
    found: set[int] = set()
    for check in ignore_filters:
        found |= check(actor_id, set(recipient_ids))
    return found
