"""Rules for what a member may submit, shared by forms, services and the API."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Post

_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def clean_text(value: str) -> str:
    """Normalise newlines and drop control characters a keyboard does not type."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def validate_title(title: str) -> str:
    title = " ".join(clean_text(title).split())
    limit = settings.PARLEY_MAX_TITLE_LENGTH
    if not title:
        raise ValidationError("Give the thread a title.", code="empty_title")
    if len(title) > limit:
        raise ValidationError(
            f"Keep the title to {limit} characters (it has {len(title)}).", code="long_title"
        )
    return title


def validate_body(source: str) -> str:
    source = clean_text(source).strip("\n")
    limit = settings.PARLEY_MAX_POST_LENGTH
    if not source.strip():
        raise ValidationError("Write something before posting.", code="empty_post")
    if len(source) > limit:
        raise ValidationError(
            f"Keep the post to {limit:,} characters (it has {len(source):,}).",
            code="long_post",
        )
    return source


def validate_format(fmt: str) -> str:
    if fmt not in Post.Format.values:
        raise ValidationError("Choose BBCode or Markdown.", code="bad_format")
    return fmt
