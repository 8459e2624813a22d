"""Inside the live server: the open streams, by channel and by client address, and the one
loop that takes messages from the transport and hands each to the streams of its channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, defaultdict

from django.conf import settings

from .transport import Message, Transport

log = logging.getLogger(__name__)

# A stream this far behind (a stalled client) is ended; it reconnects and catches up.
MAX_QUEUED = 200
KEEPALIVE = b": keep-alive\n\n"


class Stream:
    """One open stream: its channels and a queue of what to write — messages, keep-alive
    comments (bytes), or None to end. One coroutine per stream waits on the queue; the
    hub's single ticker decides keep-alives and lifetimes for all of them (no timer, no
    task per stream and wait)."""

    __slots__ = ("address", "channels", "deadline", "ended", "queue", "quiet_since")

    def __init__(self, address: str, channels: set[str], *, lifetime: float) -> None:
        self.address = address
        self.channels = channels
        self.queue: asyncio.Queue[Message | bytes | None] = asyncio.Queue()
        self.ended = False
        self.quiet_since = time.monotonic()
        self.deadline = self.quiet_since + lifetime

    def push(self, message: Message) -> None:
        if self.ended:
            return
        if self.queue.qsize() >= MAX_QUEUED:
            self.end()
            return
        self.queue.put_nowait(message)

    def end(self) -> None:
        if not self.ended:
            self.ended = True
            self.queue.put_nowait(None)


class Hub:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.by_channel: dict[str, set[Stream]] = defaultdict(set)
        self.per_address: Counter[str] = Counter()
        self.streams: set[Stream] = set()
        self.delivered = 0
        self._tasks: list[asyncio.Task[None]] = []

    # -- admission: a slot is reserved before the (slow) authorisation, so a burst of
    # connections from one address cannot all slip under the cap at once.
    def reserve(self, address: str, cap: int) -> bool:
        if self.per_address[address] >= cap:
            return False
        self.per_address[address] += 1
        return True

    def release(self, address: str) -> None:
        self.per_address[address] -= 1
        if self.per_address[address] <= 0:
            del self.per_address[address]

    def add(self, stream: Stream) -> None:
        self.streams.add(stream)
        for channel in stream.channels:
            self.by_channel[channel].add(stream)

    def remove(self, stream: Stream) -> None:
        self.streams.discard(stream)
        for channel in stream.channels:
            listeners = self.by_channel.get(channel)
            if listeners is not None:
                listeners.discard(stream)
                if not listeners:
                    del self.by_channel[channel]

    def deliver(self, message: Message) -> None:
        for stream in tuple(self.by_channel.get(message.channel, ())):
            stream.push(message)
            self.delivered += 1

    def end_all(self) -> None:
        for stream in tuple(self.streams):
            stream.end()

    # -- the pump --
    async def run(self) -> None:
        delay = 0.5
        while True:
            try:
                await self.transport.listen(self.deliver)
                delay = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                # Messages may have been missed: every stream ends, and each page reconnects
                # with its Last-Event-ID and catches up from the backlog.
                log.exception("live transport failed; ending streams, retrying in %.1f s", delay)
                self.end_all()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 15.0)

    async def tick(self) -> None:
        """Keep-alive comments for streams quiet for PARLEY_LIVE_KEEPALIVE_SECONDS, and the
        end of streams past their lifetime: one pass over all streams, at most every second."""
        while True:
            keepalive = float(settings.PARLEY_LIVE_KEEPALIVE_SECONDS)
            await asyncio.sleep(min(1.0, keepalive / 2))
            now = time.monotonic()
            for stream in tuple(self.streams):
                if now >= stream.deadline:
                    stream.end()
                elif now - stream.quiet_since >= keepalive and not stream.ended:
                    stream.quiet_since = now
                    stream.queue.put_nowait(KEEPALIVE)

    def start(self) -> None:
        if not self._tasks:
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self.run()), loop.create_task(self.tick())]

    async def stop(self) -> None:
        self.end_all()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
