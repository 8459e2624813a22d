"""The moderator log shows what changed in words ("state: visible → deleted")."""

from __future__ import annotations

from parley.moderation.models import AuditEntry
from parley.moderation.templatetags.moderation_log import log_changes


def entry(before: dict, after: dict) -> AuditEntry:
    return AuditEntry(action="x", target_type="post", before=before, after=after)


def test_log_changes_lists_only_fields_that_changed() -> None:
    changes = log_changes(
        entry({"locked": False, "sticky": False}, {"locked": False, "sticky": True})
    )
    assert changes == [("sticky", "no → yes")]


def test_log_changes_shows_new_only_and_old_only_fields() -> None:
    changes = log_changes(
        entry({"points": 0, "text": "gone"}, {"points": 2, "warning": "Incivility"})
    )
    assert changes == [("points", "0 → 2"), ("text", "was gone"), ("warning", "Incivility")]


def test_log_changes_writes_empty_values_and_lists_readably() -> None:
    changes = log_changes(entry({"action": ""}, {"action": "ban", "posts": [4, 5]}))
    assert changes == [("action", "— → ban"), ("posts", "4, 5")]
