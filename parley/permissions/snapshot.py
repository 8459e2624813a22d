"""A member's effective permissions in every forum, computed once and cached.

Computing reads five small tables (groups, grants, moderators, forums, categories) whatever
the number of rows, and the result is cached under the current `PermissionVersion`, so a
request normally costs one query (the version) for all of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import F, Q

from parley.core.prepared import Prepared

from .models import (
    ALL_POWERS,
    ForumModerator,
    Grant,
    GrantValue,
    Group,
    Perm,
    PermissionVersion,
    Power,
)

ALL_PERMS = frozenset(Perm.values)
# What every moderator of a forum may do there besides their powers.
MODERATOR_PERMS = frozenset(
    {Perm.VIEW_FORUM, Perm.READ_THREADS, Perm.VIEW_HISTORY, Perm.BYPASS_FLOOD}
)
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class PermissionSet:
    # forum id -> permissions granted there (only forums the person may view are listed)
    perms: dict[int, frozenset[str]] = field(default_factory=dict)
    # forum id -> moderator powers there
    powers: dict[int, frozenset[str]] = field(default_factory=dict)
    # forum id -> minutes a member may edit their own post (None: no limit)
    edit_windows: dict[int, int | None] = field(default_factory=dict)
    group_keys: frozenset[str] = frozenset()
    is_admin: bool = False
    is_super_moderator: bool = False


# Every request of a signed-in member asks (prepared: parley.core.prepared).
_version = Prepared(lambda pk: PermissionVersion.objects.filter(pk=pk).values_list("version"))


def current_version() -> int:
    rows = _version.run(1)
    return int(rows[0][0]) if rows else 0


def bump_version() -> None:
    """Invalidate every cached permission set (on every server: the version is a row)."""
    updated = PermissionVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        PermissionVersion.objects.get_or_create(pk=1, defaults={"version": 2})


def _chains(
    forums: list[tuple[int, int, str]], parents: Mapping[int, int | None]
) -> dict[int, list]:
    """For each forum: the scopes whose grants apply to it, from everywhere to the forum."""
    chains: dict[int, list] = {}
    for forum_id, category_id, _ in forums:
        cats: list[int] = []
        seen: set[int] = set()
        cat: int | None = category_id
        while cat is not None and cat not in seen:  # a cycle in the admin must not hang us
            seen.add(cat)
            cats.append(cat)
            cat = parents.get(cat)
        chains[forum_id] = [
            ("all", None),
            *[("cat", c) for c in reversed(cats)],
            ("forum", forum_id),
        ]
    return chains


def _scope(grant: Any) -> tuple[str, int | None]:
    if grant.forum_id is not None:
        return ("forum", grant.forum_id)
    if grant.category_id is not None:
        return ("cat", grant.category_id)
    return ("all", None)


def compute(user: Any) -> PermissionSet:
    from parley.forums.models import Category, Forum, Visibility

    signed_in = bool(user is not None and user.is_authenticated and user.is_active)
    groups = list(
        Group.objects.filter(
            Q(key=Group.REGISTERED) | Q(members=user) if signed_in else Q(key=Group.GUESTS)
        )
        .values_list("id", "key")
        .distinct()
    )
    group_ids = [gid for gid, _ in groups]
    keys = frozenset(key for _, key in groups if key)
    is_admin = signed_in and (bool(user.is_superuser) or Group.ADMINISTRATORS in keys)
    is_super = is_admin or (signed_in and (bool(user.is_staff) or Group.MODERATORS in keys))
    principal = Q(group_id__in=group_ids)
    if signed_in:
        principal |= Q(member_id=user.pk)

    forums = list(Forum.objects.values_list("id", "category_id", "visibility"))
    if is_super:
        every = {fid: ALL_PERMS for fid, _, _ in forums}
        return PermissionSet(
            perms=every,
            powers={fid: ALL_POWERS for fid, _, _ in forums},
            edit_windows={fid: None for fid, _, _ in forums},
            group_keys=keys,
            is_admin=is_admin,
            is_super_moderator=True,
        )

    parents = dict(Category.objects.values_list("id", "parent_id"))
    by_scope: dict[tuple[str, int | None], list[Grant]] = defaultdict(list)
    for grant in Grant.objects.filter(principal):
        by_scope[_scope(grant)].append(grant)
    powers: dict[int, set[str]] = defaultdict(set)
    for mod in ForumModerator.objects.filter(principal).values_list("forum_id", "powers"):
        forum_id, names = mod
        powers[forum_id].update(p for p in (names or []) if p in ALL_POWERS)

    perms: dict[int, frozenset[str]] = {}
    windows: dict[int, int | None] = {}
    for forum_id, chain in _chains(forums, parents).items():
        allowed: set[str] = set()
        never: set[str] = set()
        window: int | str | None = "unset"
        for scope in chain:
            # The edit window of the most specific scope that grants edit_own wins (a
            # forum's 30 minutes must not be lifted by the site-wide grant); within one
            # scope the most generous of the person's grants applies.
            here: int | str | None = "unset"
            for grant in by_scope.get(scope, ()):
                if grant.value == GrantValue.NEVER:
                    never.add(grant.permission)
                    continue
                allowed.add(grant.permission)
                if grant.permission == Perm.EDIT_OWN:
                    minutes = grant.edit_window_minutes
                    if here == "unset" or minutes is None:
                        here = minutes
                    elif here is not None:
                        here = max(here, minutes)  # type: ignore[call-overload]
            if here != "unset":
                window = here
        granted = allowed - never
        if Perm.MODERATE in granted:
            powers[forum_id].update(ALL_POWERS)
        if powers.get(forum_id):
            granted |= MODERATOR_PERMS
        if Perm.VIEW_FORUM in granted:
            perms[forum_id] = frozenset(granted)
            windows[forum_id] = None if window == "unset" else window  # type: ignore[assignment]

    # Visibility is the outer gate: members-only forums are closed to guests, staff forums
    # to everyone who holds no moderator power there.
    for forum_id, _, visibility in forums:
        closed_to_guests = visibility == Visibility.MEMBERS and not signed_in
        closed_to_non_staff = visibility == Visibility.STAFF and not powers.get(forum_id)
        if closed_to_guests or closed_to_non_staff:
            perms.pop(forum_id, None)
    return PermissionSet(
        perms=perms,
        powers={fid: frozenset(p) for fid, p in powers.items() if p and fid in perms},
        edit_windows=windows,
        group_keys=keys,
        is_admin=False,
        is_super_moderator=False,
    )


def load(user: Any) -> PermissionSet:
    """The cached permission set of this person (one query: the version)."""
    signed_in = bool(user is not None and user.is_authenticated and user.is_active)
    # Superuser and staff flags live on the member row, not in the grant tables: they are
    # part of the key so that changing them needs no bump.
    who = f"m{user.pk}.{int(user.is_superuser)}{int(user.is_staff)}" if signed_in else "guest"
    key = f"parley:perms:{current_version()}:{who}"
    found = cache.get(key)
    if isinstance(found, PermissionSet):
        return found
    result = compute(user)
    cache.set(key, result, CACHE_SECONDS)
    return result


def powers_named(names: Iterable[str]) -> list[str]:
    return [p for p in names if p in Power.values]
