"""The periodic-task scheduler that `parley serve` runs: however many app servers run, only
the holder of the `periodic` lease queues settings.PARLEY_PERIODIC_TASKS (docs/servers.md).

Every server keeps trying to take the lease (every ttl/3 seconds); the holder renews it on
the same beat and queues the tasks once it has held it for `every` seconds since it last
queued them (or since it took the lease). A holder that stops releases the lease, and one
that dies lets it expire after `ttl` seconds: another server then takes it over.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from .lease import LeaseStore, default_store, holder_id

log = logging.getLogger(__name__)
LEASE_NAME = "periodic"

# `parley serve` runs this scheduler as a thread of the process that forks gunicorn's
# workers. A fork taken while the thread is inside SQLite (or any C library with a lock)
# gives the child a lock nobody will ever release: every database call of that worker then
# hangs (seen in CI: a worker whose /healthz never answered, all its threads waiting in
# sqlite3.connect). So the thread does its database work holding this lock, and a fork in
# this process waits for it and never lands in the middle of it.
_db_work = threading.Lock()
os.register_at_fork(
    before=_db_work.acquire,
    after_in_parent=_db_work.release,
    after_in_child=_db_work.release,
)


def queue_periodic_tasks() -> None:
    for path in settings.PARLEY_PERIODIC_TASKS:
        try:
            import_string(path).enqueue()
        except Exception:  # keep the schedule alive; the error is logged
            log.exception("could not queue %s", path)


class PeriodicScheduler:
    def __init__(
        self,
        *,
        every: float,
        ttl: float = 60.0,
        store: LeaseStore | None = None,
        run: Callable[[], None] = queue_periodic_tasks,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.every, self.ttl, self.run, self.clock = every, ttl, run, clock
        self.store = store if store is not None else default_store()
        self.holder = holder_id()
        self.held_since: float | None = None  # when we took the lease or last queued
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def holds(self) -> bool:
        return self.held_since is not None

    def tick(self) -> bool:
        """Take or renew the lease, and queue the tasks when due. True when they ran."""
        try:
            held = self.store.acquire(LEASE_NAME, self.holder, self.ttl)
        except Exception:  # Redis or the database away: not the holder until it answers
            log.exception("could not take the periodic-task lease")
            held = False
        if not held:
            if self.held_since is not None:
                log.info("periodic tasks: lease lost by %s", self.holder)
            self.held_since = None
            return False
        now = self.clock()
        if self.held_since is None:
            log.info("periodic tasks: %s schedules them from now", self.holder)
            self.held_since = now
        if now - self.held_since < self.every:
            return False
        self.held_since = now
        self.run()
        return True

    def start(self) -> None:
        beat = max(0.05, min(self.ttl / 3, self.every))

        def loop() -> None:
            while not self._stop.is_set():
                with _db_work:  # no fork of this process lands inside (see _db_work)
                    self.tick()
                    connections.close_all()  # this thread's; the master forks workers
                self._stop.wait(beat)

        self._started_in = os.getpid()
        self._thread = threading.Thread(target=loop, name="parley-periodic", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop scheduling and hand the lease over at once. Only in the process that started
        it: a forked gunicorn worker leaving through `serve`'s cleanup holds no lease (it
        has no scheduler thread) and must not release the one its parent holds."""
        if getattr(self, "_started_in", os.getpid()) != os.getpid():
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        if self.held_since is not None:
            try:
                self.store.release(LEASE_NAME, self.holder)
            except Exception:
                log.exception("could not release the periodic-task lease")
        self.held_since = None
