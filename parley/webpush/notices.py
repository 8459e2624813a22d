"""What other apps hand to web push: one notice per member and thing to tell them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PushNotice:
    """The same seven fields as the alerts app's `Notice`, so its push channel can pass its
    notices straight through (`register_channel("push", deliver_notices)`)."""

    member_id: int
    kind: str  # e.g. "mention", "quote", "reply"; not shown, kept for logging
    title: str
    body: str
    url: str  # where a click leads: a path on this site (the service worker stays on it)
    alert_id: int | None
    tag: str  # notices with the same tag replace each other on the device
