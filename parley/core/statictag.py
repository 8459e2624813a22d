"""`{% static %}` with the addresses remembered, installed as a template builtin
(settings.TEMPLATES) as `{% url %}` is: Parley's templates write `{% static '…' %}` without
`{% load static %}` (which would put Django's own tag back for that template; a test keeps
them from it).

Every page's head names eleven static files, and the storage works each address out again
on every call (the manifest look-up, quoting, joining): about 4 % of a signed-in thread
page's CPU once the rest was made cheap (bench/README.md). The address of a file depends
only on the storage settings and the manifest read at start, so it is kept per process,
keyed on the path; a change of those settings (tests' `override_settings`) empties it.
Errors are never kept: a file missing from the manifest raises as Django's tag does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static

register = template.Library()

_STORAGE_SETTINGS = {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "INSTALLED_APPS"}


@lru_cache(maxsize=1024)
def static_url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in _STORAGE_SETTINGS:
        static_url.cache_clear()


setting_changed.connect(_forget, dispatch_uid="parley.core.statictag")


class RememberedStaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        return static_url(path)


@register.tag("static")
def do_static(parser: Any, token: Any) -> django_static.StaticNode:
    return RememberedStaticNode.handle_token(parser, token)
