"""Keep a child process running: `parley serve` supervises the background-task worker.

Whenever the worker exits (a crash, `kill -9`, the out-of-memory killer), it is started
again after a back-off that doubles from 1 s up to 60 s, and returns to 1 s once a worker
has stayed up for a healthy minute — so a worker that cannot start does not spin, and one
that died once comes back at once.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from collections.abc import Sequence

log = logging.getLogger("parley.supervisor")


class Supervisor:
    def __init__(
        self,
        command: Sequence[str],
        *,
        name: str = "worker",
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
    ) -> None:
        self.command = list(command)
        self.name = name
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name=f"supervise-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        env = {**os.environ, "PARLEY_WORKER_PARENT_PID": str(os.getpid())}
        with self._lock:
            if self._stop.is_set():
                return None
            self.process = subprocess.Popen(self.command, env=env)  # noqa: S603 - our own CLI
            self.starts += 1
            return self.process

    def _loop(self) -> None:
        delay = self.first_delay
        while not self._stop.is_set():
            started = time.monotonic()
            process = self._spawn()
            if process is None:
                return
            log.info("%s started (pid %d)", self.name, process.pid)
            code = process.wait()
            if self._stop.is_set():
                return
            lived = time.monotonic() - started
            delay = self.first_delay if lived >= self.healthy_after else delay
            log.error(
                "%s (pid %d) exited with %s after %.0f s; starting it again in %.0f s",
                self.name,
                process.pid,
                code,
                lived,
                delay,
            )
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, self.max_delay)

    def hold(self) -> None:
        """Start the child no more: the server is shutting down and the child is getting the
        same signal (a process group stopped by Ctrl-C or a service manager). `stop` still
        ends it if it lingers."""
        self._stop.set()

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._stop.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        self._thread.join(timeout)
