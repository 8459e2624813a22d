"""The one write path for stories: place a fetched page, split a page off, merge two
stories, re-cluster everything. Keyword-only and atomic; views, the admin, the command and
the event subscriber call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from parley.core import stamps
from parley.links.models import LinkedPage, PostLink

from .clustering import Item, best_match, cluster
from .models import Story, StoryPage
from .text import terms as terms_of


class StoryError(ValueError):
    """A staff request that cannot be done; the message says why, in words for them."""


def window() -> timedelta:
    return timedelta(hours=settings.PARLEY_STORY_WINDOW_HOURS)


def threshold() -> float:
    return float(settings.PARLEY_STORY_THRESHOLD)


def published_at(page: LinkedPage) -> datetime:
    """The article's publication time from its metadata, else when it was fetched."""
    raw = (page.published or "").strip()
    when = None
    if raw:
        try:
            if len(raw) > 10:
                when = parse_datetime(raw.replace(" ", "T", 1))
            if when is None and (day := parse_date(raw[:10])) is not None:
                # A date alone: noon, so the window reaches as far either way.
                when = datetime.combine(day, time(12, 0))
        except ValueError:
            when = None
    if when is None:
        return page.fetched_at or timezone.now()
    return when if timezone.is_aware(when) else when.replace(tzinfo=UTC)


def page_terms(page: LinkedPage) -> dict[str, int]:
    return terms_of(page.headline or page.page_title, page.description, page.article_text)


def _clusterable() -> QuerySet[LinkedPage]:
    return LinkedPage.objects.filter(status=LinkedPage.Status.OK, hidden=False)


def _touch(story_ids: set[int]) -> None:
    """Refresh the stories' titles, drop the empty ones, and move the guest-page stamps of
    the threads that link their pages (their "Also covered by" changed)."""
    if not story_ids:
        return
    entries = (
        StoryPage.objects.filter(story_id__in=story_ids)
        .order_by("published_at", "page_id")
        .values_list("story_id", "page__headline", "page__page_title")
    )
    titles: dict[int, str] = {}
    for story_id, headline, page_title in entries:
        titles.setdefault(story_id, (headline or page_title)[:300])
    Story.objects.filter(pk__in=story_ids - titles.keys()).delete()
    for story_id, title in titles.items():
        Story.objects.filter(pk=story_id).exclude(title=title).update(title=title)
    threads = (
        PostLink.objects.filter(page__story_entry__story_id__in=story_ids)
        .values_list("post__thread_id", flat=True)
        .distinct()
    )
    stamps.bump_on_commit(*[stamps.thread(pk) for pk in threads])


@transaction.atomic
def place_page(*, page_id: int) -> StoryPage | None:
    """Put a fetched page in the story of the closest page published within the window, or
    in a story of its own. A page staff placed stays where it is (its terms are refreshed).
    Idempotent: placing a page again with unchanged text changes nothing."""
    page = LinkedPage.objects.select_for_update().filter(pk=page_id).first()
    if page is None:
        return None
    entry = StoryPage.objects.select_for_update().filter(page_id=page_id).first()
    if page.status != LinkedPage.Status.OK or page.hidden:
        if entry is not None and not entry.fixed_by_staff:
            story_id = entry.story_id
            entry.delete()
            _touch({story_id})
        return None
    at, words = published_at(page), page_terms(page)
    if entry is not None and entry.fixed_by_staff:
        StoryPage.objects.filter(pk=entry.pk).update(published_at=at, terms=words)
        return entry
    near = StoryPage.objects.filter(
        published_at__range=(at - window(), at + window()), attracts=True
    ).exclude(page_id=page_id)
    candidates = [
        Item(page_id=p, at=when, terms=t, story_id=s)
        for p, s, when, t in near.values_list("page_id", "story_id", "published_at", "terms")
    ]
    match, score = best_match(Item(page_id, at, words), candidates, window=window())
    if match is not None and match.story_id is not None:
        story_id = match.story_id
    elif (
        entry is not None
        and not StoryPage.objects.filter(story_id=entry.story_id).exclude(pk=entry.pk).exists()
    ):
        story_id = entry.story_id  # alone in its story already: keep it
    else:
        story_id = Story.objects.create().pk
    touched = {story_id}
    if entry is None:
        entry = StoryPage.objects.create(
            page=page, story_id=story_id, published_at=at, terms=words, score=score
        )
    else:
        touched.add(entry.story_id)
        entry.story_id, entry.published_at, entry.terms, entry.score = story_id, at, words, score
        entry.save(update_fields=["story", "published_at", "terms", "score"])
    _touch(touched)
    return entry


