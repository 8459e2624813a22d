"""Every moderation service, branch by branch. After each action every counter is exact
(`recount_all()` finds nothing to correct), plus spot checks of the counters it moved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from parley.forums import moderation as fm
from parley.forums import services
from parley.forums.models import Forum, Post, PostRevision, Reaction, State, Thread, ThreadRedirect
from parley.forums.recount import recount_all
from parley.members.models import Member
from parley.moderation import bans, content, reports, warnings
from parley.moderation.models import (
    AuditEntry,
    CaseState,
    ReportCase,
    ReportReason,
    Warning,
    WarningType,
)
from parley.permissions.guardian import Guardian
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction
from tests.modworld import make_forum_moderator, make_super_moderator

pytestmark = pytest.mark.django_db


def exact() -> None:
    assert recount_all() == []


@pytest.fixture(autouse=True)
def counters_exact_at_the_end() -> Iterator[None]:
    """Whatever a test did, refused actions included, every counter is exact afterwards."""
    yield
    exact()


def reload(obj):  # type: ignore[no-untyped-def]
    return type(obj).objects.get(pk=obj.pk)


def post_of(pk: int) -> Post:
    return Post.objects.select_related("thread__forum", "author").get(pk=pk)


@pytest.fixture
def supermod(db) -> Member:
    return make_super_moderator(MemberFactory(username="supermod"))


@pytest.fixture
def fmod(forum: Forum) -> Member:
    """A moderator of `forum` with every power."""
    mod = MemberFactory(username="fmod")
    make_forum_moderator(mod, forum)
    return mod


@pytest.fixture
def busy(forum: Forum, member: Member, other: Member) -> Thread:
    """alice's thread with two replies by bob; bob's first reply is liked by alice."""
    thread = make_thread(forum, member, title="Busy")
    first = make_reply(thread, other, "reply one")
    make_reply(thread, other, "reply two")
    services.react_to_post(member=member, post=first, reaction_type=reaction("Like"))
    return reload(thread)


def replies(thread: Thread) -> list[Post]:
    return list(Post.objects.filter(thread=thread).exclude(pk=thread.first_post_id).order_by("id"))


# --- soft delete and restore ----------------------------------------------------------------


def test_deleting_a_reply_uncounts_it_and_restoring_counts_it_again(
    busy: Thread, forum: Forum, other: Member, fmod: Member
) -> None:
    one, two = replies(busy)
    content.delete_posts(actor=fmod, posts=[post_of(two.pk)], reason="noise")
    exact()
    thread, forum_now, bob = reload(busy), reload(forum), reload(other)
    assert (thread.reply_count, thread.last_post_id) == (1, one.pk)
    assert (forum_now.post_count, forum_now.last_post_id) == (2, one.pk)
    assert bob.message_count == 1
    assert post_of(two.pk).delete_reason == "noise"
    content.restore_posts(actor=fmod, posts=[post_of(two.pk)])
    exact()
    assert reload(busy).reply_count == 2 and reload(forum).last_post_id == two.pk
    assert reload(other).message_count == 2


def test_deleting_a_reacted_post_takes_its_score_and_restoring_gives_it_back(
    busy: Thread, other: Member, fmod: Member
) -> None:
    one = replies(busy)[0]
    assert reload(other).reaction_score == 1
    content.delete_posts(actor=fmod, posts=[post_of(one.pk)])
    exact()
    assert reload(other).reaction_score == 0
    content.restore_posts(actor=fmod, posts=[post_of(one.pk)])
    exact()
    assert reload(other).reaction_score == 1


def test_deleting_the_first_post_deletes_the_thread_and_every_count(
    busy: Thread, forum: Forum, member: Member, other: Member, fmod: Member
) -> None:
    content.delete_posts(actor=fmod, posts=[post_of(busy.first_post_id)], reason="dup")
    exact()
    assert reload(busy).state == State.DELETED
    assert (reload(forum).thread_count, reload(forum).post_count) == (0, 0)
    assert reload(member).message_count == 0 and reload(other).message_count == 0
    assert reload(other).reaction_score == 0


def test_restoring_the_first_post_of_a_deleted_thread_restores_the_thread(
    busy: Thread, forum: Forum, other: Member, fmod: Member
) -> None:
    content.delete_posts(actor=fmod, posts=[post_of(busy.first_post_id)])
    content.restore_posts(actor=fmod, posts=[post_of(busy.first_post_id)])
    exact()
    assert reload(busy).state == State.VISIBLE
    assert (reload(forum).thread_count, reload(forum).post_count) == (1, 3)
    assert reload(other).reaction_score == 1


def test_author_deletes_own_thread_without_replies(forum: Forum, member: Member) -> None:
    thread = make_thread(forum, member)
    fm.soft_delete_post(actor=member, post=post_of(thread.first_post_id))
    exact()
    assert reload(thread).state == State.DELETED and reload(forum).thread_count == 0


def test_author_may_not_delete_own_thread_with_replies(
    busy: Thread, forum: Forum, member: Member
) -> None:
    with pytest.raises(PermissionDenied):
        fm.soft_delete_post(
            actor=Member.objects.get(pk=member.pk), post=post_of(busy.first_post_id)
        )
    assert reload(busy).state == State.VISIBLE and reload(forum).thread_count == 1
    exact()


def test_author_deletes_own_reply_and_the_placeholder_says_so(busy: Thread, other: Member) -> None:
    two = replies(busy)[1]
    fm.soft_delete_post(actor=other, post=post_of(two.pk))
    exact()
    body = client_for(MemberFactory()).get(f"/threads/{busy.pk}/").content.decode()
    assert "Deleted by its author" in body
    assert "reply two" not in body


def test_member_may_not_delete_someone_elses_post(busy: Thread, member: Member) -> None:
    with pytest.raises(PermissionDenied):
        fm.soft_delete_post(actor=member, post=post_of(replies(busy)[0].pk))
    assert post_of(replies(busy)[0].pk).state == State.VISIBLE


def test_deleted_post_shows_placeholder_to_readers_and_content_to_moderators(
    busy: Thread, fmod: Member
) -> None:
    two = replies(busy)[1]
    content.delete_posts(actor=fmod, posts=[post_of(two.pk)], reason="rude")
    reader = client_for(MemberFactory()).get(f"/threads/{busy.pk}/").content.decode()
    assert "Deleted by a moderator: rude" in reader and "reply two" not in reader
    staff = client_for(fmod).get(f"/threads/{busy.pk}/").content.decode()
    assert "Show deleted content" in staff and "reply two" in staff


def test_restoring_needs_the_delete_power(busy: Thread, forum: Forum, fmod: Member) -> None:
    two = replies(busy)[1]
    content.delete_posts(actor=fmod, posts=[post_of(two.pk)])
    locker = MemberFactory()
    make_forum_moderator(locker, forum, ["lock"])
    with pytest.raises(PermissionDenied):
        fm.restore_post(actor=locker, post=post_of(two.pk))
    assert post_of(two.pk).state == State.DELETED


def test_deleting_and_restoring_a_thread(busy: Thread, forum: Forum, fmod: Member) -> None:
    content.delete_threads(actor=fmod, threads=[reload(busy)], reason="gone")
    exact()
    assert reload(forum).post_count == 0
    content.restore_threads(actor=fmod, threads=[reload(busy)])
    exact()
    assert reload(forum).post_count == 3 and reload(busy).reply_count == 2


# --- approval --------------------------------------------------------------------------------


def test_pending_reply_counts_nothing_until_approved(
    busy: Thread, forum: Forum, fmod: Member
) -> None:
    quiet = MemberFactory(needs_approval=True)
    post = make_reply(reload(busy), quiet, "wait for me")
    assert post.state == State.PENDING
    exact()
    assert reload(busy).reply_count == 2 and reload(quiet).message_count == 0
    content.approve_posts(actor=fmod, posts=[post_of(post.pk)])
    exact()
    assert reload(busy).reply_count == 3 and reload(quiet).message_count == 1
    assert reload(forum).last_post_id == post.pk


def test_rejecting_a_pending_reply_deletes_it(busy: Thread, fmod: Member) -> None:
    quiet = MemberFactory(needs_approval=True)
    post = make_reply(reload(busy), quiet)
    content.reject_posts(actor=fmod, posts=[post_of(post.pk)], reason="spam")
    exact()
    assert post_of(post.pk).state == State.DELETED and reload(quiet).message_count == 0


def test_approving_a_pending_thread_publishes_it(forum: Forum, fmod: Member) -> None:
    quiet = MemberFactory(needs_approval=True)
    thread = make_thread(forum, quiet)
    assert thread.state == State.PENDING and reload(forum).thread_count == 0
    content.approve_posts(actor=fmod, posts=[post_of(thread.first_post_id)])
    exact()
    assert reload(thread).state == State.VISIBLE
    assert (reload(forum).thread_count, reload(forum).post_count) == (1, 1)


def test_rejecting_a_pending_thread_deletes_it(forum: Forum, fmod: Member) -> None:
    quiet = MemberFactory(needs_approval=True)
    thread = make_thread(forum, quiet)
    content.reject_posts(actor=fmod, posts=[post_of(thread.first_post_id)])
    exact()
    assert reload(thread).state == State.DELETED


def test_approving_needs_the_approve_power(forum: Forum, busy: Thread) -> None:
    post = make_reply(reload(busy), MemberFactory(needs_approval=True))
    deleter = MemberFactory()
    make_forum_moderator(deleter, forum, ["delete"])
    with pytest.raises(PermissionDenied):
        fm.approve_post(actor=deleter, post=post_of(post.pk))
    assert post_of(post.pk).state == State.PENDING


# --- hard delete ------------------------------------------------------------------------------


def test_hard_delete_is_for_administrators_only(busy: Thread, supermod: Member) -> None:
    with pytest.raises(PermissionDenied):
        content.hard_delete_post(actor=supermod, post=post_of(replies(busy)[0].pk))
    assert Post.objects.filter(thread=busy).count() == 3
    assert not AuditEntry.objects.filter(action="post.hard_delete").exists()


def test_hard_deleting_a_reacted_reported_post_removes_it_and_its_score(
    busy: Thread, admin: Member, other: Member, forum: Forum, member: Member
) -> None:
    one = replies(busy)[0]
    reports.file_report(reporter=member, post=post_of(one.pk), reason=None, text="bad")
    content.hard_delete_post(actor=admin, post=post_of(one.pk), reason="illegal")
    exact()
    assert not Post.objects.filter(pk=one.pk).exists()
    assert not Reaction.objects.filter(post_id=one.pk).exists()
    assert reload(other).reaction_score == 0 and reload(other).message_count == 1
    assert reload(busy).reply_count == 1 and reload(forum).post_count == 2


def test_hard_deleting_a_thread_removes_it_and_its_posts(
    busy: Thread, admin: Member, forum: Forum, other: Member
) -> None:
    content.hard_delete_thread(actor=admin, thread=reload(busy), reason="illegal")
    exact()
    assert not Thread.objects.filter(pk=busy.pk).exists()
    assert not Post.objects.filter(thread_id=busy.pk).exists()
    assert (reload(forum).thread_count, reload(forum).post_count, reload(forum).last_post_id) == (
        0,
        0,
        None,
    )
    assert reload(other).message_count == 0


# --- lock and stick ---------------------------------------------------------------------------


def test_locked_thread_refuses_members_and_takes_moderator_replies(
    busy: Thread, other: Member, fmod: Member
) -> None:
    content.set_flags(actor=fmod, threads=[reload(busy)], locked=True)
    assert reload(busy).is_locked
    with pytest.raises(PermissionDenied):
        make_reply(reload(busy), Member.objects.get(pk=other.pk))
    own = post_of(replies(busy)[0].pk)
    assert not Guardian(Member.objects.get(pk=other.pk)).can_edit_post(own)
    make_reply(reload(busy), fmod, "moderator note")
    exact()
    content.set_flags(actor=fmod, threads=[reload(busy)], locked=False)
    make_reply(reload(busy), Member.objects.get(pk=other.pk), "open again")
    exact()


def test_stick_and_unstick(busy: Thread, fmod: Member) -> None:
    content.set_flags(actor=fmod, threads=[reload(busy)], sticky=True)
    assert reload(busy).is_sticky
    content.set_flags(actor=fmod, threads=[reload(busy)], sticky=False)
    assert not reload(busy).is_sticky
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "thread.stick",
        "thread.unstick",
    ]


def test_locking_needs_the_lock_power(busy: Thread, forum: Forum) -> None:
    deleter = MemberFactory()
    make_forum_moderator(deleter, forum, ["delete"])
    with pytest.raises(PermissionDenied):
        content.set_flags(actor=deleter, threads=[reload(busy)], locked=True)
    assert not reload(busy).is_locked


# --- move, merge, split ----------------------------------------------------------------------


def test_move_without_notice_shifts_every_forum_count(
    busy: Thread, forum: Forum, supermod: Member
) -> None:
    target = ForumFactory()
    content.move_threads(actor=supermod, threads=[reload(busy)], forum=target)
    exact()
    assert reload(busy).forum_id == target.pk
    assert (reload(forum).thread_count, reload(forum).post_count) == (0, 0)
    assert (reload(target).thread_count, reload(target).post_count) == (1, 3)
    assert not ThreadRedirect.objects.exists()


def test_move_with_notice_leaves_it_in_the_old_forum(
    busy: Thread, forum: Forum, supermod: Member
) -> None:
    target = ForumFactory(title="Elsewhere")
    content.move_threads(actor=supermod, threads=[reload(busy)], forum=target, leave_redirect=True)
    exact()
    assert ThreadRedirect.objects.filter(forum=forum, thread=busy).exists()
    page = client_for(None).get(f"/forums/{forum.pk}/").content.decode()
    assert "Moved:" in page and "now in Elsewhere" in page


def test_move_notice_does_not_reveal_a_thread_moved_into_a_hidden_forum(
    busy: Thread, forum: Forum, supermod: Member, staff_forum: Forum
) -> None:
    content.move_threads(
        actor=supermod, threads=[reload(busy)], forum=staff_forum, leave_redirect=True
    )
    page = client_for(None).get(f"/forums/{forum.pk}/").content.decode()
    assert "Busy" not in page and "Staff room" not in page
    staff_page = client_for(supermod).get(f"/forums/{forum.pk}/").content.decode()
    assert "now in Staff room" in staff_page


def test_moving_needs_the_move_power_in_both_forums(busy: Thread, fmod: Member) -> None:
    with pytest.raises(Http404):  # fmod moderates nothing in the target forum
        content.move_threads(actor=fmod, threads=[reload(busy)], forum=ForumFactory())
    assert reload(busy).forum_id == busy.forum_id


def test_merge_moves_every_post_and_removes_the_source(
    busy: Thread, forum: Forum, member: Member, supermod: Member
) -> None:
    other_forum = ForumFactory()
    source = make_thread(other_forum, MemberFactory(), title="Same story")
    make_reply(source, reload(member), "merged reply")
    target = content.merge_threads(
        actor=supermod, target=reload(busy), sources=[reload(source)], leave_redirect=True
    )
    exact()
    assert not Thread.objects.filter(pk=source.pk).exists()
    assert target.reply_count == 4 and target.first_post_id == busy.first_post_id
    assert (reload(other_forum).thread_count, reload(other_forum).post_count) == (0, 0)
    assert reload(forum).post_count == 5
    assert ThreadRedirect.objects.get(forum=other_forum).thread_id == busy.pk


def test_merge_needs_another_thread(busy: Thread, supermod: Member) -> None:
    with pytest.raises(ValidationError):
        content.merge_threads(actor=supermod, target=reload(busy), sources=[reload(busy)])


def test_split_starts_a_thread_from_the_chosen_posts(
    busy: Thread, other: Member, supermod: Member, forum: Forum
) -> None:
    elsewhere = ForumFactory()
    one, two = replies(busy)
    new = content.split_posts(
        actor=supermod, posts=[post_of(two.pk), post_of(one.pk)], forum=elsewhere, title="Split off"
    )
    exact()
    assert new.first_post_id == one.pk and new.author_id == other.pk and new.reply_count == 1
    assert reload(busy).reply_count == 0
    assert (reload(elsewhere).thread_count, reload(elsewhere).post_count) == (1, 2)
    assert reload(forum).post_count == 1


def test_split_refuses_a_bad_title_and_changes_nothing(busy: Thread, supermod: Member) -> None:
    with pytest.raises(ValidationError):
        content.split_posts(
            actor=supermod, posts=[post_of(replies(busy)[0].pk)], forum=ForumFactory(), title=" "
        )
    assert reload(busy).reply_count == 2
    exact()


def test_moving_posts_to_another_thread(busy: Thread, supermod: Member, forum: Forum) -> None:
    target = make_thread(forum, MemberFactory(), title="Target")
    one = replies(busy)[0]
    content.move_posts(actor=supermod, posts=[post_of(one.pk)], target=reload(target))
    exact()
    assert reload(target).reply_count == 1 and reload(busy).reply_count == 1


def test_moving_every_post_out_removes_the_source(
    supermod: Member, forum: Forum, member: Member
) -> None:
    source = make_thread(forum, member, title="Source")
    extra = make_reply(source, MemberFactory())
    target = make_thread(forum, MemberFactory(), title="Target")
    posts = [post_of(source.first_post_id), post_of(extra.pk)]
    content.move_posts(actor=supermod, posts=posts, target=reload(target))
    exact()
    assert not Thread.objects.filter(pk=source.pk).exists()
    assert reload(target).reply_count == 2 and reload(forum).thread_count == 1


def test_moving_posts_into_their_own_thread_is_refused(busy: Thread, supermod: Member) -> None:
    with pytest.raises(ValidationError):
        content.move_posts(
            actor=supermod, posts=[post_of(replies(busy)[0].pk)], target=reload(busy)
        )


# --- editing as a moderator --------------------------------------------------------------------


def test_moderator_edit_keeps_the_reason_in_history_and_the_log(busy: Thread, fmod: Member) -> None:
    one = replies(busy)[0]
    content.edit_post_as_moderator(
        actor=fmod, post=post_of(one.pk), source="cleaned", fmt="bbcode", reason="removed a slur"
    )
    revision = PostRevision.objects.get(post_id=one.pk)
    assert revision.reason == "removed a slur" and revision.editor_id == fmod.pk
    entry = AuditEntry.objects.get(action="post.edit")
    assert (entry.actor_id, entry.target_id, entry.reason) == (fmod.pk, one.pk, "removed a slur")
    history = client_for(fmod).get(f"/posts/{one.pk}/history/").content.decode()
    assert "Reason: removed a slur" in history
    exact()


def test_moderator_edit_through_the_edit_page_is_logged(busy: Thread, fmod: Member) -> None:
    one = replies(busy)[0]
    response = client_for(fmod).post(
        f"/posts/{one.pk}/edit/",
        {"source": "edited by staff", "format": "bbcode", "revision": "1", "reason": "tidy"},
    )
    assert response.status_code == 302
    assert PostRevision.objects.get(post_id=one.pk).reason == "tidy"
    entry = AuditEntry.objects.get(action="post.edit")
    assert (entry.actor_id, entry.target_id, entry.reason) == (fmod.pk, one.pk, "tidy")


def test_author_edit_is_not_a_staff_action(busy: Thread, other: Member) -> None:
    one = replies(busy)[0]
    response = client_for(other).post(
        f"/posts/{one.pk}/edit/", {"source": "my fix", "format": "bbcode", "revision": "1"}
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="post.edit").exists()


# --- reports -----------------------------------------------------------------------------------


def test_reports_on_one_post_gather_into_one_case(busy: Thread, member: Member) -> None:
    one = post_of(replies(busy)[0].pk)
    spam = ReportReason.objects.first()
    first = reports.file_report(reporter=member, post=one, reason=spam)
    second = reports.file_report(reporter=MemberFactory(), post=one, reason=None, text="also this")
    assert first.pk == second.pk and second.report_count == 2
    assert ReportCase.objects.count() == 1


def test_a_report_after_the_case_is_resolved_opens_a_new_case(
    busy: Thread, member: Member, fmod: Member
) -> None:
    one = post_of(replies(busy)[0].pk)
    case = reports.file_report(reporter=member, post=one, reason=None, text="bad")
    reports.close_case(actor=fmod, case=case, resolved=True, note="dealt with")
    again = reports.file_report(reporter=MemberFactory(), post=one, reason=None, text="again")
    assert again.pk != case.pk and again.report_count == 1
    assert reload(case).state == CaseState.RESOLVED


def test_closing_a_closed_case_is_refused(busy: Thread, member: Member, fmod: Member) -> None:
    case = reports.file_report(
        reporter=member, post=post_of(replies(busy)[0].pk), reason=None, text="x"
    )
    reports.close_case(actor=fmod, case=case, resolved=False)
    with pytest.raises(ValidationError):
        reports.close_case(actor=fmod, case=reload(case), resolved=True)


def test_report_needs_a_reason_or_words(busy: Thread, member: Member) -> None:
    with pytest.raises(ValidationError):
        reports.file_report(
            reporter=member, post=post_of(replies(busy)[0].pk), reason=None, text="  "
        )
    assert not ReportCase.objects.exists()


def test_reports_are_rate_limited_per_member(forum: Forum, member: Member, settings) -> None:
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "report": (2, 3600)}
    posts = [post_of(make_thread(forum, MemberFactory()).first_post_id) for _ in range(3)]
    for post in posts[:2]:
        reports.file_report(reporter=member, post=post, reason=None, text="x")
    with pytest.raises(reports.TooManyReports):
        reports.file_report(reporter=member, post=posts[2], reason=None, text="x")
    assert ReportCase.objects.count() == 2


def test_members_cannot_report_their_own_post(busy: Thread, other: Member) -> None:
    with pytest.raises(PermissionDenied):
        reports.file_report(
            reporter=other, post=post_of(replies(busy)[0].pk), reason=None, text="x"
        )


# --- warnings ----------------------------------------------------------------------------------


def wtype(title: str) -> WarningType:
    return WarningType.objects.get(title=title)


def test_warning_adds_points_and_a_public_notice(busy: Thread, other: Member, fmod: Member) -> None:
    one = post_of(replies(busy)[0].pk)
    warning = warnings.warn_member(
        actor=fmod,
        member=other,
        post=one,
        warning_type=wtype("Incivility"),
        reason="name-calling",
        public_notice="Keep it civil.",
    )
    assert warning.points == 2 and warning.expires_at is not None
    assert reload(other).warning_points == 2 and reload(other).warning_action == ""
    page = client_for(None).get(f"/threads/{busy.pk}/").content.decode()
    assert "Keep it civil." in page
    mine = client_for(other).get("/account/warnings/").content.decode()
    assert "Incivility" in mine


def test_threshold_action_applies_and_is_undone_when_the_points_expire(
    busy: Thread, other: Member, fmod: Member
) -> None:
    one = post_of(replies(busy)[0].pk)
    warnings.warn_member(actor=fmod, member=other, post=one, warning_type=wtype("Spam"))
    bob = reload(other)
    assert (bob.warning_points, bob.warning_action) == (5, "approval")
    assert make_reply(reload(busy), bob, "moderated now").state == State.PENDING
    Warning.objects.filter(member=other).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert warnings.expire_warnings() == 1
    bob = reload(other)
    assert (bob.warning_points, bob.warning_action, bob.warning_action_until) == (0, "", None)
    assert make_reply(reload(busy), bob, "free again").state == State.VISIBLE
    exact()


def test_points_drop_when_one_of_several_warnings_expires(
    busy: Thread, other: Member, fmod: Member
) -> None:
    one = post_of(replies(busy)[0].pk)
    warnings.warn_member(actor=fmod, member=other, post=one, warning_type=wtype("Incivility"))
    warnings.warn_member(
        actor=fmod, member=other, post=one, warning_type=wtype("Off-topic or low-effort posting")
    )
    assert reload(other).warning_points == 3
    Warning.objects.filter(member=other, points=2).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    warnings.expire_warnings()
    assert reload(other).warning_points == 1


def test_enough_points_ban_and_refuse_posting(
    busy: Thread, other: Member, supermod: Member
) -> None:
    one = post_of(replies(busy)[0].pk)
    for _ in range(3):
        warnings.warn_member(actor=supermod, member=other, post=one, warning_type=wtype("Spam"))
    bob = reload(other)
    assert (bob.warning_points, bob.warning_action) == (15, "ban")
    assert Guardian(bob).is_banned
    with pytest.raises(PermissionDenied):
        make_reply(reload(busy), bob)


def test_forum_moderator_cannot_warn_for_a_post_in_another_forum(
    other: Member, fmod: Member
) -> None:
    post = post_of(make_thread(ForumFactory(), other).first_post_id)
    with pytest.raises(PermissionDenied):
        warnings.warn_member(actor=fmod, member=other, post=post, warning_type=wtype("Spam"))
    assert not Warning.objects.exists()


def test_warning_must_name_the_posts_author(busy: Thread, member: Member, fmod: Member) -> None:
    with pytest.raises(ValidationError):
        warnings.warn_member(
            actor=fmod, member=member, post=post_of(replies(busy)[0].pk), warning_type=wtype("Spam")
        )


def test_revoking_a_warning_lifts_its_action(busy: Thread, other: Member, supermod: Member) -> None:
    one = post_of(replies(busy)[0].pk)
    warning = warnings.warn_member(
        actor=supermod, member=other, post=one, warning_type=wtype("Spam")
    )
    warnings.revoke_warning(actor=supermod, warning=warning)
    assert (reload(other).warning_points, reload(other).warning_action) == (0, "")


# --- bans --------------------------------------------------------------------------------------


def test_temporary_ban_refuses_posting_and_lapses_by_itself(
    busy: Thread, other: Member, supermod: Member
) -> None:
    bans.ban_member(
        actor=supermod, member=other, reason="cool off", until=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied, match="cool off"):
        make_reply(reload(busy), reload(other))
    Member.objects.filter(pk=other.pk).update(banned_until=timezone.now() - timedelta(seconds=1))
    assert make_reply(reload(busy), reload(other), "back").state == State.VISIBLE
    exact()


def test_permanent_ban_holds_until_lifted(busy: Thread, other: Member, supermod: Member) -> None:
    bans.ban_member(actor=supermod, member=other, reason="spam")
    bob = reload(other)
    assert bob.is_banned and bob.banned_until is None and Guardian(bob).is_banned
    bans.lift_ban(actor=supermod, member=bob)
    assert not Guardian(reload(other)).is_banned
    make_reply(reload(busy), reload(other), "thanks")


def test_banned_member_sees_the_reason_on_the_thread_and_is_refused_posting(
    busy: Thread, other: Member, supermod: Member
) -> None:
    bans.ban_member(actor=supermod, member=other, reason="repeated abuse")
    client = client_for(reload(other))
    page = client.get(f"/threads/{busy.pk}/").content.decode()
    assert "You are banned" in page and "repeated abuse" in page
    response = client.post(
        f"/threads/{busy.pk}/reply/", {"source": "let me in", "format": "bbcode"}
    )
    assert response.status_code == 403
    assert not Post.objects.filter(source="let me in").exists()


def test_ban_needs_a_reason_and_a_future_end(other: Member, supermod: Member) -> None:
    with pytest.raises(ValidationError):
        bans.ban_member(actor=supermod, member=other, reason=" ")
    with pytest.raises(ValidationError):
        bans.ban_member(
            actor=supermod, member=other, reason="x", until=timezone.now() - timedelta(days=1)
        )
    assert not reload(other).is_banned


def test_forum_moderators_cannot_ban(other: Member, fmod: Member) -> None:
    with pytest.raises(PermissionDenied):
        bans.ban_member(actor=fmod, member=other, reason="x")
    assert not reload(other).is_banned


def test_super_moderator_cannot_ban_staff(supermod: Member, fmod: Member) -> None:
    peer = make_super_moderator(MemberFactory())
    for staff in (peer, fmod):
        with pytest.raises(PermissionDenied):
            bans.ban_member(actor=supermod, member=staff, reason="coup")
        assert not reload(staff).is_banned


def test_administrator_can_ban_staff(admin: Member, supermod: Member) -> None:
    bans.ban_member(actor=admin, member=supermod, reason="rogue")
    assert reload(supermod).is_banned


def test_nobody_bans_themselves(admin: Member) -> None:
    with pytest.raises(ValidationError):
        bans.ban_member(actor=admin, member=admin, reason="oops")


# --- spam cleaner -----------------------------------------------------------------------------


def test_spam_cleaner_bans_and_deletes_everything_the_spammer_wrote(
    busy: Thread, forum: Forum, supermod: Member
) -> None:
    spammer = MemberFactory(username="spammer")
    own = make_thread(forum, spammer, title="Buy now")
    make_reply(own, MemberFactory(), "is this real?")
    make_reply(reload(busy), spammer, "cheap pills")
    services.react_to_post(
        member=MemberFactory(), post=post_of(own.first_post_id), reaction_type=reaction("Dislike")
    )
    n = bans.clean_spammer(actor=supermod, member=spammer)
    exact()
    assert n == 2
    s = reload(spammer)
    assert s.is_banned and s.banned_until is None and s.message_count == 0 and s.reaction_score == 0
    assert reload(own).state == State.DELETED
    reader = Guardian(MemberFactory())
    assert not reader.visible_posts(Post.objects.filter(author=spammer)).exists()
    assert reload(busy).reply_count == 2
    assert {"member.ban", "member.spam_clean"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
