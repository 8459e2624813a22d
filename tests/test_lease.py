"""The scheduling lease (parley.core.lease) and the periodic scheduler built on it: with Redis
(a real server, its own db) and with the database row, exactly one of several schedulers
queues the periodic tasks, and another takes over when the holder stops or dies."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from parley.core.lease import DatabaseLeases, LeaseStore, RedisLeases
from parley.core.periodic import PeriodicScheduler

REDIS_URL = os.environ.get("PARLEY_TEST_SCALE_REDIS_URL", "redis://127.0.0.1:6379/9")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_store() -> Iterator[RedisLeases]:
    if not _redis_answers():
        pytest.skip(f"needs a Redis server at {REDIS_URL}")
    yield RedisLeases(REDIS_URL, prefix=f"parley:test-lease:{uuid.uuid4().hex}:")


@pytest.fixture
def database_store(db: None) -> DatabaseLeases:
    return DatabaseLeases()


@pytest.fixture(params=["redis", "database"])
def store(request: pytest.FixtureRequest) -> LeaseStore:
    return request.getfixturevalue(f"{request.param}_store")  # type: ignore[no-any-return]


def test_a_lease_is_held_by_one_holder_until_it_expires(store: LeaseStore) -> None:
    assert store.acquire("job", "a", ttl=0.5)
    assert not store.acquire("job", "b", ttl=0.5)
    assert store.holder("job") == "a"
    time.sleep(0.6)
    assert store.acquire("job", "b", ttl=5)
    assert not store.acquire("job", "a", ttl=5)
    assert store.holder("job") == "b"


def test_the_holder_renews_its_lease_and_keeps_it(store: LeaseStore) -> None:
    assert store.acquire("job", "a", ttl=0.5)
    for _ in range(3):
        time.sleep(0.3)
        assert store.acquire("job", "a", ttl=0.5)  # renewed before it lapses
    assert not store.acquire("job", "b", ttl=0.5)


def test_release_frees_the_lease_only_for_its_holder(store: LeaseStore) -> None:
    assert store.acquire("job", "a", ttl=30)
    store.release("job", "b")  # not b's to give up
    assert store.holder("job") == "a"
    store.release("job", "a")
    assert store.holder("job") is None
    assert store.acquire("job", "b", ttl=30)


@pytest.mark.django_db(transaction=True)
def test_racing_processes_never_both_take_a_free_database_lease() -> None:
    store, winners, barrier = DatabaseLeases(), [], threading.Barrier(6)

    def race(name: str) -> None:
        from django.db import connection

        barrier.wait()
        try:
            if store.acquire("race", name, ttl=30):
                winners.append(name)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(f"p{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1 and store.holder("race") == winners[0]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _schedulers(store: LeaseStore, clock: Clock, runs: list[str], n: int = 3):  # type: ignore[no-untyped-def]
    made = []
    for i in range(n):
        name = f"server{i}"
        made.append(
            PeriodicScheduler(
                every=10, ttl=0.5, store=store, clock=clock, run=lambda name=name: runs.append(name)
            )
        )
    return made


def test_only_the_lease_holder_queues_the_periodic_tasks(store: LeaseStore) -> None:
    clock, runs = Clock(), []
    servers = _schedulers(store, clock, runs)
    for _ in range(5):  # five hours of ticks
        for server in servers:
            server.tick()
        clock.now += 10
    for server in servers:
        server.tick()
    assert [s.holds for s in servers] == [True, False, False]
    assert runs == ["server0"] * 5  # every interval once, by one server only


def test_another_server_takes_over_when_the_holder_stops(store: LeaseStore) -> None:
    clock, runs = Clock(), []
    first, second, _third = servers = _schedulers(store, clock, runs)
    for server in servers:
        server.tick()
    first.stop()  # a clean stop hands the lease over at once
    for server in servers[1:]:
        server.tick()
    assert second.holds and not _third.holds
    clock.now += 10
    second.tick()
    _third.tick()
    assert runs == ["server1"]


def test_another_server_takes_over_when_the_holder_dies(store: LeaseStore) -> None:
    clock, runs = Clock(), []
    first, second = _schedulers(store, clock, runs, n=2)
    first.tick()
    second.tick()
    assert first.holds and not second.holds
    time.sleep(0.6)  # the first server is gone without releasing: its lease lapses (ttl 0.5)
    second.tick()
    assert second.holds
    first.tick()  # should it come back, it finds the lease taken and steps down
    assert not first.holds


def test_a_running_scheduler_thread_queues_the_tasks_and_hands_over_on_stop(
    redis_store: RedisLeases,
) -> None:
    runs: list[str] = []
    first = PeriodicScheduler(every=0.2, ttl=0.6, store=redis_store, run=lambda: runs.append("a"))
    second = PeriodicScheduler(every=0.2, ttl=0.6, store=redis_store, run=lambda: runs.append("b"))
    first.start()
    time.sleep(0.1)
    second.start()
    try:
        deadline = time.monotonic() + 10
        while runs.count("a") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runs and set(runs) == {"a"}
        first.stop()
        deadline = time.monotonic() + 10
        while "b" not in runs and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "b" in runs
    finally:
        first.stop()
        second.stop()


class _TickInProgress:
    """A lease store whose acquire stands for a scheduler tick in the middle of database
    work: it says when it starts, and finishes only when told."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.finished = threading.Event()
        self.released: list[str] = []

    def acquire(self, name: str, holder: str, ttl: float) -> bool:
        self.started.set()
        self.go_on.wait(10)
        self.finished.set()
        return True

    def release(self, name: str, holder: str) -> None:
        self.released.append(holder)


def test_a_fork_of_the_serving_process_waits_for_the_schedulers_database_work() -> None:
    """gunicorn forks workers from the process that runs the scheduler thread: a fork that
    landed inside SQLite left the worker a lock nobody releases (all its queries hung)."""
    store = _TickInProgress()
    scheduler = PeriodicScheduler(every=3600, ttl=3, store=store)  # type: ignore[arg-type]
    scheduler.start()
    try:
        assert store.started.wait(10)
        threading.Timer(0.3, store.go_on.set).start()
        child = os.fork()
        if child == 0:
            os._exit(0)
        tick_was_done_at_fork = store.finished.is_set()
        os.waitpid(child, 0)
    finally:
        store.go_on.set()
        scheduler.stop()
    assert tick_was_done_at_fork


def test_a_forked_child_leaving_through_serve_does_not_release_its_parents_lease() -> None:
    store = _TickInProgress()
    store.go_on.set()
    scheduler = PeriodicScheduler(every=3600, ttl=3, store=store)  # type: ignore[arg-type]
    scheduler.start()
    assert store.finished.wait(10)
    scheduler._started_in = os.getpid() + 1  # as a gunicorn worker forked from it sees it
    scheduler.stop()
    assert store.released == []
    scheduler._started_in = os.getpid()
    scheduler.stop()
    assert store.released == [scheduler.holder]
