"""How live messages travel from the process that publishes them (a gunicorn worker, the
task worker) to the live server's processes (docs/live.md).

Two transports with one interface:

- `RedisTransport` (when `PARLEY_LIVE_REDIS_URL`, by default `PARLEY_REDIS_URL`, is set): one
  Lua script takes the next id from a counter, appends the message to the channel's capped
  list (the backlog for `Last-Event-ID`) and PUBLISHes it on one pub/sub channel that every
  live server listens to.
- `TableTransport` (no Redis): a row in `live_livemessage`, whose id is the cursor; each live
  server polls the table with one indexed query every `PARLEY_LIVE_POLL_SECONDS`, whatever the
  number of open streams. Works across processes on SQLite and PostgreSQL alike.

`publish` is synchronous (called from views, services, subscribers and tasks); `listen` and
`since` are coroutines used only by the live server."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    id: int
    channel: str
    event: str
    data: dict[str, Any]
    _wire: list[bytes] = field(default_factory=list, compare=False, repr=False)

    def sse(self) -> bytes:
        """The message as one server-sent event (encoded once, shared by every stream)."""
        if not self._wire:
            body = json.dumps({"channel": self.channel, **self.data}, separators=(",", ":"))
            self._wire.append(f"id: {self.id}\nevent: {self.event}\ndata: {body}\n\n".encode())
        return self._wire[0]


Deliver = Callable[[Message], None]


class Transport(Protocol):
    name: str

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int: ...

    def publish_many(self, messages: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Several messages in one round trip, in order (a fan-out to many members)."""
        ...

    async def since(self, channels: Iterable[str], after: int) -> tuple[list[Message], bool]:
        """Messages of these channels with an id above `after`, oldest first, and whether
        the backlog still reaches back to `after` (False: some may have been dropped)."""
        ...

    async def listen(self, deliver: Deliver) -> None:
        """Call `deliver` with every new message, in id order, until an error ends it."""
        ...


