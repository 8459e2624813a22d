"""The moderator log: every action writes one entry naming actor, action, target and reason;
the log page filters by moderator, member, forum and action; entries never change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.moderation import bans, content, reports, warnings
from parley.moderation.models import AuditEntry, WarningType
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.modworld import make_super_moderator

pytestmark = pytest.mark.django_db
WHY = "because the rules say so"


class Scene:
    """A thread by `author` with one reply by `replier`, a pending reply, and a super
    moderator and an administrator to act."""

    def __init__(self) -> None:
        self.admin = MemberFactory(username="root", is_superuser=True)
        self.mod = make_super_moderator(MemberFactory(username="supermod"))
        self.author = MemberFactory(username="author")
        self.replier = MemberFactory(username="replier")
        self.forum = ForumFactory(title="Home")
        self.elsewhere = ForumFactory(title="Away")
        self.thread = make_thread(self.forum, self.author, title="Audited")
        self.reply = make_reply(self.thread, self.replier, "a reply")
        self.pending = make_reply(self.thread, MemberFactory(username="quiet", needs_approval=True))

    def post(self, pk: int) -> Post:
        return Post.objects.select_related("thread__forum", "author").get(pk=pk)

    def fresh_thread(self, pk: int | None = None) -> Thread:
        return Thread.objects.select_related("forum").get(pk=pk or self.thread.pk)


def _delete_then(s: Scene, then: Callable[[], Any]) -> None:
    content.delete_posts(actor=s.mod, posts=[s.post(s.reply.pk)])
    then()


# action -> (run it, expected target type, target id, reason written, forum id, member id)
ACTIONS: dict[str, Callable[[Scene], tuple[str, int, str, int | None, int | None]]] = {
    "post.delete": lambda s: (
        content.delete_posts(actor=s.mod, posts=[s.post(s.reply.pk)], reason=WHY),
        ("post", s.reply.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "post.restore": lambda s: (
        _delete_then(s, lambda: content.restore_posts(actor=s.mod, posts=[s.post(s.reply.pk)])),
        ("post", s.reply.pk, "", s.forum.pk, s.replier.pk),
    )[1],
    "post.approve": lambda s: (
        content.approve_posts(actor=s.mod, posts=[s.post(s.pending.pk)]),
        ("post", s.pending.pk, "", s.forum.pk, s.pending.author_id),
    )[1],
    "post.reject": lambda s: (
        content.reject_posts(actor=s.mod, posts=[s.post(s.pending.pk)], reason=WHY),
        ("post", s.pending.pk, WHY, s.forum.pk, s.pending.author_id),
    )[1],
    "post.hard_delete": lambda s: (
        content.hard_delete_post(actor=s.admin, post=s.post(s.reply.pk), reason=WHY),
        ("post", s.reply.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "post.edit": lambda s: (
        content.edit_post_as_moderator(
            actor=s.mod, post=s.post(s.reply.pk), source="new", fmt="bbcode", reason=WHY
        ),
        ("post", s.reply.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "thread.delete": lambda s: (
        content.delete_threads(actor=s.mod, threads=[s.fresh_thread()], reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[1],
    "thread.restore": lambda s: (
        content.delete_threads(actor=s.mod, threads=[s.fresh_thread()]),
        content.restore_threads(actor=s.mod, threads=[s.fresh_thread()]),
        ("thread", s.thread.pk, "", s.forum.pk, s.author.pk),
    )[2],
    "thread.hard_delete": lambda s: (
        content.hard_delete_thread(actor=s.admin, thread=s.fresh_thread(), reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[1],
    "thread.lock": lambda s: (
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], locked=True, reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[1],
    "thread.unlock": lambda s: (
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], locked=True),
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], locked=False, reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[2],
    "thread.stick": lambda s: (
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], sticky=True, reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[1],
    "thread.unstick": lambda s: (
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], sticky=True),
        content.set_flags(actor=s.mod, threads=[s.fresh_thread()], sticky=False, reason=WHY),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[2],
    "thread.move": lambda s: (
        content.move_threads(
            actor=s.mod, threads=[s.fresh_thread()], forum=s.elsewhere, reason=WHY
        ),
        ("thread", s.thread.pk, WHY, s.elsewhere.pk, s.author.pk),
    )[1],
    "thread.merge": lambda s: (
        content.merge_threads(
            actor=s.mod,
            target=s.fresh_thread(),
            sources=[s.fresh_thread(make_thread(s.forum, s.replier, title="Dup").pk)],
            reason=WHY,
        ),
        ("thread", s.thread.pk, WHY, s.forum.pk, s.author.pk),
    )[1],
    "thread.split": lambda s: (
        content.split_posts(
            actor=s.mod, posts=[s.post(s.reply.pk)], forum=s.forum, title="Split", reason=WHY
        ),
        ("thread", Thread.objects.latest("id").pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "posts.move": lambda s: (
        content.move_posts(
            actor=s.mod,
            posts=[s.post(s.reply.pk)],
            target=s.fresh_thread(make_thread(s.forum, s.admin, title="Target").pk),
            reason=WHY,
        ),
        ("thread", Thread.objects.get(title="Target").pk, WHY, s.forum.pk, s.admin.pk),
    )[1],
    "report.assign": lambda s: (
        reports.assign_case(
            actor=s.mod,
            assignee=s.mod,
            case=reports.file_report(
                reporter=s.author, post=s.post(s.reply.pk), reason=None, text="x"
            ),
        ),
        ("post", s.reply.pk, "", s.forum.pk, s.replier.pk),
    )[1],
    "report.resolved": lambda s: (
        reports.close_case(
            actor=s.mod,
            resolved=True,
            note=WHY,
            case=reports.file_report(
                reporter=s.author, post=s.post(s.reply.pk), reason=None, text="x"
            ),
        ),
        ("post", s.reply.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "report.rejected": lambda s: (
        reports.close_case(
            actor=s.mod,
            resolved=False,
            note=WHY,
            case=reports.file_report(
                reporter=s.author, post=s.post(s.reply.pk), reason=None, text="x"
            ),
        ),
        ("post", s.reply.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "member.warn": lambda s: (
        warnings.warn_member(
            actor=s.mod,
            member=s.replier,
            post=s.post(s.reply.pk),
            warning_type=WarningType.objects.first(),
            reason=WHY,
        ),
        ("member", s.replier.pk, WHY, s.forum.pk, s.replier.pk),
    )[1],
    "member.warning_revoke": lambda s: (
        warnings.revoke_warning(
            actor=s.mod,
            warning=warnings.warn_member(
                actor=s.mod,
                member=s.replier,
                post=s.post(s.reply.pk),
                warning_type=WarningType.objects.first(),
            ),
        ),
        ("member", s.replier.pk, "", None, s.replier.pk),
    )[1],
    "member.ban": lambda s: (
        bans.ban_member(
            actor=s.mod, member=s.replier, reason=WHY, until=timezone.now() + timedelta(days=2)
        ),
        ("member", s.replier.pk, WHY, None, s.replier.pk),
    )[1],
    "member.unban": lambda s: (
        bans.ban_member(actor=s.mod, member=s.replier, reason="x"),
        bans.lift_ban(actor=s.mod, member=s.replier, reason=WHY),
        ("member", s.replier.pk, WHY, None, s.replier.pk),
    )[2],
    "member.moderated": lambda s: (
        bans.set_needs_approval(actor=s.mod, member=s.replier, value=True),
        ("member", s.replier.pk, "", None, s.replier.pk),
    )[1],
    "member.unmoderated": lambda s: (
        bans.set_needs_approval(actor=s.mod, member=s.replier, value=False),
        ("member", s.replier.pk, "", None, s.replier.pk),
    )[1],
    "member.spam_clean": lambda s: (
        bans.clean_spammer(actor=s.mod, member=s.replier),
        ("member", s.replier.pk, "Spam", None, s.replier.pk),
    )[1],
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_writes_one_entry_with_actor_target_and_reason(action: str) -> None:
    scene = Scene()
    target_type, target_id, reason, forum_id, member_id = ACTIONS[action](scene)
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1
    entry = entries[0]
    actor = scene.admin if "hard_delete" in action else scene.mod
    assert entry.actor_id == actor.pk
    assert (entry.target_type, entry.target_id) == (target_type, target_id)
    assert entry.reason == reason
    assert entry.forum_id == forum_id
    assert entry.member_id == member_id
    assert entry.target_label


def test_a_refused_action_writes_nothing() -> None:
    scene = Scene()
    with pytest.raises(PermissionDenied):
        content.hard_delete_post(actor=scene.mod, post=scene.post(scene.reply.pk), reason=WHY)
    assert not AuditEntry.objects.exists()


def test_saving_an_existing_entry_raises() -> None:
    scene = Scene()
    content.delete_posts(actor=scene.mod, posts=[scene.post(scene.reply.pk)], reason=WHY)
    entry = AuditEntry.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(RuntimeError):
        entry.save()
    assert AuditEntry.objects.get().reason == WHY


def test_deleting_an_entry_raises() -> None:
    scene = Scene()
    content.delete_posts(actor=scene.mod, posts=[scene.post(scene.reply.pk)], reason=WHY)
    entry = AuditEntry.objects.get()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.count() == 1


# --- the log page -------------------------------------------------------------------------------


@pytest.fixture
def logged() -> dict[str, Any]:
    """Two moderators acting on two members' posts in two forums."""
    scene = Scene()
    other_mod = make_super_moderator(MemberFactory(username="othermod"))
    far = make_thread(scene.elsewhere, scene.author, title="Far thread")
    content.set_flags(actor=scene.mod, threads=[scene.fresh_thread()], locked=True, reason="heat")
    content.delete_posts(actor=scene.mod, posts=[scene.post(scene.reply.pk)], reason="rude")
    content.set_flags(
        actor=other_mod, threads=[scene.fresh_thread(far.pk)], sticky=True, reason="useful"
    )
    return {"scene": scene, "other_mod": other_mod, "far": far}


