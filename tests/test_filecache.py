"""The machine-wide file cache culls every CULL_EVERY-th write instead of listing its folder
on every write, and so still stays bounded."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from parley.core import filecache
from parley.core.filecache import SharedFileCache


def test_the_folder_is_listed_only_every_cull_every_writes(tmp_path: Path) -> None:
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1_000_000}})
    real_listing = SharedFileCache._list_cache_files
    with mock.patch.object(  # counts the real listing's calls; it still runs
        SharedFileCache, "_list_cache_files", autospec=True, side_effect=real_listing
    ) as listing:
        for n in range(filecache.CULL_EVERY * 2):
            cache.set(f"k{n}", n)
    assert listing.call_count == 2


def test_the_cache_stays_bounded_by_its_entries_and_one_cull_period(tmp_path: Path) -> None:
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}})
    for n in range(filecache.CULL_EVERY * 3):
        cache.set(f"k{n}", n)
    files = list(tmp_path.glob("*.djcache"))
    assert len(files) <= 50 + filecache.CULL_EVERY
    assert cache.get(f"k{filecache.CULL_EVERY * 3 - 1}") == filecache.CULL_EVERY * 3 - 1
