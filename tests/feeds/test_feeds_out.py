"""RSS and Atom feeds out: only what a guest may read, conditional GET, exact queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from parley.forums import moderation as forum_moderation
from parley.forums.models import Forum, Thread, Visibility
from parley.members.models import Member
from parley.tags import services as tag_services
from tests.factories import ForumFactory, make_reply, make_thread

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def rss_titles(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    return [item.findtext("title") or "" for item in root.iter("item")]


def atom_titles(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def members_forum(db) -> Forum:
    return ForumFactory(title="Members lounge", visibility=Visibility.MEMBERS)


def test_site_feed_lists_new_public_threads_newest_first(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    make_thread(forum, member, title="Older thread")
    make_thread(forum, member, title="Newer thread")
    response = anon_client.get(reverse("feeds:site", args=["rss"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(response.content) == ["Newer thread", "Older thread"]


def test_site_feed_leaves_out_hidden_forums_even_for_a_signed_in_staff_member(
    forum: Forum, members_forum: Forum, staff_forum: Forum, member: Member, admin: Member
) -> None:
    make_thread(forum, member, title="Public talk")
    make_thread(members_forum, member, title="Members talk")
    make_thread(staff_forum, admin, title="Staff talk")
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("feeds:site", args=["atom"]))
    assert atom_titles(response.content) == ["Public talk"]


def test_forum_feed_in_atom_links_each_thread_absolutely(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    thread = make_thread(forum, member, title="Water talks stall", body="[b]Opening[/b] post")
    response = anon_client.get(reverse("feeds:forum", args=[forum.pk, "atom"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entry = next(root.iter(f"{ATOM}entry"))
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"http://testserver/threads/{thread.pk}/"
    assert "<strong>Opening</strong>" in (entry.findtext(f"{ATOM}summary") or "")


def test_forum_feed_of_a_forum_hidden_from_guests_is_404(
    members_forum: Forum, staff_forum: Forum, member_client: Client
) -> None:
    assert member_client.get(f"/forums/{members_forum.pk}/feed.rss").status_code == 404
    assert member_client.get(f"/forums/{staff_forum.pk}/feed.atom").status_code == 404
    assert member_client.get("/forums/999999/feed.rss").status_code == 404


def test_forum_feed_leaves_out_deleted_and_pending_threads(
    anon_client: Client, forum: Forum, member: Member, admin: Member
) -> None:
    make_thread(forum, member, title="Kept")
    gone = make_thread(forum, member, title="Removed")
    forum_moderation.soft_delete_thread(actor=admin, thread=gone, reason="spam")
    response = anon_client.get(f"/forums/{forum.pk}/feed.rss")
    assert rss_titles(response.content) == ["Kept"]


def test_thread_feed_lists_visible_posts_newest_first(
    anon_client: Client, thread: Thread, other: Member
) -> None:
    make_reply(thread, other, body="A sharp reply")
    response = anon_client.get(f"/threads/{thread.pk}/feed.rss")
    assert response.status_code == 200
    titles = rss_titles(response.content)
    assert titles == ["bob in “Water talks stall”", "alice in “Water talks stall”"]
    assert b"A sharp reply" in response.content


def test_thread_feed_of_a_hidden_or_deleted_thread_is_404(
    anon_client: Client, staff_forum: Forum, admin: Member, thread: Thread
) -> None:
    hidden = make_thread(staff_forum, admin, title="Staff only")
    assert anon_client.get(f"/threads/{hidden.pk}/feed.rss").status_code == 404
    forum_moderation.soft_delete_thread(actor=admin, thread=thread, reason="spam")
    assert anon_client.get(f"/threads/{thread.pk}/feed.atom").status_code == 404


def test_tag_feed_lists_public_tagged_threads_only(
    anon_client: Client, forum: Forum, staff_forum: Forum, member: Member, admin: Member
) -> None:
    tagged = make_thread(forum, member, title="Sanctions bite")
    make_thread(forum, member, title="Untagged")
    secret = make_thread(staff_forum, admin, title="Staff sanctions memo")
    tag_services.set_thread_tags(actor=member, thread=tagged, names=["sanctions"])
    tag_services.set_thread_tags(actor=admin, thread=secret, names=["sanctions"])
    response = anon_client.get("/tags/sanctions/feed.atom")
    assert response.status_code == 200
    assert atom_titles(response.content) == ["Sanctions bite"]
    assert anon_client.get("/tags/no-such-tag/feed.rss").status_code == 404


def test_unknown_format_is_404(anon_client: Client, forum: Forum) -> None:
    assert anon_client.get(f"/forums/{forum.pk}/feed.json").status_code == 404


def test_feeds_refuse_post(anon_client: Client, forum: Forum) -> None:
    assert anon_client.post(f"/forums/{forum.pk}/feed.rss").status_code == 405


def test_feeds_are_publicly_cacheable_even_for_a_signed_in_reader(
    member_client: Client, forum: Forum
) -> None:
    response = member_client.get(f"/forums/{forum.pk}/feed.atom")
    assert response["Cache-Control"] == "public, max-age=300"


def test_unchanged_feed_answers_304_to_its_etag_and_to_its_date(
    anon_client: Client, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/feed.atom"
    first = anon_client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    again = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    dated = anon_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert dated.status_code == 304


def test_a_new_post_changes_the_etag_so_the_reader_gets_it(
    anon_client: Client, thread: Thread, other: Member
) -> None:
    url = f"/threads/{thread.pk}/feed.rss"
    first = anon_client.get(url)
    make_reply(thread, other, body="News just in")
    after = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert b"News just in" in after.content


def test_feed_queries_do_not_grow_with_threads(
    anon_client: Client, forum: Forum, member: Member, django_assert_num_queries
) -> None:
    for n in range(3):
        make_thread(forum, member, title=f"Thread {n}")
    anon_client.get(f"/forums/{forum.pk}/feed.rss")  # guest permissions cached
    # The guest permission version, the forum, its threads with their first posts.
    with django_assert_num_queries(3):
        anon_client.get(f"/forums/{forum.pk}/feed.rss")
    for n in range(10):
        make_thread(forum, member, title=f"More {n}")
    with django_assert_num_queries(3):
        anon_client.get(f"/forums/{forum.pk}/feed.rss")


def test_thread_feed_query_count(
    anon_client: Client, thread: Thread, other: Member, django_assert_num_queries
) -> None:
    for n in range(5):
        make_reply(thread, other, body=f"Reply {n}")
    anon_client.get(f"/threads/{thread.pk}/feed.rss")
    with django_assert_num_queries(3):  # permission version, thread, posts with authors
        anon_client.get(f"/threads/{thread.pk}/feed.rss")


def test_site_and_tag_feed_query_counts(
    anon_client: Client, forum: Forum, member: Member, django_assert_num_queries
) -> None:
    thread = make_thread(forum, member, title="Tagged")
    tag_services.set_thread_tags(actor=member, thread=thread, names=["oil"])
    anon_client.get("/feeds/threads.rss")
    with django_assert_num_queries(2):  # permission version, threads
        anon_client.get("/feeds/threads.rss")
    with django_assert_num_queries(3):  # permission version, tag, threads
        anon_client.get("/tags/oil/feed.rss")


def test_pages_advertise_their_feeds(
    anon_client: Client, forum: Forum, thread: Thread, member: Member
) -> None:
    tag_services.set_thread_tags(actor=member, thread=thread, names=["water"])
    pages = {
        "/": "/feeds/threads.atom",
        f"/forums/{forum.pk}/": f"/forums/{forum.pk}/feed.atom",
        f"/threads/{thread.pk}/": f"/threads/{thread.pk}/feed.rss",
        "/tags/water/": "/tags/water/feed.atom",
    }
    for page, feed in pages.items():
        html = anon_client.get(page).content.decode()
        assert 'rel="alternate"' in html
        assert f'href="{feed}"' in html, page
