"""Forums, threads and posts through the API: guests, tokens, hidden forums, paging."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.forums.models import Post, Thread
from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_api_index_names_its_documents(anon_client: Client) -> None:
    body = anon_client.get("/api/v1/").json()
    assert body["openapi"] == "/api/v1/openapi.json"
    assert body["docs"] == "/api/v1/docs/"


def test_the_openapi_document_is_version_3_1(anon_client: Client) -> None:
    doc = anon_client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/threads/{thread_id}/posts" in doc["paths"]


def test_a_guest_lists_public_forums_but_not_the_staff_room(anon_client, forum, staff_forum):
    titles = [f["title"] for f in anon_client.get("/api/v1/forums").json()]
    assert forum.title in titles
    assert staff_forum.title not in titles


def test_a_hidden_forum_is_a_404_in_the_error_shape(anon_client, staff_forum) -> None:
    response = anon_client.get(f"/api/v1/forums/{staff_forum.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No such forum.", "fields": {}}
    }


def test_thread_posts_page_by_cursor_without_repeats(anon_client, thread, other) -> None:
    for i in range(4):
        make_reply(thread, other, body=f"reply {i}")
    first = anon_client.get(f"/api/v1/threads/{thread.pk}/posts", {"limit": 3}).json()
    assert len(first["items"]) == 3
    second = anon_client.get(
        f"/api/v1/threads/{thread.pk}/posts", {"limit": 3, "cursor": first["next_cursor"]}
    ).json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert ids == list(
        Post.objects.filter(thread=thread).order_by("id").values_list("id", flat=True)
    )
    assert second["next_cursor"] is None


def test_a_forged_cursor_is_a_400_not_a_500(anon_client, thread) -> None:
    for cursor in ["!!!", "WzEsMl0", "WyJ4Il0", "bnVsbA", "W3RydWVd"]:
        response = anon_client.get(f"/api/v1/threads/{thread.pk}/posts", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["error"]["code"] == "bad_cursor"


def test_a_token_with_write_scope_starts_a_thread_and_replies(token_client, member, forum):
    client = token_client(member, "read", "write")
    response = client.post(
        f"/api/v1/forums/{forum.pk}/threads",
        {"title": "Ceasefire holds", "source": "It [b]holds[/b]."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    assert thread.author == member
    reply = client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": "So far.", "idempotency_key": "retry-0001"},
        content_type="application/json",
    )
    assert reply.status_code == 201
    again = client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": "So far.", "idempotency_key": "retry-0001"},
        content_type="application/json",
    )
    assert again.json()["id"] == reply.json()["id"]
    assert Post.objects.filter(thread=thread).count() == 2


def test_a_read_only_token_may_not_write(token_client, member, forum) -> None:
    client = token_client(member, "read")
    response = client.post(
        f"/api/v1/forums/{forum.pk}/threads",
        {"title": "Nope", "source": "text"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "write scope" in response.json()["error"]["message"]
    assert not Thread.objects.filter(title="Nope").exists()


def test_a_wrong_token_is_a_401_even_where_guests_may_read(forum) -> None:
    client = Client(HTTP_AUTHORIZATION="Bearer parley_nonsense")
    response = client.get("/api/v1/forums")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_session_writes_need_the_csrf_token(member, forum) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        f"/api/v1/forums/{forum.pk}/threads",
        {"title": "No CSRF", "source": "text"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Thread.objects.filter(title="No CSRF").exists()


def test_bad_input_names_the_field_and_writes_nothing(token_client, member, forum) -> None:
    client = token_client(member)
    response = client.post(
        f"/api/v1/forums/{forum.pk}/threads", {"title": "No body"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "source" in response.json()["error"]["fields"]
    empty = client.post(
        f"/api/v1/forums/{forum.pk}/threads",
        {"title": "", "source": "x"},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid"
    assert Thread.objects.filter(forum=forum).count() == 0


def test_replying_is_rate_limited_with_the_pages_counter(token_client, member, thread) -> None:
    client = token_client(member)
    statuses = [
        client.post(
            f"/api/v1/threads/{thread.pk}/posts",
            {"source": f"n{i}"},
            content_type="application/json",
        ).status_code
        for i in range(7)
    ]
    assert statuses == [201] * 6 + [429]


def test_a_thread_in_a_hidden_forum_is_a_404(token_client, member, staff_forum, moderator):
    hidden = make_thread(staff_forum, moderator, title="Secret", body="x")
    response = token_client(member).get(f"/api/v1/threads/{hidden.pk}/posts")
    assert response.status_code == 404
