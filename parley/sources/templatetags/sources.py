"""`{% source_of url %}`: the site an address belongs to, with its labels, for pages that
show a linked site outside a card (search by link). Answered from the cached source map."""

from __future__ import annotations

from typing import Any

from django import template

from .. import directory
from ..domains import host_of

register = template.Library()


@register.inclusion_tag("sources/source_of.html")
def source_of(url: str) -> dict[str, Any]:
    return {"site": directory.site_for_url(url), "host": host_of(url)}
