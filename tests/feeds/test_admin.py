"""Staff attach news feeds and register webhook endpoints in the admin (through the
services), and read each feed's state and each endpoint's delivery log there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from parley.feeds import services as feed_services
from parley.feeds.models import NewsFeed, NewsItem
from parley.forums.models import Forum
from parley.members.models import Member
from parley.webhooks import services as hook_services
from parley.webhooks.models import WebhookEndpoint
from tests.conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin: Member) -> Client:
    return client_for(admin)


@pytest.fixture
def bot(db) -> Member:
    return MemberFactory(username="newsdesk")


def feed_form(forum: Forum, bot: Member, **fields: str) -> dict[str, str]:
    return {
        "name": "Harbour Times",
        "url": "https://harbourtimes.test/world.rss",
        "forum": str(forum.pk),
        "poster": str(bot.pk),
        "template": "Discuss.",
        "interval_minutes": "30",
        "max_new_items": "5",
        "is_active": "on",
        **fields,
    }


def test_staff_attach_a_feed_in_the_admin(admin_client: Client, forum: Forum, bot: Member) -> None:
    response = admin_client.post("/admin/feeds/newsfeed/add/", feed_form(forum, bot))
    assert response.status_code == 302, response.content[:2000]
    feed = NewsFeed.objects.get()
    assert feed.poster_id == bot.pk and feed.created_at is not None


def test_admin_refuses_a_poster_who_may_not_post_there_and_saves_nothing(
    admin_client: Client, staff_forum: Forum, bot: Member
) -> None:
    response = admin_client.post("/admin/feeds/newsfeed/add/", feed_form(staff_forum, bot))
    assert response.status_code == 200
    assert b"may not start threads" in response.content
    assert NewsFeed.objects.count() == 0


def test_feed_state_and_items_are_visible_to_staff(
    admin_client: Client, forum: Forum, bot: Member
) -> None:
    feed = feed_services.attach_news_feed(
        name="Harbour Times", url="https://harbourtimes.test/world.rss", forum=forum, poster=bot
    )
    NewsFeed.objects.filter(pk=feed.pk).update(
        last_error="Could not connect to the server.", failures=2
    )
    listing = admin_client.get("/admin/feeds/newsfeed/")
    assert b"Could not connect to the server." in listing.content
    NewsItem.objects.create(
        feed=feed,
        guid="g1",
        url="https://harbourtimes.test/a",
        canonical_key="https://harbourtimes.test/a",
        title="Ports <close>",
        seen_at=timezone.now(),
        outcome=NewsItem.Outcome.DISCUSSED,
    )
    page = admin_client.get(f"/admin/feeds/newsfeed/{feed.pk}/change/")
    assert page.status_code == 200
    assert b"Fetch state" in page.content
    assert b"Already discussed \xc2\xb7 Ports &lt;close&gt;" in page.content


def test_members_and_guests_cannot_reach_the_feed_admin(
    member_client: Client, anon_client: Client
) -> None:
    assert member_client.get("/admin/feeds/newsfeed/").status_code == 302
    assert anon_client.get("/admin/webhooks/webhookendpoint/").status_code == 302


def test_staff_register_an_endpoint_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {
            "name": "Newsroom",
            "url": "https://hooks.test/parley",
            "events": ["thread.created", "report.filed"],
            "public_only": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["report.filed", "thread.created"]
    assert len(endpoint.secret) == 64


def test_admin_refuses_an_endpoint_without_events(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {"name": "Newsroom", "url": "https://hooks.test/parley", "is_active": "on"},
    )
    assert response.status_code == 200
    assert WebhookEndpoint.objects.count() == 0


def test_endpoint_and_delivery_log_pages_render(admin_client: Client) -> None:
    endpoint = hook_services.register_endpoint(
        name="Newsroom", url="https://hooks.test/parley", events=["post.created"]
    )
    assert admin_client.get("/admin/webhooks/webhookendpoint/").status_code == 200
    page = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200
    assert admin_client.get("/admin/webhooks/webhookdelivery/").status_code == 200
