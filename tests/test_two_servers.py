"""The real thing: two app servers (`parley serve --no-task-worker` on two ports, each with
its own live server and its own data folder, as two machines would have), one `parley
db_worker`, PostgreSQL and Redis, all separate processes (docs/servers.md).

Runs on PostgreSQL only (PARLEY_DATABASE_URL=postgres://…; it creates and drops a database of
its own beside it) with Redis at PARLEY_TEST_SCALE_REDIS_URL (default db 9, flushed)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest
import redis

from tests.workerprocs import CLI, PROJECT, environment, free_port, parley, query, wait_for

SERVER_URL = os.environ.get("PARLEY_DATABASE_URL", "")
REDIS_URL = os.environ.get("PARLEY_TEST_SCALE_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "two-servers-password"

pytestmark = pytest.mark.skipif(
    not SERVER_URL.startswith("postgres"),
    reason="several app servers share PostgreSQL: run with PARLEY_DATABASE_URL=postgres://…",
)

SETUP = f"""
from parley.forums import services
from tests.factories import ForumFactory, MemberFactory
writer = MemberFactory(username="writer")
writer.set_password({PASSWORD!r}); writer.save()
victim = MemberFactory(username="victim")
forum = ForumFactory(title="World affairs")
thread = services.start_thread(author=writer, forum=forum, title="Two servers",
                               source="The first post of the thread.", fmt="bbcode")
