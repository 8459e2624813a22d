"""Who is connecting and what they may listen to, decided once when a stream opens (in a
thread, through sync_to_async; the database connection is closed before the stream starts,
so an open stream holds none).

The member comes from the Django session cookie, checked as Django's own middleware checks
it (the session exists and its password hash still matches). Every thread and forum asked
for must be one the Guardian lets them see — otherwise the whole request is refused with a
404, as the page itself would be. A member may listen to `member:<own id>` only. Apps may add
channels for a thread's readers (`grants`: a poll's results shown only after voting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

from . import channels, grants

MAX_THREADS = 50
MAX_FORUMS = 20


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Grant:
    member_id: int | None
    channels: set[str] = field(default_factory=set)


def parse_ids(values: list[str], limit: int, what: str) -> list[int]:
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or len(part) > 18 or int(part) == 0:
                raise Refused(400, f"{what} must be ids (whole numbers), not {part[:20]!r}.")
            ids.append(int(part))
    if len(set(ids)) > limit:
        raise Refused(400, f"At most {limit} {what} per stream.")
    return sorted(set(ids))


def _member(session_key: str | None) -> Any:
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest
    from django.utils.module_loading import import_string

    if not session_key:
        return AnonymousUser()
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request = HttpRequest()
    request.session = engine(session_key)
    return get_user(request)


def authorise(
    session_key: str | None, thread_ids: list[int], forum_ids: list[int], member_ids: list[int]
) -> Grant:
    from parley.forums.models import Forum, Thread
    from parley.permissions.guardian import Guardian

    close_old_connections()
    try:
        user = _member(session_key)
        guardian = Guardian(user)
        signed_in = bool(user.is_authenticated and user.is_active)
        grant = Grant(member_id=user.pk if signed_in else None)
        if any(m != grant.member_id for m in member_ids):
            raise Refused(404, "No such channel.")
        if signed_in:
            grant.channels.add(channels.member(user.pk))
        if thread_ids:
            threads = Thread.objects.select_related("forum").filter(pk__in=thread_ids)
            readable = [t for t in threads if guardian.can_read_thread(t)]
            seen = {t.pk for t in readable}
            if seen != set(thread_ids):
                raise Refused(404, "No such thread.")
            grant.channels |= {channels.thread(pk) for pk in seen}
            # What apps add for readers of these threads (a poll's after-vote results).
            grant.channels |= grants.thread_channels(guardian, readable)
        if forum_ids:
            forums = Forum.objects.filter(pk__in=forum_ids)
            seen = {f.pk for f in forums if guardian.can_see_forum(f)}
            if seen != set(forum_ids):
                raise Refused(404, "No such forum.")
            grant.channels |= {channels.forum(pk) for pk in seen}
        return grant
    finally:
        connections.close_all()  # nothing held open while the stream runs
