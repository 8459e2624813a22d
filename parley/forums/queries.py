"""Read side: what each page needs, fetched in a fixed number of queries whatever its size."""

from __future__ import annotations

import copy
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.templatetags.static import static
from django.utils import timezone

from parley.core import stamps
from parley.core.params import ascii_int
from parley.core.prepared import Prepared
from parley.members.titles import Ladder
from parley.permissions.guardian import Guardian

from .fragments import member_cards
from .models import Category, Forum, Post, Reaction, ReactionType, State, Thread
from .reaction_icons import icon_url


def parse_page_number(number: Any) -> int:
    """A page number from a query string: missing is 1; anything but ASCII digits is a 404."""
    if number is None or number == "":
        return 1
    if isinstance(number, str):
        # ASCII digits only: "٣" would otherwise be read as page 3.
        parsed = ascii_int(number, max_digits=9)
        if parsed is None:
            raise Http404("No such page.")
        return parsed
    return int(number)


def paginate(items: QuerySet[Any], per_page: int, number: Any) -> Page[Any]:
    """A page of `items`; a page number that is not a positive integer in range is a 404."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        return paginator.page(parse_page_number(number))
    except (EmptyPage, PageNotAnInteger, OverflowError, ValueError) as exc:
        raise Http404("No such page.") from exc


@dataclass
class CategoryNode:
    category: Category
    forums: list[Forum] = field(default_factory=list)
    children: list[CategoryNode] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.forums and all(child.is_empty for child in self.children)


def forum_index(guardian: Guardian) -> list[CategoryNode]:
    """The category tree with the forums this person may see (two queries)."""
    nodes = {c.pk: CategoryNode(c) for c in Category.objects.all()}
    forums = guardian.visible_forums(Forum.objects.all()).select_related(
        "last_post__author", "last_post__thread"
    )
    for forum in forums:
        nodes[forum.category_id].forums.append(forum)
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = node.category.parent_id
        (nodes[parent].children if parent in nodes else roots).append(node)
    return [root for root in roots if not root.is_empty]


def forum_threads(
    forum: Forum, page_number: Any, per_page: int, guardian: Guardian, narrow: Q | None = None
) -> Page[Thread]:
    """`narrow`: a filter the reader chose (a thread prefix, see hooks.thread_list_filters)."""
    threads = (
        Thread.objects.filter(guardian.forum_thread_filter(forum), narrow or Q(), forum=forum)
        .select_related("author", "last_post__author")
        .order_by("-is_sticky", "-last_post_at", "-id")
    )
    return paginate(threads, per_page, page_number)


@dataclass
class ReactionSummary:
    type: ReactionType
    count: int
    icon: str = ""  # the bundled SVG's URL (reaction_icons)


@dataclass
class PostView:
    post: Post
    title: str
    reactions: list[ReactionSummary]
    my_reaction_id: int | None
    # The Guardian's answers for this post (can_edit, can_react, can_moderate …).
    flags: dict[str, bool] = field(default_factory=dict)
    # (type id, name, tooltip, chosen by the viewer, icon URL): plain tuples, because a page
    # renders seven buttons for each of twenty posts and attribute look-ups add up.
    buttons: list[tuple[int, str, str, bool, str]] = field(default_factory=list)
    # The author's card, rendered (fragments.member_cards: cached, keyed by what it shows).
    card: str = ""
    # The author's cooked signature when this reader is shown signatures, else "".
    signature: str = ""

    @property
    def main_button(self) -> tuple[str, str, str, bool, str] | None:
        """(value, name, tooltip, pressed, icon) of the one reaction button shown outside
        the picker: the reader's own reaction, which it takes back, or else the first type
        (Like)."""
        for _pk, name, _tip, chosen, icon in self.buttons:
            if chosen:
                return ("", name, f"Take back your reaction ({name})", True, icon)
        if self.my_reaction_id is not None:  # a type since switched off by an admin
            return ("", "Take back", "Take back your reaction", True, icon_url(""))
        if not self.buttons:
            return None
        pk, name, tip, _chosen, icon = self.buttons[0]
        return (str(pk), name, tip, False, icon)

    @property
    def picker_icon(self) -> str:
        return static("reactions/pick.svg")


@dataclass
class ThreadPage:
    page: Page[int]
    # Shared with other readers of the same shape (stamps.per_thread): read-only.
    posts: list[PostView]
    # How this reader sees the page's posts (reader_shape): the key of its kept HTML.
    shape: str


def _reaction_types() -> tuple[dict[int, ReactionType], dict[int, str]]:
    """Every reaction type by id, and its icon's address."""
    types = {t.pk: t for t in ReactionType.objects.all()}
    return types, {pk: icon_url(t.name) for pk, t in types.items()}