def _encode(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


# --- the table ------------------------------------------------------------------------------

# Any constant shared by every publisher: serialises publishers on PostgreSQL so ids commit
# in the order they were taken, and a poller reading `id > last` never skips one.
_PG_LOCK_KEY = 0x5041524C  # "PARL"


class TableTransport:
    name = "table"

    def __init__(self) -> None:
        self.poll_seconds = float(settings.PARLEY_LIVE_POLL_SECONDS)
        self.keep_rows = int(settings.PARLEY_LIVE_BACKLOG_SIZE)
        self.keep_seconds = float(settings.PARLEY_LIVE_BACKLOG_SECONDS)
        self.prune_every = 100

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        from .models import LiveMessage

        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
            row = LiveMessage.objects.create(
                channel=channel, event=event, data=data, created_at=timezone.now()
            )
        if row.pk % self.prune_every == 0:
            self.prune(row.pk)
        return int(row.pk)

    def publish_many(self, messages: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """One transaction and one INSERT for all of them: on SQLite a commit per message
        (a disk sync each) made a fan-out to 10,000 members' bells take over a minute."""
        from .models import LiveMessage

        if not messages:
            return
        now = timezone.now()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
            rows = LiveMessage.objects.bulk_create(
                [
                    LiveMessage(channel=channel, event=event, data=data, created_at=now)
                    for channel, event, data in messages
                ],
                batch_size=500,
            )
        newest = max((int(row.pk) for row in rows if row.pk is not None), default=0)
        if newest and newest // self.prune_every != (newest - len(rows)) // self.prune_every:
            self.prune(newest)

    def prune(self, newest: int) -> int:
        """Keep the last `PARLEY_LIVE_BACKLOG_SIZE` rows of the last
        `PARLEY_LIVE_BACKLOG_SECONDS`: the backlog a reconnecting page can catch up from."""
        from django.db.models import Q

        from .models import LiveMessage

        too_old = timezone.now() - timedelta(seconds=self.keep_seconds)
        deleted, _ = LiveMessage.objects.filter(
            Q(id__lte=newest - self.keep_rows) | Q(created_at__lt=too_old)
        ).delete()
        return deleted

    # -- the live server's side (run in a thread through sync_to_async) --

    def _rows(self, after: int, channels: list[str] | None, limit: int) -> list[Message]:
        from .models import LiveMessage

        rows = LiveMessage.objects.filter(id__gt=after)
        if channels is not None:
            rows = rows.filter(channel__in=channels)
        return [
            Message(pk, channel, event, data)
            for pk, channel, event, data in rows.order_by("id").values_list(
                "id", "channel", "event", "data"
            )[:limit]
        ]

    def _since(self, channels: list[str], after: int) -> tuple[list[Message], bool]:
        from .models import LiveMessage

        try:
            oldest = LiveMessage.objects.order_by("id").values_list("id", flat=True).first()
            complete = oldest is None or oldest <= after + 1
            return self._rows(after, channels, 1000), complete
        finally:
            connection.close()  # a stream holds no database connection

    async def since(self, channels: Iterable[str], after: int) -> tuple[list[Message], bool]:
        return await sync_to_async(self._since, thread_sensitive=False)(list(channels), after)

    def _head(self) -> int:
        from django.db.models import Max

        from .models import LiveMessage

        return int(LiveMessage.objects.aggregate(m=Max("id"))["m"] or 0)

    def _close(self) -> None:
        connection.close()

    def _poll(self, after: int) -> list[Message]:
        try:
            return self._rows(after, None, 500)
        except Exception:
            connection.close()  # a new one next time (the database restarted, say)
            raise

    async def listen(self, deliver: Deliver) -> None:
        # One connection for the whole process, kept in sync_to_async's single thread.
        try:
            last = await sync_to_async(self._head)()
            while True:
                batch = await sync_to_async(self._poll)(last)
                for message in batch:
                    deliver(message)
                    last = message.id
                if len(batch) < 500:
                    await asyncio.sleep(self.poll_seconds)
        finally:
            # Closed in the thread that opened it (the server is stopping, or will retry).
            await asyncio.shield(sync_to_async(self._close)())


# --- Redis ----------------------------------------------------------------------------------

# Atomic: the id, the backlog entry and the broadcast happen together and in id order.
_PUBLISH = """
local id = redis.call('INCR', KEYS[1])
local msg = id .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3]
redis.call('RPUSH', KEYS[2], msg)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
redis.call('PUBLISH', KEYS[3], msg)
return id
"""


def _parse(raw: bytes | str) -> Message:
    text = raw.decode() if isinstance(raw, bytes) else raw
    pk, channel, event, data = text.split("\n", 3)
    return Message(int(pk), channel, event, json.loads(data))


class RedisTransport:
    name = "redis"

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        prefix = settings.PARLEY_LIVE_REDIS_PREFIX
        self.seq_key = f"{prefix}:seq"
        self.broadcast = f"{prefix}:all"
        self.log_prefix = f"{prefix}:log:"
        self.keep = int(settings.PARLEY_LIVE_BACKLOG_PER_CHANNEL)
        self.keep_seconds = int(settings.PARLEY_LIVE_BACKLOG_SECONDS)
        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self.script = self.client.register_script(_PUBLISH)
        self._async: Any = None

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        keys = [self.seq_key, self.log_prefix + channel, self.broadcast]
        args: list[str | int] = [channel, event, _encode(data), self.keep, self.keep_seconds]
        return int(self.script(keys=keys, args=args))

    def publish_many(self, messages: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """The same script for each message, pipelined: one round trip for the batch."""
        if not messages:
            return
        pipe = self.client.pipeline(transaction=False)
        for channel, event, data in messages:
            keys = [self.seq_key, self.log_prefix + channel, self.broadcast]
            args: list[str | int] = [channel, event, _encode(data), self.keep, self.keep_seconds]
            self.script(keys=keys, args=args, client=pipe)
        pipe.execute()

    def _aclient(self) -> Any:
        """The asyncio client of the running event loop (a client is bound to its loop)."""
        import redis.asyncio

        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            client = redis.asyncio.Redis.from_url(self.url, health_check_interval=30)
            self._async = (loop, client)
        return self._async[1]

    async def since(self, channels: Iterable[str], after: int) -> tuple[list[Message], bool]:
        client = self._aclient()
        found: list[Message] = []
        complete = True
        for channel in channels:
            entries = [_parse(raw) for raw in await client.lrange(self.log_prefix + channel, 0, -1)]
            if len(entries) >= self.keep and entries[0].id > after + 1:
                complete = False
            found += [m for m in entries if m.id > after]
        return sorted(found, key=lambda m: m.id), complete

    async def listen(self, deliver: Deliver) -> None:
        pubsub = self._aclient().pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self.broadcast)
        try:
            while True:
                message = await pubsub.get_message(timeout=30.0)
                if message is not None and message.get("type") == "message":
                    deliver(_parse(message["data"]))
        finally:
            await pubsub.aclose()


@cache
def current() -> Transport:
    """The transport the settings choose (one per process)."""
    url = settings.PARLEY_LIVE_REDIS_URL
    return RedisTransport(url) if url else TableTransport()
