"""Tasks for the worker tests, run by a real `parley db_worker` process (which imports this
module from the project folder)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from django_tasks import task


@task()
def touch(path: str) -> str:
    """Leaves a file behind, so the test sees that the task ran."""
    Path(path).write_text("ran")
    return path


@task()
def explode() -> None:
    raise RuntimeError("this task fails on purpose")


@task()
def hang() -> None:
    time.sleep(3600)


@task()
def stubborn() -> None:
    """Hangs where the time limit's signal cannot reach it (as C code might)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(3600)


@task()
def record(path: str, token: str) -> None:
    """Appends its token to a file (one write, O_APPEND): a task run twice shows twice
    (bench/tasks.py)."""
    with open(path, "a") as out:
        out.write(token + "\n")
