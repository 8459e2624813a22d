"""The one people rule the Guardian does not answer itself."""

from __future__ import annotations

from typing import Any

from parley.permissions.guardian import Guardian


def is_staff_member(member: Any) -> bool:
    """Staff (admins and moderators) cannot be ignored, as in XenForo: members must keep
    seeing what moderators write."""
    target = Guardian(member)
    return target.is_admin or target.is_super_moderator or target.is_staff