print("THREAD", thread.pk)
"""


@dataclass
class Server:
    name: str
    port: int
    live_port: int
    data: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def live_url(self) -> str:
        return f"http://127.0.0.1:{self.live_port}"


@dataclass
class Cluster:
    env: dict[str, str]
    a: Server
    b: Server
    thread_id: int
    logs: Path
    worker: subprocess.Popen[bytes] | None = None
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, server: Server) -> None:
        env = {**self.env, "PARLEY_DATA_DIR": str(server.data)}
        out = (self.logs / f"serve-{server.name}.log").open("ab")
        server.process = subprocess.Popen(
            [
                *CLI,
                "serve",
                "--port",
                str(server.port),
                "--live-port",
                str(server.live_port),
                "--workers",
                "2",
                "--no-task-worker",
                "--periodic-every",
                "5",
            ],
            env=env,
            cwd=PROJECT,
            stdout=out,
            stderr=out,
        )

    def wait_ready(self, server: Server) -> None:
        def answers() -> bool:
            try:
                page = httpx.get(f"{server.url}/threads/{self.thread_id}/", timeout=5)
                live = httpx.get(f"{server.live_url}/live/health", timeout=5)
            except httpx.TransportError:
                return False
            return page.status_code == 200 and live.status_code == 200

        wait_for(answers, 90, f"server {server.name}")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_URL}: {exc}")
    base = tmp_path_factory.mktemp("two-servers")
    admin = SERVER_URL.rsplit("/", 1)[0] + "/postgres"
    name = f"{SERVER_URL.rsplit('/', 1)[1].split('?')[0]}_two_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = environment(
        base / "setup",
        SERVER_URL.rsplit("/", 1)[0] + f"/{name}",
        PARLEY_REDIS_URL=REDIS_URL,
        PARLEY_SECRET_KEY="two-servers-shared-secret-" + uuid.uuid4().hex,
        PARLEY_LOG_LEVEL="WARNING",
    )
    cluster = None
    try:
        parley(env, "migrate", "--noinput", "-v0")
        out = parley(env, "shell", "-c", SETUP)
        thread_id = int(re.search(r"THREAD (\d+)", out).group(1))  # type: ignore[union-attr]
        ports = [free_port() for _ in range(4)]
        cluster = Cluster(
            env=env,
            a=Server("a", ports[0], ports[1], base / "a"),
            b=Server("b", ports[2], ports[3], base / "b"),
            thread_id=thread_id,
            logs=base,
        )
        worker_log = (base / "worker.log").open("ab")
        cluster.worker = subprocess.Popen(
            [*CLI, "db_worker", "--interval", "0.2"],
            env={**env, "PARLEY_DATA_DIR": str(base / "worker")},
            cwd=PROJECT,
            stdout=worker_log,
            stderr=worker_log,
        )
        for server in (cluster.a, cluster.b):
            cluster.start(server)
        for server in (cluster.a, cluster.b):
            cluster.wait_ready(server)
        yield cluster
    finally:
        if cluster is not None:
            for process in (cluster.a.process, cluster.b.process, cluster.worker):
                _stop(process)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _form_fields(html: str) -> dict[str, str]:
    fields = {}
    for name in ("csrfmiddlewaretoken", "token"):
        found = re.search(rf'name="{name}" value="([^"]+)"', html)
        if found:
            fields[name] = found.group(1)
    return fields


def _sign_in(client: httpx.Client, server: Server, username: str, password: str) -> int:
    page = client.get(f"{server.url}/signin/")
    form = _form_fields(page.text) | {"username": username, "password": password}
    return client.post(f"{server.url}/signin/", data=form).status_code


def _read_stream(url: str, seen: list[str], connected: threading.Event) -> None:
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(20, read=20)) as response:
            connected.set()
            for line in response.iter_lines():
                seen.append(line)
                if line.startswith("data:") and '"post_id"' in line and len(seen) > 3:
                    return
    except httpx.HTTPError as exc:
        seen.append(f"error: {exc!r}")
    finally:
        connected.set()


def test_a_reply_posted_on_a_reaches_a_reader_of_b_live_and_b_guest_page_and_the_worker(
    cluster: Cluster,
) -> None:
    a, b = cluster.a, cluster.b
    thread_url = f"{b.url}/threads/{cluster.thread_id}/"
    assert httpx.get(thread_url).status_code == 200  # B's guest page (cached, once it can be)

    seen: list[str] = []
    connected = threading.Event()
    reader = threading.Thread(
        target=_read_stream,
        args=(f"{b.live_url}/live/stream?thread={cluster.thread_id}", seen, connected),
    )
    reader.start()
    assert connected.wait(10)
    time.sleep(0.5)  # B's live server subscribes to the Redis channel
    before = time.time()

    with httpx.Client() as client:
        assert _sign_in(client, b, "writer", PASSWORD) == 302  # signed in on B …
        form = client.get(f"{a.url}/threads/{cluster.thread_id}/reply/")  # … writes on A
        assert form.status_code == 200, "the session B made is valid on A (shared key and db)"
        reply = client.post(
            f"{a.url}/threads/{cluster.thread_id}/reply/",
            data=_form_fields(form.text)
            | {"source": "Posted through server A.", "format": "bbcode"},
        )
        assert reply.status_code == 302
    location = reply.headers["location"]
    post_id = int(re.search(r"(?:posts/|post-|#p)(\d+)", location).group(1))  # type: ignore[union-attr]

    guest = httpx.get(thread_url)
    assert guest.status_code == 200 and "Posted through server A." in guest.text

    reader.join(15)
    assert any(
        f'"post_id": {post_id}' in line or f'"post_id":{post_id}' in line for line in seen
    ), seen
    assert any(line == "event: post.created" for line in seen)

    heartbeats = query(cluster.env, "SELECT worker_id FROM core_workerheartbeat")
    worker_ids = {row[0] for row in heartbeats}

    def dispatched() -> list[tuple[str, object]]:
        rows = query(
            cluster.env,
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s AND enqueued_at >= to_timestamp(%s)",
            "%dispatch_events",
            before,
        )
        return rows if rows and all(status == "SUCCESSFUL" for status, _ in rows) else []

    rows = wait_for(dispatched, 30, "the outbox dispatch queued by A to run on the worker")
    assert all(set(ids) <= worker_ids and len(ids) == 1 for _, ids in rows)  # type: ignore[arg-type]


def test_a_rate_limit_counts_attempts_made_on_both_servers(cluster: Cluster) -> None:
    limit = 5  # signin_account: 5 attempts per account name in 15 minutes
    codes = []
    with httpx.Client() as client:
        for attempt in range(limit):
            server = cluster.a if attempt % 2 == 0 else cluster.b
            codes.append(_sign_in(client, server, "victim", "a wrong guess"))
        refused_on_a = _sign_in(client, cluster.a, "victim", "a wrong guess")
        refused_on_b = _sign_in(client, cluster.b, "victim", "a wrong guess")
    assert 429 not in codes
    assert (refused_on_a, refused_on_b) == (429, 429)


def test_exactly_one_server_holds_the_scheduling_lease(cluster: Cluster) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    pids = {cluster.a.process.pid, cluster.b.process.pid}  # type: ignore[union-attr]
    holder = wait_for(lambda: client.get("parley:lease:periodic"), 20, "a lease holder")
    assert int(holder.decode().split(":")[1]) in pids


def test_stopping_server_a_under_load_costs_clients_that_retry_on_b_no_errors(
    cluster: Cluster,
) -> None:
    a, b = cluster.a, cluster.b
    path = f"/threads/{cluster.thread_id}/"
    stop, results, lock = threading.Event(), [], threading.Lock()

    def client_loop() -> None:
        with httpx.Client(timeout=15) as on_a, httpx.Client(timeout=15) as on_b:
            while not stop.is_set():
                try:
                    answer, served_by = on_a.get(a.url + path), "a"
                except httpx.TransportError:  # refused or cut: A is going away
                    answer, served_by = on_b.get(b.url + path), "b"
                with lock:
                    results.append((served_by, answer.status_code, time.monotonic()))

    clients = [threading.Thread(target=client_loop) for _ in range(20)]
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)
        a.process.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        a.process.wait(timeout=30)  # type: ignore[union-attr]
        stopped_at = time.monotonic()
        time.sleep(2.0)
    finally:
        stop.set()
        for client in clients:
            client.join(30)
    statuses = {status for _, status, _ in results}
    assert statuses == {200}, f"clients saw {statuses}"
    assert any(by == "a" for by, _, _ in results), "A served before it stopped"
    assert any(by == "b" and at > stopped_at for by, _, at in results), "B served after"

    # A handed the scheduling lease over when it stopped: B takes it within a beat.
    client = redis.Redis.from_url(REDIS_URL)

    def b_holds() -> bool:
        holder = client.get("parley:lease:periodic")
        return holder is not None and holder.decode().split(":")[1] == str(b.process.pid)  # type: ignore[union-attr]

    try:
        wait_for(b_holds, 15, "server B to take over the scheduling lease")
    finally:
        served_a = sum(by == "a" for by, _, _ in results)
        print(f"stop A under load: {len(results)} requests, {served_a} by A, the rest by B")
        cluster.start(a)  # back for the other tests, whatever order they run in
        cluster.wait_ready(a)
