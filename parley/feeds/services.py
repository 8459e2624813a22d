"""News feeds in: attaching an outlet's feed to a forum, and turning its new items into
threads through the forums services (never by writing posts ourselves)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from parley.core.fetch import FetchError, fetch
from parley.forums import services as forum_services
from parley.forums.models import Forum
from parley.links.previews import canonical_or_none
from parley.links.queries import discussions
from parley.permissions.guardian import Guardian

from .models import NewsFeed, NewsItem
from .parsing import FeedEntry, parse_feed

log = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
)


def check_news_feed(*, url: str, forum: Forum, poster: Any, interval_minutes: int) -> None:
    if canonical_or_none(url) is None:
        raise ValidationError("Give the feed's address, starting with http:// or https://.")
    if interval_minutes < settings.PARLEY_NEWS_FEED_MIN_INTERVAL_MINUTES:
        raise ValidationError(
            f"Fetch a feed at most every {settings.PARLEY_NEWS_FEED_MIN_INTERVAL_MINUTES} minutes."
        )
    if not Guardian(poster).can_start_thread(forum):
        raise ValidationError(f"{poster} may not start threads in {forum.title}.")


def attach_news_feed(
    *,
    name: str,
    url: str,
    forum: Forum,
    poster: Any,
    template: str = "",
    interval_minutes: int = 30,
    max_new_items: int = 5,
    is_active: bool = True,
) -> NewsFeed:
    """Attach an outlet's feed to a forum; it is fetched at the next periodic run."""
    url = url.strip()
    check_news_feed(url=url, forum=forum, poster=poster, interval_minutes=interval_minutes)
    try:
        with transaction.atomic():
            return NewsFeed.objects.create(
                name=name.strip()[:100],
                url=url,
                forum=forum,
                poster=poster,
                template=template,
                interval_minutes=interval_minutes,
                max_new_items=max_new_items,
                is_active=is_active,
                created_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError("This feed is already attached to that forum.") from exc


def change_news_feed(*, feed: NewsFeed, **changes: Any) -> NewsFeed:
    """Change a feed's settings (not its fetch state). A new address forgets the validators
    and is fetched at the next run."""
    allowed = {"name", "url", "forum", "poster", "template", "interval_minutes"}
    allowed |= {"max_new_items", "is_active"}
    if unknown := set(changes) - allowed:
        raise ValueError(f"not settings of a feed: {sorted(unknown)}")
    merged = {f: changes.get(f, getattr(feed, f)) for f in allowed}
    check_news_feed(
        url=merged["url"],
        forum=merged["forum"],
        poster=merged["poster"],
        interval_minutes=merged["interval_minutes"],
    )
    updates = {f"{k}_id" if k in {"forum", "poster"} else k: v for k, v in merged.items()}
    updates["forum_id"], updates["poster_id"] = merged["forum"].pk, merged["poster"].pk
    if merged["url"] != feed.url:
        updates |= {"etag": "", "last_modified": "", "next_fetch_at": None}
    try:
        with transaction.atomic():
            NewsFeed.objects.filter(pk=feed.pk).update(**updates)
    except IntegrityError as exc:
        raise ValidationError("This feed is already attached to that forum.") from exc
    feed.refresh_from_db()
    return feed


def backoff(feed: NewsFeed, failures: int) -> timedelta:
    """After a failure: the interval, doubled for each failure in a row, at most a day."""
    minutes = feed.interval_minutes * 2 ** min(failures, 16)
    return timedelta(minutes=min(minutes, settings.PARLEY_NEWS_FEED_MAX_BACKOFF_MINUTES))


@dataclass
class PollReport:
    status: str  # "ok", "not_modified", "failed"
    started: list[int] = field(default_factory=list)  # thread ids
    discussed: int = 0
    refused: int = 0
    error: str = ""


def _record_failure(feed: NewsFeed, now: datetime, error: str) -> PollReport:
    failures = feed.failures + 1
    NewsFeed.objects.filter(pk=feed.pk).update(
        last_fetched_at=now,
        last_status="failed",
        last_error=error[:300],
        failures=failures,
        next_fetch_at=now + backoff(feed, failures),
    )
    log.info("news feed %s failed (%s in a row): %s", feed.pk, failures, error)
    return PollReport(status="failed", error=error)


def _fetch(feed: NewsFeed) -> Any:
    headers = {}
    if feed.etag and feed.etag.isascii():
        headers["If-None-Match"] = feed.etag
    if feed.last_modified and feed.last_modified.isascii():
        headers["If-Modified-Since"] = feed.last_modified
    return fetch(
        feed.url,
        max_bytes=settings.PARLEY_NEWS_FEED_MAX_BYTES,
        deadline=settings.PARLEY_NEWS_FEED_DEADLINE,
        accept=ACCEPT,
        headers=headers,
    )


def _clean_validator(value: str, limit: int) -> str:
    value = value.strip()
    ok = value.isascii() and len(value) <= limit and not any(c in value for c in "\r\n\0")
    return value if ok else ""


def poll_news_feed(*, feed: NewsFeed, now: datetime | None = None) -> PollReport:
    """Fetch one feed (conditional GET) and start a thread for each new item, at most
    `max_new_items`. A failure is recorded and the next try backs off; never raises for
    anything the outlet's server does."""
    now = now or timezone.now()
    try:
        result = _fetch(feed)
    except FetchError as exc:
        if exc.reason == "http_status" and exc.status == 304:
            NewsFeed.objects.filter(pk=feed.pk).update(
                last_fetched_at=now,
                last_success_at=now,
                last_status="not modified",
                last_error="",
                failures=0,
                next_fetch_at=now + timedelta(minutes=feed.interval_minutes),
            )
            return PollReport(status="not_modified")
        return _record_failure(feed, now, str(exc))
    _title, entries = parse_feed(result.content, base_url=result.final_url)
    if not entries and not _looks_like_feed(result.content):
        return _record_failure(feed, now, "The answer is not an RSS or Atom feed.")
    report = PollReport(status="ok")
    for entry, fresh in _new_entries(feed, entries):
        outcome = _take(feed, entry, now, post=fresh)
        if outcome is None:
            continue
        if outcome.outcome == NewsItem.Outcome.STARTED and outcome.thread_id:
            report.started.append(outcome.thread_id)
        elif outcome.outcome == NewsItem.Outcome.DISCUSSED:
            report.discussed += 1
        else:
            report.refused += 1
    NewsFeed.objects.filter(pk=feed.pk).update(
        etag=_clean_validator(result.headers.get("etag", ""), 300),
        last_modified=_clean_validator(result.headers.get("last-modified", ""), 100),
        last_fetched_at=now,
        last_success_at=now,
        last_status=(
            f"{len(report.started)} started, {report.discussed} already discussed, "
            f"{report.refused} not posted"
        ),
        last_error="",
        failures=0,
        next_fetch_at=now + timedelta(minutes=feed.interval_minutes),
    )
    return report


def _looks_like_feed(content: bytes) -> bool:
    head = content[:2000].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _new_entries(feed: NewsFeed, entries: list[FeedEntry]) -> list[tuple[FeedEntry, bool]]:
    """Items not seen before, oldest first; only the newest `max_new_items` are posted (a
    feed's first fetch lists dozens of old articles), the rest are recorded as seen."""
    known = set(
        NewsItem.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list(
            "guid", flat=True
        )
    )
    unseen = [e for e in entries if e.guid not in known]
    # Feeds list newest first, but not always: sort by date where every item has one.
    if all(e.published for e in unseen):
        unseen.sort(key=lambda e: e.published, reverse=True)  # type: ignore[arg-type, return-value]
    posted = unseen[: feed.max_new_items]
    return [(e, e in posted) for e in reversed(unseen)]


def _quote_attr(value: str) -> str:
    return value.replace('"', "'").replace("]", ")").replace("[", "(").strip()


def compose_post(feed: NewsFeed, entry: FeedEntry) -> str:
    """The first post: the link on its own line (the links pipeline makes its card), the
    item's summary as a quote attributed to the outlet, then the feed's template."""
    parts = [entry.url]
    if entry.summary:
        attrs = f'source="{_quote_attr(feed.name)}" url="{_quote_attr(entry.url)}"'
        if entry.author:
            attrs += f' author="{_quote_attr(entry.author)}"'
        if entry.published:
            attrs += f' date="{entry.published.date().isoformat()}"'
        summary = entry.summary.replace("[", "(").replace("]", ")")
        parts.append(f"[quote {attrs}]{summary}[/quote]")
    if template := feed.template.strip():
        parts.append(template.replace("{title}", entry.title).replace("{outlet}", feed.name))
    return "\n\n".join(parts)


def _already_discussed(feed: NewsFeed, key: str) -> bool:
    """Anywhere on the forum: a post linking the article (by canonical URL, or the page's
    declared canonical) in a thread the posting member can see, or a thread another feed
    started for it whose links are not recorded yet."""
    if NewsItem.objects.filter(canonical_key=key, outcome=NewsItem.Outcome.STARTED).exists():
        return True
    return bool(discussions({key}, Guardian(feed.poster), limit=1))


def _idempotency_key(feed: NewsFeed, entry: FeedEntry) -> str:
    return "newsfeed:" + hashlib.sha256(f"{feed.pk}:{entry.guid}".encode()).hexdigest()[:48]


def _title(entry: FeedEntry) -> str:
    limit = settings.PARLEY_MAX_TITLE_LENGTH
    return entry.title if len(entry.title) <= limit else entry.title[: limit - 1] + "…"


def _take(feed: NewsFeed, entry: FeedEntry, now: datetime, *, post: bool) -> NewsItem | None:
    """Record one new item and, if it is news to the forum, start its thread. None when a
    concurrent poll recorded it first."""
    key = canonical_or_none(entry.url) or entry.url[:2000]
    item = NewsItem(
        feed=feed,
        guid=entry.guid,
        url=entry.url,
        canonical_key=key,
        title=entry.title[:300],
        seen_at=now,
        outcome=NewsItem.Outcome.REFUSED,
    )
    try:
        with transaction.atomic():
            if not post:
                item.note = "Older than the newest items of this fetch."
            elif _already_discussed(feed, key):
                item.outcome = NewsItem.Outcome.DISCUSSED
            else:
                item.thread = _start(feed, entry)
                item.outcome = NewsItem.Outcome.STARTED
            item.save()
    except IntegrityError:
        return None
    except (ValidationError, PermissionDenied, Http404, forum_services.NotAccepted) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        item.note = (message or "The forum refused the thread.")[:300]
        item.thread = None
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            return None
    return item


def _start(feed: NewsFeed, entry: FeedEntry) -> Any:
    return forum_services.start_thread(
        author=feed.poster,
        forum=feed.forum,
        title=_title(entry),
        source=compose_post(feed, entry),
        fmt="bbcode",
        idempotency_key=_idempotency_key(feed, entry),
    )


def claim_due_feeds(*, now: datetime, limit: int = 20) -> list[int]:
    """Take the feeds that are due, each with one conditional UPDATE that moves its next
    fetch past a lease: a second scheduler run (or server) queues none of them again, and a
    worker that dies mid-fetch leaves the feed due again once the lease is over."""
    lease = now + timedelta(seconds=settings.PARLEY_NEWS_FEED_DEADLINE + 300)
    claimed = []
    for feed in due_feeds(now, limit):
        with transaction.atomic():
            taken = NewsFeed.objects.filter(
                pk=feed.pk, is_active=True, next_fetch_at=feed.next_fetch_at
            ).update(next_fetch_at=lease)
        if taken:
            claimed.append(feed.pk)
    return claimed


def due_feeds(now: datetime, limit: int = 20) -> list[NewsFeed]:
    from django.db.models import Q

    return list(
        NewsFeed.objects.filter(is_active=True)
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .select_related("forum", "poster")
        .order_by("next_fetch_at", "pk")[:limit]
    )


def schedule_news_feeds(*, feed_ids: list[int]) -> int:
    """Make feeds due now (staff asking for a fetch, and the retry of a failing one)."""
    with transaction.atomic():
        return NewsFeed.objects.filter(pk__in=feed_ids).update(next_fetch_at=None)
