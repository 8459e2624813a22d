"""Thread pages found through the (thread, id, state, author) index: page boundaries,
deleted placeholders and posts awaiting approval, and `/posts/<id>/` landing on the page
that shows the post, for guests, authors and moderators (docs/caching.md, deep paging)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parley.forums import moderation
from parley.forums.models import Post, State, Thread
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply

pytestmark = pytest.mark.django_db

PER_PAGE = 3


@pytest.fixture
def long_thread(thread: Thread, settings, admin: Member) -> Thread:  # type: ignore[no-untyped-def]
    """Ten posts (#1 … #10), three a page; #4 soft-deleted, #6 awaiting approval by bob."""
    settings.PARLEY_POSTS_PER_PAGE = PER_PAGE
    for i in range(2, 11):
        make_reply(thread, MemberFactory(), f"post number {i}.")
    ids = ids_of(thread)
    moderation.soft_delete_post(actor=admin, post=Post.objects.get(pk=ids[3]), reason="off topic")
    Post.objects.filter(pk=ids[5]).update(state=State.PENDING, author=MemberFactory(username="bob"))
    return thread


def ids_of(thread: Thread) -> list[int]:
    return list(Post.objects.filter(thread=thread).order_by("id").values_list("id", flat=True))


def shown(client: Client, thread: Thread, page: int) -> list[int]:
    body = client.get(f"/threads/{thread.pk}/?page={page}").content.decode()
    return [int(n) for n in re.findall(r'data-post-id="(\d+)"', body)]


def test_guests_page_through_visible_posts_and_placeholders(
    anon_client: Client, long_thread: Thread
) -> None:
    ids = ids_of(long_thread)
    seen = ids[:5] + ids[6:]  # the pending post is not theirs to see; the deleted one shows
    assert shown(anon_client, long_thread, 1) == seen[0:3]
    assert shown(anon_client, long_thread, 2) == seen[3:6]
    assert shown(anon_client, long_thread, 3) == seen[6:9]
    assert anon_client.get(f"/threads/{long_thread.pk}/?page=4").status_code == 404


def test_the_author_of_a_pending_post_sees_it_in_place(long_thread: Thread) -> None:
    ids = ids_of(long_thread)
    bob = Member.objects.get(username="bob")
    client = client_for(bob)
    assert shown(client, long_thread, 2) == ids[3:6]
    assert shown(client, long_thread, 4) == ids[9:10]


def test_moderators_see_every_post_in_order(long_thread: Thread, admin: Member) -> None:
    ids = ids_of(long_thread)
    client = client_for(admin)
    pages = [shown(client, long_thread, n) for n in (1, 2, 3, 4)]
    assert [pk for page in pages for pk in page] == ids


@pytest.mark.parametrize("position", [0, 2, 3, 4, 7, 9])
def test_a_post_link_lands_on_the_page_that_shows_it_for_a_guest(
    anon_client: Client, long_thread: Thread, position: int
) -> None:
    post_id = ids_of(long_thread)[position]
    response = anon_client.get(f"/posts/{post_id}/")
    assert response.status_code == 302
    location = response["Location"]
    page = int(location.split("page=")[1].split("#")[0]) if "page=" in location else 1
    assert post_id in shown(anon_client, long_thread, page)
    assert location.endswith(f"#post-{post_id}")


def test_a_post_link_counts_the_pending_post_only_for_who_sees_it(
    anon_client: Client, long_thread: Thread
) -> None:
    ids = ids_of(long_thread)
    bob = client_for(Member.objects.get(username="bob"))
    # #7 is the 6th post a guest sees (page 2) and the 7th bob sees (page 3)
    assert anon_client.get(f"/posts/{ids[6]}/")["Location"].endswith(f"?page=2#post-{ids[6]}")
    assert bob.get(f"/posts/{ids[6]}/")["Location"].endswith(f"?page=3#post-{ids[6]}")
    assert anon_client.get(f"/posts/{ids[5]}/").status_code == 404


def test_post_numbers_continue_across_pages(anon_client: Client, long_thread: Thread) -> None:
    body = anon_client.get(f"/threads/{long_thread.pk}/?page=2").content.decode()
    assert re.findall(r'class="permalink"[^>]*>#(\d+)<', body) == ["4", "5", "6"]