@transaction.atomic
def split_page(*, page_id: int) -> Story:
    """Take a page out of its story into one of its own, for good: re-clustering keeps it
    there and no other page joins it."""
    entry = StoryPage.objects.select_for_update().filter(page_id=page_id).first()
    if entry is None:
        raise StoryError("That article is not in any story.")
    if not StoryPage.objects.filter(story_id=entry.story_id).exclude(pk=entry.pk).exists():
        raise StoryError("That article is alone in its story already.")
    old = entry.story_id
    story = Story.objects.create()
    StoryPage.objects.filter(pk=entry.pk).update(
        story=story, fixed_by_staff=True, attracts=False, score=0.0
    )
    _touch({old, story.pk})
    return story


@transaction.atomic
def merge_stories(*, into_id: int, from_id: int) -> Story:
    """Move every page of story `from_id` into story `into_id`; both stay merged when
    everything is re-clustered."""
    if into_id == from_id:
        raise StoryError("Choose two different stories to merge.")
    stories = {s.pk: s for s in Story.objects.select_for_update().filter(pk__in=[into_id, from_id])}
    if into_id not in stories or from_id not in stories:
        raise StoryError("There is no such story: check its number.")
    StoryPage.objects.filter(story_id=from_id).update(story_id=into_id, attracts=True)
    StoryPage.objects.filter(story_id=into_id).update(fixed_by_staff=True)
    _touch({into_id, from_id})
    return stories[into_id]


@dataclass(frozen=True)
class Restoried:
    pages: int
    moved: int
    stories: int


def restory_all() -> Restoried:
    """Cluster every fetched page again from scratch (staff decisions kept). Running it twice
    changes nothing the second time: the grouping depends only on the pages, and a group
    keeps the story number most of its pages already had."""
    with transaction.atomic():
        pages = list(
            _clusterable()
            .select_related("story_entry")
            .only(
                "pk",
                "headline",
                "page_title",
                "description",
                "article_text",
                "published",
                "fetched_at",
                "story_entry__story_id",
                "story_entry__fixed_by_staff",
                "story_entry__attracts",
                "story_entry__terms",
                "story_entry__published_at",
            )
            .order_by("pk")
        )
        items: list[Item] = []
        current: dict[int, StoryPage | None] = {}
        for page in pages:
            entry: StoryPage | None = getattr(page, "story_entry", None)
            fixed = entry if entry is not None and entry.fixed_by_staff else None
            item = Item(
                page_id=page.pk,
                at=published_at(page),
                terms=page_terms(page),
                story_id=fixed.story_id if fixed else None,
                attracts=fixed.attracts if fixed else True,
            )
            items.append(item)
            current[page.pk] = entry
        groups = cluster(items, window=window(), threshold=threshold())
        by_group: dict[int, list[Item]] = {}
        for item in items:
            by_group.setdefault(groups[item.page_id], []).append(item)
        moved = 0
        # Stories staff made keep their number; no other group may take it.
        claimed = {item.story_id for item in items if item.story_id is not None}
        touched: set[int] = set()
        for members in by_group.values():
            story_id = _story_for(members, current, claimed)
            claimed.add(story_id)
            for item in members:
                entry = current[item.page_id]
                if entry is None:
                    StoryPage.objects.create(
                        page_id=item.page_id,
                        story_id=story_id,
                        published_at=item.at,
                        terms=item.terms,
                    )
                    moved += 1
                    touched.add(story_id)
                    continue
                if entry.story_id != story_id:
                    moved += 1
                    touched |= {entry.story_id, story_id}
                if (entry.story_id, entry.terms, entry.published_at) != (
                    story_id,
                    item.terms,
                    item.at,
                ):
                    StoryPage.objects.filter(pk=entry.pk).update(
                        story_id=story_id, terms=item.terms, published_at=item.at
                    )
        gone = StoryPage.objects.exclude(page__in=_clusterable())
        touched |= set(gone.values_list("story_id", flat=True))
        gone.delete()
        _touch(touched)
        Story.objects.filter(entries__isnull=True).delete()
    return Restoried(pages=len(items), moved=moved, stories=len(by_group))


def _story_for(members: list[Item], current: dict[int, StoryPage | None], claimed: set[int]) -> int:
    """The story number a group keeps: the fixed one, else the one most of its pages hold
    (ties: the lowest), else a new one."""
    for item in members:
        if item.story_id is not None:
            return item.story_id
    votes: dict[int, int] = {}
    for item in members:
        entry = current[item.page_id]
        if entry is not None and entry.story_id not in claimed:
            votes[entry.story_id] = votes.get(entry.story_id, 0) + 1
    if votes:
        return min(votes, key=lambda s: (-votes[s], s))
    return Story.objects.create().pk
