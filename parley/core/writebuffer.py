"""Writes a page view causes, buffered in process memory and flushed in batches, so that no
GET ever writes to the database (docs/caching.md).

A `Buffer` merges what requests add under a key (a thread's view count, a member's newest
read position in a thread) and hands the whole batch to its flush function, which writes
it in one statement per batch. Each process that serves pages flushes its own buffers:

- every PARLEY_WRITE_BUFFER_SECONDS from a daemon thread the first `add` starts (after a
  fork too: the thread belongs to the process that added);
- on a clean shutdown: gunicorn's `worker_exit` hook (`parley serve`), the task worker's
  exit, and `atexit` for anything else;
- when the periodic task `parley.core.tasks.flush_write_buffers` runs.

A process that is killed loses at most one interval of views and read positions; nothing
else depends on them (docs/caching.md says why this is acceptable).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)

Merge = Callable[[Any, Any], Any]
Flush = Callable[[dict[Any, Any]], None]


class Buffer:
    def __init__(self, name: str, *, merge: Merge, flush: Flush) -> None:
        self.name = name
        self._merge = merge
        self._flush = flush
        self._items: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def add(self, key: Hashable, value: Any) -> None:
        with self._lock:
            old = self._items.get(key)
            self._items[key] = value if old is None else self._merge(old, value)
        _ensure_flusher()

    def pending(self) -> dict[Any, Any]:
        """A copy of what waits to be written (read tracking consults it)."""
        with self._lock:
            return dict(self._items)

    def discard(self) -> None:
        """Forget what is buffered (tests start from nothing)."""
        with self._lock:
            self._items = {}

    def flush(self) -> int:
        """Write what is buffered; on failure it goes back into the buffer (merged with
        whatever came in meanwhile) and the error is raised."""
        with self._lock:
            items, self._items = self._items, {}
        if not items:
            return 0
        try:
            self._flush(items)
        except Exception:
            with self._lock:
                for key, value in items.items():
                    old = self._items.get(key)
                    self._items[key] = value if old is None else self._merge(old, value)
            raise
        return len(items)


_buffers: list[Buffer] = []


def register(buffer: Buffer) -> Buffer:
    _buffers.append(buffer)
    return buffer


def flush_all() -> dict[str, int]:
    """Flush every buffer of this process; one failing buffer does not stop the others."""
    written: dict[str, int] = {}
    for buffer in _buffers:
        try:
            written[buffer.name] = buffer.flush()
        except Exception:
            log.exception("could not flush the %s buffer; it is kept for the next try", buffer.name)
            written[buffer.name] = 0
    return written


def discard_all() -> None:
    for buffer in _buffers:
        buffer.discard()


# --- the flusher thread (one per process) ---------------------------------------------------

_flusher_pid: int | None = None
_flusher_lock = threading.Lock()
_stop = threading.Event()


def _interval() -> float:
    return float(getattr(settings, "PARLEY_WRITE_BUFFER_SECONDS", 2.0))


def _ensure_flusher() -> None:
    global _flusher_pid
    if _flusher_pid == os.getpid() or _interval() <= 0:
        return
    with _flusher_lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
        threading.Thread(target=_loop, name="parley-write-buffer", daemon=True).start()


def _loop() -> None:
    while not _stop.wait(_interval()):
        close_old_connections()
        flush_all()
    connections.close_all()


def _flush_at_exit() -> None:
    try:
        flush_all()
    except Exception:  # the interpreter is going away: log, never raise
        log.exception("flushing write buffers at exit failed")


atexit.register(_flush_at_exit)


def worker_exit(server: Any, worker: Any) -> None:
    """gunicorn's `worker_exit` hook: a worker stopping cleanly writes what it buffered."""
    _flush_at_exit()
