"""Admin changes to tags, prefixes or a forum's tagging rule show on many pages at once
(labels in every list, the start-thread form): they move the site stamp, whichever path
made them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from parley.core import stamps

MODELS = ("tags.Tag", "tags.ThreadPrefix", "tags.ForumTagging")


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if kwargs.get("created") and sender._meta.label == "tags.Tag":
        return  # a new tag shows nowhere until a thread has it (and that is an event)
    stamps.bump_on_commit(stamps.SITE)


def connect() -> None:
    from .models import ForumTagging

    for model in MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"tags.site.{model}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"tags.site.{model}.delete")
    m2m_changed.connect(
        _changed, sender=ForumTagging.allowed.through, dispatch_uid="tags.site.allowed"
    )
