"""Inside the live server: the open streams, by channel and by client address, and the one
loop that takes messages from the transport and hands each to the streams of its channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, defaultdict

from .transport import Message, Transport

log = logging.getLogger(__name__)

# A stream this far behind (a stalled client) is ended; it reconnects and catches up.
MAX_QUEUED = 200


class Stream:
    __slots__ = ("address", "channels", "ended", "queue")

    def __init__(self, address: str, channels: set[str]) -> None:
        self.address = address
        self.channels = channels
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue()
        self.ended = False

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
        self._task: asyncio.Task[None] | None = None

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

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        self.end_all()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
