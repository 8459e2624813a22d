"""Channel names: `thread:<id>`, `forum:<id>`, `member:<id>` and `results:<thread id>` —
nothing else is published.

`results:<thread id>` carries the results of a thread's poll when they are shown only after
voting: it is granted at connect to the readers who may see them (docs/live.md)."""

from __future__ import annotations

import re

KINDS = ("thread", "forum", "member", "results")
_NAME = re.compile(r"^(thread|forum|member|results):([1-9][0-9]{0,17})$")


def thread(pk: int) -> str:
    return f"thread:{int(pk)}"


def forum(pk: int) -> str:
    return f"forum:{int(pk)}"


def member(pk: int) -> str:
    return f"member:{int(pk)}"


def results(thread_pk: int) -> str:
    return f"results:{int(thread_pk)}"


def check(channel: str) -> str:
    """The channel name, or ValueError for anything that is not one."""
    if not isinstance(channel, str) or not _NAME.match(channel):
        raise ValueError(f"not a live channel: {channel!r}")
    return channel
