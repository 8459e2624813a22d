"""Request tests for every moderation view: success, guest, wrong person, bad input (unknown
ids, non-ASCII digits, missing action), and exact query counts for the queue and the log.
(Who may open what is the permission matrix's job: tests/permissions/test_matrix.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parley.forums.models import Forum, Post, State, Thread, ThreadRedirect
from parley.forums.recount import recount_all
from parley.members.models import Member
from parley.moderation import content, reports
from parley.moderation.models import (
    AuditEntry,
    CaseState,
    ReportCase,
    ReportReason,
    Warning,
    WarningType,
)
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.modworld import make_forum_moderator, make_super_moderator

pytestmark = pytest.mark.django_db

NON_ASCII = "²"


def reload(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def fmod(forum: Forum) -> Member:
    mod = MemberFactory(username="fmod")
    make_forum_moderator(mod, forum)
    return mod


@pytest.fixture
def fmod_client(fmod: Member) -> Client:
    return client_for(fmod)


@pytest.fixture
def supermod(db) -> Member:
    return make_super_moderator(MemberFactory(username="supermod"))


@pytest.fixture
def reply(thread: Thread, other: Member) -> Post:
    return make_reply(thread, other, "a reply by bob")


def is_signin(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/signin/?next=")


def errors_of(client: Client) -> list[str]:
    """Messages shown on the next page."""
    response = client.get("/")
    return [str(m) for m in response.context["messages"]]


# --- queue and log --------------------------------------------------------------------------


def steady(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill_queue(forum: Forum, n: int) -> None:
    for i in range(n):
        author = MemberFactory()
        thread = make_thread(forum, author, title=f"Q{i}")
        reports.file_report(
            reporter=MemberFactory(),
            post=Post.objects.get(pk=thread.first_post_id),
            reason=ReportReason.objects.first(),
        )
        make_reply(thread, MemberFactory(needs_approval=True), f"pending {i}")


# session + user + permission version + open cases + pending posts + the two badge counts
QUEUE_QUERIES = 7
# session + user + permission version + badge counts (2) + count + page of entries + forums
# + actions
LOG_QUERIES = 9


def test_queue_costs_exact_queries_however_full(forum: Forum, fmod_client: Client) -> None:
    _fill_queue(forum, 1)
    assert steady(fmod_client, "/moderation/") == QUEUE_QUERIES
    _fill_queue(forum, 6)
    assert steady(fmod_client, "/moderation/") == QUEUE_QUERIES


def test_log_costs_exact_queries_however_long(
    forum: Forum, fmod: Member, fmod_client: Client
) -> None:
    thread = make_thread(forum, MemberFactory())
    content.set_flags(actor=fmod, threads=[thread], locked=True)
    assert steady(fmod_client, "/moderation/log/") == LOG_QUERIES
    for i in range(10):
        t = make_thread(forum, MemberFactory(), title=f"L{i}")
        content.set_flags(actor=fmod, threads=[t], sticky=True, reason=f"r{i}")
    assert steady(fmod_client, "/moderation/log/") == LOG_QUERIES


def test_queue_lists_reports_and_pending_posts_of_own_forums_only(
    forum: Forum, fmod_client: Client
) -> None:
    _fill_queue(forum, 1)
    _fill_queue(ForumFactory(), 1)
    body = fmod_client.get("/moderation/").content.decode()
    assert body.count('class="case"') == 1 and body.count('class="pending-post"') == 1


@pytest.mark.parametrize("page", ["0", "2", NON_ASCII, "x"])
def test_log_bad_page_is_404_or_first_page(fmod_client: Client, page: str) -> None:
    status = fmod_client.get(f"/moderation/log/?page={page}").status_code
    assert status == (200 if page in (NON_ASCII, "x") else 404)


def test_queue_refuses_post(fmod_client: Client) -> None:
    assert fmod_client.post("/moderation/").status_code == 405


# --- report ----------------------------------------------------------------------------------


def test_report_files_a_case_and_returns_to_the_post(reply: Post, member_client: Client) -> None:
    reason = ReportReason.objects.first()
    response = member_client.post(
        f"/posts/{reply.pk}/report/", {"reason": str(reason.pk), "text": "bad"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{reply.pk}")
    assert ReportCase.objects.get().report_count == 1


@pytest.mark.parametrize("data", [{}, {"reason": NON_ASCII}, {"reason": "999999"}, {"text": " "}])
def test_report_bad_input_is_400_and_files_nothing(
    reply: Post, member_client: Client, data: dict
) -> None:
    assert member_client.post(f"/posts/{reply.pk}/report/", data).status_code == 400
    assert not ReportCase.objects.exists()


def test_report_over_the_rate_is_429(
    reply: Post, member: Member, member_client: Client, settings: Any
) -> None:
    from tests.factories import make_reply

    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "report": (1, 3600)}
    second = make_reply(reply.thread, reply.author, "Another one")
    assert member_client.post(f"/posts/{reply.pk}/report/", {"text": "one"}).status_code == 302
    assert member_client.post(f"/posts/{second.pk}/report/", {"text": "two"}).status_code == 429
    assert ReportCase.objects.get().report_count == 1


def test_report_on_own_post_is_403(reply: Post, other_client: Client) -> None:
    assert other_client.post(f"/posts/{reply.pk}/report/", {"text": "me"}).status_code == 403


def test_report_unknown_post_is_404(member_client: Client) -> None:
    assert member_client.get("/posts/999999/report/").status_code == 404


# --- report cases ------------------------------------------------------------------------------


@pytest.fixture
def case(reply: Post, member: Member) -> ReportCase:
    return reports.file_report(reporter=member, post=reply, reason=None, text="rude")


def test_case_page_shows_reports(case: ReportCase, fmod_client: Client) -> None:
    body = fmod_client.get(f"/moderation/reports/{case.pk}/").content.decode()
    assert "rude" in body and "alice" in body


@pytest.mark.parametrize(
    ("action", "state", "assignee"),
    [
        ("resolve", CaseState.RESOLVED, None),
        ("reject", CaseState.REJECTED, None),
        ("assign_me", CaseState.OPEN, "fmod"),
    ],
)
def test_case_actions(
    case: ReportCase, fmod_client: Client, action: str, state: str, assignee: str | None
) -> None:
    response = fmod_client.post(
        f"/moderation/reports/{case.pk}/", {"action": action, "text": "note"}
    )
    assert response.status_code == 302
    case = reload(case)
    assert case.state == state
    assert (case.assignee.username if case.assignee else None) == assignee


def test_case_comment_is_kept(case: ReportCase, fmod_client: Client) -> None:
    fmod_client.post(f"/moderation/reports/{case.pk}/", {"action": "comment", "text": "looking"})
    assert case.comments.get().text == "looking"


@pytest.mark.parametrize("data", [{}, {"action": "explode"}, {"action": "comment", "text": ""}])
def test_case_bad_input_is_400(case: ReportCase, fmod_client: Client, data: dict) -> None:
    assert fmod_client.post(f"/moderation/reports/{case.pk}/", data).status_code == 400
    assert reload(case).state == CaseState.OPEN and not case.comments.exists()


def test_closing_a_closed_case_is_400(case: ReportCase, fmod_client: Client) -> None:
    fmod_client.post(f"/moderation/reports/{case.pk}/", {"action": "resolve"})
    assert (
        fmod_client.post(f"/moderation/reports/{case.pk}/", {"action": "reject"}).status_code == 400
    )
    assert reload(case).state == CaseState.RESOLVED


def test_case_guest_and_wrong_person(case: ReportCase, member_client: Client, forum: Forum) -> None:
    assert is_signin(
        client_for(None).post(f"/moderation/reports/{case.pk}/", {"action": "resolve"})
    )
    assert (
        member_client.post(f"/moderation/reports/{case.pk}/", {"action": "resolve"}).status_code
        == 404
    )
    locker = MemberFactory()
    make_forum_moderator(locker, forum, ["lock"])
    assert (
        client_for(locker)
        .post(f"/moderation/reports/{case.pk}/", {"action": "resolve"})
        .status_code
        == 403
    )
    assert reload(case).state == CaseState.OPEN


def test_unknown_case_is_404(fmod_client: Client) -> None:
    assert fmod_client.get("/moderation/reports/999999/").status_code == 404


# --- single posts -----------------------------------------------------------------------------


def test_delete_post_page_deletes_with_reason(
    reply: Post, fmod_client: Client, thread: Thread
) -> None:
    response = fmod_client.post(f"/moderation/posts/{reply.pk}/delete/", {"reason": "rude"})
    assert response.status_code == 302
    assert reload(reply).state == State.DELETED and reload(reply).delete_reason == "rude"
    assert reload(thread).reply_count == 0
    assert recount_all() == []


def test_delete_post_overlong_reason_is_400(reply: Post, fmod_client: Client) -> None:
    assert (
        fmod_client.post(f"/moderation/posts/{reply.pk}/delete/", {"reason": "x" * 301}).status_code
        == 400
    )
    assert reload(reply).state == State.VISIBLE


def test_deleting_the_first_post_returns_to_the_forum_for_its_author(
    forum: Forum, member: Member, member_client: Client
) -> None:
    own = make_thread(forum, member, title="Mine")
    response = member_client.post(f"/moderation/posts/{own.first_post_id}/delete/", {"reason": ""})
    assert response.status_code == 302 and response["Location"] == f"/forums/{forum.pk}/"
    assert reload(own).state == State.DELETED


def test_restore_approve_reject_round_trip(
    thread: Thread, reply: Post, fmod: Member, fmod_client: Client
) -> None:
    content.delete_posts(
        actor=fmod, posts=[Post.objects.select_related("thread__forum").get(pk=reply.pk)]
    )
    assert fmod_client.post(f"/moderation/posts/{reply.pk}/restore/").status_code == 302
    assert reload(reply).state == State.VISIBLE
    held = make_reply(thread, MemberFactory(needs_approval=True), "held")
    assert fmod_client.post(f"/moderation/posts/{held.pk}/reject/").status_code == 302
    assert reload(held).state == State.DELETED
    assert recount_all() == []


@pytest.mark.parametrize("verb", ["restore", "approve", "reject"])
def test_single_post_actions_refuse_get_and_unknown_ids(
    fmod_client: Client, reply: Post, verb: str
) -> None:
    assert fmod_client.get(f"/moderation/posts/{reply.pk}/{verb}/").status_code == 405
    assert fmod_client.post(f"/moderation/posts/999999/{verb}/").status_code == 404


@pytest.mark.parametrize("verb", ["restore", "approve", "reject", "delete", "warn"])
def test_non_ascii_digit_in_a_post_id_is_404(fmod_client: Client, verb: str) -> None:
    assert fmod_client.post(f"/moderation/posts/{NON_ASCII}/{verb}/").status_code == 404


def test_reject_guest_and_wrong_person(thread: Thread, member_client: Client) -> None:
    held = make_reply(thread, MemberFactory(needs_approval=True), "held")
    assert is_signin(client_for(None).post(f"/moderation/posts/{held.pk}/reject/"))
    assert member_client.post(f"/moderation/posts/{held.pk}/reject/").status_code == 404
    assert reload(held).state == State.PENDING


# --- bulk post actions --------------------------------------------------------------------------


def bulk(client: Client, thread: Thread, **data: Any) -> Any:
    return client.post(f"/moderation/threads/{thread.pk}/posts/", data)


def test_bulk_delete_several_posts(thread: Thread, fmod_client: Client, other: Member) -> None:
    posts = [make_reply(thread, other, f"r{i}") for i in range(3)]
    response = bulk(
        fmod_client, thread, action="delete", posts=[str(p.pk) for p in posts], reason="flood"
    )
    assert response.status_code == 302
    assert all(reload(p).state == State.DELETED for p in posts)
    assert AuditEntry.objects.filter(action="post.delete").count() == 3
    assert recount_all() == []


def test_bulk_split_goes_to_the_new_thread(
    thread: Thread, reply: Post, fmod_client: Client, forum: Forum
) -> None:
    response = bulk(
        fmod_client,
        thread,
        action="split",
        posts=[str(reply.pk)],
        forum=str(forum.pk),
        title="Side story",
    )
    new = Thread.objects.get(title="Side story")
    assert response["Location"] == f"/threads/{new.pk}/"
    assert recount_all() == []


def test_bulk_move_to_another_thread(
    thread: Thread, reply: Post, fmod_client: Client, forum: Forum
) -> None:
    target = make_thread(forum, MemberFactory(), title="Target")
    response = bulk(
        fmod_client, thread, action="move", posts=[str(reply.pk)], target_thread=str(target.pk)
    )
    assert response["Location"] == f"/threads/{target.pk}/"
    assert reload(reply).thread_id == target.pk
    assert recount_all() == []


@pytest.mark.parametrize(
    "data",
    [
        {"posts": ["REPLY"]},  # no action
        {"action": "explode", "posts": ["REPLY"]},
        {"action": "delete"},  # no posts
        {"action": "delete", "posts": [NON_ASCII]},
        {"action": "delete", "posts": ["999999"]},
        {"action": "split", "posts": ["REPLY"], "title": "No forum"},
        {"action": "split", "posts": ["REPLY"], "forum": NON_ASCII, "title": "x"},
        {"action": "move", "posts": ["REPLY"], "target_thread": "999999"},
        {"action": "move", "posts": ["REPLY"], "target_thread": NON_ASCII},
    ],
)
def test_bulk_posts_bad_input_changes_nothing(
    thread: Thread, reply: Post, fmod_client: Client, data: dict[str, Any]
) -> None:
    data = {
        k: ([str(reply.pk) if v == "REPLY" else v for v in vs] if isinstance(vs, list) else vs)
        for k, vs in data.items()
    }
    response = bulk(fmod_client, thread, **data)
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/"
    assert reload(reply).state == State.VISIBLE and reload(reply).thread_id == thread.pk
    assert not AuditEntry.objects.exists()
    assert errors_of(fmod_client)


def test_bulk_move_to_a_hidden_thread_is_refused(
    thread: Thread, reply: Post, fmod_client: Client, staff_forum: Forum, admin: Member
) -> None:
    hidden = make_thread(staff_forum, admin, title="Hidden")
    bulk(fmod_client, thread, action="move", posts=[str(reply.pk)], target_thread=str(hidden.pk))
    assert reload(reply).thread_id == thread.pk
    assert "There is no thread with that number." in errors_of(fmod_client)


def test_bulk_posts_of_another_thread_are_ignored(
    thread: Thread, fmod_client: Client, forum: Forum
) -> None:
    elsewhere = make_thread(forum, MemberFactory())
    stray = make_reply(elsewhere, MemberFactory())
    bulk(fmod_client, thread, action="delete", posts=[str(stray.pk)])
    assert reload(stray).state == State.VISIBLE


# --- thread tools --------------------------------------------------------------------------------


def tool(client: Client, thread: Thread, **data: Any) -> Any:
    return client.post(f"/moderation/threads/{thread.pk}/", data)


def test_thread_lock_from_the_tools(thread: Thread, fmod_client: Client) -> None:
    response = tool(fmod_client, thread, action="lock", reason="heat")
    assert response.status_code == 302 and reload(thread).is_locked
    assert AuditEntry.objects.get().reason == "heat"


def test_thread_move_with_notice(thread: Thread, supermod: Member, forum: Forum) -> None:
    target = ForumFactory(title="Elsewhere")
    tool(client_for(supermod), thread, action="move", forum=str(target.pk), leave_redirect="1")
    assert reload(thread).forum_id == target.pk
    assert ThreadRedirect.objects.filter(forum=forum, thread=thread).exists()
    assert recount_all() == []


def test_thread_merge_by_number(thread: Thread, fmod_client: Client, forum: Forum) -> None:
    other = make_thread(forum, MemberFactory(), title="Dup")
    tool(fmod_client, thread, action="merge", merge_with=f"{other.pk}, 999999")
    assert not Thread.objects.filter(pk=other.pk).exists()
    assert reload(thread).reply_count == 1
    assert recount_all() == []


def test_hard_delete_by_an_administrator(thread: Thread, admin: Member, forum: Forum) -> None:
    response = tool(client_for(admin), thread, action="hard_delete", reason="illegal")
    assert response["Location"] == f"/forums/{forum.pk}/"
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert recount_all() == []


def test_hard_delete_by_a_moderator_is_refused_with_a_message(
    thread: Thread, fmod_client: Client
) -> None:
    response = tool(fmod_client, thread, action="hard_delete")
    assert response["Location"] == f"/threads/{thread.pk}/"
    assert Thread.objects.filter(pk=thread.pk).exists()
    assert "Only administrators can delete for good." in errors_of(fmod_client)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "explode"},
        {"action": "move"},  # no forum
        {"action": "move", "forum": NON_ASCII},
        {"action": "move", "forum": "999999"},
        {"action": "merge", "merge_with": NON_ASCII},
        {"action": "merge", "merge_with": "999999"},
        {"action": "merge", "merge_with": ""},
    ],
)
def test_thread_tools_bad_input_changes_nothing(
    thread: Thread, fmod_client: Client, data: dict
) -> None:
    response = tool(fmod_client, thread, **data)
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/"
    assert not AuditEntry.objects.exists()
    assert errors_of(fmod_client)


def test_merging_a_hidden_thread_is_refused(
    thread: Thread, fmod_client: Client, staff_forum: Forum, admin: Member
) -> None:
    hidden = make_thread(staff_forum, admin, title="Hidden")
    tool(fmod_client, thread, action="merge", merge_with=str(hidden.pk))
    assert Thread.objects.filter(pk=hidden.pk).exists()


def test_thread_tools_unknown_thread_and_get(fmod_client: Client, thread: Thread) -> None:
    assert tool(fmod_client, Thread(pk=999999), action="lock").status_code == 404
    assert fmod_client.get(f"/moderation/threads/{thread.pk}/").status_code == 405


# --- bulk thread actions ------------------------------------------------------------------------


def test_bulk_lock_several_threads(forum: Forum, fmod_client: Client) -> None:
    threads = [make_thread(forum, MemberFactory(), title=f"B{i}") for i in range(3)]
    response = fmod_client.post(
        f"/moderation/forums/{forum.pk}/threads/",
        {"action": "lock", "threads": [str(t.pk) for t in threads]},
    )
    assert response["Location"] == f"/forums/{forum.pk}/"
    assert all(reload(t).is_locked for t in threads)


def test_bulk_merge_goes_to_the_first_selected(forum: Forum, fmod_client: Client) -> None:
    a, b = (
        make_thread(forum, MemberFactory(), title="A"),
        make_thread(forum, MemberFactory(), title="B"),
    )
    response = fmod_client.post(
        f"/moderation/forums/{forum.pk}/threads/",
        {"action": "merge", "threads": [str(b.pk), str(a.pk)]},
    )
    assert response["Location"] == f"/threads/{b.pk}/"
    assert not Thread.objects.filter(pk=a.pk).exists()
    assert recount_all() == []


@pytest.mark.parametrize("threads", [[], [NON_ASCII], ["999999"], ["abc"]])
def test_bulk_threads_bad_ids_change_nothing(
    forum: Forum, thread: Thread, fmod_client: Client, threads: list
) -> None:
    response = fmod_client.post(
        f"/moderation/forums/{forum.pk}/threads/", {"action": "lock", "threads": threads}
    )
    assert response["Location"] == f"/forums/{forum.pk}/"
    assert not reload(thread).is_locked
    assert "Tick at least one thread and choose an action." in errors_of(fmod_client)


def test_bulk_threads_missing_action(forum: Forum, thread: Thread, fmod_client: Client) -> None:
    fmod_client.post(f"/moderation/forums/{forum.pk}/threads/", {"threads": [str(thread.pk)]})
    assert not AuditEntry.objects.exists()


def test_bulk_threads_unknown_forum_is_404(fmod_client: Client) -> None:
    assert (
        fmod_client.post("/moderation/forums/999999/threads/", {"action": "lock"}).status_code
        == 404
    )


# --- warnings --------------------------------------------------------------------------------


def test_warn_page_warns_the_author(reply: Post, other: Member, fmod_client: Client) -> None:
    wt = WarningType.objects.get(title="Incivility")
    response = fmod_client.post(
        f"/moderation/posts/{reply.pk}/warn/",
        {"warning_type": str(wt.pk), "reason": "tone", "public_notice": "Mind the tone."},
    )
    assert response.status_code == 302
    assert reload(other).warning_points == 2
    assert reload(reply).staff_notice == "Mind the tone."


@pytest.mark.parametrize("data", [{}, {"warning_type": NON_ASCII}, {"warning_type": "999999"}])
def test_warn_bad_input_is_400(reply: Post, other: Member, fmod_client: Client, data: dict) -> None:
    assert fmod_client.post(f"/moderation/posts/{reply.pk}/warn/", data).status_code == 400
    assert not Warning.objects.exists()


def test_moderator_cannot_warn_for_their_own_post(
    thread: Thread, fmod: Member, fmod_client: Client
) -> None:
    own = make_reply(thread, fmod, "mine")
    wt = WarningType.objects.first()
    assert (
        fmod_client.post(
            f"/moderation/posts/{own.pk}/warn/", {"warning_type": str(wt.pk)}
        ).status_code
        == 400
    )
    assert not Warning.objects.exists()


def test_own_warnings_page_lists_them_and_the_block(
    reply: Post, other: Member, supermod: Member
) -> None:
    from parley.moderation import warnings

    post = Post.objects.select_related("thread__forum").get(pk=reply.pk)
    for _ in range(2):
        warnings.warn_member(
            actor=supermod,
            member=other,
            post=post,
            warning_type=WarningType.objects.get(title="Spam"),
        )
    body = client_for(reload(other)).get("/account/warnings/").content.decode()
    assert body.count('class="warning"') == 2 and "You may not post" in body


# --- bans ------------------------------------------------------------------------------------


def test_ban_page_bans_for_days(other: Member, supermod: Member) -> None:
    response = client_for(supermod).post(
        "/moderation/members/bob/ban/", {"days": "3", "reason": "heat"}
    )
    assert response["Location"] == "/members/bob/"
    bob = reload(other)
    assert bob.is_banned and bob.banned_until > timezone.now() + timedelta(days=2)


def test_ban_page_bans_for_good_without_days(other: Member, supermod: Member) -> None:
    client_for(supermod).post("/moderation/members/bob/ban/", {"reason": "spam"})
    assert reload(other).is_banned and reload(other).banned_until is None


def test_ban_page_lifts_a_ban(other: Member, supermod: Member) -> None:
    Member.objects.filter(pk=other.pk).update(is_banned=True, ban_reason="x")
    client_for(supermod).post("/moderation/members/bob/ban/", {"lift": "1"})
    assert not reload(other).is_banned


@pytest.mark.parametrize(
    "data", [{}, {"reason": ""}, {"days": NON_ASCII, "reason": "x"}, {"days": "0", "reason": "x"}]
)
def test_ban_bad_input_is_400(other: Member, supermod: Member, data: dict) -> None:
    assert client_for(supermod).post("/moderation/members/bob/ban/", data).status_code == 400
    assert not reload(other).is_banned


def test_banning_staff_as_a_super_moderator_is_403(supermod: Member, fmod: Member) -> None:
    assert (
        client_for(supermod).post("/moderation/members/fmod/ban/", {"reason": "x"}).status_code
        == 403
    )
    assert not reload(fmod).is_banned


def test_ban_unknown_member_is_404(supermod: Member) -> None:
    assert client_for(supermod).get("/moderation/members/nobody/ban/").status_code == 404


def test_spam_clean_from_the_ban_page(other: Member, reply: Post, supermod: Member) -> None:
    response = client_for(supermod).post("/moderation/members/bob/spam-clean/")
    assert response["Location"] == "/members/bob/"
    assert reload(other).is_banned and reload(reply).state == State.DELETED
    assert recount_all() == []


def test_spam_clean_guest_wrong_person_and_get(
    other: Member, reply: Post, fmod_client: Client, supermod: Member
) -> None:
    assert is_signin(client_for(None).post("/moderation/members/bob/spam-clean/"))
    assert fmod_client.post("/moderation/members/bob/spam-clean/").status_code == 404
    assert client_for(supermod).get("/moderation/members/bob/spam-clean/").status_code == 405
    assert not reload(other).is_banned and reload(reply).state == State.VISIBLE


def test_spam_clean_of_staff_is_refused_with_a_message(supermod: Member, fmod: Member) -> None:
    client = client_for(supermod)
    client.post("/moderation/members/fmod/spam-clean/")
    assert not reload(fmod).is_banned
    assert "Only administrators ban staff." in errors_of(client)


# --- forum pages a moderator sees ----------------------------------------------------------------


def test_moderator_thread_page_queries_do_not_grow_with_deleted_and_pending_posts(
    thread: Thread, fmod: Member, fmod_client: Client
) -> None:
    make_reply(thread, MemberFactory(), "plain")
    url = f"/threads/{thread.pk}/"
    baseline = steady(fmod_client, url)
    for i in range(5):
        gone = make_reply(thread, MemberFactory(), f"gone {i}")
        content.delete_posts(
            actor=fmod, posts=[Post.objects.select_related("thread__forum").get(pk=gone.pk)]
        )
        make_reply(thread, MemberFactory(needs_approval=True), f"held {i}")
    assert steady(fmod_client, url) == baseline
    body = fmod_client.get(url).content.decode()
    assert body.count("Show deleted content") == 5 and body.count('class="link approve"') == 5


def test_forum_page_queries_do_not_grow_with_moved_notices(forum: Forum, supermod: Member) -> None:
    reader = client_for(MemberFactory())
    make_thread(forum, MemberFactory())
    baseline = steady(reader, f"/forums/{forum.pk}/")
    for i in range(4):
        t = make_thread(forum, MemberFactory(), title=f"Mover {i}")
        away = ForumFactory()
        mover = Member.objects.get(pk=supermod.pk)  # sees the forum just made
        content.move_threads(actor=mover, threads=[t], forum=away, leave_redirect=True)
    assert steady(reader, f"/forums/{forum.pk}/") == baseline
    assert reader.get(f"/forums/{forum.pk}/").content.decode().count("moved-notice") == 4


def test_reaction_with_a_non_ascii_digit_is_refused_with_a_message(
    reply: Post, member_client: Client
) -> None:
    response = member_client.post(f"/posts/{reply.pk}/react/", {"type": NON_ASCII})
    assert response.status_code == 302
    assert not reply.reactions.exists()
    assert "Choose one of the reactions." in errors_of(member_client)


def test_quote_with_a_non_ascii_digit_opens_an_empty_reply(
    thread: Thread, member_client: Client
) -> None:
    response = member_client.get(f"/threads/{thread.pk}/reply/?quote={NON_ASCII}")
    assert response.status_code == 200
    assert not response.context["form"].initial.get("source")


def test_ban_page_toggles_the_moderated_state_and_logs_it(member: Member) -> None:
    from parley.members.models import Member as MemberModel
    from parley.moderation.models import AuditEntry

    supermod = MemberFactory(username="supermod_toggle", is_staff=True)
    client = client_for(supermod)
    url = f"/moderation/members/{member.username}/ban/"
    assert client.post(url, {"moderated": "on"}).status_code == 302
    assert MemberModel.objects.get(pk=member.pk).needs_approval is True
    assert AuditEntry.objects.filter(action="member.moderated", member=member).count() == 1
    assert client.post(url, {"moderated": "off"}).status_code == 302
    assert MemberModel.objects.get(pk=member.pk).needs_approval is False
    # A member who may not ban never reaches the page.
    assert client_for(MemberFactory()).post(url, {"moderated": "on"}).status_code == 404
