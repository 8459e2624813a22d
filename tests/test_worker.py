"""The background-task worker as `parley serve` runs it: real processes, a real database.

`parley serve` restarts a killed worker; a failing or hanging task does not stop the next;
on PostgreSQL a terminated connection does not kill the worker; /healthz reports a silent
worker and a stale queue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.workerprocs import (
    CLI,
    PROJECT,
    enqueue,
    environment,
    get_json,
    parley,
    query,
    serve_until_answering,
    task_status,
    wait_for,
    worker_pids,
)


def start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen([*CLI, *args], env=env, cwd=PROJECT, stdout=out, stderr=out)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    """`parley serve` on SQLite with a 2-second task time limit."""
    data = tmp_path_factory.mktemp("worker-serve")
    env = environment(data, PARLEY_TASK_TIME_LIMIT="2")
    parley(env, "migrate", "--noinput", "-v0")
    process, base = serve_until_answering(env, data / "serve.log", "--workers", "1")
    try:
        wait_for(lambda: _status(base) == 200, 60, "the served site to be healthy")
        yield env, base
    finally:
        stop(process)


def _status(base: str) -> int:
    try:
        return get_json(f"{base}/healthz")[0]
    except OSError:
        return 0


def test_killed_worker_is_restarted_and_then_runs_a_queued_task(
    served: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, _ = served
    (first,) = wait_for(lambda: worker_pids(env), what="a worker heartbeat")
    os.kill(first, signal.SIGKILL)
    marker = tmp_path / "after-restart"
    (task_id,) = enqueue(env, f"touch({str(marker)!r})")
    wait_for(lambda: worker_pids(env) - {first}, 30, "a new worker after the kill")
    wait_for(marker.exists, 30, "the queued task to run")
    assert task_status(env, task_id) == "SUCCESSFUL"


def test_a_failing_task_is_marked_failed_and_the_next_one_runs(
    served: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, _ = served
    marker = tmp_path / "after-failure"
    failing, following = enqueue(env, "explode()", f"touch({str(marker)!r})")
    wait_for(marker.exists, 30, "the task after the failing one")
    assert task_status(env, failing) == "FAILED"
    assert task_status(env, following) == "SUCCESSFUL"


def test_a_hanging_task_is_cut_at_its_time_limit_and_the_next_one_runs(
    served: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, _ = served
    marker = tmp_path / "after-hang"
    pids_before = worker_pids(env)
    hanging, _following = enqueue(env, "hang()", f"touch({str(marker)!r})")
    wait_for(marker.exists, 30, "the task after the hanging one")
    assert task_status(env, hanging) == "FAILED"
    assert exception_of(env, hanging) == "parley.core.worker.TaskTimeLimitExceeded"
    assert worker_pids(env) <= pids_before  # cut inside the worker: no new worker started


def test_a_task_the_signal_cannot_reach_is_failed_by_the_watchdog_and_a_new_worker_goes_on(
    served: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, _ = served
    marker = tmp_path / "after-stubborn"
    pids_before = wait_for(lambda: worker_pids(env), what="a worker heartbeat")
    stuck, following = enqueue(env, "stubborn()", f"touch({str(marker)!r})")
    wait_for(marker.exists, 90, "the task after the stubborn one")
    assert task_status(env, stuck) == "FAILED" and task_status(env, following) == "SUCCESSFUL"
    assert exception_of(env, stuck) == "parley.core.worker.TaskTimeLimitExceeded"
    assert worker_pids(env) - pids_before  # the stuck worker was ended and replaced


def test_a_task_of_a_killed_worker_is_marked_failed_by_the_next_worker(tmp_path: Path) -> None:
    env = environment(tmp_path, PARLEY_WORKER_SILENT_AFTER="3")
    parley(env, "migrate", "--noinput", "-v0")
    first = start(
        env, "db_worker", "--interval", "0.2", "--time-limit", "0", log=tmp_path / "a.log"
    )
    second = None
    try:
        (hanging,) = enqueue(env, "hang()")
        wait_for(lambda: task_status(env, hanging) == "RUNNING", 30, "the task to start")
        first.kill()
        first.wait(10)
        second = start(env, "db_worker", "--interval", "0.2", log=tmp_path / "b.log")
        wait_for(lambda: task_status(env, hanging) == "FAILED", 90, "the orphan to be failed")
        assert exception_of(env, hanging) == "parley.core.worker.WorkerLost"
        marker = tmp_path / "after-orphan"
        enqueue(env, f"touch({str(marker)!r})")
        wait_for(marker.exists, 30, "the next task")
    finally:
        stop(first)
        if second is not None:
            stop(second)


def exception_of(env: dict[str, str], task_id: str) -> str:
    rows = query(
        env,
        "SELECT exception_class_path FROM django_tasks_database_dbtaskresult "
        "WHERE replace(CAST(id AS TEXT), '-', '') = ?",
        task_id.replace("-", ""),
    )
    return str(rows[0][0])


def test_healthz_is_degraded_without_a_worker_and_ok_with_one(tmp_path: Path) -> None:
    env = environment(tmp_path, PARLEY_WORKER_SILENT_AFTER="3", PARLEY_TASK_QUEUE_STALE_AFTER="1")
    parley(env, "migrate", "--noinput", "-v0")
    server, root = serve_until_answering(
        env, tmp_path / "serve.log", "--workers", "1", "--no-task-worker"
    )
    base = f"{root}/healthz"
    worker = None
    try:
        status, body = wait_for(lambda: _answer(base), 30, "the server")
        assert status == 503 and body["status"] == "degraded"
        assert body["failed"] == ["worker_silent"]
        assert body["worker"]["last_heartbeat_age"] is None

        marker = tmp_path / "queued"
        enqueue(env, f"touch({str(marker)!r})")
        status, body = wait_for(
            lambda: (a := _answer(base)) and "queue_stale" in a[1].get("failed", []) and a,
            what="the queue to be reported stale",
        )
        assert status == 503 and body["worker"]["queued_tasks"] == 1

        worker = start(env, "db_worker", "--interval", "0.2", log=tmp_path / "worker.log")
        status, body = wait_for(lambda: (a := _answer(base)) and a[0] == 200 and a, 30, "ok")
        assert body["status"] == "ok" and body["worker"]["queued_tasks"] == 0
        # Taken from the queue is not yet done: the task may still be running.
        wait_for(marker.exists, 30, "the queued task to run")

        worker.kill()  # dies without a word: its heartbeat goes silent
        worker.wait(10)
        status, body = wait_for(lambda: (a := _answer(base)) and a[0] == 503 and a, 30, "silence")
        assert body["failed"] == ["worker_silent"] and body["worker"]["last_heartbeat_age"] >= 3
    finally:
        if worker is not None:
            stop(worker)
        stop(server)


def _answer(url: str) -> tuple[int, dict[str, object]] | None:
    try:
        return get_json(url)
    except OSError:
        return None


# --- PostgreSQL ---------------------------------------------------------------------------

SERVER_URL = os.environ.get("PARLEY_DATABASE_URL", "")
on_postgres = pytest.mark.skipif(
    not SERVER_URL.startswith("postgres"), reason="needs PARLEY_DATABASE_URL=postgres://…"
)


def _admin_url(name: str = "postgres") -> str:
    return SERVER_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@on_postgres
def test_worker_survives_its_postgres_connection_being_terminated(tmp_path: Path) -> None:
    base_name = SERVER_URL.rsplit("/", 1)[1].split("?")[0]
    name = f"{base_name}_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = environment(tmp_path, _admin_url(name))
    worker = None
    try:
        parley(env, "migrate", "--noinput", "-v0")
        worker = start(env, "db_worker", "--interval", "0.2", log=tmp_path / "worker.log")
        first = tmp_path / "first"
        enqueue(env, f"touch({str(first)!r})")
        wait_for(first.exists, 30, "the first task")

        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            killed = conn.execute(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()) AS t",
                (name,),
            ).fetchone()
        assert killed is not None and killed[0] >= 1  # the worker's connection(s)

        second = tmp_path / "second"
        (task_id,) = enqueue(env, f"touch({str(second)!r})")
        wait_for(second.exists, 40, "the task after the connection was killed")
        assert worker.poll() is None  # the same process, still running
        assert task_status(env, task_id) == "SUCCESSFUL"
    finally:
        if worker is not None:
            stop(worker)
        drop_database(name)


def test_worker_survives_a_sqlite_error_and_runs_the_next_task(tmp_path: Path) -> None:
    """A real OperationalError in the worker's loop: its queue table vanishes for a while
    (as a read-only or full disk would fail its queries)."""
    env = environment(tmp_path)
    parley(env, "migrate", "--noinput", "-v0")
    log = tmp_path / "worker.log"
    worker = start(env, "db_worker", "--interval", "0.2", log=log)
    table = "django_tasks_database_dbtaskresult"
    try:
        first = tmp_path / "first"
        enqueue(env, f"touch({str(first)!r})")
        wait_for(first.exists, 30, "the first task")

        query(env, f"ALTER TABLE {table} RENAME TO hidden_tasks")
        wait_for(lambda: "database error in the task loop" in log.read_text(), 30, "the error")
        query(env, f"ALTER TABLE hidden_tasks RENAME TO {table}")

        second = tmp_path / "second"
        (task_id,) = enqueue(env, f"touch({str(second)!r})")
        wait_for(second.exists, 60, "the task after the error")
        assert worker.poll() is None  # the same process, still running
        assert task_status(env, task_id) == "SUCCESSFUL"
    finally:
        stop(worker)


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "State:\tZ" in status.read()  # a zombie waiting for its reaper
    except FileNotFoundError:
        return True


def test_the_worker_stops_when_its_serve_process_is_killed(tmp_path: Path) -> None:
    env = environment(tmp_path)
    parley(env, "migrate", "--noinput", "-v0")
    server, _base = serve_until_answering(env, tmp_path / "s.log", "--workers", "1")
    try:
        (worker,) = wait_for(lambda: worker_pids(env), 60, "the worker's heartbeat")
        server.kill()  # no chance to stop its worker
        server.wait(10)
        wait_for(lambda: _gone(worker), 30, "the orphaned worker to stop")
    finally:
        stop(server)
