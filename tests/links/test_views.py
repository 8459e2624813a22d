"""Request tests for the links pages: search by link, the live "already discussed" check,
the post-state endpoint the thread page polls, the compose notice and "Also discussed in"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.forums.models import Post, Thread
from parley.links.models import LinkedPage, PostLink
from parley.links.tasks import rebake_linking_posts
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = pytest.mark.django_db

ARTICLE = "https://www.harbourtimes.test/world/2026/insurers-turn-ships-away"


def linked_thread(
    forum, author, url: str = ARTICLE, title: str = "Insurers and the strait"
) -> Thread:
    """A thread whose first post links `url` (its event dispatched as after the commit, so
    the links are recorded; the reserved .test name is never fetched)."""
    from parley.events.dispatch import dispatch
    from parley.events.models import Event

    thread = make_thread(forum, author, title=title, body=f"Read this:\n\n{url}")
    for event_id in Event.objects.filter(post_id=thread.first_post_id).values_list("pk", flat=True):
        dispatch(event_id)
    return thread


# --- compose page --------------------------------------------------------------------------------


def test_start_thread_warns_when_the_article_is_already_discussed(
    forum, member, other, other_client: Client
) -> None:
    first = linked_thread(forum, member)
    data = {
        "title": "Ships turned away",
        "source": "Big news:\n\nhttps://harbourtimes.test/world/2026/insurers-turn-ships-away/?utm_source=rss&fbclid=1\n\nMy view.",
        "format": "bbcode",
        "token": "f" * 32,
    }
    response = other_client.post(f"/forums/{forum.pk}/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Discussed in" in body and f'href="/threads/{first.pk}/"' in body and "by alice" in body
    assert "reply there instead?" in body and "Post thread anyway" in body
    assert Thread.objects.count() == 1  # nothing posted yet
    assert data["source"].split("\n")[0] in body  # the member's text is still there
    data["confirmed"] = "1"
    response = other_client.post(f"/forums/{forum.pk}/new/", data)
    assert response.status_code == 302
    assert Thread.objects.count() == 2


def test_no_notice_for_an_article_only_in_a_hidden_forum(
    member, other_client: Client, moderator
) -> None:
    staff_forum = ForumFactory(visibility="staff")
    linked_thread(staff_forum, moderator)
    forum = ForumFactory()
    response = other_client.post(
        f"/forums/{forum.pk}/new/",
        {"title": "T", "source": ARTICLE, "format": "bbcode", "token": "a" * 32},
    )
    assert response.status_code == 302  # posted straight away: nothing visible to warn about


# --- thread page -----------------------------------------------------------------------------------


def test_thread_page_shows_also_discussed_in(forum, member, other, anon_client: Client) -> None:
    first = linked_thread(forum, member, title="First take")
    second = linked_thread(forum, other, url=ARTICLE + "#comments", title="Second take")
    body = anon_client.get(f"/threads/{second.pk}/").content.decode()
    assert "Also discussed in" in body and "First take" in body
    plain = make_thread(forum, member, title="No links here")
    assert "Also discussed in" not in anon_client.get(f"/threads/{plain.pk}/").content.decode()
    assert (
        "Second take"
        in anon_client.get(f"/threads/{first.pk}/").content.decode().split("Also discussed in")[1]
    )


def test_thread_page_lists_posts_waiting_for_previews(forum, member, anon_client: Client) -> None:
    thread = linked_thread(forum, member)
    LinkedPage.objects.update(status="pending")  # as while a fetch is queued
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert f'data-pending-previews="{thread.first_post_id}"' in body
    page = LinkedPage.objects.get()
    LinkedPage.objects.update(status="ok", page_title="Insurers | World | Harbour Times")
    rebake_linking_posts(page.pk)  # as the fetch task does when it is done
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert 'data-pending-previews=""' in body


def test_thread_page_queries_do_not_grow_with_links(forum, member, anon_client: Client) -> None:
    from parley.core import stamps
    from tests.factories import make_reply

    thread = linked_thread(forum, member)
    url = f"/threads/{thread.pk}/"
    # A member's page: a guest's would come from the page cache without a query.
    reader = client_for(MemberFactory())

    def counted() -> tuple[int, int]:
        """(queries of the first request after the thread changed, of the next one)."""
        stamps.bump(stamps.thread(thread.pk))
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                assert reader.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    reader.get(url)  # warms the permission cache
    before = counted()
    for i in range(10):
        make_reply(thread, MemberFactory(), f"https://news{i}.test/a")
    linked_thread(forum, MemberFactory(), title="Other take")
    assert counted() == before
    # The links' share of the page once kept (stamps.per_thread): only where else the opening
    # post's article is discussed, which depends on what this reader may see.
    assert before[0] > before[1]


# --- post state (polled by the thread page) ------------------------------------------------------------


def test_post_state_json(forum, member, anon_client: Client, member_client: Client) -> None:
    thread = linked_thread(forum, member)
    LinkedPage.objects.update(status="pending")  # as while a fetch is queued
    data = anon_client.get(f"/links/posts/{thread.first_post_id}.json").json()
    assert data["pending"] is True and "harbourtimes.test" in data["html"]
    LinkedPage.objects.update(status="failed")
    assert anon_client.get(f"/links/posts/{thread.first_post_id}.json").json()["pending"] is False
    assert anon_client.get("/links/posts/99999.json").status_code == 404
    assert anon_client.post(f"/links/posts/{thread.first_post_id}.json").status_code == 405


def test_post_state_of_hidden_post_is_404(member_client: Client, moderator) -> None:
    thread = linked_thread(ForumFactory(visibility="staff"), moderator)
    assert member_client.get(f"/links/posts/{thread.first_post_id}.json").status_code == 404
    assert client_for(moderator).get(f"/links/posts/{thread.first_post_id}.json").status_code == 200


# --- search by link and the live check ----------------------------------------------------------------


def test_search_by_link_finds_every_variant(forum, member, other, anon_client: Client) -> None:
    linked_thread(forum, member, title="First take")
    linked_thread(
        forum,
        other,
        url="http://m.harbourtimes.test/world/2026/insurers-turn-ships-away?utm_medium=social",
        title="Second take",
    )
    body = anon_client.get(
        "/links/search/", {"url": "https://harbourtimes.test/world/2026/insurers-turn-ships-away/"}
    ).content.decode()
    assert "2 threads linked it" in body and "First take" in body and "Second take" in body


def test_search_by_link_hides_what_the_reader_may_not_see(anon_client: Client, moderator) -> None:
    linked_thread(ForumFactory(visibility="staff"), moderator, title="Staff notes")
    body = anon_client.get("/links/search/", {"url": ARTICLE}).content.decode()
    assert "Staff notes" not in body and "0 threads linked it" in body


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.test/a", "not a url", "https://x.test/" + "a" * 2100]
)
def test_search_by_link_bad_input(anon_client: Client, url: str) -> None:
    response = anon_client.get("/links/search/", {"url": url})
    assert response.status_code == 400
    assert "not a web address Parley can look up" in response.content.decode()


def test_search_page_empty_and_wrong_method(anon_client: Client) -> None:
    assert anon_client.get("/links/search/").status_code == 200
    assert anon_client.post("/links/search/").status_code == 405


def test_discussed_json(forum, member, anon_client: Client) -> None:
    thread = linked_thread(forum, member)
    data = anon_client.get("/links/discussed.json", {"url": ARTICLE + "?utm_campaign=x"}).json()
    assert len(data["notices"]) == 1 and f"/threads/{thread.pk}/" in data["notices"][0]
    assert anon_client.get("/links/discussed.json", {"url": "https://elsewhere.test/"}).json() == {
        "notices": []
    }
    assert anon_client.get("/links/discussed.json", {"url": "javascript:1"}).status_code == 400


def test_discussed_json_escapes_titles(forum, member, anon_client: Client) -> None:
    linked_thread(forum, member, title="<script>alert(1)</script>")
    notice = anon_client.get("/links/discussed.json", {"url": ARTICLE}).json()["notices"][0]
    assert "<script>" not in notice and "&lt;script&gt;" in notice


def test_post_links_follow_edits(forum, member) -> None:
    from parley.formatting import cook
    from parley.forums import services
    from parley.links.services import record_links

    thread = linked_thread(forum, member)
    post = Post.objects.get(pk=thread.first_post_id)
    edited = services.edit_post(editor=member, post=post, source="No link any more.", fmt="bbcode")
    record_links(post_id=edited.pk, links=cook(edited.source, edited.format).links)
    assert PostLink.objects.count() == 0


def test_post_state_of_a_deleted_post_gives_no_content_to_readers(
    forum, member, anon_client: Client
) -> None:
    from parley.forums.moderation import soft_delete_post
    from tests.factories import make_reply

    thread = linked_thread(forum, member)
    reply = make_reply(thread, member, "Secret words https://news1.test/a")
    assert anon_client.get(f"/links/posts/{reply.pk}.json").status_code == 200
    soft_delete_post(actor=member, post=reply, reason="mine")
    assert anon_client.get(f"/links/posts/{reply.pk}.json").status_code == 404
