"""Durable events (docs/events.md): `outbox.emit` writes an event in the caller's
transaction; subscribers registered here get each event of their kinds once, after commit,
each independently, retried with back-off until it is done."""

from .registry import Subscriber, register_repairer, subscribe

__all__ = ["Subscriber", "register_repairer", "subscribe"]
