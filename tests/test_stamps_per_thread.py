"""stamps.per_thread: a value kept per process while a thread's stamp and the site stamp
stand still, for at most its lifetime, and at most THREAD_MEMO_MAX of them."""

from __future__ import annotations

import time
from typing import Any

import pytest

from parley.core import stamps


@pytest.fixture(autouse=True)
def empty_memo() -> None:
    stamps._thread_memo.clear()


def counting_loader() -> Any:
    """A loader whose value is the number of times it ran."""
    calls = 0

    def load() -> int:
        nonlocal calls
        calls += 1
        return calls

    return load


def test_a_kept_value_is_loaded_once_while_nothing_changes() -> None:
    load = counting_loader()
    assert [stamps.per_thread(7, "rows", load, seconds=60) for _ in range(3)] == [1, 1, 1]


def test_the_threads_stamp_moving_loads_it_again() -> None:
    load = counting_loader()
    stamps.per_thread(7, "rows", load, seconds=60)
    stamps.bump(stamps.thread(7))
    assert stamps.per_thread(7, "rows", load, seconds=60) == 2


def test_the_site_stamp_moving_loads_it_again() -> None:
    load = counting_loader()
    stamps.per_thread(7, "rows", load, seconds=60)
    stamps.bump(stamps.SITE)
    assert stamps.per_thread(7, "rows", load, seconds=60) == 2


def test_another_threads_change_keeps_it() -> None:
    load = counting_loader()
    stamps.per_thread(7, "rows", load, seconds=60)
    stamps.bump(stamps.thread(8))
    assert stamps.per_thread(7, "rows", load, seconds=60) == 1


def test_names_and_threads_are_kept_apart() -> None:
    assert stamps.per_thread(7, "a", lambda: "a7", seconds=60) == "a7"
    assert stamps.per_thread(7, "b", lambda: "b7", seconds=60) == "b7"
    assert stamps.per_thread(8, "a", lambda: "a8", seconds=60) == "a8"
    assert stamps.per_thread(7, "a", lambda: "again", seconds=60) == "a7"


def test_a_value_older_than_its_lifetime_is_loaded_again() -> None:
    load = counting_loader()
    stamps.per_thread(7, "rows", load, seconds=0.05)
    time.sleep(0.06)
    assert stamps.per_thread(7, "rows", load, seconds=0.05) == 2


def test_a_failed_load_keeps_nothing() -> None:
    def fail() -> int:
        raise LookupError("no such thread")

    with pytest.raises(LookupError):
        stamps.per_thread(7, "rows", fail, seconds=60)
    assert stamps.per_thread(7, "rows", lambda: 5, seconds=60) == 5


def test_the_least_recently_used_value_goes_first_past_the_bound(monkeypatch: Any) -> None:
    monkeypatch.setattr(stamps, "THREAD_MEMO_MAX", 2)
    stamps.per_thread(1, "rows", lambda: "one", seconds=60)
    stamps.per_thread(2, "rows", lambda: "two", seconds=60)
    stamps.per_thread(1, "rows", lambda: "reloaded", seconds=60)  # used: now the newest
    stamps.per_thread(3, "rows", lambda: "three", seconds=60)  # pushes out thread 2
    assert len(stamps._thread_memo) == 2
    assert stamps.per_thread(1, "rows", lambda: "reloaded", seconds=60) == "one"
    assert stamps.per_thread(2, "rows", lambda: "two again", seconds=60) == "two again"


def test_with_caching_turned_off_nothing_is_kept(settings: Any) -> None:
    settings.PARLEY_GUEST_CACHE = False
    load = counting_loader()
    assert [stamps.per_thread(7, "rows", load, seconds=60) for _ in range(3)] == [1, 2, 3]
