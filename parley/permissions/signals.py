"""Bump the permission version whenever anything a permission set is computed from changes,
whichever path changed it (a service, the admin, a migration)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from .snapshot import bump_version


def _bump(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    if kwargs.get("action", "post_").startswith("post_"):
        bump_version()


def connect() -> None:
    from parley.forums.models import Category, Forum

    from .models import ForumModerator, Grant, Group

    for model in (Group, Grant, ForumModerator, Forum, Category):
        uid = f"permissions.bump.{model.__name__}"
        post_save.connect(_bump, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_bump, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(_bump, sender=Group.members.through, dispatch_uid="permissions.bump.m2m")
