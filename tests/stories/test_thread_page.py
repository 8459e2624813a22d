""" "Also covered by" on link cards and on the thread page, and "the same story" on the
compose page: only threads the reader may see, and a fixed number of queries per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.forums.models import Thread
from parley.links.models import LinkedPage
from tests.factories import ForumFactory, make_reply
from tests.stories.conftest import fetched_page, story_articles, thread_linking

pytestmark = pytest.mark.django_db


@pytest.fixture
def collision(db) -> list[LinkedPage]:
    """One story from three outlets (Atlas Agency, Northern Wire, Continental Herald)."""
    return [fetched_page(a, f"c{i}") for i, a in enumerate(story_articles("collision"))]


def card_part(body: str) -> str:
    return body.split('class="posts"')[1]


def aside_part(body: str) -> str:
    return body.split('class="posts"')[0]


def test_card_and_thread_show_the_other_outlets_and_their_threads(
    collision, forum, member, other, anon_client: Client, django_capture_on_commit_callbacks
) -> None:
    mine, _ = thread_linking(
        forum, member, collision[0], "Ships collide", django_capture_on_commit_callbacks
    )
    theirs, _ = thread_linking(
        forum, other, collision[1], "Fog in the strait", django_capture_on_commit_callbacks
    )
    body = anon_client.get(f"/threads/{mine.pk}/").content.decode()
    cards = card_part(body)
    assert 'class="link-card-coverage"' in cards and "Also covered by:" in cards
    assert "Northern Wire" in cards and "Continental Herald" in cards
    assert f'href="/threads/{theirs.pk}/"' in cards and "Fog in the strait" in cards
    assert "Atlas Agency</a> (" not in cards  # the card's own outlet is not "also"
    aside = aside_part(body)
    assert "The same story from other outlets" in aside
    assert f'href="/threads/{theirs.pk}/"' in aside
    # And the other way round.
    other_body = anon_client.get(f"/threads/{theirs.pk}/").content.decode()
    assert f'href="/threads/{mine.pk}/"' in card_part(other_body)
    assert "Atlas Agency" in card_part(other_body)


def test_threads_the_reader_may_not_see_are_not_named(
    collision, forum, member, moderator, anon_client: Client, django_capture_on_commit_callbacks
) -> None:
    hidden_forum = ForumFactory(visibility="staff")
    mine, _ = thread_linking(
        forum, member, collision[0], "Ships collide", django_capture_on_commit_callbacks
    )
    secret, _ = thread_linking(
        hidden_forum, moderator, collision[1], "Staff only chat", django_capture_on_commit_callbacks
    )
    body = anon_client.get(f"/threads/{mine.pk}/").content.decode()
    assert "Northern Wire" in card_part(body)  # the outlet's article is public
    assert "Staff only chat" not in body and f"/threads/{secret.pk}/" not in body


def test_an_outlet_whose_card_staff_hid_is_not_named(
    collision, forum, member, anon_client: Client, django_capture_on_commit_callbacks
) -> None:
    mine, _ = thread_linking(
        forum, member, collision[0], "Ships collide", django_capture_on_commit_callbacks
    )
    LinkedPage.objects.filter(pk=collision[1].pk).update(hidden=True)
    cards = card_part(anon_client.get(f"/threads/{mine.pk}/").content.decode())
    assert "Continental Herald" in cards and "Northern Wire" not in cards


def test_a_card_without_coverage_gets_nothing(
    forum, member, anon_client: Client, django_capture_on_commit_callbacks
) -> None:
    alone = fetched_page(story_articles("museum")[0], "museum")
    thread, _ = thread_linking(forum, member, alone, "Museum", django_capture_on_commit_callbacks)
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert 'class="link-card"' in body
    assert "Also covered by" not in body and "The same story" not in body


def page_queries(client: Client, thread: Thread) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/threads/{thread.pk}/").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_cards(
    collision, forum, member, other, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    client = Client()
    client.force_login(other)
    thread, _ = thread_linking(
        forum, member, collision[0], "Ships", django_capture_on_commit_callbacks
    )
    thread_linking(forum, other, collision[1], "Fog", django_capture_on_commit_callbacks)
    page_queries(client, thread)  # warm the per-process caches (permissions, fragments)
    one_card = page_queries(client, thread)
    # 4 of them for stories: coverage of the cards, of the thread; the thread's rows are kept
    # while it is unchanged (stamps.per_thread)
    assert one_card == 12
    rates = [fetched_page(a, f"r{i}") for i, a in enumerate(story_articles("rates"))]
    jets = [fetched_page(a, f"j{i}") for i, a in enumerate(story_articles("jets"))]
    for page in (collision[2], rates[0], rates[1], jets[0], jets[2]):
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(thread, member, f"See also\n\n{page.url}\n\nok")
    page_queries(client, thread)
    with django_assert_num_queries(one_card):
        assert client.get(f"/threads/{thread.pk}/").status_code == 200
    body = client.get(f"/threads/{thread.pk}/").content.decode()
    assert body.count('class="link-card-coverage"') == 6


def test_compose_warns_about_the_same_story_from_another_outlet(
    collision, forum, member, other_client: Client, django_capture_on_commit_callbacks
) -> None:
    first, _ = thread_linking(
        forum, member, collision[0], "Ships collide", django_capture_on_commit_callbacks
    )
    data = {
        "title": "Oil on the beaches",
        "source": f"Bad news:\n\n{collision[2].url}\n\nMy view.",
        "format": "bbcode",
        "token": "e" * 32,
    }
    response = other_client.post(f"/forums/{forum.pk}/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The same story, reported by another outlet" in body
    assert f'href="/threads/{first.pk}/"' in body and "Atlas Agency" in body
    assert "Discussed in" not in body  # not "the same article"
    assert Thread.objects.count() == 1
    data["confirmed"] = "1"
    assert other_client.post(f"/forums/{forum.pk}/new/", data).status_code == 302
    assert Thread.objects.count() == 2


def test_compose_says_nothing_of_a_story_discussed_only_where_the_member_cannot_see(
    collision, moderator, other_client: Client, django_capture_on_commit_callbacks
) -> None:
    hidden_forum = ForumFactory(visibility="staff")
    thread_linking(
        hidden_forum, moderator, collision[0], "Staff only", django_capture_on_commit_callbacks
    )
    forum = ForumFactory()
    response = other_client.post(
        f"/forums/{forum.pk}/new/",
        {"title": "T", "source": collision[2].url, "format": "bbcode", "token": "d" * 32},
    )
    assert response.status_code == 302
