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
    now = timezone.now()
    due = services.due_feeds(now)
    for feed in due:
        poll_news_feed.enqueue(feed.pk)
    return len(due)


@task()
def poll_news_feed(feed_id: int) -> str:
    feed = NewsFeed.objects.select_related("forum", "poster").filter(pk=feed_id).first()
    if feed is None or not feed.is_active:
        return "gone"
    now = timezone.now()
    if feed.next_fetch_at is not None and feed.next_fetch_at > now:
        return "not due"  # queued twice, or fetched meanwhile by `parley fetch_news_feeds`
    return services.poll_news_feed(feed=feed, now=now).status
