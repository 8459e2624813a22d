"""Response headers every Parley answer carries: a strict Content-Security-Policy, a
Permissions-Policy, and a Cache-Control that never lets a shared cache keep a personal page.

The middleware is the outermost one, so it also sees the 400s, 403s, 404s and 500s that
inner middleware and Django's error handlers produce (see docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port

# Scripts, styles and images come from Parley itself, never inline and never from elsewhere.
# `style-src-attr 'unsafe-inline'` is deliberate: cooked posts carry `style="color: …"` and
# `style="font-size: …"` from [color]/[size], values the sanitizer has already checked one by
# one (a colour, a size; no url(), no expressions). Style attributes cannot run script, and
# with img-src 'self' a CSS url() could not reach another site anyway. Browsers without
# CSP level 3 fall back to style-src and merely drop the colours.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def live_origin(request: HttpRequest) -> str:
    """The origin of the live-updates server when it is not this page's own (docs/live.md):
    PARLEY_LIVE_URL's, or by default this host on PARLEY_LIVE_PORT; "" when same-origin or
    the host is not one Parley serves."""
    url = getattr(settings, "PARLEY_LIVE_URL", "")
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    port = getattr(settings, "PARLEY_LIVE_PORT", 0)
    if url or not port:
        return ""
    try:
        host = request.get_host()  # validated against ALLOWED_HOSTS
    except DisallowedHost:
        return ""
    domain, _ = split_domain_port(host)
    return f"{request.scheme}://{domain}:{port}" if domain else ""


def content_security_policy(request: HttpRequest) -> str:
    """The policy above, letting scripts also reach the live server (server-sent events)."""
    origin = live_origin(request)
    if not origin:
        return CONTENT_SECURITY_POLICY
    return f"{CONTENT_SECURITY_POLICY}; connect-src 'self' {origin}"


# Files under /media/ are images Parley re-encoded, but should one ever be opened as a page
# it runs nothing and reaches nothing.
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"
# Powerful browser features no forum page needs.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

PRIVATE = "private, no-store"
# Guest pages: a cache may keep them but must ask again each time (a later change can make
# them cacheable for a while once guest pages are versioned).
PUBLIC_REVALIDATE = "no-cache"
MEDIA_CACHE = "public, max-age=3600"


def is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Could this response hold something meant for one person only?

    Decided without touching the database (this also runs on the 503 page when the
    database is down): a session cookie came in, a cookie goes out, the page rendered a
    CSRF token, or it is an error page.
    """
    return (
        response.status_code >= 400
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    )


def cache_control_for(request: HttpRequest, response: HttpResponseBase) -> str | None:
    """The Cache-Control this response gets; None leaves the response's own."""
    path = request.path_info
    if path.startswith(settings.STATIC_URL) and response.status_code < 400:
        return None  # WhiteNoise: hashed names, cached for ever
    if path.startswith(settings.MEDIA_URL) and response.status_code < 400:
        return MEDIA_CACHE  # the same file for everyone; the view never reads the session
    if getattr(response, "same_for_everyone", False) and response.status_code < 400:
        return None  # the view says so (avatars: never read the session; versioned URLs)
    if is_personal(request, response):
        return PRIVATE
    return None if response.has_header("Cache-Control") else PUBLIC_REVALIDATE


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path_info.startswith(settings.MEDIA_URL):
            response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
            response["X-Content-Type-Options"] = "nosniff"
        elif not response.has_header("Content-Security-Policy"):
            response["Content-Security-Policy"] = content_security_policy(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        cache_control = cache_control_for(request, response)
        if cache_control is not None:
            response["Cache-Control"] = cache_control
            if cache_control == PRIVATE and response.has_header("Expires"):
                del response["Expires"]
        return response
