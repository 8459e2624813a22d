"""The demo's news feed and webhook endpoint: set up through the services, fetching
nothing, and not replaying the demo's history to the receiver."""

from __future__ import annotations

import pytest

from parley.demo.feeds import BOT, FEED_FORUM, attach_demo_feeds
from parley.events.models import Delivery
from parley.feeds.models import NewsFeed
from parley.forums.models import Forum, Post
from parley.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_demo_attaches_a_feed_and_an_endpoint_without_sending_history(
    forum: Forum, thread: object, django_capture_on_commit_callbacks
) -> None:
    Forum.objects.filter(pk=forum.pk).update(title=FEED_FORUM)
    forum.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        attach_demo_feeds({FEED_FORUM: forum})
    feed = NewsFeed.objects.get()
    assert feed.poster.username == BOT and feed.forum_id == forum.pk
    assert feed.url.endswith(".invalid/europe/rss.xml") and feed.last_fetched_at is None
    assert WebhookEndpoint.objects.get().is_active
    assert Delivery.objects.filter(subscriber="webhooks").exists()
    assert WebhookDelivery.objects.count() == 0
    assert Post.objects.count() == 1
