"""The database going away, with the real `parley serve` (gunicorn, production settings):

* PostgreSQL (when PARLEY_DATABASE_URL points at it): a dedicated database is created and
  migrated, and while requests run in a loop its connections are killed again and again
  with pg_terminate_backend. No request may answer 500: only 200, or 503 with Retry-After.
  Afterwards pages answer 200 again from the same server process.
* SQLite: the database file disappears (503, and /healthz says so) and comes back (200,
  no restart); a read-only file keeps pages readable and answers 503 to writes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_serve import free_port, get

CLI = [sys.executable, "-m", "parley.cli"]
PAGES = ["/", "/healthz", "/signin/", "/links/search/"]


def base_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    return {
        **env,
        "PARLEY_DATA_DIR": str(data),
        "PARLEY_SECRET_KEY": "database-down-test-key",
        # These servers run without a task worker (tests/test_worker.py covers the worker
        # going through a lost database): tasks run in the request, healthz checks no worker.
        "PARLEY_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


@contextmanager
def serving(env: dict[str, str], data: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    subprocess.run([*CLI, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=180)
    port = free_port()
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            *CLI,
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-task-worker",
            "--periodic-every",
            "0",
        ],
        env=env,
        stdout=log,
        stderr=log,
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
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def assert_clean(status: int, headers: dict[str, str], path: str) -> None:
    assert status in (200, 503), f"{path} answered {status}"
    if status == 503:
        assert headers.get("Retry-After") == "10", f"{path}: 503 without Retry-After"
        assert headers.get("Cache-Control") == "private, no-store", path


# --- PostgreSQL -------------------------------------------------------------------------

DATABASE_URL = os.environ.get("PARLEY_DATABASE_URL", "")
on_postgres = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs PARLEY_DATABASE_URL pointing at PostgreSQL",
)


@pytest.fixture
def dedicated_postgres() -> Iterator[str]:
    """A database of its own (`<name>_dbdown`), so killing its connections touches nobody."""
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/") + "_dbdown"
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_connections(database_url: str, times: int, pause: float) -> list[int]:
    """Kill every connection to the database `times` times; returns how many each time."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    killed = []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for _ in range(times):
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()
            killed.append(int(row[0]) if row else 0)
            time.sleep(pause)
    return killed


@on_postgres
def test_killed_connections_give_503_or_200_never_500_and_pages_recover(
    dedicated_postgres: str, tmp_path: Path
) -> None:
    env = {**base_env(tmp_path), "PARLEY_DATABASE_URL": dedicated_postgres}
    with serving(env, tmp_path) as (base, process):
        assert get(f"{base}/")[0] == 200
        killed: list[int] = []
        killer = threading.Thread(
            target=lambda: killed.extend(terminate_connections(dedicated_postgres, 12, 0.15))
        )
        killer.start()
        seen: dict[int, int] = {}
        while killer.is_alive() or not seen:
            for path in PAGES:
                status, headers, _ = get(f"{base}{path}")
                seen[status] = seen.get(status, 0) + 1
                assert_clean(status, headers, path)
        killer.join()
        assert sum(killed) > 0, "no connection was ever killed: the test proved nothing"
        # The same server process, no restart: every page answers again.
        for _ in range(3):
            for path in PAGES:
                status, _, body = get(f"{base}{path}")
                assert status == 200, (path, status, body[:200])
        assert process.poll() is None
        log = (tmp_path / "serve.log").read_text(errors="replace")
        assert '" 500 ' not in log  # gunicorn's access log: no 500 was ever sent


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    env = base_env(tmp_path)
    with serving(env, tmp_path) as (base, _process):
        yield base, tmp_path / "parley.sqlite3"


def database_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_missing_sqlite_file_gives_503_and_the_site_recovers_when_it_is_back(
    sqlite_site: tuple[str, Path], tmp_path: Path
) -> None:
    base, db = sqlite_site
    assert get(f"{base}/")[0] == 200
    aside = tmp_path / "aside"
    aside.mkdir()
    for path in database_files(db):
        # None there, or SQLite removed the -wal/-shm as its last connection closed.
        with contextlib.suppress(FileNotFoundError):
            path.rename(aside / path.name)
    for page in PAGES:  # pages that need no database (the sign-in form) still answer
        status, headers, _ = get(f"{base}{page}")
        assert_clean(status, headers, page)
    for page in ("/?not-cached-yet", "/healthz"):  # these read the database
        status, headers, _ = get(f"{base}{page}")
        assert status == 503 and headers.get("Retry-After") == "10", page
    assert b"cannot reach its database" in get(f"{base}/?not-cached-yet")[2]
    # Guests keep reading what the page cache holds meanwhile (docs/caching.md).
    status, headers, _ = get(f"{base}/")
    assert status == 200 and headers.get("X-Parley-Cache") == "hit"
    # The file comes back (SQLite left an empty one in its place meanwhile).
    for path in database_files(db):
        path.unlink(missing_ok=True)
        if (aside / path.name).exists():
            (aside / path.name).rename(path)
    for page in PAGES:
        got = get(f"{base}{page}")
        assert got[0] == 200, (page, got[2][:300])


@contextmanager
def read_only(db: Path) -> Iterator[None]:
    """Make the file refuse writes for this user: chmod, or (as root, whom chmod does not
    stop) the immutable attribute. Skips when neither can be made to hold."""
    immutable = False
    if os.geteuid() == 0:
        immutable = (
            shutil.which("chattr") is not None
            and subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode == 0
        )
    else:
        db.chmod(0o444)
    try:
        try:
            with db.open("r+b"):
                pytest.skip("cannot make a file read-only for this user here")
        except OSError:
            pass
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        db.chmod(0o644)


def test_read_only_sqlite_file_answers_503_to_writes_and_keeps_pages_readable(
    sqlite_site: tuple[str, Path],
) -> None:
    base, db = sqlite_site
    assert get(f"{base}/")[0] == 200
    with read_only(db):
        assert get(f"{base}/")[0] == 200  # reading still works
        # Signing up writes a member and a session: refused cleanly.
        from django.test import override_settings

        from tests.factories import signup_data

        with override_settings(SECRET_KEY="database-down-test-key"):
            form = signup_data(  # the server's key: the form looks a minute old to it
                username="readonly_rita",
                email="rita@example.org",
                password="a sturdy passphrase 42",
            )
        status, headers = post_form(f"{base}/signup/", form)
        assert status == 503 and headers.get("Retry-After") == "10"
    assert get(f"{base}/")[0] == 200


def post_form(url: str, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
    import http.cookiejar
    import urllib.error
    import urllib.request

    # Fetch the form first: the CSRF cookie and token go with the post.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url, timeout=10) as response:
        page = response.read().decode()
    fields = {
        **fields,
        "csrfmiddlewaretoken": page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0],
    }
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": url}
    )
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)
