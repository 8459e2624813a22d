"""The supervisor `parley serve` runs the worker under: a real child process that exits is
started again, and stop() ends it for good."""

from __future__ import annotations

import sys
import time

from parley.core.supervisor import Supervisor
from tests.workerprocs import wait_for


def test_a_child_that_exits_is_started_again() -> None:
    supervisor = Supervisor(
        [sys.executable, "-c", "raise SystemExit(1)"], first_delay=0.05, max_delay=0.1
    )
    supervisor.start()
    try:
        wait_for(lambda: supervisor.starts >= 3, 30, "three starts")
    finally:
        supervisor.stop()


def test_stop_ends_the_child_and_starts_no_other() -> None:
    supervisor = Supervisor([sys.executable, "-c", "import time; time.sleep(600)"])
    supervisor.start()
    wait_for(lambda: supervisor.process is not None, 30, "the child")
    child = supervisor.process
    assert child is not None
    supervisor.stop()
    assert child.poll() is not None  # terminated
    starts = supervisor.starts
    time.sleep(1.5)  # longer than the first back-off: nothing may start again
    assert supervisor.starts == starts == 1
