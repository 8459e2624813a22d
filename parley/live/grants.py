"""Channels an app adds to a thread reader's stream, decided at connect with everything
else (docs/live.md). The polls app adds `results:<thread id>` for readers who may see a
poll's results that are shown only after voting; live never imports the apps above it, they
register here from their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

# (guardian, the threads asked for — all readable by this reader) -> extra channel names
ThreadChannels = Callable[[Any, Sequence[Any]], set[str]]

_thread_channels: list[ThreadChannels] = []


def register_thread_channels(fn: ThreadChannels) -> None:
    if fn not in _thread_channels:
        _thread_channels.append(fn)


def thread_channels(guardian: Any, threads: Sequence[Any]) -> set[str]:
    extra: set[str] = set()
    for fn in _thread_channels:
        extra |= fn(guardian, threads)
    return extra