def reaction_counts(ids: list[int]) -> dict[int, list[ReactionSummary]]:
    """Each post's reaction summary, by post id, in display order (one query)."""
    types, icons = stamps.per_site("forums.reaction_types", _reaction_types)
    counts: dict[int, list[ReactionSummary]] = defaultdict(list)
    rows = (
        Reaction.objects.filter(post_id__in=ids)
        .values("post_id", "type_id")
        .annotate(n=Count("id"))
        .order_by("post_id", "type_id")
    )
    for row in rows:
        type_id = row["type_id"]
        counts[row["post_id"]].append(ReactionSummary(types[type_id], row["n"], icons[type_id]))
    for summaries in counts.values():
        summaries.sort(key=lambda s: (s.type.position, s.type.pk))
    return dict(counts)


def my_reactions(ids: Sequence[int], viewer: Any) -> dict[int, int]:
    """The reaction type the viewer gave each of these posts, by post id (one query; none
    for a guest)."""
    if viewer is None or not viewer.is_authenticated or not ids:
        return {}
    return dict(_my_reactions.run(viewer.pk, list(ids)))


# Every signed-in thread page asks (prepared: parley.core.prepared).
_my_reactions = Prepared(
    lambda member_id, post_ids: Reaction.objects.filter(
        member_id=member_id, post_id__in=post_ids
    ).values_list("post_id", "type_id")
)


def decorate_posts(
    posts: list[Post],
    viewer: Any,
    counts: dict[int, list[ReactionSummary]] | None = None,
    mine: dict[int, int] | None = None,
) -> list[PostView]:
    """Titles, reaction summaries and the viewer's own reactions for a list of posts: three
    queries whatever the number of posts, fewer when `counts` or `mine` is given."""
    ladder = Ladder.load()
    types, icons = stamps.per_site("forums.reaction_types", _reaction_types)
    ids = [p.pk for p in posts]
    if counts is None:
        counts = reaction_counts(ids)
    if mine is None:
        mine = my_reactions(ids, viewer)
    active = sorted((t for t in types.values() if t.is_active), key=lambda t: (t.position, t.pk))
    labels = [(t.pk, t.name, f"{t.name} ({t.score:+d})", icons[t.pk]) for t in active]
    views = []
    for p in posts:
        chosen = mine.get(p.pk)
        views.append(
            PostView(
                post=p,
                title=p.author.custom_title or ladder.title_for(p.author.message_count),
                reactions=list(counts.get(p.pk, ())),
                my_reaction_id=chosen,
                buttons=[(pk, name, tip, pk == chosen, icon) for pk, name, tip, icon in labels],
            )
        )
    return views


@dataclass(frozen=True)
class _PageRows:
    """What a page of a thread shows every reader alike: its posts with their authors, and
    their reaction summaries (kept by stamps.per_thread; never changed once made)."""

    posts: tuple[Post, ...]
    counts: dict[int, list[ReactionSummary]]


def _page_rows(thread: Thread, ids: list[int]) -> _PageRows:
    posts = tuple(Post.objects.filter(pk__in=ids).select_related("author").order_by("id"))
    # The Guardian's checks read `post.thread`: a copy of the thread of the same stamp, owned
    # by the kept rows (no request's copy, which its request may change), saves a query each.
    own_thread = copy.copy(thread)
    for post in posts:
        post.thread = own_thread
    return _PageRows(posts=posts, counts=reaction_counts(ids))


