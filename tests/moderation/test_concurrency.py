"""Replies racing moderators who move and merge the very threads being replied to, on real
connections (SQLite in WAL mode, or PostgreSQL). Afterwards every counter must be exact."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections
from django.http import Http404

from parley.forums import moderation as fm
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.forums.test_concurrency import run_together
from tests.modworld import make_super_moderator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

REPLIERS = 4
ROUNDS = 10


def _reply_loop(member: Member, thread_ids: list[int], made: list[int], index: int) -> None:
    close_old_connections()
    me = Member.objects.get(pk=member.pk)
    for round_ in range(ROUNDS):
        for thread_id in thread_ids:
            thread = Thread.objects.select_related("forum").filter(pk=thread_id).first()
            if thread is None:
                continue  # merged away
            try:
                services.reply_to_thread(
                    author=me, thread=thread, source=f"{index}/{round_}", fmt="bbcode"
                )
            except (services.NotAccepted, Thread.DoesNotExist, PermissionDenied, Http404):
                continue  # merged or deleted between our read and our lock
            made[index] += 1


def test_replies_racing_moves_leave_exact_counters() -> None:
    here, there = ForumFactory(), ForumFactory()
    mod = make_super_moderator(MemberFactory())
    members = [MemberFactory() for _ in range(REPLIERS)]
    thread = make_thread(here, members[0], title="Moving target")
    made = [0] * REPLIERS

    def mover() -> None:
        close_old_connections()
        me = Member.objects.get(pk=mod.pk)
        for i in range(ROUNDS):
            current = Thread.objects.select_related("forum").get(pk=thread.pk)
            target = there if current.forum_id == here.pk else here
            fm.move_thread(actor=me, thread=current, forum=target, leave_redirect=i % 2 == 0)

    jobs = [lambda i=i: _reply_loop(members[i], [thread.pk], made, i) for i in range(REPLIERS)]
    errors = run_together([*jobs, mover])
    assert errors == []
    assert recount_all() == []
    final = Thread.objects.get(pk=thread.pk)
    assert final.reply_count == sum(made) == REPLIERS * ROUNDS
    assert Forum.objects.get(pk=final.forum_id).post_count == 1 + sum(made)


def test_replies_racing_a_merge_leave_exact_counters() -> None:
    forum_a, forum_b = ForumFactory(), ForumFactory()
    mod = make_super_moderator(MemberFactory())
    members = [MemberFactory() for _ in range(REPLIERS)]
    target = make_thread(forum_a, members[0], title="Target")
    sources = [make_thread(forum_b, members[i % REPLIERS], title=f"Source {i}") for i in range(3)]
    for source in sources:
        make_reply(source, members[1])
    made = [0] * REPLIERS
    ids = [target.pk, *[s.pk for s in sources]]

    def merger() -> None:
        close_old_connections()
        me = Member.objects.get(pk=mod.pk)
        for source in sources:
            fresh_target = Thread.objects.select_related("forum").get(pk=target.pk)
            fresh_source = Thread.objects.select_related("forum").get(pk=source.pk)
            fm.merge_threads(
                actor=me, target=fresh_target, sources=[fresh_source], leave_redirect=True
            )

    jobs = [lambda i=i: _reply_loop(members[i], ids, made, i) for i in range(REPLIERS)]
    errors = run_together([*jobs, merger])
    assert errors == []
    assert recount_all() == []
    assert not Thread.objects.filter(pk__in=[s.pk for s in sources]).exists()
    final = Thread.objects.get(pk=target.pk)
    total_posts = 1 + 3 * 2 + sum(made)
    assert Post.objects.filter(thread=final).count() == total_posts
    assert final.reply_count == total_posts - 1
    assert Forum.objects.get(pk=forum_b.pk).post_count == 0


def test_reporters_racing_to_open_a_case_share_one() -> None:
    from parley.moderation import reports
    from parley.moderation.models import Report, ReportCase

    thread = make_thread(ForumFactory(), MemberFactory())
    post = Post.objects.select_related("thread__forum").get(pk=thread.first_post_id)
    reporters = [MemberFactory() for _ in range(REPLIERS)]

    def report(member: Member) -> None:
        close_old_connections()
        me = Member.objects.get(pk=member.pk)
        reports.file_report(reporter=me, post=post, reason=None, text=f"from {me.username}")

    errors = run_together([lambda m=m: report(m) for m in reporters])
    assert errors == []
    case = ReportCase.objects.get()
    assert case.report_count == Report.objects.filter(case=case).count() == REPLIERS


def test_replies_racing_a_thread_deletion_leave_exact_counters() -> None:
    forum = ForumFactory()
    mod = make_super_moderator(MemberFactory())
    members = [MemberFactory() for _ in range(REPLIERS)]
    thread = make_thread(forum, members[0], title="Doomed")
    made = [0] * REPLIERS

    def deleter() -> None:
        close_old_connections()
        me = Member.objects.get(pk=mod.pk)
        fm.soft_delete_thread(
            actor=me, thread=Thread.objects.select_related("forum").get(pk=thread.pk)
        )

    jobs = [lambda i=i: _reply_loop(members[i], [thread.pk], made, i) for i in range(REPLIERS)]
    errors = run_together([*jobs, deleter])
    assert errors == []
    assert recount_all() == []
    assert Forum.objects.get(pk=forum.pk).post_count == 0
    assert all(Member.objects.get(pk=m.pk).message_count == 0 for m in members)
