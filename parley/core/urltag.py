"""`{% url %}` with its answers remembered, installed as a template builtin (settings.TEMPLATES)
so that every template's `{% url %}` is this one, written the same way.

A page calls `{% url %}` a few dozen times (the header alone 15), and Django's `reverse`
walks the URL patterns and quotes the arguments on every call: 8 % of a signed-in thread
page's CPU (py-spy, bench/README.md). The answer depends only on the URL configuration, the
script prefix and the arguments, so it is kept per process in a bounded LRU, keyed on all
of them; a change of URL configuration (tests' `override_settings`) empties it, as it
empties Django's own URL caches. Errors are never kept: a name that does not reverse raises
(or gives "" with `as var`) exactly as Django's tag does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=4096)
def _reversed(
    key: tuple[Any, ...],
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def reverse_remembered(
    view_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], current_app: Any
) -> str:
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    try:
        return _reversed(key, view_name, args, kwargs, current_app)
    except TypeError:  # an argument that cannot be a key (unhashable): reverse it plainly
        return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="parley.core.urltag")


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        request: Any = getattr(context, "request", None)
        # As Django's tag: the request's current_app when it has one (even None), else the
        # namespace it was resolved in.
        if hasattr(request, "current_app"):
            current_app = request.current_app
        else:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reverse_remembered(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Any, token: Any) -> RememberedURLNode:
    """Django's `{% url %}`, parsed by Django, answered from memory when it can."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
