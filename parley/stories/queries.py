"""Read side of stories: who else covered the articles on a page, and which threads (that
this reader may see) discuss those other articles. Two queries for a whole page of posts,
whatever the number of cards; none when nothing on it is a card."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q

from parley.forums.models import Post
from parley.links.models import PostLink
from parley.permissions.guardian import Guardian

from .models import StoryPage


@dataclass(frozen=True)
class ThreadRef:
    pk: int
    title: str


@dataclass
class Coverage:
    """Another outlet's article on the same story, and the visible threads that link it."""

    page_id: int
    outlet: str
    headline: str
    url: str
    threads: list[ThreadRef] = field(default_factory=list)


@dataclass
class StoryView:
    story_id: int
    page_ids: set[int]  # the articles of the story that the page being shown links
    keys: set[str]  # their canonical keys (to find their cards)
    others: list[Coverage]


def outlet_of(site_name: str, url: str) -> str:
    if site_name.strip():
        return site_name.strip()
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host or url


def stories_linked(
    guardian: Guardian,
    *,
    post_ids: Iterable[int] = (),
    page_ids: Iterable[int] = (),
    exclude_thread_id: int | None = None,
) -> list[StoryView]:
    """The stories of the pages these posts link (or of these pages), each with the other
    outlets' articles and the threads discussing them that this reader may see."""
    posts, pages = list(post_ids), list(page_ids)
    if not posts and not pages:
        return []
    if posts:
        here = PostLink.objects.filter(page_id=OuterRef("page_id"), post_id__in=posts)
        entries = StoryPage.objects.filter(story__entries__page__post_links__post_id__in=posts)
        entries = entries.annotate(here=Exists(here))
    else:
        entries = StoryPage.objects.filter(story__entries__page_id__in=pages).annotate(
            here=Q(page_id__in=pages)
        )
    rows = (
        entries.filter(page__hidden=False)  # a card staff hid names no outlet
        .order_by("story_id", "published_at", "page_id")
        .values_list(
            "story_id",
            "page_id",
            "here",
            "page__key",
            "page__resolved_key",
            "page__site_name",
            "page__headline",
            "page__page_title",
            "page__url",
        )
        .distinct()
    )
    members: dict[int, list[Row]] = {}
    for story_id, page_id, is_here, key, resolved, site, headline, title, url in rows:
        row = Row(
            page_id, bool(is_here), key, resolved, outlet_of(site, url), headline or title, url
        )
        members.setdefault(story_id, []).append(row)
    views = []
    for story_id, rows_ in members.items():
        mine = [r for r in rows_ if r.here]
        outlets = {r.outlet for r in mine}
        others: list[Coverage] = []
        for r in rows_:
            if r.here or r.outlet in outlets or any(o.outlet == r.outlet for o in others):
                continue
            others.append(Coverage(r.page_id, r.outlet, r.headline, r.url))
        if mine and others:
            keys = {k for r in mine for k in (r.key, r.resolved) if k}
            views.append(StoryView(story_id, {r.page_id for r in mine}, keys, others))
    if views:
        _add_threads(guardian, views, exclude_thread_id)
    return views


@dataclass(frozen=True)
class Row:
    page_id: int
    here: bool
    key: str
    resolved: str
    outlet: str
    headline: str
    url: str


def _add_threads(guardian: Guardian, views: list[StoryView], exclude_thread_id: int | None) -> None:
    """The visible threads linking the other outlets' articles, earliest first (one query)."""
    coverage = {c.page_id: c for view in views for c in view.others}
    links = (
        PostLink.objects.filter(page_id__in=coverage)
        .filter(post__in=guardian.visible_posts(Post.objects.all()))
        .values_list("page_id", "post__thread_id", "post__thread__title")
        .order_by("post__thread_id")
        .distinct()
    )
    if exclude_thread_id is not None:
        links = links.exclude(post__thread_id=exclude_thread_id)
    for page_id, thread_id, title in links[:200]:
        coverage[page_id].threads.append(ThreadRef(thread_id, title))
