"""Helpers for tests that run real `parley serve` / `parley db_worker` processes against a
database of their own, and look at its task queue and heartbeats directly."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "parley.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        **extra,
    }
    env.pop("PARLEY_DATABASE_URL", None)
    if database_url:
        env["PARLEY_DATABASE_URL"] = database_url
    return env


def parley(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=PROJECT, check=True, capture_output=True, text=True, timeout=180
    ).stdout


def enqueue(env: dict[str, str], *calls: str) -> list[str]:
    """Queue tasks of tests/worker_tasks.py, e.g. enqueue(env, "explode()", "touch('/x')");
    returns their ids in order."""
    code = "from tests import worker_tasks as t\n" + "\n".join(
        f"print('TASK', t.{call.split('(')[0]}.enqueue({call.split('(', 1)[1]}.id)"
        for call in calls
    )
    out = parley(env, "shell", "-c", code).splitlines()
    return [line.split()[1] for line in out if line.startswith("TASK ")]


def query(env: dict[str, str], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A read straight from the database the processes use (no Django in the test)."""
    url = env.get("PARLEY_DATABASE_URL", "")
    if url.startswith("postgres"):
        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    path = Path(env["PARLEY_DATA_DIR"]) / "parley.sqlite3"
    conn = sqlite3.connect(path, timeout=20)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def task_status(env: dict[str, str], task_id: str) -> str:
    rows = query(
        env,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE replace(CAST(id AS TEXT), '-', '') = ?",
        task_id.replace("-", ""),
    )
    return rows[0][0] if rows else "MISSING"


def worker_pids(env: dict[str, str], fresh_within: float = 6.0) -> set[int]:
    rows = query(env, "SELECT pid, beat_at FROM core_workerheartbeat")
    now = time.time()
    pids = set()
    for pid, beat_at in rows:
        at = beat_at if not isinstance(beat_at, str) else _parse(beat_at)
        if now - at.timestamp() <= fresh_within:
            pids.add(int(pid))
    return pids


def _parse(text: str) -> Any:
    from datetime import UTC, datetime

    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wait_for(check: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def get_json(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def serve_until_answering(
    env: dict[str, str], log: Path, *args: str, path: str = "/healthz", timeout: float = 120.0
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `parley serve` on a free port (its live server off: these tests do not use it)
    and wait until `path` answers with any status; returns the process and its base URL.

    A port found free can be taken before gunicorn binds it (outgoing connections use the
    same range), so a server that exits before answering is started again on another port.
    A timeout fails with the end of the server's log, which is all CI keeps of it."""
    for _attempt in range(3):
        port = free_port()
        with log.open("ab") as out:
            process = subprocess.Popen(
                [*CLI, "serve", "--port", str(port), "--live-port", "0", *args],
                env=env,
                cwd=PROJECT,
                stdout=out,
                stderr=out,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(base + path):
                return process, base
            time.sleep(0.2)
        if process.poll() is None:
            process.kill()
            process.wait(10)
            break
    tail = log.read_text(errors="replace")[-3000:]
    raise AssertionError(f"`parley serve` never answered {path}; the end of its log:\n{tail}")


def _answers(url: str) -> bool:
    # A generous read timeout: on a loaded machine a first answer can wait ~10 s for the
    # SQLite lock the starting worker holds (seen in CI logs: a 503 logged as the client
    # had already given up), and any answer is what we wait for.
    try:
        with urllib.request.urlopen(url, timeout=30):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
