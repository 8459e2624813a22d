"""RSS and Atom feeds out: what a guest may read, and nothing else.

Every feed is built for a guest Guardian, whoever asks: a feed reader has no session, and a
signed-in member's reader would otherwise leak members-only threads into a place anyone can
copy them from. A forum or thread a guest may not see is a 404, as its page is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from parley.forums.models import Forum, Post, Thread
from parley.permissions.guardian import Guardian
from parley.tags.models import Tag

ITEMS = 20


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    html: str
    author: str
    published: datetime
    updated: datetime
    guid: str


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    items: list[Item]

    @property
    def updated(self) -> datetime | None:
        return max((i.updated for i in self.items), default=None)


def guest() -> Guardian:
    return Guardian(AnonymousUser())


def _thread_items(threads: Any) -> list[Item]:
    # Newest first by id, the order of creation: the primary key serves it with no sort (no
    # index on created_at), and stops after ITEMS rows however many threads there are.
    rows = threads.select_related("author", "first_post").order_by("-pk")[:ITEMS]
    items = []
    for thread in rows:
        post = thread.first_post
        link = reverse("forums:thread", args=[thread.pk])
        items.append(
            Item(
                title=thread.title,
                link=link,
                html=post.cooked_html if post is not None else "",
                author=thread.author.username,
                published=thread.created_at,
                updated=(post.edited_at if post and post.edited_at else thread.created_at),
                guid=f"thread-{thread.pk}",
            )
        )
    return items


def site_channel() -> Channel:
    threads = guest().visible_threads(Thread.objects.all())
    return Channel(
        title="Parley: new threads",
        link=reverse("forums:index"),
        description="New threads in every public forum.",
        items=_thread_items(threads),
    )


def forum_channel(forum_id: int) -> Channel:
    guardian = guest()
    if forum_id not in guardian.readable_forum_ids():
        raise Http404("No such forum.")
    forum = Forum.objects.filter(pk=forum_id).only("pk", "title", "description").first()
    if forum is None:
        raise Http404("No such forum.")
    threads = guardian.visible_threads(Thread.objects.filter(forum_id=forum_id))
    return Channel(
        title=f"Parley: {forum.title}",
        link=reverse("forums:forum", args=[forum.pk]),
        description=forum.description or f"New threads in {forum.title}.",
        items=_thread_items(threads),
    )


def thread_channel(thread_id: int) -> Channel:
    guardian = guest()
    thread = (
        guardian.visible_threads(Thread.objects.filter(pk=thread_id)).only("pk", "title").first()
    )
    if thread is None:
        raise Http404("No such thread.")
    posts = (
        guardian.visible_posts(Post.objects.filter(thread_id=thread.pk))
        .select_related("author")
        .order_by("-pk")[:ITEMS]  # post_in_thread_reading (thread, id) serves it
    )
    items = [
        Item(
            title=f"{post.author.username} in “{thread.title}”",
            link=reverse("forums:post", args=[post.pk]),
            html=post.cooked_html,
            author=post.author.username,
            published=post.created_at,
            updated=post.edited_at or post.created_at,
            guid=f"post-{post.pk}",
        )
        for post in posts
    ]
    return Channel(
        title=f"Parley: {thread.title}",
        link=reverse("forums:thread", args=[thread.pk]),
        description=f"Newest posts in “{thread.title}”.",
        items=items,
    )


def tag_channel(slug: str) -> Channel:
    tag = Tag.objects.filter(slug=slug).only("pk", "name", "slug").first()
    if tag is None:
        raise Http404("No such tag.")
    threads = guest().visible_threads(Thread.objects.filter(tag_links__tag=tag))
    return Channel(
        title=f"Parley: threads tagged “{tag.name}”",
        link=reverse("tags:tag", args=[tag.slug]),
        description=f"New threads tagged “{tag.name}”.",
        items=_thread_items(threads),
    )
