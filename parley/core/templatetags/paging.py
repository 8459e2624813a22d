"""Page navigation: `{% load paging %}`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def page_numbers(page: Page[Any]) -> list[int | str]:
    """The numbers a page's navigation shows: the first and last pages and those around
    this one, with gaps (the paginator's ELLIPSIS) between. Centred on this page: called from
    a template without an argument, the paginator's own range is centred on page 1, and a
    reader on page 12 of 25 saw 1 2 3 4 … 24 25 with no page 12."""
    return list(page.paginator.get_elided_page_range(page.number))


@register.simple_tag
def page_nav(page: Page[Any], page_query: str = "") -> SafeString:
    """The navigation once, for a page that shows it above and below its list
    (`{% page_nav page as nav %}{{ nav }} … {{ nav }}`)."""
    return mark_safe(_nav_html(page.number, page.paginator.num_pages, page_query))


@lru_cache(maxsize=4096)
def _nav_html(number: int, num_pages: int, page_query: str) -> str:
    """The navigation of page `number` of `num_pages`: nothing else shows in it, so each is
    rendered once per process (about 0.4 ms of a thread page otherwise)."""
    page = Paginator(range(num_pages), 1).page(number)
    # our own template's output, escaped there
    return render_to_string("includes/pages.html", {"page": page, "page_query": page_query})
