"""Signing webhook deliveries (pure). The signature is HMAC-SHA256 with the endpoint's
secret over "timestamp.body": a receiver recomputes it, compares in constant time and
refuses a timestamp older than a few minutes, so a captured delivery cannot be replayed."""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "Parley-Webhook-Timestamp"
SIGNATURE_HEADER = "Parley-Webhook-Signature"
EVENT_HEADER = "Parley-Webhook-Event"
DELIVERY_HEADER = "Parley-Webhook-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return "v1=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, *, timestamp: str, body: bytes, signature_header: str, now: float, tolerance: int
) -> bool:
    """What a receiver does (and what the tests' receiver does)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, int(timestamp), body)
    return hmac.compare_digest(expected, signature_header)


def signed_headers(
    secret: str, *, body: bytes, timestamp: int, event: str, delivery_id: int
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
    }
