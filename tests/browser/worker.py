"""Helpers for browser tests of background work: the real database task backend with its real
worker loop running in a thread of the test process, and a local news site whose pages can be
held back (a slow newspaper), so a test can see a page before and after a fetch finishes.

Use the fixtures by importing them into the test module (they register under the names
`db_worker` and `slow_news_site`):

    from tests.browser.worker import db_worker_fixture, slow_news_site_fixture  # noqa: F401

The worker runs in a thread rather than a second process because the test settings give a
second process neither this run's test database (its file name carries the pid) nor the
allow-listed port of the local news site (`PARLEY_FETCH_ALLOW_LOOPBACK_PORTS` is not read
from the environment). A thread sees both, and it is still django_tasks_db's own `Worker`
claiming rows from the database queue, as `parley db_worker` does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connections

from tests.links.conftest import NewsSite, running_news_site

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- the worker --------------------------------------------------------------------------


def _worker_class() -> type:
    from django_tasks_db.management.commands.db_worker import Worker

    class ThreadWorker(Worker):
        """The db_worker loop without its signal handlers (only the main thread may set
        them); it stops when `running` is cleared, within one polling interval."""

        def configure_signals(self) -> None:
            pass

        def reset_signals(self) -> None:
            pass

    return ThreadWorker


@dataclass
class BackgroundWorker:
    worker: Any
    thread: threading.Thread
    errors: list[BaseException] = field(default_factory=list)

    def stop(self, timeout: float = 30.0) -> None:
        self.worker.running = False
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise RuntimeError(f"the task worker did not stop within {timeout:.0f} s")
        if self.errors:
            raise RuntimeError("the task worker loop crashed") from self.errors[0]


@contextmanager
def background_worker(*, interval: float = 0.1) -> Iterator[BackgroundWorker]:
    """Run the database task worker in a daemon thread until the block ends."""
    worker = _worker_class()(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    )
    handle: BackgroundWorker

    def loop() -> None:
        try:
            worker.run()
        except BaseException as exc:  # reported by stop()
            handle.errors.append(exc)
        finally:
            connections.close_all()  # this thread's connection, before the database is flushed

    thread = threading.Thread(target=loop, name="db-task-worker", daemon=True)
    handle = BackgroundWorker(worker=worker, thread=thread)
    thread.start()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(name="db_worker")
def db_worker_fixture(settings: Any, transactional_db: None) -> Iterator[BackgroundWorker]:
    """The database task backend for this test, and a worker draining its queue. Stopped
    (bounded) before the database is flushed and the settings are restored."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    settings.TASKS = DATABASE_TASKS  # django_tasks resets its backends on setting_changed
    assert isinstance(task_backends["default"], DatabaseBackend)
    with background_worker() as handle:
        yield handle


# --- a news site that can be held back ---------------------------------------------------


@pytest.fixture(name="slow_news_site")
def slow_news_site_fixture(settings: Any) -> Iterator[NewsSite]:
    """The links tests' news site (its `held(path)` delays answers while a block runs)."""
    with running_news_site(settings) as site:
        yield site