@dataclass(frozen=True)
class _Listing:
    """Which posts one reader sees on one page of a thread: how many they see in all, and
    the ids on this page."""

    count: int
    number: int
    ids: tuple[int, ...]


def _listing(ids: QuerySet[Any], per_page: int, number: int) -> _Listing:
    page = paginate(ids, per_page, number)
    return _Listing(page.paginator.count, page.number, tuple(page.object_list))


def thread_page(thread: Thread, page_number: Any, per_page: int, guardian: Guardian) -> ThreadPage:
    """One page of a thread. The page's post ids are found first, in a query that reads only
    the (thread, id, state) index: skipping 100,000 index entries for page 5,000 costs
    little, where skipping 100,000 whole rows (OFFSET on the posts themselves) cost several
    times page 1 (bench/deep_paging.py). Only those 20 posts are then loaded.

    Both are kept while the thread does not change (stamps.per_thread, the lifetime of a
    guest's page): the ids under this reader's own filter (it names them when they have
    posts awaiting approval, and moderators see more), the posts and their reaction counts
    under the ids, shared by every reader of the page."""
    number = parse_page_number(page_number)
    # Who has posts awaiting approval here (usually nobody): every other member's filter then
    # leaves out their own pending posts, and they share one listing.
    pending_authors = stamps.per_thread(
        thread.pk,
        "pending-authors",
        lambda: frozenset(
            Post.objects.filter(thread=thread, state=State.PENDING).values_list(
                "author_id", flat=True
            )
        ),
    )
    where = guardian.thread_post_filter(thread, pending_authors=pending_authors)
    ids = Post.objects.filter(where, thread=thread).order_by("id").values_list("id", flat=True)
    listing = stamps.per_thread(
        thread.pk,
        f"listing:{per_page}:{number}:{where!r}",
        lambda: _listing(ids, per_page, number),
    )
    rows = stamps.per_thread(
        thread.pk,
        "rows:" + ",".join(map(str, listing.ids)),
        lambda: _page_rows(thread, list(listing.ids)),
    )
    paginator: Paginator[int] = Paginator(ids, per_page, allow_empty_first_page=True)
    paginator.__dict__["count"] = listing.count  # known: Paginator.count is a cached property
    page = Page(list(listing.ids), listing.number, paginator)
    posts = list(rows.posts)  # kept and shared: read-only from here on
    # What of the page differs from one reader to the next: the Guardian's answers, the
    # reader's own reactions, signatures shown or not. Readers who agree on all three share
    # the page's views (and, in the view, their HTML): most members of a thread do.
    flags = guardian.page_post_flags(posts)
    mine = my_reactions(listing.ids, guardian.user)
    shape = reader_shape(listing.ids, flags, mine, guardian.sees_signatures)
    views = stamps.per_thread(
        thread.pk,
        f"views:{shape}",
        lambda: post_views(posts, guardian, rows.counts, flags=flags, mine=mine),
    )
    return ThreadPage(page=page, posts=views, shape=shape)


def reader_shape(
    ids: Sequence[int], flags: list[dict[str, bool]], mine: dict[int, int], signatures: bool
) -> str:
    """A name for how one reader sees these posts: the ids, then a digest of the Guardian's
    answers for each post, the reader's reaction to each and whether signatures show.
    Two readers with the same shape are shown the same posts, byte for byte."""
    seen = (
        tuple(tuple(sorted(post_flags.items())) for post_flags in flags),
        tuple(mine.get(pk) for pk in ids),
        signatures,
    )
    digest = hashlib.blake2b(repr(seen).encode(), digest_size=12).hexdigest()
    return ",".join(map(str, ids)) + ":" + digest


def post_views(
    posts: list[Post],
    guardian: Guardian,
    counts: dict[int, list[ReactionSummary]] | None = None,
    *,
    flags: list[dict[str, bool]] | None = None,
    mine: dict[int, int] | None = None,
) -> list[PostView]:
    """Posts as a thread page shows them to this reader: reactions, buttons, the Guardian's
    flags and the (cached) member card."""
    views = decorate_posts(posts, guardian.user, counts, mine)
    cards = member_cards([(view.post.author, view.title) for view in views])
    signatures = guardian.sees_signatures
    if flags is None:
        flags = guardian.page_post_flags([view.post for view in views])
    for view, card, post_flags in zip(views, cards, flags, strict=True):
        view.flags = post_flags
        view.card = card
        if signatures:
            view.signature = view.post.author.signature_html
    return views


