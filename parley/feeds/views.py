"""RSS 2.0 and Atom 1.0 feeds out, with conditional GET (ETag and Last-Modified: a reader
polling an unchanged feed gets a 304 without the body)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import syndication
from .syndication import Channel

FORMATS: dict[str, type[SyndicationFeed]] = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


def _render(request: HttpRequest, channel: Channel, fmt: str) -> HttpResponseBase:
    absolute = request.build_absolute_uri
    feed = FORMATS[fmt](
        title=channel.title,
        link=absolute(channel.link),
        description=channel.description,
        feed_url=absolute(),
        language="en",
    )
    for item in channel.items:
        feed.add_item(
            title=item.title,
            link=absolute(item.link),
            description=item.html,
            author_name=item.author,
            pubdate=item.published,
            updateddate=item.updated,
            unique_id=absolute(item.link),
            unique_id_is_permalink=True,
        )
    body = feed.writeString("utf-8").encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    updated = channel.updated
    last_modified = int(updated.timestamp()) if updated else None
    response = HttpResponse(body, content_type=feed.content_type)  # type: ignore[attr-defined]
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=300)
    # Built for a guest whoever asks, and the session is never read: a shared cache may keep
    # it even when the reader's request carried a session cookie (core.headers).
    response.same_for_everyone = True  # type: ignore[attr-defined]
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    return conditional if conditional is not None else response


def _feed_view(build: Callable[..., Channel]) -> Callable[..., HttpResponseBase]:
    @require_safe
    def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponseBase:
        return _render(request, build(**kwargs), fmt)

    view.__name__ = build.__name__
    return view


site_feed = _feed_view(syndication.site_channel)
forum_feed = _feed_view(syndication.forum_channel)
thread_feed = _feed_view(syndication.thread_channel)
tag_feed = _feed_view(syndication.tag_channel)
