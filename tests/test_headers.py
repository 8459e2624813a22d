"""Security headers and the cache policy, for each class of response (docs/security.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from parley.core.headers import CONTENT_SECURITY_POLICY, MEDIA_CONTENT_SECURITY_POLICY
from parley.forums.models import Thread
from parley.members.models import Member

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent


def directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


# --- Content-Security-Policy and friends -------------------------------------------------


def test_every_page_carries_the_strict_content_security_policy(anon_client: Client) -> None:
    response = anon_client.get("/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] + policy["style-src"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_error_pages_carry_the_policy_too(anon_client: Client) -> None:
    response = anon_client.get("/threads/424242/")
    assert response.status_code == 404
    assert response["Content-Security-Policy"].startswith(CONTENT_SECURITY_POLICY)


def test_scripts_may_reach_the_live_server_on_this_host_only(anon_client: Client, settings) -> None:
    settings.PARLEY_LIVE_PORT = 8471
    policy = anon_client.get("/")["Content-Security-Policy"]
    assert policy.endswith("; connect-src 'self' http://testserver:8471")
    settings.PARLEY_LIVE_URL = "/live/"  # routed by a proxy on the same origin: 'self' is enough
    assert anon_client.get("/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    settings.PARLEY_LIVE_URL = "https://live.example.org/live/"
    policy = anon_client.get("/")["Content-Security-Policy"]
    assert policy.endswith("; connect-src 'self' https://live.example.org")


def test_powerful_browser_features_are_switched_off(anon_client: Client) -> None:
    response = anon_client.get("/")
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_media_files_are_sandboxed_and_not_sniffed(anon_client: Client, settings) -> None:
    folder = Path(settings.MEDIA_ROOT) / "links"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "headers-test.webp").write_bytes(b"<html><script>alert(1)</script>")
    response = anon_client.get("/media/links/headers-test.webp")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == MEDIA_CONTENT_SECURITY_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_inline_script_or_style() -> None:
    """The policy forbids inline scripts and styles; no template may rely on them."""
    found = []
    for template in sorted((PROJECT / "templates").rglob("*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(PROJECT)}: {what}")
    assert found == []


def test_the_script_sets_no_inline_styles_or_handlers() -> None:
    script = (PROJECT / "static" / "parley" / "parley.js").read_text()
    assert ".style." not in script and 'setAttribute("style"' not in script
    assert "eval(" not in script and "new Function" not in script
    assert not re.search(r"\.on[a-z]+\s*=", script)


# --- Cache-Control ----------------------------------------------------------------------


def test_versioned_guest_pages_are_public_for_a_moment(anon_client: Client, thread: Thread) -> None:
    """The page cache's pages are versioned (docs/caching.md): public for a second."""
    for path in ("/", f"/threads/{thread.pk}/", f"/forums/{thread.forum_id}/"):
        response = anon_client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=1, stale-while-revalidate=30"
        assert not response.cookies, path


def test_other_guest_pages_without_token_must_revalidate(anon_client: Client) -> None:
    for path in ("/links/search/", "/signup/sent/"):
        response = anon_client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache", path
        assert not response.cookies, path


def test_pages_of_a_signed_in_member_are_never_stored(
    member_client: Client, thread: Thread
) -> None:
    for path in ("/", f"/threads/{thread.pk}/", "/account/profile/"):
        response = member_client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", path
        assert not response.has_header("Expires")


def test_guest_page_holding_a_csrf_token_is_never_stored(anon_client: Client) -> None:
    for path in ("/signin/", "/signup/", "/account/reset/"):
        response = anon_client.get(path)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store", path


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/threads/424242/", 404),
        ("post", "/", 405),
        ("get", "/members/a%00b/", 400),
    ],
)
def test_error_pages_are_never_stored(anon_client: Client, method: str, path: str, status: int):
    response = getattr(anon_client, method)(path)
    assert response.status_code == status
    assert response["Cache-Control"] == "private, no-store"


def test_forbidden_page_is_never_stored(banned: Member, thread: Thread) -> None:
    client = Client()
    client.force_login(banned)
    response = client.post(f"/threads/{thread.pk}/reply/", {"source": "hi", "format": "bbcode"})
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"


def test_server_error_page_is_never_stored(anon_client: Client, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("parley.forums.queries.forum_index", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_database_error_in_a_view_is_a_503_with_retry_after(monkeypatch) -> None:
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("parley.forums.queries.forum_index", unreachable)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert b"cannot reach its database" in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_healthz_is_never_cached(anon_client: Client) -> None:
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- settings from the environment --------------------------------------------------------


def settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, parley.settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "'proxies': s.PARLEY_TRUSTED_PROXIES, "
        "'health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    data = PROJECT / "data" / "test"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PARLEY_DATA_DIR": str(data), **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_plain_http_site_has_no_hsts_and_trusts_no_proxy_header() -> None:
    values = settings_under({})
    assert values == {
        "hsts": 0,
        "secure": False,
        "csrf_secure": False,
        "proxy": None,
        "proxies": 0,
        "health_checks": True,
    }


def test_https_site_gets_hsts_and_secure_cookies() -> None:
    values = settings_under({"PARLEY_SECURE_COOKIES": "1"})
    assert values["hsts"] == 31536000 and values["secure"] and values["csrf_secure"]
    assert values["proxy"] is None


def test_forwarded_proto_is_believed_only_behind_a_trusted_proxy() -> None:
    values = settings_under({"PARLEY_TRUSTED_PROXIES": "1"})
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"] and values["proxies"] == 1


def test_a_malformed_proxy_count_stops_the_start_with_a_message() -> None:
    code = "import parley.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PARLEY_TRUSTED_PROXIES": "two"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT,
    )
    assert result.returncode != 0
    assert "PARLEY_TRUSTED_PROXIES must be a whole number, not 'two'" in result.stderr


def test_head_requests_answer_like_get_without_a_body(db) -> None:
    """Monitors and link checkers send HEAD: it is a safe method, not a 405."""
    from django.test import Client

    client = Client()
    for url in ("/", "/healthz", "/signin/", "/links/search/"):
        response = client.head(url)
        assert response.status_code == client.get(url).status_code, url
        assert response.content == b"", url
