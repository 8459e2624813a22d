"""What Parley knows of linked pages, as `LinkPreview`s for cooking (one query per post)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.files.storage import default_storage
from django.urls import reverse

from parley.formatting import LinkPreview

from .canonical import canonicalize
from .models import LinkedPage, PageChange

# (the page's canonical address) -> labels of its source. Filled by the sources app, which
# answers from a cached map (no query), so cooking a card costs nothing more for labels.
SourceLabeller = Callable[[str], tuple[str, ...]]
source_labellers: list[SourceLabeller] = []


def register_source_labeller(labeller: SourceLabeller) -> None:
    if labeller not in source_labellers:
        source_labellers.append(labeller)


def labels_of(page: LinkedPage) -> tuple[str, ...]:
    labels: list[str] = []
    for labeller in source_labellers:
        labels += [x for x in labeller(page.resolved_key or page.key) if x not in labels]
    return tuple(labels)


def canonical_or_none(url: str) -> str | None:
    try:
        key = canonicalize(url)
    except ValueError:
        return None
    return key if len(key) <= 2000 else None


def day_label(page_date: object) -> str:
    return f"{page_date:%-d %b %Y}" if page_date else ""


def status_note(page: LinkedPage, changes: Sequence[PageChange] = ()) -> str:
    if page.is_dead:
        seen = day_label(page.fetched_at)
        return f"No longer available; last seen {seen}." if seen else "No longer available."
    has_history = any(c.kind == PageChange.Kind.HEADLINE for c in changes)
    if page.original_headline and page.original_headline != page.headline and not has_history:
        return f"Headline changed since it was shared; it first read: {page.original_headline}"
    return ""


def history_lines(changes: Sequence[PageChange]) -> tuple[tuple[str, str], ...]:
    lines = []
    for change in changes:
        if change.kind == PageChange.Kind.HEADLINE:
            text = f"Headline changed; it read: {change.before}"
        elif change.kind == PageChange.Kind.GONE:
            text = "Found no longer available"
        else:
            text = "Available again"
        lines.append((change.at.date().isoformat(), text))
    return tuple(lines)


def changes_of(pages: Sequence[LinkedPage]) -> dict[int, list[PageChange]]:
    """History rows of the pages that have any (one query, and none when no page has
    changed or died: most cooking never pays for history)."""
    ids = [p.pk for p in pages if p.headline_changed_at or p.is_dead]
    found: dict[int, list[PageChange]] = {pk: [] for pk in ids}
    if ids:
        for change in PageChange.objects.filter(page_id__in=ids).order_by("at", "pk"):
            found[change.page_id].append(change)
    return found


def preview_of(
    page: LinkedPage, url: str, changes: Sequence[PageChange] | None = None
) -> LinkPreview:
    changes = list(changes or ())
    has_history = bool(changes) or page.is_dead
    return LinkPreview(
        url=url,
        title=page.page_title or page.headline,
        site_name=page.site_name,
        section=page.section,
        description=page.description,
        image_url=default_storage.url(page.image) if page.image else "",
        image_caption=page.image_caption,
        image_credit=page.image_credit,
        author=page.author,
        published=page.published,
        article_text=page.article_text,
        canonical_url=page.resolved_key or page.key,
        status_note=status_note(page, changes),
        labels=labels_of(page),
        history=history_lines(changes),
        history_url=reverse("links:history", args=[page.pk]) if has_history else "",
    )


def previews_for(urls: Sequence[str]) -> dict[str, LinkPreview]:
    """Previews of the fetched, visible pages among `urls`, keyed by the URL as written."""
    keys = {url: key for url in urls if (key := canonical_or_none(url))}
    if not keys:
        return {}
    pages = {
        page.key: page
        for page in LinkedPage.objects.filter(
            key__in=set(keys.values()), status=LinkedPage.Status.OK, hidden=False
        )
    }
    changes = changes_of(list(pages.values()))
    return {
        url: preview_of(pages[key], url, changes.get(pages[key].pk))
        for url, key in keys.items()
        if key in pages
    }
