"""The guest page cache: hits and misses, what makes a page fresh again, what is never
cached, and that no GET writes to the database (docs/caching.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.core import pagecache, stamps
from parley.forums import moderation, services
from parley.forums.models import Forum, Post, ReactionType, Thread, Visibility
from parley.members.models import Member, TitleRung
from parley.moderation import content
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db

SOURCE = pagecache.SOURCE_HEADER


def source(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get(SOURCE, "")


def guest_pages(thread: Thread) -> list[str]:
    return [
        "/",
        f"/forums/{thread.forum_id}/",
        f"/threads/{thread.pk}/",
        f"/members/{thread.author.username}/",
        "/whats-new/",
    ]


# --- hits, misses and what a guest page carries ---


def test_each_guest_page_is_rendered_once_then_served_without_a_query(
    anon_client: Client, thread: Thread
) -> None:
    for url in guest_pages(thread):
        first = anon_client.get(url)
        assert first[SOURCE] == "miss", url
        with CaptureQueriesContext(connection) as ctx:
            second = anon_client.get(url)
        assert second[SOURCE] == "hit", url
        assert len(ctx.captured_queries) == 0, url
        assert second.content == first.content


def test_guest_pages_are_public_and_carry_no_cookie_or_csrf_token(
    anon_client: Client, thread: Thread
) -> None:
    for url in guest_pages(thread):
        for response in (anon_client.get(url), anon_client.get(url)):
            assert response["Cache-Control"] == ("public, max-age=1, stale-while-revalidate=30"), (
                url
            )
            assert response["Vary"] == "Cookie"
            assert not response.cookies, url
            assert b"csrfmiddlewaretoken" not in response.content, url
            assert b'action="/signout/"' not in response.content


def test_every_guest_gets_the_same_bytes(thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    first, second = Client().get(url), Client(HTTP_USER_AGENT="another browser").get(url)
    assert second[SOURCE] == "hit" and first.content == second.content


def test_guest_thread_page_leads_to_sign_in_instead_of_forms(
    anon_client: Client, thread: Thread
) -> None:
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert 'class="react-form"' not in body and 'class="quick-reply"' not in body
    assert 'class="report-link"' not in body
    assert f"/signin/?next=/threads/{thread.pk}/" in body


def test_head_answers_like_get_from_the_cache(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)
    head = anon_client.head(url)
    assert head.status_code == 200 and head[SOURCE] == "hit"
    assert head["Cache-Control"].startswith("public")


def test_pages_of_a_thread_and_query_strings_are_cached_apart(
    anon_client: Client, thread: Thread, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PARLEY_POSTS_PER_PAGE = 1
    make_reply(thread, MemberFactory(), "second page text")
    anon_client.get(f"/threads/{thread.pk}/")
    second = anon_client.get(f"/threads/{thread.pk}/?page=2")
    assert second[SOURCE] == "miss" and "second page text" in second.content.decode()


def test_a_missing_page_is_never_cached(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/?page=9"
    assert anon_client.get(url).status_code == 404
    response = anon_client.get(url)
    assert response.status_code == 404 and SOURCE not in response
    assert response["Cache-Control"] == "private, no-store"


# --- members and guests never share a page ---


def test_a_member_never_gets_the_cached_guest_page(
    anon_client: Client, member_client: Client, thread: Thread
) -> None:
    anon_client.get(f"/threads/{thread.pk}/")
    response = member_client.get(f"/threads/{thread.pk}/")
    assert SOURCE not in response
    assert response["Cache-Control"] == "private, no-store"
    assert 'action="/signout/"' in response.content.decode()


def test_a_members_rendering_is_never_stored_for_guests(
    anon_client: Client, member_client: Client, thread: Thread
) -> None:
    member_client.get(f"/threads/{thread.pk}/")
    response = anon_client.get(f"/threads/{thread.pk}/")
    assert response[SOURCE] == "miss"
    assert "alice" not in response.content.decode().split("<main")[0]


def test_a_staff_forum_never_reaches_guests_through_the_cache(
    anon_client: Client, thread: Thread, staff_forum: Forum
) -> None:
    staff_thread = make_thread(staff_forum, MemberFactory(is_staff=True), title="Roster")
    staff = client_for(MemberFactory(is_staff=True))
    for url in (f"/threads/{staff_thread.pk}/", f"/forums/{staff_forum.pk}/", "/"):
        assert staff.get(url).status_code == 200
    assert anon_client.get(f"/threads/{staff_thread.pk}/").status_code == 404
    assert anon_client.get(f"/forums/{staff_forum.pk}/").status_code == 404
    assert "Roster" not in anon_client.get("/").content.decode()


def test_hiding_a_forum_hides_its_cached_pages_at_once(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)
    forum = Forum.objects.get(pk=thread.forum_id)
    forum.visibility = Visibility.STAFF
    forum.save()
    assert anon_client.get(url).status_code == 404
    assert anon_client.get(f"/forums/{forum.pk}/").status_code == 404


def test_a_flash_message_cookie_skips_the_cache(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)
    anon_client.cookies["messages"] = "anything"
    assert SOURCE not in anon_client.get(url)


# --- what makes a page fresh again ---


def _cached(client: Client, url: str) -> None:
    client.get(url)
    assert client.get(url)[SOURCE] == "hit"


Change = Callable[[Thread], None]


def _reply(thread: Thread) -> None:
    make_reply(thread, MemberFactory(), "Fresh reply text")


def _edit(thread: Thread) -> None:
    post = Post.objects.get(pk=thread.first_post_id)
    services.edit_post(editor=thread.author, post=post, source="Fresh reply text", fmt="bbcode")


def _react(thread: Thread) -> None:
    post = Post.objects.get(pk=thread.first_post_id)
    services.react_to_post(member=MemberFactory(), post=post, reaction_type=reaction("Like"))


def _ladder(thread: Thread) -> None:
    rung = TitleRung.objects.get(min_messages=0)
    rung.title = "Fresh reply text"
    rung.save()


def _reaction_types(thread: Thread) -> None:
    like = ReactionType.objects.get(name="Like")
    like.name = "Fresh reply text"
    like.save()


def _profile(thread: Thread) -> None:
    from parley.members.services import update_profile

    update_profile(member=thread.author, country="", location="Fresh reply text", about="")


CHANGES = {
    "reply": _reply,
    "edit": _edit,
    "ladder": _ladder,
    "reaction type": _reaction_types,
    "the author's profile (their card)": _profile,
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_change_shows_to_guests_on_the_next_request(
    anon_client: Client, thread: Thread, name: str
) -> None:
    _react(thread)  # so the reaction summary (and its type's name) is on the page
    url = f"/threads/{thread.pk}/"
    _cached(anon_client, url)
    CHANGES[name](thread)
    response = anon_client.get(url)
    assert response[SOURCE] == "miss"
    assert "Fresh reply text" in response.content.decode()


def test_a_soft_deleted_post_leaves_the_guest_page_at_once(
    anon_client: Client, thread: Thread, admin: Member
) -> None:
    doomed = make_reply(thread, MemberFactory(), "Doomed words")
    url = f"/threads/{thread.pk}/"
    _cached(anon_client, url)
    moderation.soft_delete_post(actor=admin, post=doomed, reason="spam")
    body = anon_client.get(url).content.decode()
    assert "Doomed words" not in body and "Deleted by a moderator: spam" in body


def test_a_reaction_shows_to_guests_at_once(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    _cached(anon_client, url)
    _react(thread)
    response = anon_client.get(url)
    assert response[SOURCE] == "miss" and 'class="reaction-summary"' in response.content.decode()


def test_a_reply_refreshes_the_forum_page_and_index(anon_client: Client, thread: Thread) -> None:
    for url in ("/", f"/forums/{thread.forum_id}/", "/whats-new/"):
        _cached(anon_client, url)
    make_reply(thread, MemberFactory(username="latecomer"))
    for url in ("/", f"/forums/{thread.forum_id}/"):
        response = anon_client.get(url)
        assert response[SOURCE] == "miss" and "latecomer" in response.content.decode()


def test_a_move_refreshes_both_forums_and_the_thread(
    anon_client: Client, thread: Thread, admin: Member
) -> None:
    old_forum = thread.forum_id
    target = ForumFactory(title="Elsewhere")
    for url in (f"/forums/{old_forum}/", f"/forums/{target.pk}/", f"/threads/{thread.pk}/"):
        _cached(anon_client, url)
    content.move_threads(actor=admin, threads=[thread], forum=target)
    assert "Water talks stall" not in anon_client.get(f"/forums/{old_forum}/").content.decode()
    assert "Water talks stall" in anon_client.get(f"/forums/{target.pk}/").content.decode()
    assert "Elsewhere" in anon_client.get(f"/threads/{thread.pk}/").content.decode()


def test_a_change_elsewhere_leaves_the_thread_page_cached(
    anon_client: Client, thread: Thread
) -> None:
    elsewhere, author = ForumFactory(), MemberFactory()
    url = f"/threads/{thread.pk}/"
    _cached(anon_client, url)
    make_thread(elsewhere, author)
    assert anon_client.get(url)[SOURCE] == "hit"


def test_a_sign_up_or_sign_in_does_not_empty_the_cache(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    _cached(anon_client, url)
    client_for(MemberFactory())  # a new member, then last_login saved alone
    assert anon_client.get(url)[SOURCE] == "hit"


# --- the stampede lock ---


def _lock_key(url: str, thread: Thread) -> tuple[str, str]:
    from django.test import RequestFactory

    url_key = pagecache.address_key(RequestFactory().get(url).META)
    tokens = stamps.read([stamps.SITE, stamps.thread(thread.pk)])
    return url_key, f"{url_key}:{tokens}:lock"


def test_while_one_request_renders_the_others_get_the_previous_copy(
    anon_client: Client, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)
    make_reply(thread, MemberFactory(), "Newer words")
    _, lock = _lock_key(url, thread)
    caches["pages"].add(lock, 1)  # someone else is rendering the new version
    response = anon_client.get(url)
    assert response[SOURCE] == "stale" and "Newer words" not in response.content.decode()
    caches["pages"].delete(lock)
    assert "Newer words" in anon_client.get(url).content.decode()


def test_without_a_previous_copy_a_request_waits_then_renders(
    anon_client: Client, thread: Thread, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PARLEY_GUEST_WAIT_SECONDS = 0.05
    url = f"/threads/{thread.pk}/"
    _, lock = _lock_key(url, thread)
    caches["pages"].add(lock, 1)
    response = anon_client.get(url)
    assert response.status_code == 200 and response[SOURCE] == "miss"


def test_a_site_change_never_serves_the_previous_copy(anon_client: Client, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)
    forum = Forum.objects.get(pk=thread.forum_id)
    forum.title = "Renamed forum"
    forum.save()
    _, lock = _lock_key(url, thread)
    caches["pages"].add(lock, 1)
    response = anon_client.get(url)
    assert response[SOURCE] == "miss" and "Renamed forum" in response.content.decode()


# --- no write on any GET ---


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(client: Client, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        for _ in range(2):  # a miss, then (for guests) a hit
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            found += [
                f"{url}: {q['sql'][:60]}"
                for q in ctx.captured_queries
                if q["sql"].lstrip().upper().startswith(WRITES)
            ]
    return found


def test_no_page_a_guest_opens_writes_to_the_database(anon_client: Client, thread: Thread) -> None:
    make_reply(thread, MemberFactory())
    assert _writes(anon_client, [*guest_pages(thread), "/links/search/"]) == []


def test_no_page_a_member_opens_writes_to_the_database(
    member_client: Client, thread: Thread, other: Member
) -> None:
    make_reply(thread, other)  # unread for alice, so reading it moves her position
    urls = [*guest_pages(thread), "/watched/", "/conversations/", "/account/profile/"]
    assert _writes(member_client, urls) == []


# --- on Redis, as several app servers share it ---


def test_on_redis_a_page_cached_by_one_server_is_refreshed_by_a_post_through_another(
    settings, thread: Thread
) -> None:  # type: ignore[no-untyped-def]
    """Two app servers share Redis: the page one stored is a hit for the other, and a reply
    posted anywhere refreshes it for both."""
    import redis

    from tests.limits.conftest import REDIS_CACHES, REDIS_URL

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CACHES = REDIS_CACHES
    try:
        url = f"/threads/{thread.pk}/"
        assert Client().get(url)[SOURCE] == "miss"  # "server A"
        assert Client().get(url)[SOURCE] == "hit"  # "server B": the same Redis
        make_reply(thread, MemberFactory(), "Posted through A")
        response = Client().get(url)
        assert response[SOURCE] == "miss" and "Posted through A" in response.content.decode()
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()
