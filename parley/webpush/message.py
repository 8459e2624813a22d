"""Turning a notice into the bytes and headers of one push request.

* The payload is JSON `{title, body, url, tag}`, cut to fit one record of a push message.
* It is encrypted for the browser with aes128gcm (RFC 8188 framing, RFC 8291 keys: an
  ephemeral P-256 key per message, ECDH with the browser's p256dh, HKDF with its auth
  secret) by http-ece.
* The request carries a VAPID JWT (RFC 8292, ES256) signed by py-vapid, `TTL`, `Urgency`,
  and a `Topic` derived from the tag, so a newer message with the same tag replaces one the
  service still holds.

No I/O here; `sender` posts what this module builds.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from .keys import VapidKeys, b64url, b64url_decode

# RFC 8291 §4: a push message is one record of at most 4096 bytes; the aes128gcm header
# (86 bytes with the 65-byte key id), the 16-byte tag and the delimiter leave 3993.
MAX_PLAINTEXT = 3993
RECORD_SIZE = 4096
MAX_TITLE = 120
MAX_BODY = 400
MAX_URL = 1000
MAX_TAG = 100
# A JWT may be valid for at most 24 hours (RFC 8292 §2); 12 leaves room for clock skew.
JWT_LIFETIME = 12 * 3600


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def payload_for(*, title: str, body: str, url: str, tag: str) -> dict[str, str]:
    """The JSON object the service worker reads, each field cut to a sensible length."""
    return {
        "title": _cut(title, MAX_TITLE),
        "body": _cut(body, MAX_BODY),
        "url": url[:MAX_URL],
        "tag": tag[:MAX_TAG],
    }


def encode_payload(payload: dict[str, str]) -> bytes:
    """UTF-8 JSON that fits one record, shortening the body if it has to."""
    data = dict(payload)
    while True:
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(raw) <= MAX_PLAINTEXT:
            return raw
        if not data.get("body"):
            raise ValueError("A push payload without a body is still too large.")
        data["body"] = _cut(data["body"], max(len(data["body"]) // 2, 1))
        if len(data["body"]) <= 1:
            data["body"] = ""


def encrypt(plaintext: bytes, *, p256dh: str, auth: str) -> bytes:
    """aes128gcm-encrypt `plaintext` for the browser holding `p256dh` and `auth`."""
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    return bytes(
        http_ece.encrypt(
            plaintext,
            private_key=ephemeral,
            dh=b64url_decode(p256dh),
            auth_secret=b64url_decode(auth),
            version="aes128gcm",
            rs=RECORD_SIZE,
        )
    )


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    default = {"https": 443, "http": 80}[parts.scheme]
    host = parts.hostname or ""
    port = parts.port
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def vapid_authorization(endpoint: str, *, keys: VapidKeys, subject: str, now: float) -> str:
    """`vapid t=<JWT>,k=<public key>` for the endpoint's push service."""
    claims: dict[str, Any] = {
        "aud": origin_of(endpoint),
        "exp": int(now) + JWT_LIFETIME,
        "sub": subject,
    }
    return str(Vapid02(keys.private_key).sign(claims)["Authorization"])


def topic_for(tag: str) -> str:
    """RFC 8030 Topic: at most 32 characters of the base64url alphabet."""
    return b64url(hashlib.sha256(tag.encode("utf-8")).digest())[:32]


@dataclass(frozen=True)
class PushRequest:
    url: str
    body: bytes
    headers: dict[str, str]


def build_request(
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    payload: dict[str, str],
    keys: VapidKeys,
    subject: str,
    ttl: int,
    urgency: str = "normal",
    now: float | None = None,
) -> PushRequest:
    body = encrypt(encode_payload(payload), p256dh=p256dh, auth=auth)
    headers = {
        "Authorization": vapid_authorization(
            endpoint, keys=keys, subject=subject, now=time.time() if now is None else now
        ),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(max(int(ttl), 0)),
        "Urgency": urgency,
    }
    if payload.get("tag"):
        headers["Topic"] = topic_for(payload["tag"])
    return PushRequest(url=endpoint, body=body, headers=headers)
