"""Fetching news feeds: the periodic task picks the feeds that are due, each in its own
task, so one slow outlet never holds up the others."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services
from .models import NewsFeed


@task()
def poll_news_feeds() -> int:
    """Queue a fetch of every active feed whose next fetch is due; returns how many."""
    claimed = services.claim_due_feeds(now=timezone.now())
    for pk in claimed:
        poll_news_feed.enqueue(pk)
    return len(claimed)


@task()
def poll_news_feed(feed_id: int) -> str:
    feed = NewsFeed.objects.select_related("forum", "poster").filter(pk=feed_id).first()
    if feed is None or not feed.is_active:
        return "gone"
    return services.poll_news_feed(feed=feed, now=timezone.now()).status
