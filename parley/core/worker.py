"""The background-task worker that `parley db_worker` runs: django-tasks-db's own `Worker`,
made hard to kill.

- **Database errors** (a killed PostgreSQL connection, a full or read-only SQLite file)
  escape django-tasks-db's loop; here they are caught around it: the connections are
  closed, the worker sleeps (1 s doubling to 30 s) and enters the loop again, which
  reconnects. A task that was running when the error struck is marked failed.
- **A failing task** is marked failed by django-tasks-db itself; the loop goes on.
- **A hanging task** is cut by a per-task time limit: `SIGALRM` (set with `setitimer` in the
  worker's main thread) raises `TaskTimeLimitExceeded` inside the task, django-tasks-db
  records it as the task's failure and takes the next one. A signal is the honest choice
  here because django-tasks-db runs each task in its own loop's thread and records the
  result with that thread's connection: running tasks in a child process would mean
  rewriting its loop. The signal interrupts Python code and blocking system calls (sockets,
  sleeps); it cannot interrupt C code that never returns to the interpreter, so a watchdog
  thread marks such a task failed and ends the process when the task overruns its limit
  by a grace period (the limit itself, at most `WATCHDOG_GRACE` seconds); `parley serve`
  starts a new worker.
- **Orphans**: a task left RUNNING by a worker that died (`kill -9`) is marked failed by any
  live worker once the dead one's heartbeat has been silent for `silent_after` seconds.
- **Heartbeat**: a thread writes the worker's row in `core.WorkerHeartbeat` every
  `BEAT_EVERY` seconds (and which task it runs); /healthz reads it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.db import DatabaseError, InterfaceError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import heartbeat

log = logging.getLogger("parley.worker")

BEAT_EVERY = 5.0
WATCHDOG_GRACE = 30.0
MAX_RECONNECT_DELAY = 30.0
DATABASE_ERRORS = (DatabaseError, InterfaceError)  # OperationalError is a DatabaseError


class TaskTimeLimitExceeded(BaseException):
    """Raised inside a task that ran past the time limit. A BaseException, so that a task's
    own `except Exception` cannot swallow it."""


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker died while running it."""


def close_connections() -> None:
    """Close this thread's connections even when they are broken (closing may raise)."""
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(*DATABASE_ERRORS):
            conn.close()


class ResilientWorker(Worker):
    def __init__(self, *, time_limit: float, silent_after: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.time_limit = time_limit
        # A live worker beats every BEAT_EVERY s: a shorter silence must not count as death
        # (another worker would fail the task it is running).
        self.silent_after = max(silent_after, 3 * BEAT_EVERY)
        self.current_task: tuple[str, datetime, float] | None = None  # id, started, monotonic
        self._stop_beating = threading.Event()
        # `parley serve` passes its pid: a worker whose supervisor vanished stops itself.
        parent = os.environ.get("PARLEY_WORKER_PARENT_PID", "")
        self.parent_pid = int(parent) if parent.isdigit() else None

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        beating = threading.Thread(target=self._beat_loop, name="parley-heartbeat", daemon=True)
        beating.start()
        delay = 1.0
        try:
            while self.running:
                try:
                    self.recover_orphans()
                    delay = 1.0  # the database answered
                    super().run()
                    return  # --batch or --max-tasks: a normal end
                except DATABASE_ERRORS as exc:
                    log.warning(
                        "database error in the task loop (%s); retrying in %.0f s", exc, delay
                    )
                    close_connections()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_RECONNECT_DELAY)
        finally:
            self._stop_beating.set()
            beating.join(BEAT_EVERY + 5)
            with contextlib.suppress(*DATABASE_ERRORS):
                heartbeat.forget_worker(worker_id=self.worker_id)
            close_connections()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task = (str(db_task_result.id), timezone.now(), time.monotonic())
        timed = self.time_limit > 0 and threading.current_thread() is threading.main_thread()
        previous: Any = None
        if timed:
            previous = signal.signal(signal.SIGALRM, self._time_up)
            signal.setitimer(signal.ITIMER_REAL, self.time_limit)
        try:
            super().run_task(db_task_result)
        except TaskTimeLimitExceeded as exc:
            # The alarm struck while django-tasks-db was recording the result: record it here.
            db_task_result.set_failed(exc)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            self.current_task = None

    def _time_up(self, signum: int, frame: FrameType | None) -> None:
        raise TaskTimeLimitExceeded(f"The task ran longer than its limit of {self.time_limit:g} s.")

    def recover_orphans(self, *, include_own: bool = True) -> int:
        """Mark failed the tasks left RUNNING by a worker that is gone (killed, or this one
        before a database error): nothing else would ever finish them. Returns how many.

        `include_own` only from the main loop, between tasks: the heartbeat thread must not
        fail the task this worker is running."""
        live = heartbeat.live_worker_ids(silent_after=self.silent_after)
        recent = timezone.now() - timedelta(seconds=self.silent_after)
        failed = 0
        for result in DBTaskResult.objects.running():
            owner = result.worker_ids[-1] if result.worker_ids else ""
            if (include_own and owner == self.worker_id) or (
                owner != self.worker_id
                and owner not in live
                and result.started_at is not None
                and result.started_at < recent
            ):
                result.set_failed(WorkerLost(f"Worker {owner or '?'} stopped while running it."))
                failed += 1
        if failed:
            log.warning("marked %d task(s) of lost workers as failed", failed)
        return failed

    # --- heartbeat and watchdog (a thread with its own database connection) ---------------

    def _beat_loop(self) -> None:
        registered = False
        # Look for orphans about twice per silence period (every 5 to 60 s).
        recover_every = min(60.0, max(BEAT_EVERY, self.silent_after / 2))
        next_recovery = time.monotonic() + recover_every
        while True:
            try:
                current = self.current_task
                if not registered:
                    heartbeat.register_worker(worker_id=self.worker_id)
                    registered = True
                heartbeat.beat(
                    worker_id=self.worker_id,
                    task_id=current[0] if current else "",
                    task_started_at=current[1] if current else None,
                )
                if time.monotonic() >= next_recovery:
                    next_recovery = time.monotonic() + recover_every
                    self.recover_orphans(include_own=False)
                self._watchdog()
            except DATABASE_ERRORS as exc:
                log.warning("heartbeat not written (%s)", exc)
                close_connections()
            if self._stop_beating.wait(BEAT_EVERY):
                break
        close_connections()

    def _watchdog(self) -> None:
        current = self.current_task
        grace = min(WATCHDOG_GRACE, self.time_limit)
        if (
            current is not None
            and self.time_limit > 0
            and time.monotonic() - current[2] > self.time_limit + grace
        ):
            log.critical("task %s ignores its time limit; ending the worker process", current[0])
            stuck = DBTaskResult.objects.filter(pk=current[0]).first()
            if stuck is not None:
                stuck.set_failed(
                    TaskTimeLimitExceeded(
                        f"The task ran past its limit of {self.time_limit:g} s and could not "
                        "be interrupted; its worker process was ended."
                    )
                )
            os._exit(70)  # the supervisor starts a new worker
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            log.warning("the supervising `parley serve` is gone; stopping")
            os.kill(os.getpid(), signal.SIGTERM)
            self.parent_pid = None


__all__ = ["ResilientWorker", "TaskTimeLimitExceeded", "WorkerLost"]
