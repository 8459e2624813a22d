"""A transaction PostgreSQL aborts as a deadlock victim is run again, only at the outermost
level, and any other database error goes up at once."""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from parley.core.deadlocks import retry_on_deadlock


class _Cause(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failing(times: int, sqlstate: str = "40P01"):
    calls: list[int] = []

    @retry_on_deadlock(attempts=3)
    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("deadlock detected") from _Cause(sqlstate)
        return "done"

    return work, calls


def test_a_deadlock_victim_is_run_again_until_it_succeeds() -> None:
    work, calls = _failing(2)
    assert work() == "done" and len(calls) == 3


def test_it_gives_up_after_the_last_attempt() -> None:
    work, calls = _failing(5)
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 3


def test_other_database_errors_are_not_retried() -> None:
    work, calls = _failing(1, sqlstate="08006")  # connection failure
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_someone_elses_transaction_the_error_goes_up() -> None:
    work, calls = _failing(1)
    with pytest.raises(OperationalError), transaction.atomic():
        work()
    assert len(calls) == 1
