"""Extension points filled in by other apps, so this one never imports them.

Refusal checks: `(sender, recipient) -> reason or ""`. The ignore feature (when it exists)
registers one that refuses conversations from members the recipient ignores; the reason is
shown to the sender, so it must not say more than "does not accept conversations from you".

Leave listeners: `(conversation_id, member_id)`, called inside the transaction that records a
member leaving. The alerts app registers one that hides their alerts about the conversation's
messages, so the bell stops counting what the alert list no longer shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RefusalCheck = Callable[[Any, Any], str]

refusal_checks: list[RefusalCheck] = []


def register_refusal_check(check: RefusalCheck) -> None:
    if check not in refusal_checks:
        refusal_checks.append(check)


LeaveListener = Callable[[int, int], None]

leave_listeners: list[LeaveListener] = []


def register_leave_listener(listener: LeaveListener) -> None:
    if listener not in leave_listeners:
        leave_listeners.append(listener)
