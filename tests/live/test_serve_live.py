"""`parley serve` as users run it starts the live server beside gunicorn, supervised: pages
name it in their policy, it streams what a reply publishes, and it comes back when killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import free_port
from .sse import open_stream


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def _live_pid(port: int) -> int:
    """The pid of the `parley live` child listening on `port`."""
    out = subprocess.run(
        ["pgrep", "-f", f"parley.cli live .*--port {port}$"], capture_output=True, text=True
    ).stdout.split()
    assert out, "no live server process"
    return int(out[0])


def test_serve_runs_the_live_server_and_restarts_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    env.pop("PARLEY_DATABASE_URL", None)
    env.pop("PARLEY_REDIS_URL", None)
    cli = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    port, live_port = free_port(), free_port()
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--live-port", str(live_port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/healthz")
        _wait(f"http://127.0.0.1:{live_port}/live/health")
        _, headers, _ = _get(f"http://127.0.0.1:{port}/")
        assert (
            f"connect-src 'self' http://127.0.0.1:{live_port}" in headers["Content-Security-Policy"]
        )
        stream = open_stream(live_port, "forum=424242")
        assert stream.status == 404  # it reads the site's own database
        stream.close()

        first = _live_pid(live_port)
        os.kill(first, signal.SIGKILL)
        _wait(f"http://127.0.0.1:{live_port}/live/health", seconds=30)
        assert _live_pid(live_port) != first  # the supervisor started a new one
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        log.close()
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{live_port}/live/health")  # stopped with serve


def test_the_live_server_stops_when_its_serve_process_is_killed(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
    }
    env.pop("PARLEY_DATABASE_URL", None)
    env.pop("PARLEY_REDIS_URL", None)
    cli = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    port, live_port = free_port(), free_port()
    serve = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--live-port", str(live_port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://127.0.0.1:{live_port}/live/health")
        live = _live_pid(live_port)
        serve.kill()  # no chance to stop its children
        serve.wait(10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Path(f"/proc/{live}").exists():
            if "State:\tZ" in Path(f"/proc/{live}/status").read_text():
                break  # exited; a zombie waiting for its reaper
            time.sleep(0.2)
        else:
            assert not Path(f"/proc/{live}").exists(), "the orphaned live server still runs"
    finally:
        if serve.poll() is None:
            serve.kill()
