"""The client's address, for rate limits and spam checks.

Behind N reverse proxies that each append the address they received the request from to
`X-Forwarded-For`, the client's address is the N-th entry from the right: everything to the
left of it was written by the client and can be anything. `PARLEY_TRUSTED_PROXIES` is that N
(default 0: the header is ignored and `REMOTE_ADDR`, the peer of the socket, is used).
An entry that is not an IP address, or a header shorter than N, falls back to `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_ip", "client_ip_of"]


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    return client_ip_of(request.META)


def client_ip_of(meta: Mapping[str, Any]) -> str:
    """The same from a WSGI environ (the guest page cache answers before any request)."""
    remote = _valid(meta.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    trusted = int(getattr(settings, "PARLEY_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    header = meta.get("HTTP_X_FORWARDED_FOR", "")
    entries = [e for e in header.split(",") if e.strip()]
    if len(entries) < trusted:
        return remote
    return _valid(entries[-trusted]) or remote
