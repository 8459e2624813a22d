"""The live-event pages and the thread page's panel: success, guest, wrong person, bad
input, wrong method, and exact query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.forums import moderation as forum_moderation
from parley.forums.forms import new_token
from parley.forums.models import Forum, Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent, TimelineEntry
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _page(client: Client, thread: Thread) -> str:
    return client.get(f"/threads/{thread.pk}/").content.decode()


# --- the thread page ---


def test_thread_page_shows_the_timeline_linking_each_entry_to_its_post(
    anon_client: Client, entry: TimelineEntry, thread: Thread
) -> None:
    page = _page(anon_client, thread)
    assert "Key developments" in page
    assert f'<a href="/posts/{entry.post_id}/">Talks resume on Monday</a>' in page
    assert "Pin a post" not in page and "csrfmiddlewaretoken" not in page


def test_timeline_is_on_every_page_of_the_thread(
    anon_client: Client, entry: TimelineEntry, thread: Thread
) -> None:
    for i in range(21):
        make_reply(thread, MemberFactory(), f"more {i}")
    page2 = anon_client.get(f"/threads/{thread.pk}/?page=2").content.decode()
    assert "Talks resume on Monday" in page2


def test_starter_sees_the_tools_and_a_reader_does_not(
    member_client: Client, other_client: Client, entry: TimelineEntry, thread: Thread
) -> None:
    page = _page(member_client, thread)
    assert f"/threads/{thread.pk}/timeline/pin/" in page
    assert f"/timeline/{entry.pk}/unpin/" in page and "liveevents/pin.js" in page
    assert "/timeline/pin/" not in _page(other_client, thread)


def test_an_entry_about_a_deleted_post_does_not_show(
    other_client: Client, entry: TimelineEntry, update: Post, moderator: Member, thread: Thread
) -> None:
    forum_moderation.soft_delete_post(actor=moderator, post=update)
    assert "Talks resume on Monday" not in _page(other_client, thread)


def test_slow_mode_is_announced_on_the_thread(
    anon_client: Client, thread: Thread, member: Member
) -> None:
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=120)
    assert "each member may post once every 2 minutes" in _page(anon_client, thread)


def test_starter_of_an_ordinary_thread_is_offered_to_make_it_live(
    member_client: Client, other_client: Client, anon_client: Client, thread: Thread
) -> None:
    assert "Make this a live event" in _page(member_client, thread)
    assert "Make this a live event" not in _page(other_client, thread)
    assert "Make this a live event" not in _page(anon_client, thread)


def test_a_closed_part_says_where_the_live_event_continues(
    anon_client: Client, thread: Thread, member: Member
) -> None:
    live = services.mark_live_event(actor=member, thread=thread, post_limit=20)
    part2 = make_thread(thread.forum, member, title="Water talks stall (part 2)")
    LiveEvent.objects.filter(pk=live.pk).update(next_thread=part2)
    LiveEvent.objects.create(
        thread=part2, post_limit=20, part=2, previous_thread=thread, marked_at=live.marked_at
    )
    first = _page(anon_client, thread)
    assert f'continues in <a href="/threads/{part2.pk}/">part 2</a>' in first
    second = _page(anon_client, part2)
    assert f'Continued from <a href="/threads/{thread.pk}/">part 1</a>' in second
    # unmarked later, the closed part still says where the event went
    services.unmark_live_event(actor=member, thread=thread)
    closed = anon_client.get(f"/threads/{thread.pk}/?again").content.decode()
    assert "Key developments" not in closed
    assert f'It continues in <a href="/threads/{part2.pk}/">part 2</a>' in closed


def test_an_ordinary_thread_page_costs_no_extra_query(
    thread: Thread, django_assert_num_queries: Any
) -> None:
    """The same 6 queries as tests/forums/test_views.py pins while the thread is unchanged:
    the live-event row comes joined with the thread, which is kept (stamps.per_thread)."""
    client = client_for(MemberFactory())
    make_reply(thread, MemberFactory())
    client.get(f"/threads/{thread.pk}/")
    with django_assert_num_queries(6):
        client.get(f"/threads/{thread.pk}/")


def test_a_live_thread_page_costs_one_query_more(
    entry: TimelineEntry, thread: Thread, django_assert_num_queries: Any
) -> None:
    client = client_for(MemberFactory())
    client.get(f"/threads/{thread.pk}/")
    with django_assert_num_queries(6 + 1):  # the timeline
        client.get(f"/threads/{thread.pk}/")


# --- marking and settings ---


def test_settings_page_for_the_starter(member_client: Client, thread: Thread) -> None:
    response = member_client.get(f"/threads/{thread.pk}/live/")
    assert response.status_code == 200
    assert "Make this thread a live event" in response.content.decode()


def test_marking_a_thread_live_through_the_form(
    member_client: Client, thread: Thread, member: Member
) -> None:
    response = member_client.post(
        f"/threads/{thread.pk}/live/", {"slow_mode_seconds": "60", "post_limit": "500"}
    )
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/"
    live = LiveEvent.objects.get(thread=thread)
    assert (live.slow_mode_seconds, live.post_limit, live.marked_by) == (60, 500, member)


def test_changing_options_and_unmarking(
    member_client: Client, live: LiveEvent, thread: Thread
) -> None:
    member_client.post(
        f"/threads/{thread.pk}/live/", {"slow_mode_seconds": "30", "post_limit": "50"}
    )
    assert LiveEvent.objects.get(pk=live.pk).slow_mode_seconds == 30
    member_client.post(f"/threads/{thread.pk}/live/", {"action": "unmark"})
    assert not LiveEvent.objects.get(pk=live.pk).is_active


def test_settings_bad_input_is_400_and_changes_nothing(
    member_client: Client, thread: Thread
) -> None:
    for data in (
        {"slow_mode_seconds": "7", "post_limit": "500"},
        {"slow_mode_seconds": "0", "post_limit": "5"},
        {"slow_mode_seconds": "x", "post_limit": "many"},
    ):
        response = member_client.post(f"/threads/{thread.pk}/live/", data)
        assert response.status_code == 400
    assert not LiveEvent.objects.exists()


def test_settings_guest_is_sent_to_sign_in(anon_client: Client, thread: Thread) -> None:
    response = anon_client.get(f"/threads/{thread.pk}/live/")
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_settings_wrong_person_is_403_and_hidden_thread_404(
    other_client: Client, thread: Thread, staff_forum: Forum, moderator: Member
) -> None:
    assert other_client.get(f"/threads/{thread.pk}/live/").status_code == 403
    assert other_client.post(f"/threads/{thread.pk}/live/", {"action": "unmark"}).status_code == 403
    hidden = make_thread(staff_forum, moderator)
    assert other_client.get(f"/threads/{hidden.pk}/live/").status_code == 404


def test_settings_wrong_method_is_405(member_client: Client, thread: Thread) -> None:
    assert member_client.put(f"/threads/{thread.pk}/live/").status_code == 405


def test_settings_query_count(
    member_client: Client, thread: Thread, django_assert_num_queries: Any
) -> None:
    member_client.get(f"/threads/{thread.pk}/live/")
    # session, member, permission version, the thread with its forum, starter, live event
    with django_assert_num_queries(4):
        member_client.get(f"/threads/{thread.pk}/live/")


# --- pinning ---


def test_pin_form_filled_in_from_the_post_link(
    member_client: Client, live: LiveEvent, update: Post, thread: Thread
) -> None:
    response = member_client.get(f"/threads/{thread.pk}/timeline/pin/?post={update.pk}")
    assert response.status_code == 200
    assert f'value="{update.pk}"' in response.content.decode()


def test_pinning_through_the_form_by_link(
    member_client: Client, live: LiveEvent, update: Post, thread: Thread
) -> None:
    response = member_client.post(
        f"/threads/{thread.pk}/timeline/pin/",
        {
            "post": f"http://testserver/posts/{update.pk}/",
            "summary": "Talks resume",
            "happened_at": "",
        },
    )
    entry = TimelineEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/threads/{thread.pk}/#timeline-{entry.pk}"
    assert entry.post == update and entry.happened_at == update.created_at


def test_pinning_with_a_time(
    member_client: Client, live: LiveEvent, update: Post, thread: Thread
) -> None:
    member_client.post(
        f"/threads/{thread.pk}/timeline/pin/",
        {"post": str(update.pk), "summary": "Talks resume", "happened_at": "2026-03-01T14:30"},
    )
    assert TimelineEntry.objects.get().happened_at.strftime("%Y-%m-%d %H:%M") == "2026-03-01 14:30"


def test_pin_bad_input_is_400_and_pins_nothing(
    member_client: Client, live: LiveEvent, update: Post, thread: Thread, forum: Forum
) -> None:
    elsewhere = make_thread(forum, MemberFactory())
    url = f"/threads/{thread.pk}/timeline/pin/"
    for data in (
        {"post": "not a post", "summary": "x"},
        {"post": str(elsewhere.first_post_id), "summary": "x"},
        {"post": "999999999", "summary": "x"},
        {"post": str(update.pk), "summary": ""},
        {"post": str(update.pk), "summary": "ok", "happened_at": "yesterday"},
        {"post": str(update.pk), "summary": "y" * 141},
    ):
        response = member_client.post(url, data)
        assert response.status_code == 400, data
    assert not TimelineEntry.objects.exists()


def test_pin_guest_wrong_person_and_not_live(
    anon_client: Client, other_client: Client, member_client: Client, thread: Thread, update: Post
) -> None:
    url = f"/threads/{thread.pk}/timeline/pin/"
    assert anon_client.get(url).status_code == 302
    response = member_client.get(url)  # not live yet: sent to the settings page
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/live/"
    services.mark_live_event(actor=Member.objects.get(username="alice"), thread=thread)
    assert other_client.post(url, {"post": str(update.pk), "summary": "x"}).status_code == 403
    assert not TimelineEntry.objects.exists()


def test_pin_query_count(
    member_client: Client,
    live: LiveEvent,
    update: Post,
    thread: Thread,
    django_assert_num_queries: Any,
) -> None:
    member_client.get(f"/threads/{thread.pk}/timeline/pin/")
    with django_assert_num_queries(4):
        member_client.get(f"/threads/{thread.pk}/timeline/pin/")


# --- editing and unpinning ---


def test_edit_entry(member_client: Client, entry: TimelineEntry, thread: Thread) -> None:
    url = f"/timeline/{entry.pk}/edit/"
    assert "Talks resume on Monday" in member_client.get(url).content.decode()
    response = member_client.post(url, {"summary": "Talks resume Tuesday", "happened_at": ""})
    assert response.status_code == 302
    stored = TimelineEntry.objects.get(pk=entry.pk)
    assert stored.summary == "Talks resume Tuesday" and stored.happened_at == entry.happened_at


def test_edit_entry_bad_input_guest_and_wrong_person(
    member_client: Client, other_client: Client, anon_client: Client, entry: TimelineEntry
) -> None:
    url = f"/timeline/{entry.pk}/edit/"
    assert member_client.post(url, {"summary": ""}).status_code == 400
    assert anon_client.get(url).status_code == 302
    assert other_client.get(url).status_code == 403
    assert other_client.post(url, {"summary": "mine"}).status_code == 403
    assert member_client.get("/timeline/999999/edit/").status_code == 404
    assert TimelineEntry.objects.get(pk=entry.pk).summary == "Talks resume on Monday"


def test_edit_entry_query_count(
    member_client: Client, entry: TimelineEntry, django_assert_num_queries: Any
) -> None:
    member_client.get(f"/timeline/{entry.pk}/edit/")
    # session, member, permission version, the entry with its live event, thread and post
    with django_assert_num_queries(4):
        member_client.get(f"/timeline/{entry.pk}/edit/")


def test_unpin(
    member_client: Client,
    other_client: Client,
    anon_client: Client,
    entry: TimelineEntry,
    thread: Thread,
) -> None:
    url = f"/timeline/{entry.pk}/unpin/"
    assert member_client.get(url).status_code == 405
    assert anon_client.post(url).status_code == 302
    assert other_client.post(url).status_code == 403
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()
    response = member_client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/#timeline"
    assert not TimelineEntry.objects.exists()
    assert member_client.post(url).status_code == 404


def test_unpin_query_count(
    member_client: Client, entry: TimelineEntry, thread: Thread, django_assert_num_queries: Any
) -> None:
    member_client.get(f"/threads/{thread.pk}/")  # warm the permission cache
    with django_assert_num_queries(9):
        member_client.post(f"/timeline/{entry.pk}/unpin/")


# --- slow mode through the reply form ---


def test_replying_too_soon_keeps_the_text_and_says_how_long_to_wait(
    other_client: Client, thread: Thread, member: Member, other: Member
) -> None:
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=300)
    make_reply(thread, other, "first take")
    response = other_client.post(
        f"/threads/{thread.pk}/reply/",
        {"source": "My second take on the talks", "format": "bbcode", "token": new_token()},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "once every 5 minutes" in page and "You can post again in 5 minutes" in page
    assert "My second take on the talks" in page
    assert not Post.objects.filter(source="My second take on the talks").exists()
