"""Checking what a browser sends when it subscribes (`PushSubscription.toJSON()`).

Pure functions (one settings read). Every refusal is a `SubscriptionError` whose message a
member can read; nothing is stored unless everything checks out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from .keys import b64url_decode
from .models import MAX_ENDPOINT_LENGTH, MAX_USER_AGENT_LENGTH

# toJSON() of a subscription is about 400–700 bytes; anything far larger is not one.
MAX_BODY_BYTES = 4096
_LOOPBACK = "127.0.0.1"


class SubscriptionError(ValueError):
    """A subscription (or unsubscription) that cannot be accepted; str() says why."""


@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str  # base64url, no padding: the browser's uncompressed P-256 public key
    auth: str  # base64url, no padding: the browser's 16-byte auth secret


def host_allowed(host: str, allowed: list[str]) -> bool:
    """Is `host` one of the push services (`*.example.com` covers its subdomains only)?"""
    host = host.lower().rstrip(".")
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _test_loopback(host: str, port: int | None) -> bool:
    """The fetcher's test-only hatch: 127.0.0.1 on a port the test settings allow."""
    ports = getattr(settings, "PARLEY_FETCH_ALLOW_LOOPBACK_PORTS", None) or ()
    return host == _LOOPBACK and port is not None and port in ports


def check_endpoint(endpoint: Any) -> str:
    """The endpoint, if it is an https URL of an allowed push service; else SubscriptionError."""
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise SubscriptionError("The subscription has no endpoint.")
    endpoint = endpoint.strip()
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise SubscriptionError(
            f"The endpoint is longer than {MAX_ENDPOINT_LENGTH} characters; "
            "no push service uses such addresses."
        )
    if not endpoint.isascii() or any(ord(ch) < 33 or ord(ch) == 127 for ch in endpoint):
        raise SubscriptionError("The endpoint contains characters an address cannot have.")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise SubscriptionError("The endpoint is not a valid address.") from None
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise SubscriptionError("The endpoint is not a push service address.")
    loopback = _test_loopback(host, port)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise SubscriptionError("The endpoint must be an https address.")
    if not host_allowed(host, settings.PARLEY_PUSH_SERVICE_HOSTS):
        raise SubscriptionError(f"{host or 'That host'} is not a push service this forum sends to.")
    if port not in (None, 443) and not loopback:
        raise SubscriptionError("The endpoint uses a port push services do not use.")
    return endpoint


def check_p256dh(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise SubscriptionError("The subscription has no p256dh key.")
    try:
        point = b64url_decode(value)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise SubscriptionError("The p256dh key is not a P-256 public key.") from None
    return value.strip().rstrip("=")


def check_auth(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise SubscriptionError("The subscription has no auth secret.")
    try:
        secret = b64url_decode(value)
    except ValueError:
        raise SubscriptionError("The auth secret is not base64url.") from None
    if len(secret) != 16:
        raise SubscriptionError("The auth secret must be 16 bytes.")
    return value.strip().rstrip("=")


def read_json(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or SubscriptionError."""
    if len(body) > MAX_BODY_BYTES:
        raise SubscriptionError("The request is too large to be a push subscription.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SubscriptionError("The request is not valid JSON.") from None
    if not isinstance(data, dict):
        raise SubscriptionError("The request must be a JSON object.")
    return data


def parse_subscription(body: bytes) -> SubscriptionData:
    """What `PushSubscription.toJSON()` sent: {endpoint, expirationTime, keys: {p256dh, auth}}."""
    data = read_json(body)
    endpoint = check_endpoint(data.get("endpoint"))
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError("The subscription has no keys.")
    return SubscriptionData(
        endpoint=endpoint,
        p256dh=check_p256dh(keys.get("p256dh")),
        auth=check_auth(keys.get("auth")),
    )


def parse_unsubscription(body: bytes) -> str:
    """The endpoint named by {endpoint} (only checked for shape: it is looked up, not used)."""
    endpoint = read_json(body).get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise SubscriptionError("Say which endpoint to remove.")
    return endpoint


def clean_user_agent(value: str) -> str:
    """The User-Agent header, printable and short, to label the device in the list."""
    printable = "".join(ch for ch in value if ch.isprintable())
    return printable[:MAX_USER_AGENT_LENGTH]
