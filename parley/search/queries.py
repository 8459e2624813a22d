"""The one way to search: `search_posts(guardian, query, filters, sort, page)`, for the
page today and the API later. The Guardian's `visible_posts` filter is the base of every
search, so hidden forums, deleted threads and posts, and posts awaiting approval are left
out by the database itself: they never appear, not even in a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString

from parley.forums.models import Category, Forum, Post, Reaction
from parley.links.models import PostLink
from parley.members.models import Member
from parley.permissions.guardian import Guardian

from . import engines
from .highlight import highlight, snippet
from .parser import ParsedQuery

PER_PAGE = 20
# Relevance: rank this many of the best documents of the whole index first (cheap: the
# engine alone), and filter only those; a page that comes out short ranks every match.
SHORTLIST = 200
# Deep pages cost the database more than they help anyone: narrow the search instead.
MAX_PAGE = 50
RELEVANCE, NEWEST = "relevance", "date"
SORTS = (RELEVANCE, NEWEST)


@dataclass(frozen=True)
class Filters:
    author_ids: tuple[int, ...] = ()
    forum_ids: tuple[int, ...] | None = None  # None: everywhere the reader may read
    since: date | None = None
    until: date | None = None  # inclusive
    titles_only: bool = False
    site: str = ""  # a host name, already in canonical form ("bbc.co.uk")
    min_reactions: int = 0


@dataclass
class Hit:
    post: Post
    snippet: SafeString
    title: SafeString
    matches_in_thread: int = 1  # grouped by thread: how many of its posts match


@dataclass
class SearchPage:
    hits: list[Hit]
    page: int
    has_next: bool
    grouped: bool
    engine: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def forum_ids_under(forum_id: int | None, category_id: int | None) -> tuple[int, ...] | None:
    """A forum, or every forum of a category and of the categories nested in it."""
    if forum_id is not None:
        return (forum_id,)
    if category_id is None:
        return None
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    wanted, todo = set(), [category_id]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo += children.get(current, [])
    return tuple(Forum.objects.filter(category_id__in=wanted).values_list("pk", flat=True))


def _aware(day: date, *, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment, timezone.get_current_timezone())


def _filtered(guardian: Guardian, filters: Filters) -> QuerySet[Post]:
    posts = guardian.visible_posts(Post.objects.all())
    if filters.forum_ids is not None:
        posts = posts.filter(thread__forum_id__in=filters.forum_ids)
    if filters.author_ids:
        posts = posts.filter(author_id__in=filters.author_ids)
    if filters.since:
        posts = posts.filter(created_at__gte=_aware(filters.since))
    if filters.until:
        posts = posts.filter(created_at__lt=_aware(filters.until, end=True))
    if filters.site:
        host = filters.site
        on_site = Q()
        for scheme in ("https", "http"):
            for key in ("page__key", "page__resolved_key"):
                on_site |= Q(**{f"{key}__startswith": f"{scheme}://{host}/"})
        posts = posts.filter(Exists(PostLink.objects.filter(on_site, post_id=OuterRef("pk"))))
    if filters.min_reactions > 0:
        counted = (
            Reaction.objects.filter(post_id=OuterRef("pk"))
            .order_by()
            .values("post_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        posts = posts.annotate(
            reaction_total=Subquery(counted, output_field=IntegerField())
        ).filter(reaction_total__gte=filters.min_reactions)
    return posts


def _ranked_ids(
    matched: QuerySet[Any], *, sort: str, grouped: bool, limit: int, offset: int
) -> list[tuple[int, int]]:
    """(post id, matching posts in its thread) for one page, best first. Grouped by thread,
    each thread appears once, with its best (or newest) matching post."""
    inner = matched.values("id", "thread_id", "created_at", "rank")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # the reader may read no forum at all (or none of those chosen)
        return []
    order = "m.rank, m.id" if sort == RELEVANCE else "m.created_at DESC, m.id DESC"
    outer_order = order.replace("m.", "w.")
    if grouped:
        # Only our own ORDER BY constants and Django's compiled SQL are spliced; every value
        # (the engine query included) is a parameter.
        query = (
            f"SELECT w.id, w.hits FROM (SELECT m.id, m.rank, m.created_at, "  # noqa: S608
            f"ROW_NUMBER() OVER (PARTITION BY m.thread_id ORDER BY {order}) AS place, "
            f"COUNT(*) OVER (PARTITION BY m.thread_id) AS hits FROM ({sql}) m) w "
            f"WHERE w.place = 1 ORDER BY {outer_order} LIMIT %s OFFSET %s"
        )
    else:
        query = f"SELECT m.id, 1 FROM ({sql}) m ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, (*params, limit, offset))
        return [(int(pk), int(hits)) for pk, hits in cursor.fetchall()]


def search_posts(
    guardian: Guardian,
    query: ParsedQuery,
    filters: Filters,
    sort: str = RELEVANCE,
    page: int = 1,
    *,
    grouped: bool = False,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of posts this reader may read that match `query` and `filters`: the page's
    ids (ranked in the engine, from a shortlist first when nothing filters), then those
    posts with their threads, forums and authors."""
    engine = engines.current()
    page = max(1, min(page, MAX_PAGE))
    sort = sort if sort in SORTS else RELEVANCE
    matched = engine.match(_filtered(guardian, filters), query, titles_only=filters.titles_only)
    limit, offset = per_page + 1, (page - 1) * per_page
    rows: list[tuple[int, int]] | None = None
    unfiltered = filters == Filters(titles_only=filters.titles_only)
    if not grouped and unfiltered:
        # Ranking (or dating) every match of a common word, each joined to its post and
        # thread for the permission check, costs most of a search; the best (or newest) few
        # hundred of the whole index usually hold the page. Same order, so the same page:
        # the filtered best of the shortlist are the filtered best of all, as long as the
        # shortlist yields a full page or holds every match. With a filter (a forum, a
        # member …) the shortlist would mostly miss, so those rank their matches at once.
        window = max(SHORTLIST, 4 * (offset + limit))
        shortlist = engine.best_ids(
            query, titles_only=filters.titles_only, limit=window, newest=sort == NEWEST
        )
        rows = _ranked_ids(
            matched.filter(pk__in=shortlist), sort=sort, grouped=False, limit=limit, offset=offset
        )
        if len(rows) < limit and len(shortlist) == window:
            rows = None
    if rows is None:
        rows = _ranked_ids(matched, sort=sort, grouped=grouped, limit=limit, offset=offset)
    has_next = len(rows) > per_page and page < MAX_PAGE
    rows = rows[:per_page]
    posts = Post.objects.select_related("thread__forum", "author").in_bulk([pk for pk, _ in rows])
    whole, starts = query.highlight_terms()
    hits = [
        Hit(
            post=posts[pk],
            snippet=snippet(posts[pk].plain_text, whole, starts),
            title=highlight(posts[pk].thread.title, whole, starts),
            matches_in_thread=n,
        )
        for pk, n in rows
        if pk in posts
    ]
    return SearchPage(hits=hits, page=page, has_next=has_next, grouped=grouped, engine=engine.name)


def search_members(text: str, *, limit: int = 10) -> list[Member]:
    """Members whose name contains `text` (active accounts only), in name order."""
    text = text.strip().strip('"*-').strip()
    if not text:
        return []
    return list(
        Member.objects.filter(is_active=True, username__icontains=text).order_by("username")[:limit]
    )
