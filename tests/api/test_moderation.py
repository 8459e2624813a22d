"""/api/v1/moderation: the queue, report cases, post, thread and member tools. For each
route: success, guest, a member who moderates nothing (404), a moderator without the power
(403), bad input (nothing written), and exact query counts for the queue and a write."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.forums import moderation as forum_moderation
from parley.forums.models import Forum, Post, State, Thread, ThreadRedirect
from parley.members.models import Member
from parley.moderation import reports
from parley.moderation.models import (
    AuditEntry,
    CaseComment,
    CaseState,
    ReportCase,
    ReportReason,
    Warning,
    WarningType,
)
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.modworld import make_forum_moderator, make_super_moderator

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation"
MOD = ("read", "write", "moderate")


def reload(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def post_json(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data if data is not None else {}, content_type="application/json")


def error_code(response: Any) -> str:
    return response.json()["error"]["code"]


@pytest.fixture
def fmod(forum: Forum) -> Member:
    mod = MemberFactory(username="fmod")
    make_forum_moderator(mod, forum)
    return mod


@pytest.fixture
def fmod_api(fmod: Member, token_client: Any) -> Client:
    return token_client(fmod, *MOD)


@pytest.fixture
def locker(forum: Forum) -> Member:
    """A moderator of the forum with the lock power only."""
    mod = MemberFactory(username="locker")
    make_forum_moderator(mod, forum, ["lock"])
    return mod


@pytest.fixture
def locker_api(locker: Member, token_client: Any) -> Client:
    return token_client(locker, *MOD)


@pytest.fixture
def member_api(member: Member, token_client: Any) -> Client:
    return token_client(member, *MOD)


@pytest.fixture
def supermod(db) -> Member:
    return make_super_moderator(MemberFactory(username="supermod"))


@pytest.fixture
def reply(thread: Thread, other: Member) -> Post:
    return make_reply(thread, other, "a reply by bob")


@pytest.fixture
def case(reply: Post, member: Member) -> ReportCase:
    return reports.file_report(reporter=member, post=reply, reason=None, text="rude")


@pytest.fixture
def pending(thread: Thread) -> Post:
    return make_reply(thread, MemberFactory(needs_approval=True), "waiting words")


def _fill_queue(forum: Forum, n: int) -> None:
    for i in range(n):
        thread = make_thread(forum, MemberFactory(), title=f"Q{i}")
        reports.file_report(
            reporter=MemberFactory(),
            post=Post.objects.get(pk=thread.first_post_id),
            reason=ReportReason.objects.first(),
        )
        make_reply(thread, MemberFactory(needs_approval=True), f"pending {i}")


# --- scope, guests, non-moderators ------------------------------------------------------------


def test_a_guest_is_401_on_every_moderation_route(anon_client: Client, case: ReportCase) -> None:
    for url in (f"{API}/queue?kind=reports", f"{API}/cases/{case.pk}", f"{API}/warning-types"):
        response = anon_client.get(url)
        assert response.status_code == 401, url
        assert error_code(response) == "unauthenticated"
    response = post_json(anon_client, f"{API}/cases/{case.pk}/close", {"resolved": True})
    assert response.status_code == 401
    assert reload(case).state == CaseState.OPEN


def test_a_token_without_the_moderate_scope_is_403(
    token_client: Any, fmod: Member, case: ReportCase
) -> None:
    client = token_client(fmod, "read", "write")
    response = client.get(f"{API}/queue", {"kind": "reports"})
    assert response.status_code == 403
    assert "moderate scope" in response.json()["error"]["message"]


def test_a_member_who_moderates_nothing_gets_404_everywhere(
    member_api: Client, case: ReportCase, pending: Post, thread: Thread, other: Member
) -> None:
    gets = [f"{API}/queue?kind=reports", f"{API}/queue?kind=pending", f"{API}/cases/{case.pk}"]
    for url in gets:
        assert member_api.get(url).status_code == 404, url
    posts = [
        (f"{API}/cases/{case.pk}/comments", {"text": "hi"}),
        (f"{API}/cases/{case.pk}/assign", {}),
        (f"{API}/cases/{case.pk}/close", {"resolved": True}),
        (f"{API}/posts/{pending.pk}/approve", {}),
        (f"{API}/threads/{thread.pk}/delete", {}),
        (f"{API}/threads/{thread.pk}/move", {"forum_id": thread.forum_id}),
        (f"{API}/members/{other.username}/ban", {"reason": "x"}),
    ]
    for url, data in posts:
        response = post_json(member_api, url, data)
        assert response.status_code == 404, url
        assert error_code(response) == "not_found"
    patch = member_api.patch(
        f"{API}/threads/{thread.pk}", {"is_locked": True}, content_type="application/json"
    )
    assert patch.status_code == 404
    assert reload(case).state == CaseState.OPEN and reload(pending).state == State.PENDING
    assert not reload(thread).is_locked and not reload(other).is_banned
    assert not AuditEntry.objects.filter(actor__username="alice").exists()


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_reports_and_pending_posts_of_own_forums_only(
    forum: Forum, fmod_api: Client
) -> None:
    _fill_queue(forum, 1)
    _fill_queue(ForumFactory(), 1)
    reports_page = fmod_api.get(f"{API}/queue", {"kind": "reports"}).json()
    assert [i["kind"] for i in reports_page["items"]] == ["report"]
    item = reports_page["items"][0]
    assert item["case"]["post"]["forum_id"] == forum.pk
    assert item["post"]["thread_title"] == "Q0"
    pending_page = fmod_api.get(f"{API}/queue", {"kind": "pending"}).json()
    assert [i["post"]["text"] for i in pending_page["items"]] == ["pending 0"]
    assert pending_page["items"][0]["case"] is None


def test_a_lock_only_moderator_sees_an_empty_queue(forum: Forum, locker_api: Client) -> None:
    _fill_queue(forum, 2)
    for kind in ("reports", "pending"):
        body = locker_api.get(f"{API}/queue", {"kind": kind}).json()
        assert body == {"items": [], "next_cursor": None}


def test_the_queue_pages_by_cursor_without_repeats(forum: Forum, fmod_api: Client) -> None:
    _fill_queue(forum, 5)
    for kind in ("reports", "pending"):
        first = fmod_api.get(f"{API}/queue", {"kind": kind, "limit": 3}).json()
        second = fmod_api.get(
            f"{API}/queue", {"kind": kind, "limit": 3, "cursor": first["next_cursor"]}
        ).json()
        ids = [i["post"]["id"] for i in first["items"] + second["items"]]
        assert len(ids) == 5 and len(set(ids)) == 5
        assert second["next_cursor"] is None


def test_the_queue_needs_a_known_kind_and_a_real_cursor(fmod_api: Client) -> None:
    missing = fmod_api.get(f"{API}/queue")
    assert missing.status_code == 422
    assert "kind" in missing.json()["error"]["fields"]
    assert fmod_api.get(f"{API}/queue", {"kind": "everything"}).status_code == 422
    forged = fmod_api.get(f"{API}/queue", {"kind": "reports", "cursor": "WzEsMl0"})
    assert forged.status_code == 400 and error_code(forged) == "bad_cursor"


# token + permission version + page of cases (with posts, threads, forums, authors)
QUEUE_REPORTS_QUERIES = 3
# token + permission version + page of pending posts (with threads, forums, authors)
QUEUE_PENDING_QUERIES = 3


def test_the_queue_costs_exact_queries_however_full(
    forum: Forum, fmod_api: Client, django_assert_num_queries: Any
) -> None:
    for n in (2, 5):
        _fill_queue(forum, n)
        fmod_api.get(f"{API}/queue", {"kind": "reports"})  # permissions cached
        with django_assert_num_queries(QUEUE_REPORTS_QUERIES):
            body = fmod_api.get(f"{API}/queue", {"kind": "reports"}).json()
        assert len(body["items"]) in (2, 7)
        with django_assert_num_queries(QUEUE_PENDING_QUERIES):
            body = fmod_api.get(f"{API}/queue", {"kind": "pending"}).json()
        assert len(body["items"]) in (2, 7)


# --- report cases ------------------------------------------------------------------------------


def test_a_case_shows_its_reports_and_comments(
    case: ReportCase, fmod: Member, fmod_api: Client, reply: Post
) -> None:
    reports.comment_on_case(actor=fmod, case=case, text="looking")
    body = fmod_api.get(f"{API}/cases/{case.pk}").json()
    assert body["state"] == "open" and body["report_count"] == 1
    assert [(r["reporter"]["username"], r["text"]) for r in body["reports"]] == [("alice", "rude")]
    assert [c["text"] for c in body["comments"]] == ["looking"]
    assert body["post"]["id"] == reply.pk and body["post"]["text"] == "a reply by bob"


def test_comment_assign_and_close_a_case(case: ReportCase, fmod: Member, fmod_api: Client) -> None:
    comment = post_json(fmod_api, f"{API}/cases/{case.pk}/comments", {"text": "looking"})
    assert comment.status_code == 201
    assert comment.json()["author"]["username"] == "fmod"
    assert case.comments.get().text == "looking"
    assigned = post_json(fmod_api, f"{API}/cases/{case.pk}/assign")
    assert assigned.status_code == 200
    assert assigned.json()["assignee"]["username"] == "fmod"
    closed = post_json(fmod_api, f"{API}/cases/{case.pk}/close", {"resolved": False, "note": "ok"})
    assert closed.status_code == 200
    assert closed.json()["state"] == "rejected" and closed.json()["resolution"] == "ok"
    case = reload(case)
    assert case.state == CaseState.REJECTED and case.closed_by == fmod
    assert AuditEntry.objects.filter(action="report.rejected", actor=fmod).exists()


def test_a_closed_case_cannot_be_closed_again(case: ReportCase, fmod_api: Client) -> None:
    first = post_json(fmod_api, f"{API}/cases/{case.pk}/close", {"resolved": True})
    assert first.status_code == 200
    again = post_json(fmod_api, f"{API}/cases/{case.pk}/close", {"resolved": False})
    assert again.status_code == 400
    assert again.json()["error"]["message"] == "This case is already closed."
    assert reload(case).state == CaseState.RESOLVED


def test_case_bad_input_is_refused_and_writes_nothing(case: ReportCase, fmod_api: Client) -> None:
    empty = post_json(fmod_api, f"{API}/cases/{case.pk}/comments", {"text": "   "})
    assert empty.status_code == 400 and empty.json()["error"]["message"] == "Write a comment."
    long = post_json(fmod_api, f"{API}/cases/{case.pk}/comments", {"text": "x" * 4001})
    assert long.status_code == 422 and "text" in long.json()["error"]["fields"]
    no_verdict = post_json(fmod_api, f"{API}/cases/{case.pk}/close", {"note": "?"})
    assert no_verdict.status_code == 422 and "resolved" in no_verdict.json()["error"]["fields"]
    assert not CaseComment.objects.exists() and reload(case).state == CaseState.OPEN
    assert fmod_api.get(f"{API}/cases/999999").status_code == 404


def test_a_moderator_without_the_reports_power_gets_403_and_of_another_forum_404(
    case: ReportCase, locker_api: Client, token_client: Any
) -> None:
    refused = post_json(locker_api, f"{API}/cases/{case.pk}/close", {"resolved": True})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "You do not handle reports in this forum."
    assert locker_api.get(f"{API}/cases/{case.pk}").status_code == 403
    elsewhere = MemberFactory()
    make_forum_moderator(elsewhere, ForumFactory())
    assert token_client(elsewhere, *MOD).get(f"{API}/cases/{case.pk}").status_code == 404
    assert reload(case).state == CaseState.OPEN


# token + permission version + case (with post, thread, forum, author) + savepoint, update,
# log entry, its event, release + the service's reload + the case again + reports + comments
CLOSE_QUERIES = 12


def test_closing_a_case_costs_exact_queries(
    forum: Forum, fmod_api: Client, django_assert_num_queries: Any
) -> None:
    for n in (2, 5):
        thread = make_thread(forum, MemberFactory(), title=f"Cases {n}")
        post = Post.objects.get(pk=thread.first_post_id)
        case = None
        for _ in range(n):
            case = reports.file_report(reporter=MemberFactory(), post=post, reason=None, text="x")
        assert case is not None and case.report_count == n
        fmod_api.get(f"{API}/queue", {"kind": "reports"})  # permissions cached
        with django_assert_num_queries(CLOSE_QUERIES):
            response = post_json(fmod_api, f"{API}/cases/{case.pk}/close", {"resolved": True})
        assert len(response.json()["reports"]) == n


# --- posts -------------------------------------------------------------------------------------


def test_approve_reject_and_restore_a_post(
    thread: Thread, fmod: Member, fmod_api: Client, other: Member
) -> None:
    first = make_reply(thread, MemberFactory(needs_approval=True), "first pending")
    second = make_reply(thread, MemberFactory(needs_approval=True), "second pending")
    approved = post_json(fmod_api, f"{API}/posts/{first.pk}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "visible"
    assert reload(first).state == State.VISIBLE
    rejected = post_json(fmod_api, f"{API}/posts/{second.pk}/reject", {"reason": "spam"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "deleted"
    assert reload(second).delete_reason == "spam"
    restored = post_json(fmod_api, f"{API}/posts/{second.pk}/restore")
    assert restored.status_code == 200 and reload(second).state == State.VISIBLE
    actions = set(AuditEntry.objects.filter(actor=fmod).values_list("action", flat=True))
    assert {"post.approve", "post.reject", "post.restore"} <= actions


def test_post_tools_refuse_a_moderator_without_the_power(
    thread: Thread, pending: Post, reply: Post, fmod: Member, locker_api: Client
) -> None:
    # The lock-only moderator reads the visible reply but may not restore it: 403.
    response = post_json(locker_api, f"{API}/posts/{reply.pk}/restore")
    assert response.status_code == 403
    assert (
        response.json()["error"]["message"] == "You do not have that moderator power in this forum."
    )
    # A pending post is not theirs to see at all: 404, as on the pages.
    assert post_json(locker_api, f"{API}/posts/{pending.pk}/approve").status_code == 404
    assert reload(pending).state == State.PENDING


def test_post_tools_bad_input_and_unknown_posts(pending: Post, fmod_api: Client) -> None:
    long = post_json(fmod_api, f"{API}/posts/{pending.pk}/reject", {"reason": "x" * 301})
    assert long.status_code == 422 and "reason" in long.json()["error"]["fields"]
    assert reload(pending).state == State.PENDING
    assert post_json(fmod_api, f"{API}/posts/999999/approve").status_code == 404


def test_a_post_in_a_hidden_forum_is_404_to_a_moderator_elsewhere(
    staff_forum: Forum, moderator: Member, fmod_api: Client
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret", body="x")
    post = Post.objects.get(pk=hidden.first_post_id)
    forum_moderation.soft_delete_post(
        actor=make_super_moderator(MemberFactory()), post=make_reply(hidden, moderator, "y")
    )
    assert post_json(fmod_api, f"{API}/posts/{post.pk}/restore").status_code == 404


# token + permission version + post (with thread, forum, author) + the service's 22 (the
# approval, its event, the thread's, forum's and author's counters, the log entry) + the post
# again
APPROVE_QUERIES = 27


def test_approving_costs_exact_queries_however_long_the_thread(
    forum: Forum, fmod_api: Client, django_assert_num_queries: Any
) -> None:
    fmod_api.get(f"{API}/queue", {"kind": "pending"})  # permissions cached
    for n in (2, 5):
        thread = make_thread(forum, MemberFactory(), title=f"Long {n}")
        for i in range(n):
            make_reply(thread, MemberFactory(), f"visible {i}")
        post = make_reply(thread, MemberFactory(needs_approval=True), "waiting")
        with django_assert_num_queries(APPROVE_QUERIES):
            response = post_json(fmod_api, f"{API}/posts/{post.pk}/approve")
        assert response.status_code == 200 and reload(post).state == State.VISIBLE


# --- threads -----------------------------------------------------------------------------------


def test_lock_and_stick_a_thread_each_logged(
    thread: Thread, fmod: Member, fmod_api: Client
) -> None:
    response = fmod_api.patch(
        f"{API}/threads/{thread.pk}",
        {"is_locked": True, "is_sticky": True, "reason": "calm down"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["is_locked"] and response.json()["is_sticky"]
    thread = reload(thread)
    assert thread.is_locked and thread.is_sticky
    logged = AuditEntry.objects.filter(actor=fmod).values_list("action", flat=True)
    assert sorted(logged) == ["thread.lock", "thread.stick"]


def test_flags_need_something_to_change(thread: Thread, fmod_api: Client) -> None:
    response = fmod_api.patch(
        f"{API}/threads/{thread.pk}", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"is_sticky", "is_locked"}
    wrong = fmod_api.patch(
        f"{API}/threads/{thread.pk}", {"is_locked": "maybe"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert not reload(thread).is_locked and not AuditEntry.objects.exists()


def test_a_lock_only_moderator_locks_but_may_not_delete_or_move(
    thread: Thread, locker_api: Client, forum: Forum
) -> None:
    reply_by_other = make_reply(thread, MemberFactory(), "so there are replies")
    assert reply_by_other
    locked = locker_api.patch(
        f"{API}/threads/{thread.pk}", {"is_locked": True}, content_type="application/json"
    )
    assert locked.status_code == 200
    deleted = post_json(locker_api, f"{API}/threads/{thread.pk}/delete", {"reason": "x"})
    assert deleted.status_code == 403
    other_thread = make_thread(forum, MemberFactory(), title="Other")
    merged = post_json(
        locker_api, f"{API}/threads/{thread.pk}/merge", {"into_thread_id": other_thread.pk}
    )
    assert merged.status_code == 403
    moved = post_json(locker_api, f"{API}/threads/{thread.pk}/move", {"forum_id": forum.pk})
    assert moved.status_code == 400  # no forum where they have the move power
    assert reload(thread).state == State.VISIBLE
    assert Thread.objects.filter(pk=other_thread.pk).exists()


def test_a_moderator_of_another_forum_gets_403_on_a_thread_they_see(
    thread: Thread, token_client: Any
) -> None:
    elsewhere = MemberFactory()
    make_forum_moderator(elsewhere, ForumFactory())
    client = token_client(elsewhere, *MOD)
    response = client.patch(
        f"{API}/threads/{thread.pk}", {"is_locked": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not reload(thread).is_locked


def test_delete_and_restore_a_thread(thread: Thread, fmod_api: Client) -> None:
    deleted = post_json(fmod_api, f"{API}/threads/{thread.pk}/delete", {"reason": "dup"})
    assert deleted.status_code == 200 and deleted.json()["state"] == "deleted"
    assert reload(thread).delete_reason == "dup"
    restored = post_json(fmod_api, f"{API}/threads/{thread.pk}/restore")
    assert restored.status_code == 200 and reload(thread).state == State.VISIBLE


def test_move_a_thread_with_a_notice(
    thread: Thread, fmod: Member, fmod_api: Client, forum: Forum
) -> None:
    target = ForumFactory(title="Europe")
    make_forum_moderator(fmod, target)
    response = post_json(
        fmod_api, f"{API}/threads/{thread.pk}/move", {"forum_id": target.pk, "leave_redirect": True}
    )
    assert response.status_code == 200 and response.json()["forum_id"] == target.pk
    assert reload(thread).forum_id == target.pk
    assert ThreadRedirect.objects.filter(forum=forum, thread=thread).exists()


def test_moving_needs_a_forum_with_the_move_power(thread: Thread, fmod_api: Client) -> None:
    not_mine = ForumFactory()
    for forum_id in (not_mine.pk, 999999):
        response = post_json(fmod_api, f"{API}/threads/{thread.pk}/move", {"forum_id": forum_id})
        assert response.status_code == 400
        assert "forum_id" in response.json()["error"]["fields"]
    missing = post_json(fmod_api, f"{API}/threads/{thread.pk}/move", {})
    assert missing.status_code == 422
    assert reload(thread).forum_id == thread.forum_id and not AuditEntry.objects.exists()


def test_merge_a_thread_into_another(thread: Thread, fmod_api: Client, forum: Forum) -> None:
    source = make_thread(forum, MemberFactory(), title="Duplicate", body="same news")
    response = post_json(
        fmod_api, f"{API}/threads/{source.pk}/merge", {"into_thread_id": thread.pk}
    )
    assert response.status_code == 200
    assert response.json()["id"] == thread.pk and response.json()["reply_count"] == 1
    assert not Thread.objects.filter(pk=source.pk).exists()
    assert Post.objects.filter(thread=thread, source="same news").exists()


def test_merge_refuses_itself_a_hidden_and_an_unknown_thread(
    thread: Thread, fmod_api: Client, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret")
    for target in (hidden.pk, 999999):
        response = post_json(
            fmod_api, f"{API}/threads/{thread.pk}/merge", {"into_thread_id": target}
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {
            "into_thread_id": ["There is no thread with that number."]
        }
    itself = post_json(fmod_api, f"{API}/threads/{thread.pk}/merge", {"into_thread_id": thread.pk})
    assert itself.status_code == 400
    assert Thread.objects.filter(pk__in=[thread.pk, hidden.pk]).count() == 2


def test_merge_into_a_forum_without_the_move_power_is_403(thread: Thread, fmod_api: Client) -> None:
    elsewhere = make_thread(ForumFactory(), MemberFactory(), title="Elsewhere")
    response = post_json(
        fmod_api, f"{API}/threads/{thread.pk}/merge", {"into_thread_id": elsewhere.pk}
    )
    assert response.status_code == 403
    assert Thread.objects.filter(pk=thread.pk).exists()


# --- members: warnings and bans ---------------------------------------------------------------


def test_warning_types_are_listed_for_moderators(fmod_api: Client, member_api: Client) -> None:
    titles = [t["title"] for t in fmod_api.get(f"{API}/warning-types").json()]
    assert "Incivility" in titles
    assert member_api.get(f"{API}/warning-types").status_code == 404


def test_warn_a_member_for_their_post(reply: Post, other: Member, fmod_api: Client) -> None:
    wt = WarningType.objects.get(title="Incivility")
    response = post_json(
        fmod_api,
        f"{API}/members/{other.username}/warnings",
        {
            "post_id": reply.pk,
            "warning_type_id": wt.pk,
            "reason": "tone",
            "public_notice": "Mind the tone.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["points"] == wt.points and body["member_points"] == wt.points
    assert body["member"]["username"] == "bob" and body["post_id"] == reply.pk
    assert reload(other).warning_points == wt.points
    assert reload(reply).staff_notice == "Mind the tone."


def test_warning_bad_input_writes_nothing(
    reply: Post, other: Member, member: Member, fmod_api: Client, thread: Thread
) -> None:
    wt = WarningType.objects.first()
    assert wt is not None
    url = f"{API}/members/{other.username}/warnings"
    unknown_type = post_json(fmod_api, url, {"post_id": reply.pk, "warning_type_id": 999999})
    assert unknown_type.status_code == 400
    assert "warning_type_id" in unknown_type.json()["error"]["fields"]
    # alice's opening post is not bob's: the service refuses it.
    not_theirs = post_json(
        fmod_api, url, {"post_id": thread.first_post_id, "warning_type_id": wt.pk}
    )
    assert not_theirs.status_code == 400
    assert not_theirs.json()["error"]["message"] == "That post is not by this member."
    missing = post_json(fmod_api, url, {"warning_type_id": wt.pk})
    assert missing.status_code == 422 and "post_id" in missing.json()["error"]["fields"]
    nobody = post_json(
        fmod_api, f"{API}/members/nobody/warnings", {"post_id": reply.pk, "warning_type_id": wt.pk}
    )
    assert nobody.status_code == 404
    assert not Warning.objects.exists() and reload(other).warning_points == 0


def test_a_moderator_without_the_warn_power_gets_403(
    reply: Post, other: Member, locker_api: Client
) -> None:
    wt = WarningType.objects.first()
    assert wt is not None
    response = post_json(
        locker_api,
        f"{API}/members/{other.username}/warnings",
        {"post_id": reply.pk, "warning_type_id": wt.pk},
    )
    assert response.status_code == 403
    assert not Warning.objects.exists()


def test_a_super_moderator_bans_for_days_and_lifts_it(
    other: Member, supermod: Member, token_client: Any
) -> None:
    client = token_client(supermod, *MOD)
    banned = post_json(client, f"{API}/members/{other.username}/ban", {"reason": "spam", "days": 3})
    assert banned.status_code == 200
    assert banned.json()["is_banned"] and banned.json()["banned_until"] is not None
    assert reload(other).ban_reason == "spam"
    lifted = client.delete(f"{API}/members/{other.username}/ban")
    assert lifted.status_code == 200 and not lifted.json()["is_banned"]
    assert not reload(other).is_banned
    moderated = client.put(
        f"{API}/members/{other.username}/needs-approval",
        {"needs_approval": True},
        content_type="application/json",
    )
    assert moderated.status_code == 200 and reload(other).needs_approval


def test_ban_bad_input_writes_nothing(other: Member, supermod: Member, token_client: Any) -> None:
    client = token_client(supermod, *MOD)
    url = f"{API}/members/{other.username}/ban"
    no_reason = post_json(client, url, {"reason": "  "})
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["message"] == "Give a reason: the member will see it."
    too_long = post_json(client, url, {"reason": "x", "days": 0})
    assert too_long.status_code == 422 and "days" in too_long.json()["error"]["fields"]
    itself = post_json(client, f"{API}/members/{supermod.username}/ban", {"reason": "x"})
    assert itself.status_code == 400
    assert post_json(client, f"{API}/members/nobody/ban", {"reason": "x"}).status_code == 404
    assert not reload(other).is_banned and not reload(supermod).is_banned


def test_a_forum_moderator_may_not_ban(other: Member, fmod_api: Client) -> None:
    response = post_json(fmod_api, f"{API}/members/{other.username}/ban", {"reason": "spam"})
    assert response.status_code == 403
    assert fmod_api.delete(f"{API}/members/{other.username}/ban").status_code == 403
    assert not reload(other).is_banned


def test_a_super_moderator_may_not_ban_staff(
    fmod: Member, supermod: Member, token_client: Any
) -> None:
    response = post_json(
        token_client(supermod, *MOD), f"{API}/members/{fmod.username}/ban", {"reason": "x"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only administrators ban staff."
    assert not reload(fmod).is_banned


def test_a_super_moderator_cleans_up_a_spammer(
    forum: Forum, supermod: Member, token_client: Any, thread: Thread
) -> None:
    spammer = MemberFactory(username="spammer")
    spam_thread = make_thread(forum, spammer, title="Cheap pills", body="buy")
    spam_reply = make_reply(thread, spammer, "buy more")
    response = post_json(token_client(supermod, *MOD), f"{API}/members/spammer/spam-clean")
    assert response.status_code == 200
    assert response.json()["deleted"] == 2 and response.json()["standing"]["is_banned"]
    assert reload(spam_thread).state == State.DELETED
    assert reload(spam_reply).state == State.DELETED
    assert reload(thread).state == State.VISIBLE


def test_spam_clean_is_403_for_a_forum_moderator_and_404_for_a_member(
    forum: Forum, fmod_api: Client, member_api: Client
) -> None:
    spammer = MemberFactory(username="spammer")
    spam_thread = make_thread(forum, spammer, title="Cheap pills", body="buy")
    assert post_json(fmod_api, f"{API}/members/spammer/spam-clean").status_code == 403
    assert post_json(member_api, f"{API}/members/spammer/spam-clean").status_code == 404
    assert reload(spam_thread).state == State.VISIBLE and not reload(spammer).is_banned


def test_the_openapi_document_lists_the_moderation_routes(anon_client: Client) -> None:
    paths = anon_client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/moderation/queue",
        "/api/v1/moderation/cases/{case_id}/close",
        "/api/v1/moderation/threads/{thread_id}/merge",
        "/api/v1/moderation/members/{username}/warnings",
    ):
        assert path in paths