def _rows(client: Any, query: str) -> list[str]:
    response = client.get(f"/moderation/log/{query}")
    assert response.status_code == 200
    body = response.content.decode()
    return [
        a
        for a in ("thread.lock", "post.delete", "thread.stick")
        if f'<td class="action" data-label="Action">{a}</td>' in body
    ]


def test_log_lists_every_entry_for_a_super_moderator(logged: dict[str, Any]) -> None:
    assert _rows(client_for(logged["scene"].mod), "") == [
        "thread.lock",
        "post.delete",
        "thread.stick",
    ]


def test_log_filters_by_moderator(logged: dict[str, Any]) -> None:
    assert _rows(client_for(logged["scene"].mod), "?moderator=othermod") == ["thread.stick"]


def test_log_filters_by_member(logged: dict[str, Any]) -> None:
    assert _rows(client_for(logged["scene"].mod), "?member=replier") == ["post.delete"]


def test_log_filters_by_forum(logged: dict[str, Any]) -> None:
    forum: Forum = logged["scene"].elsewhere
    assert _rows(client_for(logged["scene"].mod), f"?forum={forum.pk}") == ["thread.stick"]


def test_log_filters_by_action(logged: dict[str, Any]) -> None:
    assert _rows(client_for(logged["scene"].mod), "?action=thread.lock") == ["thread.lock"]


def test_log_ignores_a_non_ascii_forum_filter(logged: dict[str, Any]) -> None:
    assert len(_rows(client_for(logged["scene"].mod), "?forum=²")) == 3


def test_forum_moderator_reads_only_the_log_of_their_forums(logged: dict[str, Any]) -> None:
    from tests.modworld import make_forum_moderator

    local = MemberFactory()
    make_forum_moderator(local, logged["scene"].elsewhere, ["lock"])
    assert _rows(client_for(Member.objects.get(pk=local.pk)), "") == ["thread.stick"]
