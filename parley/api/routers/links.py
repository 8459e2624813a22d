"""Search by link: the threads that shared an article, whatever address it was shared
under (the /links/search/ page, through the same look-up, parley.links.queries)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from parley.links.previews import canonical_or_none
from parley.links.queries import discussions

from .. import auth
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS

router = Router(tags=["links"])

# As many threads as the page lists.
RESULTS = 100
# The page takes 2,000 characters, but an address that long, escaped in a query string
# (up to three characters each), no longer fits the server's request line (4,094 bytes)
# and the server answers 414 before Parley sees it. This many always fits.
MAX_URL = 1200


class LinkQuery(Schema):
    url: str = Field(
        min_length=1,
        max_length=MAX_URL,
        description=f"The article's address, http or https, at most {MAX_URL:,} characters.",
    )


class DiscussionOut(Schema):
    thread_id: int
    title: str
    url: str
    forum_id: int
    forum_title: str
    first_shared_by: str
    first_shared_at: datetime
    shared_as: str = Field(description="The address the first post linked.")


class LinkSearchOut(Schema):
    url: str
    threads: list[DiscussionOut] = Field(description="Earliest mention first.")


@router.get(
    "",
    response={200: LinkSearchOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Search by link: the threads you can see that shared this article",
)
def search_by_link(request: HttpRequest, q: Query[LinkQuery]) -> LinkSearchOut:
    raw = q.url.strip()
    key = canonical_or_none(raw) if raw else None
    if key is None:
        raise ApiError(
            400,
            "invalid",
            "That is not a web address Parley can look up "
            f"(http or https, at most {MAX_URL:,} characters).",
            fields={"url": ["Not an http(s) address."]},
        )
    found = discussions({key}, guardian(request), limit=RESULTS)
    return LinkSearchOut(
        url=raw,
        threads=[
            DiscussionOut(
                thread_id=d.thread.pk,
                title=d.thread.title,
                url=f"/threads/{d.thread.pk}/",
                forum_id=d.thread.forum_id,
                forum_title=d.thread.forum.title,
                first_shared_by=d.author_name,
                first_shared_at=d.at,
                shared_as=d.url,
            )
            for d in found
        ],
    )
