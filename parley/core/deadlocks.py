"""Retry a whole transaction that the database chose as a deadlock victim.

PostgreSQL breaks a lock cycle by aborting one of the transactions in it (SQLSTATE 40P01;
40001 for a serialization failure): that transaction has been rolled back entirely, so
running it again is safe and is what the database expects. Replies racing a merge, a move
or a thread deletion can meet in such a cycle through foreign-key checks on the thread row.
Only the outermost atomic block can be retried; inside someone else's transaction the error
goes up to whoever owns it.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import OperationalError, connection

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
RETRYABLE = {"40P01", "40001"}


def is_retryable(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE


def retry_on_deadlock(attempts: int = 4) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except OperationalError as exc:
                    if attempt == attempts or connection.in_atomic_block or not is_retryable(exc):
                        raise
                    log.warning("%s: deadlock victim, try %d again", fn.__name__, attempt + 1)
                    time.sleep(random.uniform(0.01, 0.05) * attempt)
            raise AssertionError("unreachable")

        return wrapper  # type: ignore[return-value]

    return decorate
