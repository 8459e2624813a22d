"""What forums announces through the outbox (docs/events.md). Every function here is called
inside the transaction of the change it describes; subscribers (links, alerts, search …)
are never imported."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Lower

from parley.events import kinds
from parley.events.models import Event
from parley.events.outbox import Pending, emit_many
from parley.formatting import Cooked
from parley.members.models import Member

from .models import Post, Thread


def _post_fields(post: Post, forum_id: int) -> dict[str, Any]:
    return {"post_id": post.pk, "thread_id": post.thread_id, "forum_id": forum_id}


def _mentioned_ids(names: Iterable[str]) -> set[int]:
    wanted = {n.lower() for n in names}
    if not wanted:
        return set()
    return set(
        Member.objects.annotate(lname=Lower("username"))
        .filter(lname__in=list(wanted))
        .values_list("pk", flat=True)
    )


def _already_told(post: Post, kind: str) -> set[int]:
    """Members an earlier version of this post already mentioned or quoted (edits only)."""
    told = Event.objects.filter(post_id=post.pk, kind=kind).values_list("member_id", flat=True)
    return {m for m in told if m is not None}


def post_written(
    post: Post, cooked: Cooked, *, forum_id: int, actor_id: int, created: bool
) -> None:
    """post.created / post.edited, plus one member.mentioned per mentioned member and one
    post.quoted per quoted author (never the author themself; on an edit, only members the
    post did not already mention or quote). `state` lets subscribers skip pending posts;
    post.approved follows when a moderator publishes one."""
    fields = _post_fields(post, forum_id)
    base = {"state": post.state}
    pending = [
        Pending(
            kinds.POST_CREATED if created else kinds.POST_EDITED,
            actor_id=actor_id,
            member_id=post.author_id,
            payload=base | ({} if created else {"revision": post.revision}),
            **fields,
        )
    ]
    mentioned = _mentioned_ids(cooked.mentions) - {post.author_id}
    quoted: dict[int, int] = {}  # author → first quoted post of theirs
    if cooked.quoted_post_ids:
        for pk, author_id in Post.objects.filter(pk__in=cooked.quoted_post_ids).values_list(
            "pk", "author_id"
        ):
            if author_id != post.author_id:
                quoted.setdefault(author_id, pk)
    if not created and (mentioned or quoted):
        mentioned -= _already_told(post, kinds.MEMBER_MENTIONED)
        for member_id in _already_told(post, kinds.POST_QUOTED):
            quoted.pop(member_id, None)
    pending += [
        Pending(
            kinds.MEMBER_MENTIONED, actor_id=post.author_id, member_id=m, payload=base, **fields
        )
        for m in sorted(mentioned)
    ]
    pending += [
        Pending(
            kinds.POST_QUOTED,
            actor_id=post.author_id,
            member_id=m,
            payload=base | {"quoted_post_id": quoted[m]},
            **fields,
        )
        for m in sorted(quoted)
    ]
    emit_many(pending)


def post_changed(kind: str, post: Post, *, actor: Any, **payload: Any) -> None:
    """post.deleted / post.restored / post.approved for one post."""
    emit_many(
        [
            Pending(
                kind,
                actor_id=getattr(actor, "pk", None),
                member_id=post.author_id,
                payload=payload,
                **_post_fields(post, post.thread.forum_id),
            )
        ]
    )


def thread_changed(kind: str, thread: Thread, *, actor: Any, **payload: Any) -> None:
    """An event about a whole thread (deleted, restored, moved, merged into): post_id is
    its first post."""
    emit_many(
        [
            Pending(
                kind,
                actor_id=getattr(actor, "pk", None),
                post_id=thread.first_post_id,
                thread_id=thread.pk,
                forum_id=thread.forum_id,
                member_id=thread.author_id,
                payload={"thread": True} | payload,
            )
        ]
    )


def reaction_changed(kind: str, post: Post, *, member: Any, **payload: Any) -> None:
    """reaction.set / reaction.removed: the actor reacted, member_id is the post's author
    (the one an alert would go to)."""
    emit_many(
        [
            Pending(
                kind,
                actor_id=member.pk,
                member_id=post.author_id,
                payload=payload,
                **_post_fields(post, post.thread.forum_id),
            )
        ]
    )
