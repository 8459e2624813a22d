"""The compose-page check: "this article is already being discussed"."""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils.html import format_html

from parley.forums.hooks import ComposeNotice
from parley.permissions.guardian import Guardian

from .queries import Discussion, discussions, keys_of_urls, urls_in


def notice_html(found: Discussion) -> str:
    return format_html(
        'Discussed in <a href="{}">{}</a> by {}, {} — reply there instead?',
        reverse("forums:thread", args=[found.thread.pk]),
        found.thread.title,
        found.author_name,
        naturaltime(found.at),
    )


def already_discussed(guardian: Any, source: str, fmt: str) -> list[ComposeNotice]:
    assert isinstance(guardian, Guardian)
    keys = keys_of_urls(urls_in(source, fmt))
    return [
        ComposeNotice(html=notice_html(found), kind="already-discussed")
        for found in discussions(keys, guardian)
    ]
