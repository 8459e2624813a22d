"""The VAPID key pair (RFC 8292) that identifies this site to push services.

Browsers subscribe with the public key (`applicationServerKey`); every message carries a
JWT signed with the private key. The pair must stay the same for as long as subscriptions
live: a push service refuses messages signed by another key.

Where it comes from, like SECRET_KEY (settings.py): PARLEY_VAPID_PRIVATE_KEY when set;
otherwise a pair generated on first use and kept — in the database rather than the data
folder, so that every app server sharing the database signs with the same key and a backup
restores subscriptions that still work (docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import VapidKey


@dataclass(frozen=True)
class VapidKeys:
    private_key: ec.EllipticCurvePrivateKey
    # The uncompressed public point, base64url without padding: the browser's
    # applicationServerKey and the `k=` of the Authorization header.
    public_key: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding (browsers send either); ValueError if bad."""
    cleaned = text.strip().rstrip("=")
    if not cleaned.isascii() or any(ch in cleaned for ch in "+/ \t\r\n"):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def public_key_of(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def parse_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key as PEM, or as base64url of the 32-byte scalar."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = b64url_decode(text)
            if len(raw) != 32:
                raise ValueError("a raw P-256 private key is 32 bytes")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(f"PARLEY_VAPID_PRIVATE_KEY cannot be read: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("PARLEY_VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key.")
    return key


def private_pem(private_key: ec.EllipticCurvePrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _from_settings(private_text: str, public_text: str) -> VapidKeys:
    key = parse_private_key(private_text)
    public = public_key_of(key)
    if public_text and public_text.rstrip("=") != public:
        raise ImproperlyConfigured(
            "PARLEY_VAPID_PUBLIC_KEY is not the public half of PARLEY_VAPID_PRIVATE_KEY "
            "(leave it unset: it is derived)."
        )
    return VapidKeys(private_key=key, public_key=public)


def _from_database() -> VapidKeys:
    row = VapidKey.objects.order_by("id").first()
    if row is None:
        # Two processes starting at once may both get here: get_or_create on the fixed id
        # lets exactly one row win, and both use it.
        fresh = ec.generate_private_key(ec.SECP256R1())
        row, _ = VapidKey.objects.get_or_create(
            pk=1, defaults={"private_key_pem": private_pem(fresh)}
        )
    key = parse_private_key(row.private_key_pem)
    return VapidKeys(private_key=key, public_key=public_key_of(key))


_lock = threading.Lock()
_cached: dict[tuple[str, str], VapidKeys] = {}


def current() -> VapidKeys:
    """The key pair in use; read (or made) once per process."""
    source = (settings.PARLEY_VAPID_PRIVATE_KEY, settings.PARLEY_VAPID_PUBLIC_KEY)
    keys = _cached.get(source)
    if keys is not None:
        return keys
    with _lock:
        keys = _cached.get(source)
        if keys is None:
            if source[0]:
                keys = _from_settings(*source)
            elif source[1]:
                raise ImproperlyConfigured(
                    "PARLEY_VAPID_PUBLIC_KEY is set without PARLEY_VAPID_PRIVATE_KEY."
                )
            else:
                keys = _from_database()
            _cached[source] = keys
    return keys


def forget() -> None:
    """Drop the cached pair (tests, whose database rows roll back)."""
    with _lock:
        _cached.clear()
