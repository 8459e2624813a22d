"""Background tasks on PostgreSQL with the database backend (django-tasks-db), as several
app servers use it (docs/servers.md): tasks per second and the delay from enqueue to start,
with two processes enqueuing (two app servers) and two `parley db_worker` processes; and
whether any task ran twice. Baseline in the same run: one process enqueuing, one worker.
Never asserts anything.

    PARLEY_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \
        .venv/bin/python bench/tasks.py [--tasks 400]

It creates (and drops) a database named after PARLEY_BENCH_DATABASE_URL's, with a suffix.
Every process shares this machine's cores: the figures include the enqueuers' own work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "parley.cli"]
BASE_URL = os.environ.get(
    "PARLEY_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parley_bench"
)

ENQUEUE = """
import sys, time
from tests.worker_tasks import record
start = time.perf_counter()
for i in range({count}):
    record.enqueue({path!r}, "{prefix}-%d" % i)
    if {pause}:
        time.sleep({pause})
print("ENQUEUED", time.perf_counter() - start)
"""


def run_round(
    env: dict[str, str], url: str, *, enqueuers: int, workers: int, count: int, pause: float = 0
) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")
    out = Path(tempfile.mkstemp(prefix="parley-bench-tasks-")[1])
    logs = subprocess.DEVNULL
    procs = [
        subprocess.Popen(
            [*CLI, "db_worker", "--interval", "0.1"], env=env, cwd=PROJECT, stdout=logs, stderr=logs
        )
        for _ in range(workers)
    ]
    time.sleep(3)  # the workers are up and polling
    try:
        writers = [
            subprocess.Popen(
                [
                    *CLI,
                    "shell",
                    "-c",
                    ENQUEUE.format(count=count, path=str(out), prefix=f"e{n}", pause=pause),
                ],
                env=env,
                cwd=PROJECT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(enqueuers)
        ]
        enqueue_seconds = []
        for writer in writers:
            stdout, _ = writer.communicate(timeout=600)
            enqueue_seconds += [float(x.split()[1]) for x in stdout.splitlines() if "ENQUEUED" in x]
        total = enqueuers * count
        deadline = time.monotonic() + 600
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < deadline:
                done = conn.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'SUCCESSFUL'"
                ).fetchone()[0]
                if done >= total:
                    break
                time.sleep(0.2)
            rows = conn.execute(
                "SELECT extract(epoch FROM enqueued_at), extract(epoch FROM started_at), "
                "extract(epoch FROM finished_at), jsonb_array_length(worker_ids::jsonb) "
                "FROM django_tasks_database_dbtaskresult"
            ).fetchall()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    lines = out.read_text().split()
    out.unlink()
    delays = sorted(float(s - e) * 1000 for e, s, _, _ in rows if s is not None)
    span = float(max(f for _, _, f, _ in rows if f) - min(e for e, _, _, _ in rows))
    return {
        "tasks": total,
        "ran": len(lines),
        "ran_twice": len(lines) - len(set(lines)),
        "claimed_twice": sum(1 for *_, n in rows if n and n > 1),
        "tasks_per_s": total / span,
        "enqueue_per_s": count / statistics.mean(enqueue_seconds),
        "delay_p50_ms": statistics.median(delays),
        "delay_p99_ms": delays[int(len(delays) * 0.99) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=400, help="tasks per enqueuing process")
    args = parser.parse_args()
    name = f"{BASE_URL.rsplit('/', 1)[1]}_{uuid.uuid4().hex[:6]}"
    admin = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    url = BASE_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": tempfile.mkdtemp(prefix="parley-bench-tasks-"),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_DATABASE_URL": url,
        "PARLEY_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "PARLEY_LOG_LEVEL": "WARNING",
    }
    env.pop("PARLEY_REDIS_URL", None)
    try:
        subprocess.run([*CLI, "migrate", "--noinput", "-v0"], env=env, cwd=PROJECT, check=True)
        base = run_round(env, url, enqueuers=1, workers=1, count=args.tasks)
        two = run_round(env, url, enqueuers=2, workers=2, count=args.tasks)
        # Paced: each server enqueues 25 tasks a second (well under capacity), so the delay
        # is the workers' polling and claiming, not a backlog.
        paced_one = run_round(env, url, enqueuers=1, workers=1, count=100, pause=0.04)
        paced_two = run_round(env, url, enqueuers=2, workers=2, count=100, pause=0.04)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    print("burst (each enqueuer as fast as it can):")
    print(f"{'':34}{'1 enqueuer, 1 worker':>22}{'2 enqueuers, 2 workers':>24}{'ratio':>8}")
    for key in ("tasks", "tasks_per_s", "enqueue_per_s", "delay_p50_ms", "delay_p99_ms"):
        ratio = two[key] / base[key] if base[key] else float("nan")
        print(f"{key:34}{base[key]:>22.1f}{two[key]:>24.1f}{ratio:>8.2f}")
    for key in ("ran", "ran_twice", "claimed_twice"):
        print(f"{key:34}{base[key]:>22}{two[key]:>24}")
    print("paced, 25 tasks/s per enqueuer:")
    for key in ("tasks", "delay_p50_ms", "delay_p99_ms", "ran_twice", "claimed_twice"):
        ratio = paced_two[key] / paced_one[key] if paced_one[key] else float("nan")
        print(f"{key:34}{paced_one[key]:>22.1f}{paced_two[key]:>24.1f}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
