"""Version stamps: short tokens that change whenever something a page shows changes. The
guest page cache (parley.core.pagecache) puts the stamps of what a page shows into its key,
so a change makes the next request miss and render afresh, on every app server at once.

Stamps live in the `shared` cache: Redis when PARLEY_REDIS_URL is set (shared by every app
server and the worker), otherwise a small file cache in the data folder (shared by the
gunicorn workers and the task worker on one machine; the local-memory cache would not be).

Names:
- `site`: what every page shows — the title ladder, reaction types, permissions, forums
  and categories, members' profiles. Bumped by the model signals wired in `connect()`.
- `content`: anything posted anywhere (the forum index, what's new, member pages).
- `forum:<id>`, `thread:<id>`: one forum's list, one thread's pages.

Every content change is announced by a durable event written in its transaction
(parley.events.outbox): the outbox bumps the stamps its targets name, after the commit, in
one place (`bump_for_event`). A stamp is never bumped before the commit: a request that read
the old stamp and then the new rows only stores a newer page under the old key (it is also
bumped at the change itself, see `bump_on_commit`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

SITE = "site"
CONTENT = "content"
# Who's online (people.online moves it at most once a minute per process).
ONLINE = "online"
PREFIX = "stamp:"

T = TypeVar("T")
# Per process: name -> (the site stamp's token when loaded, the value).
_site_memo: dict[str, tuple[str, Any]] = {}
# Per process, with the file cache: (its generation when read, names -> tokens). See read().
_read_memo: tuple[bytes, dict[tuple[str, ...], str]] = (b"", {})
_READ_MEMO_MAX = 10_000
# Per process: (name, thread id) -> (the thread's tokens when loaded, loaded at, the value).
# Least recently used first; see per_thread().
_thread_memo: OrderedDict[tuple[str, int], tuple[str, float, Any]] = OrderedDict()
_thread_memo_lock = threading.Lock()
# A page's posts with their authors are about 110 KB in memory (the peer data set), the other
# values a few KB at most; every kept page comes with its listing and its thread's small
# values, so 1,000 values are a few tens of MB per process at most.
THREAD_MEMO_MAX = 1_000


def thread(pk: int) -> str:
    return f"thread:{pk}"


def forum(pk: int) -> str:
    return f"forum:{pk}"


def profile(username: str) -> str:
    """One member's page (their follower count)."""
    return f"profile:{username.lower()}"


def _store() -> Any:
    return caches["shared"]


def read(names: Iterable[str]) -> str:
    """The current tokens of these stamps joined into one string (one cache round trip). A
    stamp never set (or evicted) gets a fresh token, which only costs one render.

    With the machine-wide file cache (no Redis), what was read is kept in the process until
    the cache's generation moves — any write by any process moves it — so a guest page's
    check is a memory read. The generation is read *before* the stamps: a write in between
    leaves newer tokens under the old generation, and the next read sees the new one."""
    global _read_memo
    key = tuple(names)
    store = _store()
    generation = getattr(store, "generation", None)
    if generation is None:
        return _read_store(store, key)
    now = generation()
    held_generation, held = _read_memo
    if held_generation == now:
        tokens = held.get(key)
        if tokens is not None:
            return tokens
    if held_generation != now or len(held) >= _READ_MEMO_MAX:
        held = {}
        _read_memo = (now, held)
    tokens = _read_store(store, key)
    held[key] = tokens
    return tokens


def _read_store(store: Any, names: tuple[str, ...]) -> str:
    found = store.get_many([PREFIX + n for n in names])
    tokens = []
    for name in names:
        token = found.get(PREFIX + name)
        if token is None:
            token = secrets.token_hex(4)
            # add, not set: two processes that both missed agree on the first token
            if not store.add(PREFIX + name, token, timeout=None):
                token = store.get(PREFIX + name) or token
        tokens.append(token)
    return ".".join(tokens)


def per_site(name: str, load: Callable[[], T]) -> T:
    """`load()`, kept in this process until the `site` stamp moves: for the small tables every
    page reads (the title ladder, reaction types), one cache read instead of a query. The
    value is shared by the process's threads, so it must be treated as read-only."""
    token = read([SITE])
    held = _site_memo.get(name)
    if held is not None and held[0] == token:
        return held[1]  # type: ignore[no-any-return]
    value = load()
    _site_memo[name] = (token, value)
    return value


