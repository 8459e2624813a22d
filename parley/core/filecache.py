"""The machine-wide cache without Redis: Django's file cache, culled now and then.

Django's `FileBasedCache` lists its whole folder on every write to decide whether to cull.
The `shared` cache holds a version stamp per thread and forum and a header count per member,
so with ten thousand members' bells changed by one fan-out every write paid for a listing of
ten thousand files (bench/alerts_fanout.py: 4.6 s per batch of 500). Culling on every
`CULL_EVERY`-th write of a process keeps the folder bounded all the same.

It also keeps a *generation*: eight bytes in a memory-mapped file in the folder, which every
write of any process on the machine changes. Reading it is a memory read, no system call, so
a process can keep what it read (the version stamps every guest page checks) for as long as
the generation is unchanged (`parley.core.stamps.read`): reading two stamp files under load
was half the CPU of a cached guest page."""

from __future__ import annotations

import mmap
import os
import threading
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 500
GENERATION_FILE = "generation.bin"  # not a cache file: clear() and culling leave it
_GENERATION_SIZE = 8


class SharedFileCache(FileBasedCache):
    _writes = 0

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._map: mmap.mmap | None = None
        self._map_lock = threading.Lock()

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # private in the stubs, stable in Django

    # --- the generation ---------------------------------------------------------------------

    def _generation_map(self) -> mmap.mmap:
        if self._map is None:
            with self._map_lock:
                if self._map is None:
                    folder: str = self._dir  # type: ignore[attr-defined]  # FileBasedCache's
                    os.makedirs(folder, exist_ok=True)
                    path = os.path.join(folder, GENERATION_FILE)
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        if os.fstat(fd).st_size < _GENERATION_SIZE:
                            os.ftruncate(fd, _GENERATION_SIZE)  # zeros; racing creators agree
                        self._map = mmap.mmap(fd, _GENERATION_SIZE)
                    finally:
                        os.close(fd)  # the mapping stays valid
        return self._map

    def generation(self) -> bytes:
        """Changes whenever anything in the cache may have changed, in any process."""
        return self._generation_map()[:_GENERATION_SIZE]

    def _advance(self) -> None:
        # Random rather than counted: writers need no lock, and a torn or racing write
        # still leaves a value readers have not seen.
        self._generation_map()[:_GENERATION_SIZE] = os.urandom(_GENERATION_SIZE)

    # Every write, after it is done: a reader that saw the old generation reads again.
    def set(self, *args: Any, **kwargs: Any) -> None:
        super().set(*args, **kwargs)
        self._advance()

    def add(self, *args: Any, **kwargs: Any) -> bool:
        added = super().add(*args, **kwargs)
        self._advance()
        return added

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        touched = super().touch(*args, **kwargs)
        self._advance()
        return touched

    def _delete(self, fname: str) -> bool:
        deleted = super()._delete(fname)  # type: ignore[misc]  # delete(), culls, expiry
        self._advance()
        return deleted  # type: ignore[no-any-return]

    def clear(self) -> None:
        super().clear()
        self._advance()
