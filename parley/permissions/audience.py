"""Who among many members may read a post: the Guardian's answer, asked in bulk.

Fanning an alert out to 10,000 watchers must not compute 10,000 permission sets. Most
members hold nothing of their own — no group beyond the implicit Registered one, no grant
naming them, no forum-moderator seat, no staff flag — so they share one permission set: the
Guardian of one of them answers for all. The few others are asked one by one (each a cached
`snapshot.load`). Three queries find the special members of a batch, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from .guardian import Guardian
from .models import ForumModerator, Grant, Group

if TYPE_CHECKING:
    from parley.forums.models import Post


def _special_ids(member_ids: list[int]) -> set[int]:
    through = Group.members.through
    special = set(
        through.objects.filter(member_id__in=member_ids).values_list("member_id", flat=True)
    )
    special |= set(
        Grant.objects.filter(member_id__in=member_ids).values_list("member_id", flat=True)
    )
    special |= set(
        ForumModerator.objects.filter(member_id__in=member_ids).values_list("member_id", flat=True)
    )
    return special


def readers_of_post(post: Post, member_ids: Iterable[int]) -> set[int]:
    """The members (of `member_ids`) whose Guardian lets them read `post`'s content.
    `post` needs its thread (and the thread's forum) loaded."""
    wanted = sorted(set(member_ids))
    if not wanted:
        return set()
    members = {
        m.pk: m
        for m in get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .only("pk", "is_active", "is_superuser", "is_staff")
    }
    special = _special_ids(list(members))
    special |= {pk for pk, m in members.items() if m.is_superuser or m.is_staff}
    # The author sees their own pending posts: ask the Guardian of an author by name.
    special.add(post.author_id)
    plain = [pk for pk in members if pk not in special]
    allowed: set[int] = set()
    if plain and Guardian(members[plain[0]]).can_read_post(post):
        allowed.update(plain)
    for pk in special:
        member = members.get(pk)
        if member is not None and Guardian(member).can_read_post(post):
            allowed.add(pk)
    return allowed
