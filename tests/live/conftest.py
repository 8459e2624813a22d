"""A real live server for the tests: uvicorn serving parley.live's ASGI app, either in a
thread of the test process (sees the test database and the test's settings) or as a separate
`parley live` process (publish in one process, receive in another)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from parley.live import transport as live_transport

REDIS_URL = os.environ.get("PARLEY_TEST_LIVE_REDIS_URL", "redis://127.0.0.1:6379/8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ThreadedLiveServer:
    port: int
    app: object
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(10)


def start_threaded(transport: object | None = None) -> ThreadedLiveServer:
    import uvicorn

    from parley.live.server import LiveApp

    app = LiveApp(transport)  # type: ignore[arg-type]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, lifespan="on", log_level="warning", access_log=False, timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the live server did not start"
    return ThreadedLiveServer(port, app, server, thread)


@pytest.fixture
def table_transport(settings) -> Iterator[None]:
    settings.PARLEY_LIVE_REDIS_URL = ""
    settings.PARLEY_LIVE_POLL_SECONDS = 0.05
    live_transport.current.cache_clear()
    yield
    live_transport.current.cache_clear()


@pytest.fixture
def redis_transport(settings) -> Iterator[None]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()  # our own database (8) only
    settings.PARLEY_LIVE_REDIS_URL = REDIS_URL
    live_transport.current.cache_clear()
    yield
    live_transport.current.cache_clear()
    client.flushdb()


@pytest.fixture
def live_thread(table_transport, transactional_db) -> Iterator[ThreadedLiveServer]:
    server = start_threaded()
    yield server
    server.stop()


def database_url() -> str:
    """The test database as a URL another process can open."""
    from django.db import connection

    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or "postgres"
    auth = f"{user}:{conf['PASSWORD']}" if conf.get("PASSWORD") else user
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


@dataclass
class LiveProcess:
    port: int
    process: subprocess.Popen[bytes]


def start_process(tmp_path: Path, *, redis_url: str = "") -> LiveProcess:
    """`parley live` as its own process, on the test database."""
    from django.conf import settings

    port = free_port()
    env = {
        **os.environ,
        # Sessions are checked against the secret key: the same one as the test process.
        "PARLEY_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_DATA_DIR": str(tmp_path),
        "PARLEY_DATABASE_URL": database_url(),
        "PARLEY_REDIS_URL": redis_url,
        "PARLEY_LIVE_POLL_SECONDS": "0.05",
    }
    log = (tmp_path / "live.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "parley.cli", "live", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return LiveProcess(port, process)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((tmp_path / "live.log").read_text()) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("parley live did not start")


def stop_process(live: LiveProcess) -> None:
    live.process.terminate()
    try:
        live.process.wait(10)
    except subprocess.TimeoutExpired:
        live.process.kill()
        live.process.wait(10)