def per_thread(pk: int, name: str, load: Callable[[], T], *, seconds: float | None = None) -> T:
    """`load()`, kept in this process while neither this thread's stamp nor the site stamp
    moves, and for at most `seconds` (by default PARLEY_GUEST_CACHE_SECONDS): the rows a
    thread page shows to every reader alike (the thread, a page's posts and their reaction
    counts, its labels), read once per change instead of once per request. The same two
    stamps and lifetime as a guest's cached page of the thread, so a member never sees older
    rows than a guest would; every change to what the rows hold is an event that moves the
    thread's stamp (names_for_event) or a site-wide change. The value is shared by the
    process's threads: read-only."""
    if not settings.PARLEY_GUEST_CACHE:
        return load()  # caching turned off (PARLEY_GUEST_CACHE=0): every page reads afresh
    if seconds is None:
        seconds = settings.PARLEY_GUEST_CACHE_SECONDS
    token = read([SITE, thread(pk)])
    key = (name, pk)
    now = time.monotonic()
    with _thread_memo_lock:
        held = _thread_memo.get(key)
        if held is not None and held[0] == token and now - held[1] < seconds:
            _thread_memo.move_to_end(key)
            return held[2]  # type: ignore[no-any-return]
    value = load()
    with _thread_memo_lock:
        _thread_memo[key] = (token, now, value)
        _thread_memo.move_to_end(key)
        while len(_thread_memo) > THREAD_MEMO_MAX:
            _thread_memo.popitem(last=False)
    return value


def bump(*names: str) -> None:
    """A new token for each stamp, now (outside a transaction, or when the caller commits
    itself). A fresh random token rather than an increment: any change of value will do,
    and the file cache has no atomic increment."""
    if names:
        _store().set_many({PREFIX + n: secrets.token_hex(4) for n in set(names)}, timeout=None)


def bump_on_commit(*names: str) -> None:
    """Bump now and again once the current transaction commits (only now when there is
    none). The second bump is the one that counts: a guest request that read the first
    token while the change was not yet committed may have stored the old rows under it,
    and after the commit nobody asks for that key any more. The first one makes the change
    visible at once to whoever reads inside the same transaction (the tests do)."""
    if names:
        bump(*names)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: bump(*names), robust=True)


def names_for_event(
    kind: str, *, thread_id: int | None, forum_id: int | None, payload: dict[str, Any]
) -> list[str]:
    """The stamps an event's targets name: its thread and forum, where a move came from,
    and the content stamp every content change moves. Private conversations show on no
    public page and move nothing; nor do sign-ups and reports (they change no content)."""
    if kind.startswith("conversation.") or kind in ("member.registered", "report.filed"):
        return []
    names = [CONTENT]
    if thread_id:
        names.append(thread(thread_id))
    if forum_id:
        names.append(forum(forum_id))
    if payload.get("from_forum_id"):
        names.append(forum(payload["from_forum_id"]))
    if payload.get("from_thread_id"):
        names.append(thread(payload["from_thread_id"]))
    for pk in payload.get("merged_thread_ids") or []:
        names.append(thread(pk))
    return names


# --- site-wide changes: model signals, whichever path made them (admin, service, shell) -------

# Models whose rows every page may show. Lazy "app.Model" references: the core imports no app.
SITE_MODELS = (
    "members.TitleRung",
    "forums.ReactionType",
    "forums.Forum",
    "forums.Category",
    "permissions.Group",
    "permissions.Grant",
    "permissions.ForumModerator",
    "permissions.PermissionVersion",
)
# Fields of a member whose change shows on their card or page; saving anything else
# (last_login on every sign-in) leaves the pages alone.
MEMBER_CARD_FIELDS = frozenset(
    {
        "username",
        "country",
        "location",
        "about",
        "custom_title",
        "date_joined",
        "is_active",
        "is_banned",
        "banned_until",
        "ban_reason",
    }
)


def _site_changed(sender: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        bump_on_commit(SITE)


def _member_saved(sender: Any, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or kwargs.get("created"):
        return  # a new member shows nowhere until they post (and posting bumps)
    if fields is not None and not (set(fields) & MEMBER_CARD_FIELDS):
        return
    bump_on_commit(SITE)


def connect() -> None:
    for model in SITE_MODELS:
        uid = f"stamps.site.{model}"
        post_save.connect(_site_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_site_changed, sender=model, dispatch_uid=uid + ".delete")
    # Group membership is not connected: guests are in no stored group, and promotions
    # (which add members to groups after posts) must not empty the guest cache each time.
    post_save.connect(_member_saved, sender="members.Member", dispatch_uid="stamps.member")
