"""The client's IP address: the connection's, or the one a trusted proxy reports."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """REMOTE_ADDR, or, behind PARLEY_TRUSTED_PROXIES proxies, the address the outermost
    trusted proxy saw (the N-th entry of X-Forwarded-For from the right). Anything that does
    not parse as an address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = int(getattr(settings, "PARLEY_TRUSTED_PROXIES", 0) or 0)
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            candidate = hops[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None
