"""Who's online: page views note members and guests in memory (no write on a GET), the
buffers flush in batches, and the online page and block read what was flushed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from parley.core import writebuffer
from parley.members.models import Member
from parley.people import online
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def writes(queries: list[dict[str, str]]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_page_view_writes_nothing_and_the_flush_records_last_seen(
    member: Member, thread: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(member)
    with django_assert_max_num_queries(100) as seen:
        assert client.get(f"/threads/{thread.pk}/").status_code == 200
        assert client.get("/members/").status_code == 200
        assert client.get("/online/").status_code == 200
    assert writes(seen.captured_queries) == []
    assert Member.objects.get(pk=member.pk).last_seen_at is None
    writebuffer.flush_all()
    assert Member.objects.get(pk=member.pk).last_seen_at is not None
    assert 'href="/members/alice/"' in Client().get("/online/").content.decode()


def test_a_guest_page_view_writes_nothing_even_on_a_cache_miss(
    anon_client: Client, thread: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(100) as seen:
        anon_client.get(f"/threads/{thread.pk}/")
        anon_client.get("/")
    assert writes(seen.captured_queries) == []


def test_guests_are_counted_once_each_and_their_addresses_are_not_kept(
    thread: Any,
) -> None:
    for address in ("203.0.113.7", "203.0.113.7", "198.51.100.20"):
        Client(REMOTE_ADDR=address).get(f"/threads/{thread.pk}/")  # hits after the first
    writebuffer.flush_all()
    assert online.guest_count() == 2
    stored = caches["shared"].get(online.GUESTS_KEY)
    assert len(stored) == 2
    assert not any("203.0.113.7" in key or "198.51.100.20" in key for key in stored)
    page = Client(REMOTE_ADDR="203.0.113.7").get("/online/").content.decode()
    assert "0 members and 2 guests" in page


def test_guests_outside_the_window_are_no_longer_counted(settings: Any) -> None:
    online._write_guests({"old": 1.0, "fresh": 9e12})
    assert online.guest_count() == 1


def test_a_member_hidden_from_online_is_listed_for_admins_only(
    member: Member, other: Member, admin: Member
) -> None:
    Member.objects.filter(pk=other.pk).update(show_online=False)
    for person in (member, other):
        client_for(person).get("/")
    writebuffer.flush_all()
    listing = client_for(member).get("/online/").content.decode()
    assert 'href="/members/alice/"' in listing and 'href="/members/bob/"' not in listing
    for_admin = client_for(admin).get("/online/").content.decode()
    assert 'href="/members/bob/">bob</a> <span class="muted">(hidden)</span>' in for_admin
    # Nor does bob's profile say when he was last seen, except to himself.
    assert "Last seen" not in client_for(member).get("/members/bob/").content.decode()
    assert "Last seen" in client_for(other).get("/members/bob/").content.decode()
    assert "Last seen" in client_for(other).get("/members/alice/").content.decode()


def test_the_forum_index_shows_the_online_block(member: Member, anon_client: Client) -> None:
    client_for(member).get("/")
    writebuffer.flush_all()
    caches["pages"].clear()
    block = anon_client.get("/").content.decode()
    assert "Who's online" in block and 'href="/members/alice/">alice</a>' in block


def test_the_privacy_setting_is_saved_from_the_profile_form(
    member_client: Client, member: Member
) -> None:
    member_client.post("/account/profile/", {"country": "", "location": "", "about": ""})
    assert Member.objects.get(pk=member.pk).show_online is False


@pytest.mark.parametrize("how_many", [2, 12])
def test_online_page_query_count_does_not_grow(
    how_many: int, django_assert_num_queries: Any
) -> None:
    from tests.factories import MemberFactory

    for i in range(how_many):
        client_for(MemberFactory(username=f"o{i}")).get("/")
    writebuffer.flush_all()
    with django_assert_num_queries(1):  # the online members; guests come from the cache
        response = Client().get("/online/")
    assert f"{how_many} members" in response.content.decode()