def page_of_post(post: Post, per_page: int, guardian: Guardian) -> int:
    """The page of its thread a post is on for this person: the posts before it that they
    see, deleted placeholders included (so a post's number never shifts when another is
    deleted), posts awaiting approval only for those who see them."""
    before = Post.objects.filter(
        guardian.thread_post_filter(post.thread), thread_id=post.thread_id, id__lt=post.pk
    ).count()
    return before // per_page + 1


def post_number(post: Post, guardian: Guardian) -> int:
    """The post's number in its thread ("#12") for this person, counted as page_of_post
    counts (one query)."""
    return (
        Post.objects.filter(
            guardian.thread_post_filter(post.thread), thread_id=post.thread_id, id__lt=post.pk
        ).count()
        + 1
    )


def member_activity(
    member: Any, guardian: Guardian, limit: int = 10
) -> tuple[list[Post], list[Thread]]:
    """A member's latest posts and threads that this person may see (two queries)."""
    posts = list(
        guardian.visible_posts(Post.objects.filter(author=member))
        .select_related("thread")
        .order_by("-id")[:limit]
    )
    threads = list(
        guardian.visible_threads(Thread.objects.filter(author=member))
        .select_related("forum")
        .order_by("-id")[:limit]
    )
    return posts, threads


def forum_redirects(forum: Forum) -> list[Any]:
    """The "moved" notices left in this forum (one query, usually empty)."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import ThreadRedirect

    return list(
        ThreadRedirect.objects.filter(forum=forum)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .select_related("thread__forum")
        .order_by("-created_at")[:20]
    )


@dataclass
class ReactionTab:
    """One "who reacted" filter: a reaction type (None: all of them) and its count."""

    type: ReactionType | None
    count: int
    icon: str
    current: bool


def who_reacted(
    post: Post, type_id: int | None, page_number: Any, per_page: int
) -> tuple[list[ReactionTab], Page[Reaction]]:
    """The members who reacted to a post, newest first, all or of one type, with a tab per
    type that has any (four queries). A type with no reaction on this post is a 404."""
    types = {t.pk: t for t in ReactionType.objects.all()}
    counts = dict(
        Reaction.objects.filter(post=post)
        .values_list("type_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("type_id", "n")
    )
    if type_id is not None and type_id not in counts:
        raise Http404("No such reaction on this post.")
    shown = sorted(counts, key=lambda pk: (types[pk].position, pk))
    tabs = [ReactionTab(None, sum(counts.values()), "", type_id is None)]
    tabs += [
        ReactionTab(types[pk], counts[pk], icon_url(types[pk].name), pk == type_id) for pk in shown
    ]
    rows = (
        Reaction.objects.filter(post=post).select_related("member").order_by("-created_at", "-id")
    )
    if type_id is not None:
        rows = rows.filter(type_id=type_id)
    page = paginate(rows, per_page, page_number)
    icons = {tab.type.pk: tab.icon for tab in tabs if tab.type is not None}
    for reaction in page.object_list:
        reaction.type = types[reaction.type_id]  # no query per row
        reaction.icon = icons[reaction.type_id]  # type: ignore[attr-defined]
    return tabs, page


SAME_THREAD_WINDOW = timedelta(minutes=30)


def recent_same_thread(
    *, author: Any, forum: Any, title: str, source: str, token: str | None
) -> Thread | None:
    """A thread this member started in this forum in the last half hour with exactly this
    title and first-post text, from another form (the same form's token sent again is a
    retry, which the posting service answers with the first thread). One query."""
    found = Thread.objects.filter(
        forum=forum,
        author=author,
        title=title,
        created_at__gte=timezone.now() - SAME_THREAD_WINDOW,
        first_post__source=source,
    )
    if token:
        found = found.exclude(first_post__idempotency_key=token)
    return found.order_by("-created_at").first()
