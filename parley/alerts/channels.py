"""Where alerts go besides the in-app list. A channel is a name and a `deliver` function
taking a batch of `Notice`s; it should queue its own background work and return at once.

    register_channel("email", send_notices)   # parley.alerts.mail
    register_channel("push", push_notices)    # the web push app

After a batch of alerts is written, each registered channel gets the Notices of the members
whose preference turns that channel on for that kind. Alerts knows nothing else about them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    member_id: int
    kind: str
    title: str  # "nadia.r quoted you in “Thread title”"
    body: str  # a short plain-text excerpt
    url: str  # the path of what it is about, e.g. /posts/12/
    alert_id: int
    tag: str  # groups notices about one thing (a push service replaces by tag)


Deliver = Callable[[list[Notice]], None]

_channels: dict[str, Deliver] = {}


def register_channel(name: str, deliver: Deliver) -> None:
    """Registering a name again replaces it."""
    _channels[name] = deliver


def unregister_channel(name: str) -> None:
    _channels.pop(name, None)


def channels() -> dict[str, Deliver]:
    return dict(_channels)


def send(name: str, notices: list[Notice]) -> None:
    """Hand notices to one channel; a failing channel is logged and never stops the alerts
    (they are written already) nor the other channels."""
    deliver = _channels.get(name)
    if deliver is None or not notices:
        return
    try:
        deliver(notices)
    except Exception:
        log.exception("alert channel %s failed for %d notices", name, len(notices))
