"""What a webhook says about an outbox event: which webhook event it is (if any) and the
JSON data, built from the rows as they are when the subscriber runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from parley.events import kinds
from parley.forums.models import Post
from parley.members.models import Member
from parley.permissions.guardian import Guardian

from .models import WebhookEvent


@dataclass(frozen=True)
class Announcement:
    event: str
    data: dict[str, Any]
    public: bool  # may a guest read what it is about?


def _url(name: str, pk: int) -> str:
    return settings.PARLEY_SITE_URL.rstrip("/") + reverse(name, args=[pk])


def _post_data(post: Post) -> dict[str, Any]:
    thread = post.thread
    return {
        "post": {"id": post.pk, "url": _url("forums:post", post.pk)},
        "thread": {"id": thread.pk, "title": thread.title, "url": _url("forums:thread", thread.pk)},
        "forum": {"id": thread.forum_id, "title": thread.forum.title},
        "author": {"id": post.author_id, "username": post.author.username},
    }


def _public(forum_id: int) -> bool:
    return forum_id in Guardian(AnonymousUser()).readable_forum_ids()


def _post_announcement(event: Any) -> Announcement | None:
    if event.kind in (kinds.POST_CREATED, kinds.POST_EDITED) and (
        event.payload.get("state") != "visible"
    ):
        return None  # awaiting approval: announced by post.approved, if it is approved
    post = Post.objects.select_related("thread__forum", "author").filter(pk=event.post_id).first()
    if post is None:
        if event.kind != kinds.POST_DELETED:
            return None
        data: dict[str, Any] = {"post": {"id": event.post_id}, "thread": {"id": event.thread_id}}
        return Announcement(WebhookEvent.POST_DELETED, data, _public(event.forum_id or 0))
    data = _post_data(post)
    if event.kind == kinds.POST_DELETED:
        data["hard"] = bool(event.payload.get("hard"))
        data["whole_thread"] = bool(event.payload.get("thread"))
        return Announcement(WebhookEvent.POST_DELETED, data, _public(post.thread.forum_id))
    if post.state != "visible" or post.thread.state != "visible":
        return None
    data["text"] = post.plain_text[:2000]
    if event.kind == kinds.POST_EDITED:
        data["revision"] = post.revision
        name = WebhookEvent.POST_EDITED
    elif post.thread.first_post_id == post.pk:
        name = WebhookEvent.THREAD_CREATED
    else:
        name = WebhookEvent.POST_CREATED
    return Announcement(name, data, _public(post.thread.forum_id))


def announcement_for(event: Any) -> Announcement | None:
    if event.kind in (
        kinds.POST_CREATED,
        kinds.POST_APPROVED,
        kinds.POST_EDITED,
        kinds.POST_DELETED,
    ):
        return _post_announcement(event)
    if event.kind == kinds.MEMBER_REGISTERED:
        member = Member.objects.filter(pk=event.member_id).only("pk", "username").first()
        if member is None:
            return None
        data = {"member": {"id": member.pk, "username": member.username}}
        return Announcement(WebhookEvent.MEMBER_REGISTERED, data, True)
    if event.kind == kinds.REPORT_FILED:
        # Reports are staff business: never sent to an endpoint limited to public content.
        data = {
            "report": {"case_id": event.payload.get("case_id")},
            "post": {"id": event.post_id},
            "thread": {"id": event.thread_id},
            "forum": {"id": event.forum_id},
        }
        return Announcement(WebhookEvent.REPORT_FILED, data, False)
    return None


KINDS = [
    kinds.POST_CREATED,
    kinds.POST_APPROVED,
    kinds.POST_EDITED,
    kinds.POST_DELETED,
    kinds.MEMBER_REGISTERED,
    kinds.REPORT_FILED,
]
