"""Background work of the links app: fetch a linked page, keep its snapshot, re-check it.

Every task is idempotent: running one twice fetches again and writes the same rows. Fetches
never run inside a database transaction (they take seconds), and they never block a post:
posting only queues them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from parley import live
from parley.core import stamps
from parley.core.fetch import Deadline, FetchError, fetch
from parley.events import kinds, outbox
from parley.forums.rebake import rebake_post
from parley.live import channels

from .extract import PageMeta, extract_page
from .headlines import same_headline
from .images import ImageError, reencode_image
from .models import LinkedPage, LinkFetchLog, PageChange, PostLink
from .oembed import fetch_oembed
from .previews import canonical_or_none
from .services import REFRESH_AFTER, is_fetchable

log = logging.getLogger(__name__)

RECHECK_AFTER = timedelta(days=1)
HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
GONE_STATUSES = {404, 410}


def _store_image(page: LinkedPage, image_url: str, *, total: Deadline) -> str:
    """Fetch, re-encode and store the lead image through the storage API (a local folder, or
    S3-compatible storage: docs/servers.md); returns its name in the storage."""
    result = fetch(image_url, max_bytes=8_000_000, deadline=10.0, accept="image/*", total=total)
    data, mime = reencode_image(result.content)
    extension = "webp" if mime == "image/webp" else "jpg"
    name = hashlib.sha256(page.key.encode()).hexdigest()[:32]
    # The same page keeps the same name: a re-check replaces its picture instead of adding one.
    wanted = f"links/{name}.{extension}"
    default_storage.delete(wanted)
    return default_storage.save(wanted, ContentFile(data))


def _apply(page: LinkedPage, meta: PageMeta, final_url: str, *, recheck: bool) -> list[PageChange]:
    """Copy what the fetch found onto the page; returns the history rows to write (a
    re-check that finds another headline records it, with the date it was noticed)."""
    changes: list[PageChange] = []
    headline = meta.headline or meta.page_title or ""
    same = same_headline(
        page.headline,
        headline,
        site_name=meta.site_name,
        host=urlsplit(final_url).hostname or "",
        section=meta.section,
    )
    if recheck and page.headline and headline and not same:
        page.original_headline = page.original_headline or page.headline
        page.headline_changed_at = timezone.now()
        changes.append(
            PageChange(
                page=page,
                at=page.headline_changed_at,
                kind=PageChange.Kind.HEADLINE,
                before=page.headline,
                after=headline[:300],
            )
        )
    page.headline = headline[:300]
    page.page_title = (meta.page_title or headline)[:300]
    page.site_name = (meta.site_name or "")[:200]
    page.section = (meta.section or "")[:200]
    page.description = (meta.description or "")[:1000]
    page.image_caption = (meta.image_caption or "")[:500]
    page.image_credit = (meta.image_credit or "")[:200]
    page.author = (meta.author or "")[:200]
    page.published = (meta.published or "")[:40]
    page.article_text = meta.article_text
    resolved = canonical_or_none(meta.canonical_url or final_url) or ""
    page.resolved_key = resolved
    return changes


def rebake_linking_posts(page_id: int) -> int:
    changed = 0
    links = PostLink.objects.filter(page_id=page_id)
    for post_id, thread_id in links.values_list("post_id", "post__thread_id"):
        if rebake_post(post_id):
            changed += 1
            # Open thread pages fetch the post again (sent after this transaction commits).
            live.publish(
                channels.thread(thread_id),
                "post.previews",
                {"post_id": post_id, "thread_id": thread_id},
            )
    # The page's state (no longer pending) shows on the threads even when no post's HTML
    # changed: their cached guest pages are stale (docs/caching.md).
    threads = links.values_list("post__thread_id", flat=True).distinct()
    stamps.bump_on_commit(*[stamps.thread(pk) for pk in threads])
    return changed


def refresh_page(page_id: int, *, recheck: bool = False) -> LinkedPage | None:
    """Fetch one page and update its snapshot; then re-cook the posts that link it."""
    page = LinkedPage.objects.filter(pk=page_id).first()
    if page is None or page.edited_by_staff:
        return page
    if not is_fetchable(page.key):
        # Reserved names (the demo's article) never resolve: nothing is fetched. A page
        # with no snapshot fails at once instead of waiting; one with a snapshot keeps it.
        changes: dict[str, object] = {"checked_at": timezone.now()}
        if page.status != LinkedPage.Status.OK:
            changes |= {
                "status": LinkedPage.Status.FAILED,
                "fail_reason": "reserved_name: example/test names are never fetched",
            }
        LinkedPage.objects.filter(pk=page.pk).update(**changes)
        return page
    fresh = page.fetched_at and page.fetched_at > timezone.now() - REFRESH_AFTER
    if page.status == LinkedPage.Status.OK and fresh and not recheck:
        rebake_linking_posts(page.pk)  # a fetch for another post got there first
        return page
    # Posts linking one page at once queue one fetch each; one of them fetches.
    if not cache.add(f"parley:fetch-page:{page.pk}", 1, timeout=60):
        return page
    try:
        return _fetch_into(page, recheck=recheck)
    finally:
        cache.delete(f"parley:fetch-page:{page.pk}")


def _fetch_into(page: LinkedPage, *, recheck: bool) -> LinkedPage:
    now = timezone.now()
    reason, final_url, was_dead = "", "", page.is_dead
    changes: list[PageChange] = []
    # One budget for the page, its oEmbed answer and its image together: a server that
    # trickles bytes holds a worker for this long at most, not for the sum of three fetches.
    total = Deadline(settings.PARLEY_FETCH_TOTAL_DEADLINE)
    try:
        result = fetch(page.url, max_bytes=3_000_000, deadline=10.0, total=total)
        final_url = result.final_url
        if result.content_type not in HTML_TYPES:
            raise FetchError("not_html", f"Not a web page ({result.content_type}).")
        meta = extract_page(result.content, url=final_url, content_type=result.content_type)
    except FetchError as exc:
        reason = f"{exc.reason}: {exc}"[:200]
        gone = exc.reason == "dns" or (exc.reason == "http_status" and exc.status in GONE_STATUSES)
        page.attempts += 1
        page.checked_at = now
        if page.status == LinkedPage.Status.OK:
            page.is_dead = gone  # keep the snapshot; the card says the page is gone
        else:
            page.status = LinkedPage.Status.FAILED
        page.fail_reason = reason
    else:
        if meta.oembed_url and (embed := fetch_oembed(meta.oembed_url, total=total)) is not None:
            meta = replace(
                meta,
                headline=meta.headline or embed.title,
                page_title=meta.page_title or embed.title,
                author=meta.author or embed.author,
                site_name=meta.site_name or embed.provider,
                image_url=meta.image_url or embed.thumbnail_url,
            )
        changes = _apply(page, meta, final_url, recheck=recheck)
        page.image = ""
        if meta.image_url:
            try:
                page.image = _store_image(page, meta.image_url, total=total)
            except (FetchError, ImageError) as exc:
                log.info("lead image of %s not kept: %s", page.url, exc)
        page.status = LinkedPage.Status.OK
        page.fail_reason = ""
        page.is_dead = False
        page.fetched_at = page.checked_at = now
        page.attempts += 1
    # One transaction: a reader never sees the page fetched while its posts still hold the
    # HTML cooked without the card (the thread page would stop waiting for it).
    with transaction.atomic():
        page.save()
        LinkFetchLog.objects.create(
            page=page, at=now, ok=not reason, reason=reason, final_url=final_url[:2000]
        )
        if page.is_dead != was_dead:
            kind = PageChange.Kind.GONE if page.is_dead else PageChange.Kind.BACK
            changes.append(PageChange(page=page, at=now, kind=kind))
        PageChange.objects.bulk_create(changes)
        if not reason or page.is_dead != was_dead:
            rebake_linking_posts(page.pk)
        if not reason:  # its text is new or changed: subscribers (stories) take it from here
            outbox.emit(kinds.LINK_FETCHED, payload={"page_id": page.pk})
    return page


@task()
def fetch_page(page_id: int) -> str:
    page = refresh_page(page_id)
    return page.status if page else "gone"


@task()
def fetch_image(image_id: int) -> str:
    """The image proxy's fetch of one embedded image (links.imageproxy)."""
    from .imageproxy import store_image

    return store_image(image_id)


@task()
def recheck_pages(limit: int = 50) -> int:
    """Fetch again the pages checked longest ago, to notice changed headlines and dead
    pages; returns how many were checked."""
    due = (
        LinkedPage.objects.filter(
            status=LinkedPage.Status.OK,
            edited_by_staff=False,
            checked_at__lt=timezone.now() - RECHECK_AFTER,
        )
        .order_by("checked_at")
        .values_list("pk", flat=True)[:limit]
    )
    checked = 0
    for page_id in list(due):
        refresh_page(page_id, recheck=True)
        checked += 1
    return checked
