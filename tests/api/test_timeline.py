"""A live event's timeline through the API: read it as the thread page's panel shows it,
and pin a post to it as the "Pin to timeline" page does (the starter and moderators)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parley.forums import moderation as forum_moderation
from parley.forums.models import Forum, Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent, TimelineEntry
from parley.members.models import Member
from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def live(thread: Thread, member: Member) -> LiveEvent:
    """The starter (alice) marked her thread live."""
    return services.mark_live_event(actor=member, thread=thread)


@pytest.fixture
def update(thread: Thread, other: Member) -> Post:
    return make_reply(thread, other, "Officials confirm the talks resume on Monday.")


def timeline_url(thread: Thread) -> str:
    return f"/api/v1/threads/{thread.pk}/timeline"


# --- GET -----------------------------------------------------------------------------------


def test_the_timeline_in_the_order_things_happened(
    anon_client: Client, thread: Thread, live: LiveEvent, member: Member, other: Member
) -> None:
    later = make_reply(thread, other, "Later news")
    earlier = make_reply(thread, other, "Earlier news")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    first = services.pin_post(actor=member, post=later, summary="Later")
    second = services.pin_post(
        actor=member, post=earlier, summary="Earlier", happened_at=an_hour_ago
    )
    body = anon_client.get(timeline_url(thread)).json()
    assert body["is_live"] is True and body["can_manage"] is False
    assert [e["id"] for e in body["entries"]] == [second.pk, first.pk]
    assert body["entries"][0]["post_id"] == earlier.pk
    assert body["entries"][0]["post_url"] == f"/posts/{earlier.pk}/"
    assert body["entries"][0]["summary"] == "Earlier"


def test_the_starter_is_told_they_may_pin(
    token_client: Any, thread: Thread, live: LiveEvent, member: Member, other: Member
) -> None:
    assert token_client(member, "read").get(timeline_url(thread)).json()["can_manage"] is True
    assert token_client(other, "read").get(timeline_url(thread)).json()["can_manage"] is False


def test_a_thread_that_is_not_live_has_no_timeline(anon_client: Client, thread: Thread) -> None:
    assert anon_client.get(timeline_url(thread)).json() == {
        "is_live": False,
        "can_manage": False,
        "entries": [],
    }


def test_the_timeline_leaves_out_posts_the_reader_may_not_read(
    anon_client: Client,
    token_client: Any,
    thread: Thread,
    live: LiveEvent,
    update: Post,
    member: Member,
    moderator: Member,
) -> None:
    services.pin_post(actor=member, post=update, summary="Soon deleted")
    forum_moderation.soft_delete_post(post=update, actor=moderator, reason="wrong")
    assert anon_client.get(timeline_url(thread)).json()["entries"] == []
    staff = token_client(moderator, "read").get(timeline_url(thread)).json()
    assert len(staff["entries"]) == 1


def test_the_timeline_of_a_thread_you_cannot_see_is_a_404(
    token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret")
    services.mark_live_event(actor=moderator, thread=hidden)
    for url in (timeline_url(hidden), "/api/v1/threads/999999/timeline"):
        response = token_client(other, "read").get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("count", [2, 5])
def test_the_timeline_costs_the_same_queries_for_2_or_5_entries(
    token_client: Any,
    thread: Thread,
    live: LiveEvent,
    member: Member,
    other: Member,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(count):
        services.pin_post(actor=member, post=make_reply(thread, other, f"News {i}"), summary=f"{i}")
    client = token_client(other, "read")
    client.get(timeline_url(thread))  # warms the permission set
    # the token, the thread with its live event, the permissions version, the entries
    with django_assert_num_queries(4):
        assert len(client.get(timeline_url(thread)).json()["entries"]) == count


# --- POST ----------------------------------------------------------------------------------


def test_the_starter_pins_a_post_with_its_own_time(
    token_client: Any, thread: Thread, live: LiveEvent, update: Post, member: Member
) -> None:
    response = token_client(member).post(
        timeline_url(thread), {"post_id": update.pk, "summary": "Talks resume"}, content_type=JSON
    )
    assert response.status_code == 201
    entry = TimelineEntry.objects.get()
    assert response.json()["id"] == entry.pk and response.json()["post_id"] == update.pk
    assert entry.summary == "Talks resume" and entry.happened_at == update.created_at
    assert entry.pinned_by == member


def test_a_moderator_pins_with_a_time_of_their_choosing(
    token_client: Any, thread: Thread, live: LiveEvent, update: Post, moderator: Member
) -> None:
    when = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    response = token_client(moderator).post(
        timeline_url(thread),
        {"post_id": update.pk, "summary": "Earlier", "happened_at": when.isoformat()},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert TimelineEntry.objects.get().happened_at == when


def test_a_time_without_an_offset_is_read_in_the_sites_time_zone(
    token_client: Any, thread: Thread, live: LiveEvent, update: Post, member: Member
) -> None:
    naive = (timezone.localtime() - timedelta(hours=3)).replace(microsecond=0, tzinfo=None)
    response = token_client(member).post(
        timeline_url(thread),
        {"post_id": update.pk, "summary": "x", "happened_at": naive.isoformat()},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert TimelineEntry.objects.get().happened_at == timezone.make_aware(naive)


def test_another_member_may_not_pin(
    token_client: Any, thread: Thread, live: LiveEvent, update: Post, other: Member
) -> None:
    response = token_client(other).post(
        timeline_url(thread), {"post_id": update.pk, "summary": "Mine"}, content_type=JSON
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not TimelineEntry.objects.exists()


def test_guests_and_read_only_tokens_cannot_pin(
    anon_client: Client,
    token_client: Any,
    thread: Thread,
    live: LiveEvent,
    update: Post,
    member: Member,
) -> None:
    body = {"post_id": update.pk, "summary": "x"}
    assert anon_client.post(timeline_url(thread), body, content_type=JSON).status_code == 401
    read_only = token_client(member, "read")
    assert read_only.post(timeline_url(thread), body, content_type=JSON).status_code == 403
    assert not TimelineEntry.objects.exists()


def test_pinning_in_a_thread_that_is_not_live_is_a_409(
    token_client: Any, thread: Thread, update: Post, member: Member
) -> None:
    response = token_client(member).post(
        timeline_url(thread), {"post_id": update.pk, "summary": "x"}, content_type=JSON
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_live"
    assert not TimelineEntry.objects.exists()


def test_pinning_a_post_of_another_thread_or_twice_or_badly_is_refused(
    token_client: Any, forum: Forum, thread: Thread, live: LiveEvent, update: Post, member: Member
) -> None:
    elsewhere = make_thread(forum, member, title="Other")
    client = token_client(member)
    url = timeline_url(thread)
    foreign = client.post(
        url, {"post_id": elsewhere.first_post_id, "summary": "x"}, content_type=JSON
    )
    assert foreign.status_code == 400 and "post_id" in foreign.json()["error"]["fields"]
    blank = client.post(url, {"post_id": update.pk, "summary": "   "}, content_type=JSON)
    assert blank.status_code == 400 and "summary" in blank.json()["error"]["message"]
    long = client.post(url, {"post_id": update.pk, "summary": "x" * 141}, content_type=JSON)
    assert long.status_code == 422 and "summary" in long.json()["error"]["fields"]
    ancient = client.post(
        url,
        {"post_id": update.pk, "summary": "x", "happened_at": "2001-01-01T00:00:00Z"},
        content_type=JSON,
    )
    assert (
        ancient.status_code == 400 and "within the last year" in ancient.json()["error"]["message"]
    )
    assert not TimelineEntry.objects.exists()
    assert (
        client.post(url, {"post_id": update.pk, "summary": "x"}, content_type=JSON).status_code
        == 201
    )
    twice = client.post(url, {"post_id": update.pk, "summary": "again"}, content_type=JSON)
    assert (
        twice.status_code == 400 and "already on the timeline" in twice.json()["error"]["message"]
    )
    assert TimelineEntry.objects.count() == 1


def test_pinning_costs_a_fixed_number_of_queries(
    token_client: Any,
    thread: Thread,
    live: LiveEvent,
    update: Post,
    member: Member,
    other: Member,
    django_assert_num_queries: Any,
) -> None:
    warm = make_reply(thread, other, "warm")
    client = token_client(member)
    client.post(timeline_url(thread), {"post_id": warm.pk, "summary": "w"}, content_type=JSON)
    # the token, the thread, the permissions version, the post; the service's transaction
    # (the live event locked, the duplicate check, the entry, the event)
    with django_assert_num_queries(10):
        response = client.post(
            timeline_url(thread), {"post_id": update.pk, "summary": "x"}, content_type=JSON
        )
    assert response.status_code == 201
