"""The built-in groups and what they may do everywhere, as a fresh install has them."""

from __future__ import annotations

from typing import Any

GUEST_PERMS = ("view_forum", "read_threads")
REGISTERED_PERMS = (
    "view_forum",
    "read_threads",
    "start_threads",
    "reply",
    "react",
    "edit_own",
    "delete_own",
)
BUILT_IN = (
    ("guests", "Guests", "Everyone who is not signed in.", GUEST_PERMS),
    ("registered", "Registered", "Every signed-in member.", REGISTERED_PERMS),
    ("moderators", "Moderators", "Super moderators: every moderator power everywhere.", ()),
    ("administrators", "Administrators", "Everything, including deleting for good.", ()),
)


def ensure_default_groups(group_model: Any, grant_model: Any) -> None:
    """Create the built-in groups and their site-wide grants where missing (idempotent; used
    by the migration and by tests that flush the database)."""
    for key, name, description, perms in BUILT_IN:
        group, created = group_model.objects.get_or_create(
            key=key, defaults={"name": name, "description": description}
        )
        if created:
            for perm in perms:
                grant_model.objects.create(group=group, permission=perm, value="allow")
