"""The demo's search index, built at once: the demo writes its history in one transaction,
and a fresh `make run` should find "sanliurfa" (the Turkish spelling is in the Euphrates
thread) before the worker has worked through the events (docs/search.md)."""

from __future__ import annotations


def index_demo() -> int:
    from parley.search.indexing import rebuild

    done = 0
    for step in rebuild():
        done = step[0]
    return done
