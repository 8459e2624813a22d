"""Small reads that every signed-in page makes, with their SQL compiled once per process.

Building a queryset and compiling it costs more than running it: on SQLite a one-row read
such as "does this member watch this thread" took about 0.45 ms through the ORM, of which
the query itself was under 0.04 ms (bench/prepared_reads.py). A thread page
makes several such reads for each reader. `Prepared` builds the queryset once, with stand-in
values, keeps the SQL the ORM made for it, and afterwards runs that SQL with the real values
in place of the stand-ins. The ORM still writes the SQL (quoting, the database's dialect,
joins), so a change of model or engine changes it too.

Only for reads whose columns come back as the database gives them: integers, text and
booleans (SQLite gives 0/1 for these: pass them through `bool`). Dates and other values
that need the ORM's converters are not for this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Stand-ins no real key has: negative and far from any id.
_STAND_IN_BASE = -7_300_000_000_000


class Prepared:
    """`make(*stand_ins)` returns the queryset; calling `run(*values)` runs its SQL with
    `values` in place of the stand-ins and returns the rows as tuples. An argument that is a
    list stands for as many values as it holds (an `__in` lookup): each length is compiled
    once."""

    def __init__(self, make: Callable[..., QuerySet[Any]], *, using: str = "default") -> None:
        self._make = make
        self._using = using
        self._compiled: dict[tuple[str, tuple[int, ...]], tuple[str, list[Any]]] = {}
        self._lock = threading.Lock()

    def _compile(self, shape: tuple[int, ...]) -> tuple[str, list[Any]]:
        vendor = connections[self._using].vendor
        key = (vendor, shape)
        with self._lock:
            held = self._compiled.get(key)
        if held is not None:
            return held
        stand_ins: list[Any] = []
        slots: dict[int, tuple[int, int]] = {}  # stand-in value -> (argument, index in it)
        next_value = _STAND_IN_BASE
        for arg, length in enumerate(shape):
            values = []
            for index in range(max(length, 1)):
                slots[next_value] = (arg, index)
                values.append(next_value)
                next_value -= 1
            stand_ins.append(values if length else values[0])
        query = self._make(*stand_ins).query
        sql, params = query.get_compiler(using=self._using).as_sql()
        # Each parameter: a stand-in's (argument, index), or a constant the queryset holds. A
        # text column's lookup turns the stand-in into text.
        by_text = {str(value): slot for value, slot in slots.items()}
        plan: list[tuple[str, Any]] = []
        for param in params:
            slot = by_text.get(param) if isinstance(param, str) else None
            if isinstance(param, int) and not isinstance(param, bool):
                slot = slots.get(param)
            plan.append(("slot", slot) if slot is not None else ("const", param))
        found = {ref for kind, ref in plan if kind == "slot"}
        if len(found) != len(slots):
            raise ValueError("a stand-in did not reach the SQL: this queryset cannot be prepared")
        held = (sql, plan)
        with self._lock:
            self._compiled[key] = held
        return held

    def run(self, *values: Any) -> list[tuple[Any, ...]]:
        shape = tuple(len(v) if isinstance(v, list | tuple) else 0 for v in values)
        if any(isinstance(v, list | tuple) and not v for v in values):
            return []  # `__in` an empty list matches nothing, as the ORM says
        sql, plan = self._compile(shape)
        params = [
            (values[ref[0]][ref[1]] if shape[ref[0]] else values[ref[0]]) if kind == "slot" else ref
            for kind, ref in plan
        ]
        with connections[self._using].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
