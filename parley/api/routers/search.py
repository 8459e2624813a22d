"""Search: posts (or threads) matching words, with the /search/ page's filters, and members
by name. The page's own reading of the input (`read_search_form`) and the one search
(`search_posts`, on the Guardian's `visible_posts`) answer here too, so hidden forums,
deleted or pending posts and other members' conversations never appear."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, QueryDict
from ninja import Query, Router, Schema
from pydantic import Field

from parley.core import ratelimit
from parley.search.conversations import search_conversations
from parley.search.forms import MAX_MEMBERS, MAX_MIN_REACTIONS, read_search_form
from parley.search.parser import QueryError, parse_query
from parley.search.queries import MAX_PAGE, PER_PAGE, search_members, search_posts

from .. import auth
from ..common import ApiError, client_ip, guardian
from ..errors import COMMON_ERRORS
from ..schemas import MemberBrief

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(
        description='Words, "phrases", -excluded words and prefix* (at most 200 characters)'
    )
    members: str = Field(
        "", max_length=400, description=f"Written by: up to {MAX_MEMBERS} names, comma-separated"
    )
    forum_id: int | None = Field(None, description="Only this forum")
    category_id: int | None = Field(
        None, description="Only the forums of this category (and the categories in it)"
    )
    since: date | None = Field(None, description="Posted on or after this day")
    until: date | None = Field(None, description="Posted on or before this day")
    titles_only: bool = Field(False, description="Match thread titles only")
    site: str = Field("", max_length=300, description="Only posts linking to this site")
    min_reactions: int = Field(0, ge=0, le=MAX_MIN_REACTIONS)
    sort: Literal["relevance", "date"] = "relevance"
    grouped: bool = Field(False, description="One hit per thread: its best matching post")
    page: int = Field(1, ge=1, le=MAX_PAGE)


# The page's field names → the API's, for messages about one field.
_FIELDS = {"by": "members", "reactions": "min_reactions", "where": "forum_id"}


class ThreadBrief(Schema):
    id: int
    title: str
    url: str


class ForumBrief(Schema):
    id: int
    title: str
    url: str


class SearchHitOut(Schema):
    post_id: int
    url: str
    thread: ThreadBrief
    forum: ForumBrief
    author: MemberBrief | None
    created_at: datetime
    title_html: str = Field(description="The thread's title, matched words in <mark>")
    snippet_html: str = Field(description="Escaped text around the matches, words in <mark>")
    matches_in_thread: int = Field(description="Grouped: how many of the thread's posts match")


class ConversationHitOut(Schema):
    message_id: int
    conversation_id: int
    url: str
    title_html: str
    snippet_html: str
    author: str
    created_at: datetime


class SearchOut(Schema):
    page: int
    has_next: bool = Field(description="Ask for page + 1 for more")
    grouped: bool
    hits: list[SearchHitOut]
    conversations: list[ConversationHitOut] = Field(
        description="Your own private conversations that match: on page 1 without filters, "
        "for a signed-in member only"
    )


def _rate_limited(request: HttpRequest) -> None:
    """The page's limit: searches per client address."""
    verdict = ratelimit.hit("search", client_ip(request))
    if not verdict.allowed:
        minutes = verdict.minutes
        raise ApiError(
            429,
            "rate_limited",
            f"That is a lot of searching: try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.",
            retry_after=verdict.retry_after,
        )


def _page_params(q: SearchQuery) -> QueryDict:
    """The API's query as the /search/ page's query string, read by the page's form."""
    params = QueryDict(mutable=True)
    params["q"] = q.q
    params["by"] = q.members
    if q.forum_id is not None:
        params["in"] = f"forum-{q.forum_id}"
    elif q.category_id is not None:
        params["in"] = f"category-{q.category_id}"
    params["since"] = q.since.isoformat() if q.since else ""
    params["until"] = q.until.isoformat() if q.until else ""
    params["site"] = q.site
    params["reactions"] = str(q.min_reactions) if q.min_reactions else ""
    params["titles"] = "1" if q.titles_only else ""
    params["sort"] = q.sort
    params["show"] = "threads" if q.grouped else "posts"
    params["page"] = str(q.page)
    return params


def _invalid(errors: dict[str, str]) -> ApiError:
    fields = {_FIELDS.get(name, name): [message] for name, message in errors.items()}
    return ApiError(400, "invalid", " ".join(errors.values()), fields=fields)


@router.get(
    "",
    response={200: SearchOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Search posts, or threads",
    description=(
        f"Pages are numbered, not cursors: ask for `page` 1, 2, … (at most {MAX_PAGE}, "
        f"{PER_PAGE} hits each) while `has_next` is true. Only posts you may read are "
        "searched. Searches are limited per client address, as on the search page (429 "
        "with Retry-After)."
    ),
)
def search(request: HttpRequest, q: Query[SearchQuery]) -> SearchOut:
    if q.forum_id is not None and q.category_id is not None:
        raise ApiError(
            400,
            "invalid",
            "Choose a forum or a category, not both.",
            fields={"forum_id": ["Give forum_id or category_id."]},
        )
    form = read_search_form(_page_params(q))
    if not form.errors and form.query is None:
        try:
            parse_query(form.q)  # the empty query: the parser's own words for it
        except QueryError as exc:
            form.errors["q"] = str(exc)
    if form.errors:
        raise _invalid(form.errors)
    assert form.query is not None
    _rate_limited(request)
    g = guardian(request)
    results = search_posts(g, form.query, form.filters, form.sort, form.page, grouped=form.grouped)
    hits = [
        SearchHitOut(
            post_id=hit.post.pk,
            url=f"/posts/{hit.post.pk}/",
            thread=ThreadBrief(
                id=hit.post.thread_id,
                title=hit.post.thread.title,
                url=f"/threads/{hit.post.thread_id}/",
            ),
            forum=ForumBrief(
                id=hit.post.thread.forum_id,
                title=hit.post.thread.forum.title,
                url=f"/forums/{hit.post.thread.forum_id}/",
            ),
            author=MemberBrief.of(hit.post.author) if hit.post.author_id else None,
            created_at=hit.post.created_at,
            title_html=str(hit.title),
            snippet_html=str(hit.snippet),
            matches_in_thread=hit.matches_in_thread,
        )
        for hit in results.hits
    ]
    conversations: list[ConversationHitOut] = []
    if results.page == 1 and not form.has_filters:
        conversations = [
            ConversationHitOut(
                message_id=m.message_id,
                conversation_id=m.conversation_id,
                url=f"/conversations/messages/{m.message_id}/",
                title_html=str(m.title),
                snippet_html=str(m.snippet),
                author=m.author,
                created_at=m.created_at,
            )
            for m in search_conversations(request.user, form.query)
        ]
    return SearchOut(
        page=results.page,
        has_next=results.has_next,
        grouped=results.grouped,
        hits=hits,
        conversations=conversations,
    )


class MemberSearchQuery(Schema):
    q: str = Field(max_length=100, description="Part of a member's name")


@router.get(
    "/members",
    response={200: list[MemberBrief], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Members whose name contains the words (at most 10, in name order)",
    description="Counts against the same per-address search limit as /search.",
)
def members(request: HttpRequest, q: Query[MemberSearchQuery]) -> list[MemberBrief]:
    if not q.q.strip():
        raise ApiError(
            400,
            "invalid",
            "Type part of a member's name.",
            fields={"q": ["Type part of a member's name."]},
        )
    _rate_limited(request)
    return [MemberBrief.of(m) for m in search_members(q.q)]
