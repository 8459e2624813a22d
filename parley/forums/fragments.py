"""Fragments of a thread page, cached under keys made of what they show (docs/caching.md).

The member card is most of a post's rendering time (its date, number formatting and
country name cost about 0.8 ms each; twenty of them were over half of a signed-in thread
page). A card's key is made of everything it shows, so a changed count, title or profile
is simply a different key: nothing has to be invalidated, and an old card is never shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from parley.core import stamps

from .forms import PostForm, new_token

CARD_TEMPLATE = "includes/member_card.html"
CARD_SECONDS = 3600


def _card_key(member: Any, title: str) -> str:
    shown = (
        member.username,
        title,
        member.message_count,
        member.reaction_score,
        str(member.country),
        member.location,
        member.date_joined.date().isoformat(),
        tuple(tuple(pair) for pair in member.card_fields or ()),
        getattr(member, "avatar_version", 0),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:24]
    return f"card:{member.pk}:{digest}"


def member_cards(authors: Sequence[tuple[Any, str]]) -> list[SafeString]:
    """The rendered card of each (member, rank title), from the cache where it is (one
    round trip for the page) and rendered once where it is not."""
    store = caches["pages"]
    keys = [_card_key(member, title) for member, title in authors]
    found: dict[str, str] = store.get_many(set(keys))
    fresh: dict[str, str] = {}
    template = get_template(CARD_TEMPLATE)
    cards = []
    for key, (member, title) in zip(keys, authors, strict=True):
        html = found.get(key) or fresh.get(key)
        if html is None:
            html = template.render({"member": member, "rank_title": title})
            fresh[key] = html
        cards.append(mark_safe(html))  # our own template's output, escaped there
    if fresh:
        store.set_many(fresh, timeout=CARD_SECONDS)
    return cards


# --- whole posts of a thread page ------------------------------------------------------------

POST_TEMPLATE = "forums/post.html"
POST_SECONDS = 600
# Rendered where the form's CSRF token goes, and replaced by the reader's token afterwards:
# the token is the one thing in a post's HTML that differs from one request to the next.
CSRF_PLACEHOLDER = "PARLEY-CSRF-TOKEN-PLACEHOLDER"


def _post_key(view: Any, number: int, thread_id: int, can_reply: bool, can_moderate: bool) -> str:
    """Everything `forums/post.html` reads, so that a different post, state, edit, card,
    reaction count, permission or page position is a different key."""
    post = view.post
    edited = naturaltime(post.edited_at) if post.edited_at else ""
    shown = (
        post.pk,
        thread_id,
        number,
        post.state,
        post.format,
        hashlib.sha256(post.cooked_html.encode()).hexdigest(),
        post.created_at.isoformat(),
        edited,
        post.author_id,
        post.deleted_by_id,
        post.delete_reason,
        post.staff_notice,
        str(post.ip_address) if view.flags.get("can_view_ip") else "",
        str(view.card),
        # The signature by its version (moved by members.services.set_signature); -1 for a
        # reader not shown signatures.
        post.author.signature_version if view.signature else -1,
        tuple((r.type.pk, r.type.emoji, r.type.name, r.count) for r in view.reactions),
        view.my_reaction_id,
        tuple(view.buttons),
        tuple(sorted(view.flags.items())),
        can_reply,
        can_moderate,
    )
    return "post:" + hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def render_posts(
    views: Sequence[Any],
    *,
    thread_id: int,
    start_index: int,
    can_reply: bool,
    can_moderate: bool,
    csrf_token: Callable[[], str],
    shape: str | None = None,
) -> list[SafeString]:
    """Each post of a page as HTML: from the cache where the same post was rendered for a
    reader who saw it the same way (one round trip for the page), rendered otherwise.
    `csrf_token` is asked only when a post holds a form (never for a guest: asking would
    make the page personal).

    With the readers' `shape` (queries.reader_shape), the whole page's HTML is kept while
    the thread does not change (stamps.per_thread): the readers who see it alike skip the
    twenty keys and the cache read too. Only the CSRF token is put in per reader."""

    def render() -> tuple[str, ...]:
        return _posts_with_placeholder(
            views,
            thread_id=thread_id,
            start_index=start_index,
            can_reply=can_reply,
            can_moderate=can_moderate,
        )

    if shape is None:
        return _with_token(render(), csrf_token)
    key = f"posts-html:{shape}:{start_index}:{can_reply:d}{can_moderate:d}"
    return _with_token(stamps.per_thread(thread_id, key, render), csrf_token)


def _with_token(html: Sequence[str], csrf_token: Callable[[], str]) -> list[SafeString]:
    out = []
    token = ""
    for piece in html:
        if CSRF_PLACEHOLDER in piece:
            token = token or csrf_token()
            piece = piece.replace(CSRF_PLACEHOLDER, token)
        out.append(mark_safe(piece))  # our own template's output, escaped there
    return out


def _posts_with_placeholder(
    views: Sequence[Any], *, thread_id: int, start_index: int, can_reply: bool, can_moderate: bool
) -> tuple[str, ...]:
    store = caches["pages"]
    keys = [
        _post_key(view, start_index + i, thread_id, can_reply, can_moderate)
        for i, view in enumerate(views)
    ]
    found: dict[str, str] = store.get_many(set(keys))
    fresh: dict[str, str] = {}
    template = get_template(POST_TEMPLATE)
    out = []
    for i, (key, view) in enumerate(zip(keys, views, strict=True)):
        html = found.get(key) or fresh.get(key)
        if html is None:
            html = template.render(
                {
                    "view": view,
                    "number": start_index + i,
                    "thread_id": thread_id,
                    "can_reply": can_reply,
                    "can_moderate": can_moderate,
                    "csrf_token": CSRF_PLACEHOLDER,
                }
            )
            fresh[key] = html
        out.append(html)
    if fresh:
        store.set_many(fresh, timeout=POST_SECONDS)
    return tuple(out)


# --- the quick reply box -----------------------------------------------------------------------

QUICK_REPLY_TEMPLATE = "forums/quick_reply.html"
# Rendered where the form's idempotency token goes (forms.new_token), replaced per reader.
FORM_TOKEN_PLACEHOLDER = "PARLEY-FORM-TOKEN-PLACEHOLDER"


def quick_reply(
    thread: Any,
    *,
    initial: dict[str, str],
    locked: bool,
    csrf_token: Callable[[], str],
) -> SafeString:
    """The reply box under a thread. Without a draft it is the same for every reader who
    writes in the same format, but for its two tokens: rendered once per thread, format and
    lock (stamps.per_thread), the tokens put in afterwards. About 1.5 ms of a signed-in
    thread page (the form's widgets and the editor's includes). A reader's draft is theirs
    alone: rendered each time."""

    def render(form_initial: dict[str, str]) -> str:
        form = PostForm(initial=form_initial)
        context = {
            "thread": thread,
            "forum": thread.forum,
            "reply_form": form,
            "locked": locked,
            "csrf_token": CSRF_PLACEHOLDER,
        }
        return get_template(QUICK_REPLY_TEMPLATE).render(context)

    if set(initial) <= {"format"}:
        fmt = initial.get("format", "")
        html = stamps.per_thread(
            thread.pk,
            f"quick-reply:{fmt}:{locked}",
            lambda: render({**initial, "token": FORM_TOKEN_PLACEHOLDER}),
        )
        html = html.replace(FORM_TOKEN_PLACEHOLDER, new_token())
    else:
        html = render(initial)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, csrf_token()))  # escaped in the template


# --- ignored members (people app) --------------------------------------------------------------

IGNORED_TEMPLATE = "forums/ignored_post.html"


def collapse_ignored(
    html: Sequence[SafeString], views: Sequence[Any], reader: Any
) -> list[SafeString]:
    """Posts by members the reader ignores, folded under "Show ignored content". The post's
    own HTML is the cached one, unchanged: only this reader's wrapping differs. The list of
    ignored ids comes with the reader's row (no query)."""
    ignored = set(getattr(reader, "ignored_ids", None) or ())
    if not ignored:
        return list(html)
    template = get_template(IGNORED_TEMPLATE)
    out = []
    for piece, view in zip(html, views, strict=True):
        if view.post.author_id in ignored:
            piece = mark_safe(template.render({"post": view.post, "html": piece}))
        out.append(piece)
    return out
