"""`parley serve` as a new user runs it: a real gunicorn process with the production
settings (DEBUG off, WhiteNoise static files), checked over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# The served site's environment, for commands run beside it (another process, same machine).
SERVED_ENV: dict[str, str] = {}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("serve-data")
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    env.pop("PARLEY_DATABASE_URL", None)  # this test is about the default, zero-setup site
    cli = [sys.executable, "-m", "parley.cli"]
    SERVED_ENV.update(env)
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    log = (Path(data) / "serve.log").open("wb")
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_healthz_answers_once_the_database_does_and_reports_the_worker(served: str) -> None:
    status, headers, body = get(f"{served}/healthz")
    answer = json.loads(body)
    assert status == 200 and answer["status"] == "ok" and answer["database"] == "sqlite"
    assert answer["worker"]["last_heartbeat_age"] is not None  # serve started the worker
    assert answer["worker"]["queued_tasks"] == 0
    assert "no-cache" in headers.get("Cache-Control", "")


def test_pages_are_served_by_gunicorn_with_debug_off(served: str) -> None:
    status, headers, body = get(f"{served}/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    status, _, body = get(f"{served}/threads/424242/")
    assert status == 404
    assert b"There is nothing here" in body and b"Traceback" not in body  # not Django's debug page


def test_a_guest_page_is_replayed_whole_until_another_process_changes_what_it_shows(
    served: str,
) -> None:
    url = f"{served}/?replayed"  # an address no other test asks for
    _, miss_headers, miss = get(url)
    status, hit_headers, hit = get(url)
    assert status == 200 and hit_headers["X-Parley-Cache"] == "hit" and hit == miss
    assert int(hit_headers["Content-Length"]) == len(hit)
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "Vary"):
        assert hit_headers[name] == miss_headers[name], name
    # Another process on the machine adds a forum: the stamps it moves live in the shared
    # file cache, and the server's memory of them must give way at once.
    code = (
        "from parley.forums.models import Category, Forum; "
        "c = Category.objects.create(title='Harbour desk', position=9); "
        "Forum.objects.create(category=c, title='Zebra crossings', description='x', position=0)"
    )
    command = [sys.executable, "-m", "parley.cli", "shell", "-c", code]
    subprocess.run(command, env=SERVED_ENV, check=True, timeout=60)
    _, headers, page = get(url)
    assert headers["X-Parley-Cache"] == "miss" and b"Zebra crossings" in page


def test_static_files_are_hashed_and_cached(served: str) -> None:
    _, _, page = get(f"{served}/signin/")
    css = page.decode().split('href="/static/parley/parley.')[1].split('"')[0]
    assert css.endswith(".css") and css != "css"  # a content hash in the name
    status, headers, _ = get(f"{served}/static/parley/parley.{css}")
    assert status == 200 and "max-age=315360000" in headers.get("Cache-Control", "")


def test_stopping_the_process_group_starts_no_child_again(tmp_path: Path) -> None:
    """Ctrl-C or a service manager signals the whole group: gunicorn, the task worker and the
    live server. The supervisors must not start the worker or the live server again while
    gunicorn drains its workers."""
    import signal

    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
    }
    env.pop("PARLEY_DATABASE_URL", None)
    cli = [sys.executable, "-m", "parley.cli"]
    SERVED_ENV.update(env)
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    port, live_port = free_port(), free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--live-port", str(live_port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group, as under a service manager
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            time.sleep(1.0)  # the worker and the live server are up
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    text = log_path.read_text(errors="replace")
    assert "task worker started" in text and "live server started" in text
    assert "starting it again" not in text


def test_the_access_log_is_on_unless_turned_off_by_flag_or_environment(monkeypatch: Any) -> None:
    from parley.core.management.commands.serve import Command

    def parsed(*args: str) -> bool:
        return bool(Command().create_parser("parley", "serve").parse_args(args).access_log)

    monkeypatch.delenv("PARLEY_ACCESS_LOG", raising=False)
    assert parsed() is True
    assert parsed("--no-access-log") is False
    monkeypatch.setenv("PARLEY_ACCESS_LOG", "0")
    assert parsed() is False
    assert parsed("--access-log") is True
