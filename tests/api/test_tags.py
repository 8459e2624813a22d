"""Tags through the API: a tag's threads (the tag page's query, permission-filtered, paged
by cursor) and changing a thread's tags and prefix afterwards (the edit-labels page's form
and services, for the starter and moderators who may edit)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.tags import services
from parley.tags.models import ForumTagging, TagMode, ThreadPrefix, ThreadPrefixChoice
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


def tagged(forum: Forum, author: Member, title: str, *names: str) -> Thread:
    thread = make_thread(forum, author, title=title)
    services.set_thread_tags(actor=author, thread=thread, names=list(names))
    return thread


def tag_names(thread: Thread) -> list[str]:
    return sorted(thread.tag_links.values_list("tag__name", flat=True))


# --- GET /tags/{slug}/threads --------------------------------------------------------------


def test_a_tags_threads_newest_activity_first_with_their_labels(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    older = tagged(forum, member, "Older", "shipping")
    newer = tagged(forum, member, "Newer", "shipping", "Gulf")
    tagged(forum, member, "Elsewhere", "weather")
    prefix = ThreadPrefix.objects.create(forum=forum, label="Breaking", style="red")
    services.set_thread_prefix(actor=member, thread=newer, prefix_id=prefix.pk)
    body = anon_client.get("/api/v1/tags/shipping/threads").json()
    assert [t["id"] for t in body["items"]] == [newer.pk, older.pk]
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first["title"] == "Newer" and first["forum_title"] == forum.title
    assert first["labels"]["prefix"] == {"id": prefix.pk, "label": "Breaking", "style": "red"}
    assert [t["slug"] for t in first["labels"]["tags"]] == ["gulf", "shipping"]
    assert first["labels"]["tags"][1]["url"] == "/tags/shipping/"


def test_a_tags_threads_page_by_cursor(anon_client: Client, forum: Forum, member: Member) -> None:
    made = [tagged(forum, member, f"T{i}", "oil") for i in range(3)]
    first = anon_client.get("/api/v1/tags/oil/threads", {"limit": 2}).json()
    assert [t["id"] for t in first["items"]] == [made[2].pk, made[1].pk]
    second = anon_client.get(
        "/api/v1/tags/oil/threads", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [t["id"] for t in second["items"]] == [made[0].pk] and second["next_cursor"] is None


def test_a_tags_threads_leave_out_hidden_forums(
    anon_client: Client, token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = tagged(staff_forum, moderator, "Staff notes", "oil")
    for client in (anon_client, token_client(other, "read")):
        assert client.get("/api/v1/tags/oil/threads").json()["items"] == []
    staff = token_client(moderator, "read").get("/api/v1/tags/oil/threads").json()
    assert [t["id"] for t in staff["items"]] == [hidden.pk]


def test_an_unknown_tag_or_a_bad_cursor_is_refused(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    response = anon_client.get("/api/v1/tags/no-such-tag/threads")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    tagged(forum, member, "One", "oil")
    response = anon_client.get("/api/v1/tags/oil/threads", {"cursor": "!!nope"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_cursor"


@pytest.mark.parametrize("count", [2, 5])
def test_a_tags_threads_cost_the_same_queries_for_2_or_5(
    token_client: Any,
    forum: Forum,
    member: Member,
    other: Member,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(count):
        tagged(forum, member, f"T{i}", "oil", "gas")
    client = token_client(other, "read")
    client.get("/api/v1/tags/oil/threads")  # warms the permission set
    # the token, the tag, the permissions version, the page, the labels (2)
    with django_assert_num_queries(6):
        body = client.get("/api/v1/tags/oil/threads").json()
    assert len(body["items"]) == count


# --- PUT /threads/{id}/labels --------------------------------------------------------------


def test_the_starter_changes_tags_and_prefix(
    token_client: Any, thread: Thread, member: Member, forum: Forum
) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["old"])
    prefix = ThreadPrefix.objects.create(forum=forum, label="Analysis", style="blue")
    response = token_client(member).put(
        f"/api/v1/threads/{thread.pk}/labels",
        {"tags": ["Shipping", "Gulf"], "prefix_id": prefix.pk},
        content_type=JSON,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["prefix"] == {"id": prefix.pk, "label": "Analysis", "style": "blue"}
    assert [t["slug"] for t in body["tags"]] == ["gulf", "shipping"]
    assert tag_names(thread) == ["gulf", "shipping"]
    assert ThreadPrefixChoice.objects.get(thread=thread).prefix == prefix
    # and back to none of either
    cleared = token_client(member).put(
        f"/api/v1/threads/{thread.pk}/labels", {"tags": [], "prefix_id": None}, content_type=JSON
    )
    assert cleared.json() == {"prefix": None, "tags": []}
    assert tag_names(thread) == [] and not ThreadPrefixChoice.objects.exists()


def test_a_moderator_may_change_anothers_thread_labels(
    token_client: Any, thread: Thread, moderator: Member
) -> None:
    response = token_client(moderator).put(
        f"/api/v1/threads/{thread.pk}/labels", {"tags": ["oil"]}, content_type=JSON
    )
    assert response.status_code == 200 and tag_names(thread) == ["oil"]


def test_another_member_may_not_change_the_labels(
    token_client: Any, thread: Thread, member: Member, other: Member
) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["kept"])
    response = token_client(other).put(
        f"/api/v1/threads/{thread.pk}/labels", {"tags": ["vandal"]}, content_type=JSON
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert tag_names(thread) == ["kept"]


def test_labels_of_a_thread_you_cannot_see_is_a_404(
    token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret")
    for thread_id in (hidden.pk, 999999):
        response = token_client(other).put(
            f"/api/v1/threads/{thread_id}/labels", {"tags": ["x"]}, content_type=JSON
        )
        assert response.status_code == 404
    assert tag_names(hidden) == []


def test_guests_and_read_only_tokens_cannot_change_labels(
    anon_client: Client, token_client: Any, thread: Thread, member: Member
) -> None:
    url = f"/api/v1/threads/{thread.pk}/labels"
    assert anon_client.put(url, {"tags": ["x"]}, content_type=JSON).status_code == 401
    assert (
        token_client(member, "read").put(url, {"tags": ["x"]}, content_type=JSON).status_code == 403
    )
    assert tag_names(thread) == []


def test_labels_breaking_the_forums_rules_are_refused_and_change_nothing(
    token_client: Any, thread: Thread, member: Member, forum: Forum
) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["kept"])
    ForumTagging.objects.create(forum=forum, mode=TagMode.FREE, max_tags=1)
    ThreadPrefix.objects.create(forum=forum, label="Breaking")
    client = token_client(member)
    url = f"/api/v1/threads/{thread.pk}/labels"
    too_many = client.put(url, {"tags": ["a", "b"]}, content_type=JSON)
    assert too_many.status_code == 400 and "tags" in too_many.json()["error"]["fields"]
    bad_prefix = client.put(url, {"tags": ["kept"], "prefix_id": 99999}, content_type=JSON)
    assert bad_prefix.status_code == 400 and "prefix_id" in bad_prefix.json()["error"]["fields"]
    not_a_list = client.put(url, {"tags": "a, b"}, content_type=JSON)
    assert not_a_list.status_code == 422 and "tags" in not_a_list.json()["error"]["fields"]
    assert tag_names(thread) == ["kept"] and not ThreadPrefixChoice.objects.exists()


def test_changing_labels_costs_a_fixed_number_of_queries(
    token_client: Any, thread: Thread, member: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    url = f"/api/v1/threads/{thread.pk}/labels"
    client.put(url, {"tags": ["a"]}, content_type=JSON)
    # the token, the thread, the permissions version, the form's rule and prefixes, the
    # service (its rule again, the tags, one insert per new tag, the swap, the event), the
    # labels read back
    with django_assert_num_queries(22):
        assert client.put(url, {"tags": ["b", "c"]}, content_type=JSON).status_code == 200
