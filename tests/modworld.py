"""A small community for permission and moderation tests: every kind of forum, thread and
post state the Guardian distinguishes, and the eight personas of the permission matrix.

Everything is written through the services (counters are the real ones); only states that
need a moderator are set with a moderator's service call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from parley.forums import moderation as forum_moderation
from parley.forums.models import Forum, Post, Thread, Visibility
from parley.members.models import Member
from parley.moderation import reports
from parley.moderation.models import ReportCase, ReportReason
from parley.permissions.models import ALL_POWERS, ForumModerator, Grant, Group
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

PERSONAS = (
    "guest",
    "newcomer",
    "member",
    "banned",
    "mod_here",
    "mod_other",
    "supermod",
    "admin",
)


def make_forum_moderator(member: Member, forum: Forum, powers: Any = None) -> ForumModerator:
    return ForumModerator.objects.create(
        forum=forum, member=member, powers=sorted(powers if powers is not None else ALL_POWERS)
    )


def make_super_moderator(member: Member) -> Member:
    Group.objects.get(key=Group.MODERATORS).members.add(member)
    return member


@dataclass
class World:
    people: dict[str, Member | None] = field(default_factory=dict)
    forum: Forum = None  # type: ignore[assignment]
    other_forum: Forum = None  # type: ignore[assignment]
    staff_forum: Forum = None  # type: ignore[assignment]
    members_forum: Forum = None  # type: ignore[assignment]
    muted_forum: Forum = None  # type: ignore[assignment]
    author: Member = None  # type: ignore[assignment]
    thread: Thread = None  # type: ignore[assignment]
    second_thread: Thread = None  # type: ignore[assignment]
    reply: Post = None  # type: ignore[assignment]
    deleted: Post = None  # type: ignore[assignment]
    pending: Post = None  # type: ignore[assignment]
    locked: Thread = None  # type: ignore[assignment]
    locked_own: Post = None  # type: ignore[assignment]
    staff_thread: Thread = None  # type: ignore[assignment]
    members_thread: Thread = None  # type: ignore[assignment]
    muted_thread: Thread = None  # type: ignore[assignment]
    case: ReportCase = None  # type: ignore[assignment]

    def client(self, persona: str) -> Client:
        client = Client()
        user = self.people[persona]
        if user is not None:
            client.force_login(user)
        return client

    def first_post(self) -> Post:
        return Post.objects.get(pk=self.thread.first_post_id)


def build_world() -> World:
    w = World()
    admin = MemberFactory(username="root", is_superuser=True)
    supermod = make_super_moderator(MemberFactory(username="supermod"))
    member = MemberFactory(username="member")
    w.people = {
        "guest": None,
        "newcomer": MemberFactory(username="newcomer"),
        "member": member,
        "banned": MemberFactory(username="troll", is_banned=True, ban_reason="Flame wars"),
        "mod_here": MemberFactory(username="modhere"),
        "mod_other": MemberFactory(username="modother"),
        "supermod": supermod,
        "admin": admin,
    }
    w.forum = ForumFactory(title="Middle East")
    w.other_forum = ForumFactory(title="Europe")
    w.staff_forum = ForumFactory(title="Staff room", visibility=Visibility.STAFF)
    w.members_forum = ForumFactory(title="Members lounge", visibility=Visibility.MEMBERS)
    w.muted_forum = ForumFactory(title="Read only for the muted")
    make_forum_moderator(w.people["mod_here"], w.forum)  # type: ignore[arg-type]
    make_forum_moderator(w.people["mod_other"], w.other_forum)  # type: ignore[arg-type]
    muted = Group.objects.create(name="Muted")
    muted.members.add(member)
    Grant.objects.create(group=muted, forum=w.muted_forum, permission="reply", value="never")

    w.author = MemberFactory(username="author")
    replier = MemberFactory(username="replier")
    w.thread = make_thread(w.forum, w.author, title="Water talks stall", body="Opening post")
    w.second_thread = make_thread(w.forum, replier, title="Second thread", body="Other opening")
    w.reply = make_reply(w.thread, replier, "A visible reply")
    w.deleted = make_reply(w.thread, replier, "Removed words")
    forum_moderation.soft_delete_post(actor=admin, post=w.deleted, reason="Off-topic")
    moderated = MemberFactory(username="moderated", needs_approval=True)
    w.pending = make_reply(w.thread, moderated, "Waiting words")
    w.locked = make_thread(w.forum, w.author, title="Locked thread", body="Locked opening")
    w.locked_own = make_reply(w.locked, member, "My reply before the lock")
    forum_moderation.set_thread_flags(actor=admin, thread=w.locked, locked=True)
    w.staff_thread = make_thread(w.staff_forum, admin, title="Staff only talk")
    w.members_thread = make_thread(w.members_forum, w.author, title="Members talk")
    w.muted_thread = make_thread(w.muted_forum, w.author, title="Muted talk")
    w.case = reports.file_report(
        reporter=replier, post=w.first_post(), reason=ReportReason.objects.first()
    )
    for obj in (w.thread, w.locked):
        obj.refresh_from_db()
    return w
