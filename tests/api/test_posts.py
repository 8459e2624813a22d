"""Posts through the API: read, edit (with conflict), delete, react, report, history, and
the exact query counts of the main routes."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.forums.models import Post, Reaction, ReactionType, State
from parley.moderation.models import ReportCase
from tests.conftest import client_for
from tests.factories import make_reply

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_a_guest_reads_a_post_without_its_source(anon_client: Client, first_post) -> None:
    body = anon_client.get(f"/api/v1/posts/{first_post.pk}").json()
    assert body["html"] == first_post.cooked_html
    assert body["source"] is None
    assert body["flags"]["can_edit"] is False


def test_the_author_sees_the_source_and_may_edit(token_client, member, first_post) -> None:
    client = token_client(member)
    assert client.get(f"/api/v1/posts/{first_post.pk}").json()["source"] == first_post.source
    response = client.patch(
        f"/api/v1/posts/{first_post.pk}",
        {"source": "[i]Edited[/i]", "reason": "typo", "base_revision": 1},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert "<em>Edited</em>" in response.json()["html"]
    history = client.get(f"/api/v1/posts/{first_post.pk}/history").json()
    assert [h["reason"] for h in history] == ["typo"]


def test_an_edit_from_an_old_revision_is_a_409_and_changes_nothing(
    token_client, member, first_post
) -> None:
    client = token_client(member)
    client.patch(f"/api/v1/posts/{first_post.pk}", {"source": "one"}, content_type=JSON)
    stale = client.patch(
        f"/api/v1/posts/{first_post.pk}", {"source": "two", "base_revision": 1}, content_type=JSON
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "edit_conflict"
    assert Post.objects.get(pk=first_post.pk).source == "one"


def test_another_member_may_not_edit_or_delete(token_client, other, first_post) -> None:
    client = token_client(other)
    edit = client.patch(f"/api/v1/posts/{first_post.pk}", {"source": "x"}, content_type=JSON)
    assert edit.status_code == 403
    assert client.delete(f"/api/v1/posts/{first_post.pk}").status_code == 403
    assert Post.objects.get(pk=first_post.pk).state == State.VISIBLE


def test_a_guest_may_not_write(anon_client, first_post) -> None:
    response = anon_client.patch(
        f"/api/v1/posts/{first_post.pk}", {"source": "x"}, content_type=JSON
    )
    assert response.status_code == 401


def test_the_author_deletes_a_reply_and_it_becomes_a_placeholder(
    token_client, anon_client, thread, member
) -> None:
    reply = make_reply(thread, member, body="regret")
    response = token_client(member).delete(f"/api/v1/posts/{reply.pk}?reason=wrong+thread")
    assert response.status_code == 200
    assert Post.objects.get(pk=reply.pk).state == State.DELETED
    assert anon_client.get(f"/api/v1/posts/{reply.pk}").status_code == 404
    listed = anon_client.get(f"/api/v1/threads/{thread.pk}/posts").json()["items"]
    placeholder = next(p for p in listed if p["id"] == reply.pk)
    assert placeholder["html"] is None and placeholder["state"] == "deleted"


def test_reacting_sets_changes_and_takes_back_one_reaction(token_client, other, first_post):
    client = token_client(other)
    like, *rest = ReactionType.objects.filter(is_active=True)
    assert (
        client.put(
            f"/api/v1/posts/{first_post.pk}/reaction", {"type_id": like.pk}, content_type=JSON
        ).status_code
        == 200
    )
    client.put(
        f"/api/v1/posts/{first_post.pk}/reaction", {"type_id": rest[0].pk}, content_type=JSON
    )
    assert list(Reaction.objects.filter(post=first_post).values_list("type_id", flat=True)) == [
        rest[0].pk
    ]
    assert client.delete(f"/api/v1/posts/{first_post.pk}/reaction").status_code == 200
    assert not Reaction.objects.filter(post=first_post).exists()


def test_an_unknown_reaction_is_a_400_and_records_nothing(token_client, other, first_post):
    response = token_client(other).put(
        f"/api/v1/posts/{first_post.pk}/reaction", {"type_id": 999}, content_type=JSON
    )
    assert response.status_code == 400
    assert "type_id" in response.json()["error"]["fields"]
    assert not Reaction.objects.exists()


def test_reporting_opens_a_case_and_a_second_report_is_refused(token_client, other, first_post):
    client = token_client(other)
    response = client.post(
        f"/api/v1/posts/{first_post.pk}/reports", {"text": "spam link"}, content_type=JSON
    )
    assert response.status_code == 201
    assert ReportCase.objects.get(pk=response.json()["case_id"]).post_id == first_post.pk
    again = client.post(
        f"/api/v1/posts/{first_post.pk}/reports", {"text": "spam"}, content_type=JSON
    )
    assert again.status_code == 400
    assert "already reported" in again.json()["error"]["message"]


def test_an_empty_report_is_a_400(token_client, other, first_post) -> None:
    response = token_client(other).post(
        f"/api/v1/posts/{first_post.pk}/reports", {}, content_type=JSON
    )
    assert response.status_code == 400
    assert not ReportCase.objects.exists()


def test_a_post_in_a_hidden_forum_is_a_404(token_client, member, staff_forum, moderator):
    from tests.factories import make_thread

    hidden = make_thread(staff_forum, moderator, title="Secret", body="x")
    response = token_client(member).get(f"/api/v1/posts/{hidden.first_post_id}")
    assert response.status_code == 404


def _count(django_assert_num_queries, client, method, url, n, **kwargs):
    getattr(client, method)(url, **kwargs)  # warm the caches a first request fills
    with django_assert_num_queries(n):
        response = getattr(client, method)(url, **kwargs)
    return response


@pytest.mark.parametrize("replies", [2, 6])
def test_a_thread_page_of_posts_costs_the_same_queries_however_long(
    anon_client, thread, other, replies, django_assert_num_queries
) -> None:
    for i in range(replies):
        make_reply(thread, other, body=f"r{i}")
    response = _count(
        django_assert_num_queries, anon_client, "get", f"/api/v1/threads/{thread.pk}/posts", 3
    )
    assert len(response.json()["items"]) == replies + 1


@pytest.mark.parametrize("replies", [2, 6])
def test_the_forum_thread_list_costs_the_same_queries_however_long(
    anon_client, forum, member, replies, django_assert_num_queries
) -> None:
    from tests.factories import make_thread

    for i in range(replies):
        make_thread(forum, member, title=f"T{i}", body="b")
    response = _count(
        django_assert_num_queries, anon_client, "get", f"/api/v1/forums/{forum.pk}/threads", 3
    )
    assert len(response.json()["items"]) == replies


def test_reading_one_post_with_a_token_costs_fixed_queries(
    token_client, member, first_post, django_assert_num_queries
) -> None:
    client = token_client(member, "read")
    _count(django_assert_num_queries, client, "get", f"/api/v1/posts/{first_post.pk}", 3)


def test_a_reply_through_the_api_costs_fixed_queries(
    token_client, member, thread, django_assert_num_queries
) -> None:
    client = token_client(member)
    client.post(f"/api/v1/threads/{thread.pk}/posts", {"source": "warm"}, content_type=JSON)
    with django_assert_num_queries(16):
        response = client.post(
            f"/api/v1/threads/{thread.pk}/posts", {"source": "counted"}, content_type=JSON
        )
    assert response.status_code == 201


def test_session_reads_need_no_csrf(member) -> None:
    client = client_for(member)
    assert client.get("/api/v1/forums").status_code == 200
