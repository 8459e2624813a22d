"""{% avatar member 48 %}: the member's avatar <img>, from fields already on the member row
(no query): an uploaded picture or the generated one, both served by Parley."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def avatar_url(member: Any, size: int) -> str:
    served = min(
        (s for s in settings.PARLEY_AVATAR_SIZES if s >= size),
        default=max(settings.PARLEY_AVATAR_SIZES),
    )
    version = getattr(member, "avatar_version", 0) or 0
    return reverse("attachments:avatar", args=[member.pk, version, served])


@register.simple_tag
def avatar(member: Any, size: int = 48) -> SafeString:
    if member is None or not getattr(member, "pk", None):
        return SafeString("")
    return format_html(
        '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy">',
        avatar_url(member, size * 2 if size <= 48 else size),
        size,
        size,
    )
