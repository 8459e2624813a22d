"""A local fake push service and fake browsers, for the web push tests.

The service is a real HTTP server on 127.0.0.1 (a thread). For each POST it does what a
real push service and the receiving browser do together, written here independently of
the libraries Parley uses (only `cryptography`'s primitives):

* checks the VAPID `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292): `k` is the
  forum's public key, the ES256 signature verifies with it, `aud` is this service's origin,
  `exp` lies within 24 hours, `sub` is a mailto: or https: address;
* checks `Content-Encoding: aes128gcm`, `TTL` and `Urgency`;
* decrypts the body with the browser's private key and auth secret (RFC 8291 / RFC 8188)
  and parses the JSON payload.

A message that fails any check is answered 400 and recorded with its problem; otherwise the
answer is the next status queued for that endpoint (201 when none is queued).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_public(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class FakeBrowser:
    """What a browser keeps for one push subscription: a P-256 key pair and a secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def to_json(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page's script."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {
                "p256dh": b64url(raw_public(self.private_key)),
                "auth": b64url(self.auth_secret),
            },
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 on the receiving side (one aes128gcm record)."""
        salt, rs, id_len = body[:16], struct.unpack("!L", body[16:20])[0], body[20]
        sender_raw = body[21 : 21 + id_len]
        ciphertext = body[21 + id_len :]
        if id_len != 65 or len(ciphertext) > rs or rs != 4096:
            raise ValueError(f"unexpected aes128gcm header (idlen {id_len}, rs {rs})")
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_raw)
        shared = self.private_key.exchange(ec.ECDH(), sender)
        key_info = b"WebPush: info\x00" + raw_public(self.private_key) + sender_raw
        ikm = HKDF(hashes.SHA256(), 32, salt=self.auth_secret, info=key_info).derive(shared)
        cek = HKDF(hashes.SHA256(), 16, salt=salt, info=b"Content-Encoding: aes128gcm\x00").derive(
            ikm
        )
        nonce = HKDF(hashes.SHA256(), 12, salt=salt, info=b"Content-Encoding: nonce\x00").derive(
            ikm
        )
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
        stripped = padded.rstrip(b"\x00")
        if not stripped.endswith(b"\x02"):
            raise ValueError("the last record does not end with the 0x02 delimiter")
        return stripped[:-1]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    status: int  # what the service answered
    payload: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    problem: str = ""


def verify_vapid(header: str, *, expected_key: str, audience: str) -> dict[str, Any]:
    """Check `vapid t=…, k=…` and return the JWT's claims; ValueError says what is wrong."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"Authorization scheme is {scheme!r}, not vapid")
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    if parts.get("k") != expected_key:
        raise ValueError("k is not the forum's public key")
    token = parts["t"]
    signing_input, _, signature = token.rpartition(".")
    header_b64, _, claims_b64 = signing_input.partition(".")
    jose = json.loads(unb64url(header_b64))
    if jose.get("alg") != "ES256":
        raise ValueError(f"JWT alg is {jose.get('alg')!r}")
    raw_sig = unb64url(signature)
    if len(raw_sig) != 64:
        raise ValueError("ES256 signature is not 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    der = encode_dss_signature(
        int.from_bytes(raw_sig[:32], "big"), int.from_bytes(raw_sig[32:], "big")
    )
    try:
        public.verify(der, signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("the JWT signature does not verify") from None
    claims = json.loads(unb64url(claims_b64))
    if claims.get("aud") != audience:
        raise ValueError(f"aud is {claims.get('aud')!r}, not {audience!r}")
    now = time.time()
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        raise ValueError("exp is not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError("sub is not a mailto: or https: address")
    return claims


@dataclass
class FakePushService:
    port: int
    forum_public_key: str = ""
    browsers: dict[str, FakeBrowser] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)
    answer_headers: dict[int, dict[str, str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def browser(self, name: str) -> FakeBrowser:
        """A new browser subscribed at /push/<name> of this service."""
        browser = FakeBrowser(endpoint=f"{self.origin}/push/{name}")
        self.browsers[f"/push/{name}"] = browser
        return browser

    def answer(self, browser: FakeBrowser, *statuses: int) -> None:
        """Queue the answers to the next messages for this browser (then 201 again)."""
        self.answers.setdefault(browser.endpoint.removeprefix(self.origin), []).extend(statuses)

    def delivered(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.status < 300]

    def problems(self) -> list[str]:
        return [r.problem for r in self.received if r.problem]

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Received]:
        record = Received(path=path, headers=headers, status=400)
        try:
            browser = self.browsers.get(path)
            if browser is None:
                record.status = 404
                return 404, record
            record.claims = verify_vapid(
                headers.get("authorization", ""),
                expected_key=self.forum_public_key,
                audience=self.origin,
            )
            if headers.get("content-encoding") != "aes128gcm":
                raise ValueError(f"Content-Encoding is {headers.get('content-encoding')!r}")
            if not headers.get("ttl", "").isdigit():
                raise ValueError("no TTL header")
            if headers.get("urgency") not in {"very-low", "low", "normal", "high"}:
                raise ValueError("no valid Urgency header")
            record.payload = json.loads(browser.decrypt(body))
        except (ValueError, KeyError, InvalidTag, json.JSONDecodeError) as exc:
            record.problem = f"{type(exc).__name__}: {exc}"
            return 400, record
        queued = self.answers.get(path)
        record.status = queued.pop(0) if queued else 201
        return record.status, record


def _handler(service: FakePushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            """Push services only take POSTs; an empty 200 is the benchmark's baseline."""
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, record = service.handle(self.path, headers, body)
            service.received.append(record)
            answer = record.problem.encode() or b""
            self.send_response(status)
            for name, value in service.answer_headers.get(status, {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


@contextmanager
def running_push_service() -> Iterator[FakePushService]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    service = FakePushService(port=httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(service)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="push-service", daemon=True
    )
    thread.start()
    try:
        yield service
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
