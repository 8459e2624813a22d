"""From events to alerts (docs/alerts.md). One subscriber, `alerts`, receives every kind it
cares about and routes it here. Handlers re-read the rows (the event says what happened,
the rows say what is true now: a post deleted or moved since alerts nobody) and are
idempotent; slow fan-out (watchers) is queued as batched tasks.

`Mode` lets the repairer and the demo replay events without mail or push, inline, and for
chosen recipients only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from parley.events import kinds as ev
from parley.events.models import Event

from . import hooks, kinds, services
from .services import Draft

# The subscriber's name: what delivery rows remember, so it never changes.
SUBSCRIBER = "alerts"

# Recipients per fan-out task: big enough to amortise a task, small enough to retry cheaply.
BATCH = 500

KINDS = (
    ev.POST_CREATED,
    ev.POST_APPROVED,
    ev.MEMBER_MENTIONED,
    ev.POST_QUOTED,
    ev.REACTION_SET,
    ev.REACTION_REMOVED,
    ev.POST_DELETED,
    ev.POST_RESTORED,
    ev.POST_MOVED,
    ev.CONVERSATION_MESSAGE,
    ev.MODERATION_ACTION,
    ev.MEMBER_WARNED,
)


@dataclass(frozen=True)
class Mode:
    notify: bool = True  # hand new alerts to the channels (mail, push)
    background: bool = True  # fan out to watchers in queued tasks
    only: frozenset[int] | None = None  # write alerts for these members only

    def keep(self, member_ids: set[int]) -> set[int]:
        return member_ids if self.only is None else member_ids & self.only


LIVE = Mode()


def handle(event: Event, mode: Mode = LIVE) -> None:
    route = ROUTES.get(event.kind)
    if route is not None:
        route(event, mode)


# --- posts ----------------------------------------------------------------------------------
def _published_post(post_id: int | None) -> Any:
    """The post if anyone but staff could be alerted about it now: it and its thread are
    visible (pending posts wait for post.approved; deleted ones alert nobody)."""
    from parley.forums.models import Post, State

    if post_id is None:
        return None
    post = Post.objects.select_related("thread__forum").filter(pk=post_id).first()
    if post is None or post.state != State.VISIBLE or post.thread.state != State.VISIBLE:
        return None
    return post


def personal_kinds(post_id: int) -> dict[int, str]:
    """Members this post mentions or quotes (every version of it), quote winning."""
    found: dict[int, str] = {}
    rows = Event.objects.filter(
        post_id=post_id, kind__in=[ev.MEMBER_MENTIONED, ev.POST_QUOTED]
    ).values_list("member_id", "kind")
    for member_id, kind in rows:
        if member_id is None:
            continue
        mine = kinds.QUOTE if kind == ev.POST_QUOTED else kinds.MENTION
        if kinds.RANK[mine] > kinds.RANK.get(found.get(member_id, ""), 0):
            found[member_id] = mine
    return found


def alert_post_readers(
    post: Any, candidates: dict[int, tuple[str, bool]], event: Event, mode: Mode
) -> int:
    """Alert the candidates (member → (kind, watch asks for mail)) who may read the post,
    do not ignore its author, and are not its author."""
    from parley.permissions.audience import readers_of_post

    ids = mode.keep(set(candidates) - {post.author_id})
    ids = readers_of_post(post, ids) if ids else set()
    ids -= hooks.ignoring(post.author_id, ids)
    drafts = [
        Draft(
            m,
            candidates[m][0],
            f"post:{post.pk}",
            post.author_id,
            post_id=post.pk,
            watch_email=candidates[m][1],
        )
        for m in sorted(ids)
    ]
    services.write(drafts, event_id=event.pk, created_at=post.created_at, notify=mode.notify)
    return len(drafts)


def on_post_published(event: Event, mode: Mode) -> None:
    """A visible post (new, or approved): the members it names now, its watchers in batches."""
    from parley.engagement.models import ForumWatch, ThreadWatch

    post = _published_post(event.post_id)
    if post is None:
        return
    personal = personal_kinds(post.pk)
    alert_post_readers(post, {m: (k, False) for m, k in personal.items()}, event, mode)
    if post.pk == post.thread.first_post_id:
        kind = kinds.THREAD
        watches: Any = ForumWatch.objects.filter(forum_id=post.thread.forum_id)
    else:
        kind = kinds.REPLY
        watches = ThreadWatch.objects.filter(thread_id=post.thread_id)
    watchers = list(
        watches.exclude(member_id=post.author_id)
        .order_by("member_id")
        .values_list("member_id", "email")
    )
    _fan_out(event, post.pk, kind, watchers, mode)
    if kind == kinds.THREAD:
        _fan_out(event, post.pk, kinds.FOLLOW, _followers(post.author_id), mode)


def _followers(member_id: int) -> list[tuple[int, bool]]:
    """Who follows the author (people app): their new threads alert them, in batches as
    watchers are (no mail of its own from the watch: the kind's preference decides)."""
    from parley.people.models import Follow

    rows = Follow.objects.filter(followed_id=member_id).order_by("follower_id")
    return [(m, True) for m in rows.values_list("follower_id", flat=True)]


def _fan_out(
    event: Event, post_id: int, kind: str, watchers: list[tuple[int, bool]], mode: Mode
) -> None:
    if mode.only is not None:
        watchers = [w for w in watchers if w[0] in mode.only]
    for start in range(0, len(watchers), BATCH):
        batch = [[m, bool(e)] for m, e in watchers[start : start + BATCH]]
        if mode.background:
            from .tasks import fan_out_post

            fan_out_post.enqueue(event.pk, post_id, kind, batch)
        else:
            alert_watchers(event, post_id, kind, batch, mode)


def alert_watchers(
    event: Event, post_id: int, kind: str, batch: list[list[Any]], mode: Mode = LIVE
) -> int:
    post = _published_post(post_id)
    if post is None:
        return 0
    personal = personal_kinds(post.pk)
    candidates = {int(m): (personal.get(int(m), kind), bool(e)) for m, e in batch}
    return alert_post_readers(post, candidates, event, mode)


def on_named(event: Event, mode: Mode) -> None:
    """member.mentioned / post.quoted: also the ones an edit adds to a published post."""
    post = _published_post(event.post_id)
    if post is None or event.member_id is None:
        return
    kind = personal_kinds(post.pk).get(event.member_id, kinds.MENTION)
    alert_post_readers(post, {event.member_id: (kind, False)}, event, mode)


def on_reaction(event: Event, mode: Mode) -> None:
    from parley.permissions.audience import readers_of_post

    post = _published_post(event.post_id)
    if post is None or event.actor_id is None or event.actor_id == post.author_id:
        return
    author = post.author_id
    if not mode.keep({author}) or author not in readers_of_post(post, [author]):
        return
    if hooks.ignoring(event.actor_id, {author}):
        return
    services.add_reactor(
        recipient_id=author,
        post_id=post.pk,
        actor_id=event.actor_id,
        event_id=event.pk,
        at=event.created_at,
        notify=mode.notify,
    )


def on_reaction_removed(event: Event, mode: Mode) -> None:
    if event.member_id is None or event.actor_id is None or event.post_id is None:
        return
    services.remove_reactor(
        recipient_id=event.member_id, post_id=event.post_id, actor_id=event.actor_id
    )


def on_deleted(event: Event, mode: Mode) -> None:
    if event.payload.get("thread") and event.thread_id:
        services.set_hidden(thread_id=event.thread_id, hidden=True)
    elif event.post_id:
        services.set_hidden(post_ids=[event.post_id], hidden=True)


def on_restored(event: Event, mode: Mode) -> None:
    if event.payload.get("thread") and event.thread_id:
        services.set_hidden(thread_id=event.thread_id, hidden=False)
    elif event.post_id:
        services.set_hidden(post_ids=[event.post_id], hidden=False)


def on_moved(event: Event, mode: Mode) -> None:
    """Posts moved (a thread moved or merged, posts split off or moved): whoever may no
    longer read them loses the alerts about them (the bell stops counting them); whoever
    may read them again gets them back."""
    from parley.forums.models import Post
    from parley.permissions.audience import readers_of_post

    from .models import Alert

    if event.thread_id is None:
        return
    alerts = Alert.objects.filter(post__thread_id=event.thread_id, kind__in=kinds.ABOUT_CONTENT)
    by_post: dict[int, set[int]] = {}
    for post_id, recipient_id in alerts.values_list("post_id", "recipient_id"):
        by_post.setdefault(post_id, set()).add(recipient_id)
    posts = Post.objects.select_related("thread__forum").filter(pk__in=by_post)
    for post in posts:
        readers = readers_of_post(post, by_post[post.pk])
        services.set_visible_to(post_id=post.pk, readers=readers, others=by_post[post.pk] - readers)


# --- conversations --------------------------------------------------------------------------
def on_message(event: Event, mode: Mode) -> None:
    from parley.conversations.models import Message, Participant

    payload = event.payload
    message = Message.objects.filter(pk=payload.get("message")).first()
    if message is None:
        return
    conversation_id = message.conversation_id
    named = {int(m) for m in payload.get("recipients", [])}
    # Only who takes part now: a member who left hears nothing more.
    current = set(
        Participant.objects.filter(
            conversation_id=conversation_id, member_id__in=named, left_at__isnull=True
        ).values_list("member_id", flat=True)
    )
    current = mode.keep(current - {event.actor_id})
    current -= hooks.ignoring(event.actor_id, current)
    invited = bool(payload.get("invited"))
    first = not Message.objects.filter(conversation_id=conversation_id, pk__lt=message.pk).exists()
    if invited:
        kind, subject = kinds.INVITATION, f"invite:{conversation_id}"
    else:
        kind = kinds.INVITATION if first else kinds.CONVERSATION
        subject = f"message:{message.pk}"
    drafts = [
        Draft(m, kind, subject, event.actor_id, message_id=message.pk) for m in sorted(current)
    ]
    services.write(drafts, event_id=event.pk, created_at=event.created_at, notify=mode.notify)


# --- moderation -----------------------------------------------------------------------------
def _existing_post_id(post_id: int | None) -> int | None:
    from parley.forums.models import Post

    if post_id is None:
        return None
    return post_id if Post.objects.filter(pk=post_id).exists() else None


def on_moderation(event: Event, mode: Mode) -> None:
    from parley.forums.models import Post, Thread
    from parley.moderation.models import AuditEntry, Report

    action = str(event.payload.get("action", ""))
    audit_id = event.payload.get("audit_id")
    if action in ("report.resolved", "report.rejected"):
        entry = AuditEntry.objects.filter(pk=audit_id).first()
        case_id = (entry.after or {}).get("case") if entry else None
        if case_id is None:
            return
        reporters = set(
            Report.objects.filter(case_id=case_id).values_list("reporter_id", flat=True)
        )
        reporters = mode.keep(reporters - {event.actor_id})
        post_id = _existing_post_id(event.post_id)
        drafts = [
            Draft(
                m,
                kinds.REPORT,
                f"report:{case_id}",
                event.actor_id,
                post_id=post_id,
                text=action.split(".")[1],
            )
            for m in sorted(reporters)
        ]
        services.write(drafts, event_id=event.pk, created_at=event.created_at, notify=mode.notify)
        return
    from .texts import ACTIONS

    if action not in ACTIONS:
        return
    author = None
    post_id = event.post_id
    if post_id is not None:
        author = Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()
    elif event.thread_id is not None:
        row = Thread.objects.filter(pk=event.thread_id).values_list("author_id", "first_post_id")
        found = row.first()
        if found:
            author, post_id = found
    if author is None or author == event.actor_id or not mode.keep({author}):
        return
    draft = Draft(
        author,
        kinds.MODERATION,
        f"audit:{audit_id}",
        event.actor_id,
        post_id=_existing_post_id(post_id),
        text=action,
    )
    services.write([draft], event_id=event.pk, created_at=event.created_at, notify=mode.notify)


def on_warning(event: Event, mode: Mode) -> None:
    from django.contrib.auth import get_user_model

    if event.member_id is None or not mode.keep({event.member_id}):
        return
    if not get_user_model().objects.filter(pk=event.member_id, is_active=True).exists():
        return
    draft = Draft(
        event.member_id,
        kinds.WARNING,
        f"warning:{event.payload.get('warning_id')}",
        None,  # the warning page says who; the alert does not single the moderator out
        post_id=_existing_post_id(event.post_id),
        text=str(event.payload.get("title", "")),
    )
    services.write([draft], event_id=event.pk, created_at=event.created_at, notify=mode.notify)


ROUTES: dict[str, Callable[[Event, Mode], None]] = {
    ev.POST_CREATED: on_post_published,
    ev.POST_APPROVED: on_post_published,
    ev.MEMBER_MENTIONED: on_named,
    ev.POST_QUOTED: on_named,
    ev.REACTION_SET: on_reaction,
    ev.REACTION_REMOVED: on_reaction_removed,
    ev.POST_DELETED: on_deleted,
    ev.POST_RESTORED: on_restored,
    ev.POST_MOVED: on_moved,
    ev.CONVERSATION_MESSAGE: on_message,
    ev.MODERATION_ACTION: on_moderation,
    ev.MEMBER_WARNED: on_warning,
}


def _concerning(member_ids: set[int]) -> Q:
    """Events that can alert these members: those naming them, posts in what they watch,
    and the kinds whose recipients are found elsewhere (conversations, reports)."""
    from parley.engagement.models import ForumWatch, ThreadWatch

    threads = ThreadWatch.objects.filter(member_id__in=member_ids).values("thread_id")
    forums = ForumWatch.objects.filter(member_id__in=member_ids).values("forum_id")
    published = Q(kind__in=[ev.POST_CREATED, ev.POST_APPROVED])
    return (
        Q(member_id__in=member_ids)
        | (published & (Q(thread_id__in=threads) | Q(forum_id__in=forums)))
        | Q(kind__in=[ev.CONVERSATION_MESSAGE, ev.MODERATION_ACTION])
    )


def rebuild(*, since: Any = None, only: set[int] | None = None, events: Any = None) -> int:
    """The repairer: replay the events (oldest first) without mail or push and without
    queuing, writing whatever alerts are missing. Alerts already there are left as they
    are (read or not). Watchers are today's watchers. `events` narrows the replay (the
    demo)."""
    mode = Mode(notify=False, background=False, only=frozenset(only) if only else None)
    events = (Event.objects.all() if events is None else events).filter(kind__in=KINDS)
    events = events.order_by("pk")
    if since is not None:
        events = events.filter(created_at__gte=since)
    if only:
        events = events.filter(_concerning(set(only)))
    n = 0
    for event in events.iterator(chunk_size=500):
        handle(event, mode)
        n += 1
    return n
