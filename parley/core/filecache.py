"""The machine-wide cache without Redis: Django's file cache, culled now and then.

Django's `FileBasedCache` lists its whole folder on every write to decide whether to cull.
The `shared` cache holds a version stamp per thread and forum and a header count per member,
so with ten thousand members' bells changed by one fan-out every write paid for a listing of
ten thousand files (bench/alerts_fanout.py: 4.6 s per batch of 500). Culling on every
`CULL_EVERY`-th write of a process keeps the folder bounded all the same."""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 500


class SharedFileCache(FileBasedCache):
    _writes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # private in the stubs, stable in Django
