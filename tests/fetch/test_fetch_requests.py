"""The safe fetcher against real local servers (127.0.0.1 only; see conftest guards)."""

from __future__ import annotations

import json
import ssl
import time
from typing import Any
from urllib.parse import quote

import pytest

from parley.core.fetch import USER_AGENT, FetchError, FetchPolicy, fetch

from .conftest import LocalServer, NetGuard, TLSServer


def refused(url: str, reason: str | None = None, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, **kwargs)
    if reason is not None:
        assert info.value.reason == reason, info.value
    return info.value


def redirect_to(server: LocalServer, location: str, status: int = 302) -> str:
    return server.url(f"/redirect?to={quote(location, safe='')}&status={status}")


# --- normal fetches ---------------------------------------------------------------------


def test_plain_fetch(server: LocalServer) -> None:
    result = fetch(server.url("/ok"))
    assert result.status == 200
    assert result.content == b"<html><title>ok</title></html>"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.final_url == server.url("/ok")
    assert result.redirects == []
    assert result.headers["content-length"] == str(len(result.content))


def test_charset_and_text(server: LocalServer) -> None:
    result = fetch(server.url("/latin1"))
    assert result.charset == "iso8859-1"
    assert result.text() == "caf\u00e9"


def test_sends_honest_user_agent_and_host_and_no_cookie(server: LocalServer) -> None:
    result = fetch(server.url("/echo"), accept="application/json")
    headers = {k.lower(): v for k, v in json.loads(result.content).items()}
    assert headers["user-agent"] == USER_AGENT
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert headers["accept"] == "application/json"
    assert "cookie" not in headers
    assert "authorization" not in headers


def test_custom_user_agent_via_policy(server: LocalServer) -> None:
    fetch(server.url("/echo"), policy=FetchPolicy(user_agent="ParleyBot/0.1 test"))
    assert server.seen[-1].headers["user-agent"] == "ParleyBot/0.1 test"


def test_cookies_are_never_sent_back(server: LocalServer) -> None:
    result = fetch(server.url("/cookie"))
    assert result.redirects == [server.url("/cookie")]
    assert "cookie" not in {k.lower() for k in json.loads(result.content)}
    fetch(server.url("/echo"))  # a later fetch does not remember it either
    assert all("cookie" not in seen.headers for seen in server.seen)


def test_gzip_is_decoded(server: LocalServer) -> None:
    assert fetch(server.url("/gzip")).content == b"<p>compressed hello</p>" * 10


def test_unknown_content_encoding_is_refused(server: LocalServer) -> None:
    refused(server.url("/brotli"), "bad_encoding")


def test_error_status_is_an_error(server: LocalServer) -> None:
    error = refused(server.url("/status/404"), "http_status")
    assert error.status == 404
    refused(server.url("/status/500"), "http_status")
    refused(server.url("/no-location"), "http_status")


def test_hostname_is_resolved_once_and_kept_in_host_header(
    server: LocalServer, netguard_table: NetGuard
) -> None:
    """The name is looked up once; the HTTP layer connects to that vetted address and still
    says Host: <name>. A resolver that would answer differently the second time (DNS
    rebinding) is never asked again."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["169.254.169.254"]])
    netguard_table.names["rebind.parley.test"] = lambda: next(answers)
    result = fetch(server.url("/echo", host="rebind.parley.test"))
    assert netguard_table.lookups == ["rebind.parley.test"]
    assert json.loads(result.content)["Host"] == f"rebind.parley.test:{server.port}"
    assert set(netguard_table.connects) == {"127.0.0.1"}


def test_each_redirect_hop_is_resolved_again(server: LocalServer, netguard_table: NetGuard) -> None:
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    netguard_table.names["rebind.parley.test"] = lambda: next(answers)
    refused(server.url("/chain/1", host="rebind.parley.test"), "blocked_address")
    assert netguard_table.lookups == ["rebind.parley.test", "rebind.parley.test"]
    assert len(server.seen) == 1


def test_unknown_host_is_a_dns_error(server: LocalServer) -> None:
    refused(server.url("/ok", host="nowhere.parley.test"), "dns")


# --- redirects --------------------------------------------------------------------------


def test_redirect_chain_of_five_is_followed(server: LocalServer) -> None:
    result = fetch(server.url("/chain/5"))
    assert result.content == b"end of chain"
    assert result.final_url == server.url("/chain/0")
    assert result.redirects == [server.url(f"/chain/{n}") for n in (5, 4, 3, 2, 1)]


def test_redirect_chain_of_six_is_refused(server: LocalServer) -> None:
    refused(server.url("/chain/6"), "too_many_redirects")
    assert len(server.seen) == 6  # the sixth redirect is never followed


def test_max_redirects_policy(server: LocalServer) -> None:
    refused(server.url("/chain/1"), "too_many_redirects", policy=FetchPolicy(max_redirects=0))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_relative_location_is_resolved(server: LocalServer, status: int) -> None:
    result = fetch(redirect_to(server, "../ok?x=1", status))
    assert result.final_url == server.url("/ok?x=1")
    assert server.seen[-1].path == "/ok?x=1"


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "//169.254.169.254/latest/meta-data/",
        "http://192.168.0.1:80/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",
        "http://metadata.parley.test/",
        "http://mixed.parley.test/",
    ],
)
def test_redirect_to_private_address_is_refused_before_connecting(
    server: LocalServer, netguard_table: NetGuard, location: str
) -> None:
    netguard_table.names["metadata.parley.test"] = ["169.254.169.254"]
    netguard_table.names["mixed.parley.test"] = ["93.184.216.34", "10.0.0.7"]
    error = refused(redirect_to(server, location))
    assert error.reason in {"blocked_address", "bad_url"}
    assert set(netguard_table.connects) == {"127.0.0.1"}  # only ever the test server


def test_redirect_to_loopback_on_other_port_is_refused(
    server: LocalServer, other_server: LocalServer
) -> None:
    refused(redirect_to(server, other_server.url("/ok")), "bad_port")
    assert other_server.seen == []


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "ftp://example.com/file",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "gopher://127.0.0.1:70/",
        "dict://127.0.0.1:11211/",
    ],
)
def test_redirect_to_other_schemes_is_refused(server: LocalServer, location: str) -> None:
    refused(redirect_to(server, location), "bad_scheme")


# --- refusals of direct URLs ------------------------------------------------------------


def test_loopback_on_a_port_not_allow_listed(
    server: LocalServer, other_server: LocalServer
) -> None:
    refused(other_server.url("/ok"), "bad_port")
    refused("http://127.0.0.1/", "blocked_address")
    refused("https://127.0.0.1/", "blocked_address")
    assert other_server.seen == []


def test_allow_list_is_empty_by_default(other_server: LocalServer) -> None:
    refused(other_server.url("/ok"), "bad_port")
    assert other_server.seen == []


def test_allow_list_covers_only_127_0_0_1(server: LocalServer, netguard_table: NetGuard) -> None:
    netguard_table.names["private.parley.test"] = ["10.1.1.1"]
    netguard_table.names["local6.parley.test"] = ["::1"]
    netguard_table.names["public.parley.test"] = ["93.184.216.34"]
    refused(server.url("/ok", host="private.parley.test"), "blocked_address")
    refused(server.url("/ok", host="local6.parley.test"), "blocked_address")
    refused(server.url("/ok", host="[::1]"), "blocked_address")
    refused(server.url("/ok", host="127.0.0.2"), "blocked_address")
    # a public address on a test-only port is still the wrong port
    refused(server.url("/ok", host="public.parley.test"), "bad_port")
    refused(server.url("/ok", host="93.184.216.34"), "bad_port")
    assert server.seen == []
    assert netguard_table.connects == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::]/",
        "http://[2001:db8::1]/",
    ],
)
def test_private_addresses_are_refused(url: str, netguard_table: NetGuard) -> None:
    refused(url, "blocked_address")
    assert netguard_table.connects == []


ALTERNATE_SPELLINGS = [
    "http://2130706433{port}/",
    "http://0x7f000001{port}/",
    "http://0x7f.1{port}/",
    "http://0177.0.0.1{port}/",
    "http://0177.1{port}/",
    "http://127.1{port}/",
    "http://127.0.1{port}/",
    "http://127.0.0.1.{port}/",
    "http://0{port}/",
    "http://0.0.0.0{port}/",
    "http://[::ffff:127.0.0.1]{port}/",
    "http://[::ffff:7f00:1]{port}/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]{port}/",
    "http://[::127.0.0.1]{port}/",
    "http://[64:ff9b::127.0.0.1]{port}/",
    "http://[2002:7f00:1::]{port}/",
    "http://[::1]{port}/",
    "http://[::]{port}/",
    "http://localhost{port}/",
    "http://LocalHost.{port}/",
    "http://api.localhost{port}/",
    "http://%31%32%37.0.0.1{port}/",
    "http://[fe80::1%25lo]{port}/",
]


@pytest.mark.parametrize("template", ALTERNATE_SPELLINGS)
def test_alternate_ip_spellings_are_refused(template: str, netguard_table: NetGuard) -> None:
    refused(template.format(port=""))
    assert netguard_table.connects == []
    assert netguard_table.lookups == []


@pytest.mark.parametrize("template", ALTERNATE_SPELLINGS)
def test_alternate_spellings_are_refused_even_on_the_allowed_port(
    server: LocalServer, netguard_table: NetGuard, template: str
) -> None:
    refused(template.format(port=f":{server.port}"))
    assert server.seen == []
    assert netguard_table.connects == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", "bad_scheme"),
        ("file:///etc/passwd", "bad_scheme"),
        ("javascript:alert(1)", "bad_scheme"),
        ("gopher://example.com/", "bad_scheme"),
        ("//example.com/", "bad_scheme"),
        ("example.com", "bad_scheme"),
        ("http://user:pw@example.com/", "bad_url"),
        ("http://user@example.com/", "bad_url"),
        ("http:///nohost", "bad_url"),
        ("http://example.com:8080/", "bad_port"),
        ("http://example.com:22/", "bad_port"),
        ("https://example.com:80/", "bad_url"),
        ("http://93.184.216.34:6379/", "bad_port"),
        ("http://example.com:0/", "bad_port"),
        ("http://example.com/" + "a" * 9000, "bad_url"),
    ],
)
def test_malformed_or_disallowed_urls(url: str, reason: str, netguard_table: NetGuard) -> None:
    if url == "https://example.com:80/":
        # port 80 is allowed for https too; with no DNS in tests it ends as a dns error
        reason = "dns"
    refused(url, reason)
    assert netguard_table.connects == []


def test_policy_cannot_add_schemes(netguard_table: NetGuard) -> None:
    policy = FetchPolicy(schemes=frozenset({"http", "https", "file", "ftp"}))
    refused("file:///etc/passwd", "bad_scheme", policy=policy)
    refused("ftp://example.com/", "bad_scheme", policy=policy)


# --- size and time limits ---------------------------------------------------------------


def test_endless_body_is_cut_at_max_bytes(server: LocalServer) -> None:
    started = time.monotonic()
    refused(server.url("/endless"), "too_large", max_bytes=100_000)
    assert time.monotonic() - started < 5


def test_declared_length_over_cap_is_refused_without_reading(server: LocalServer) -> None:
    refused(server.url("/big-declared"), "too_large", max_bytes=10_000)


def test_decompression_bomb_is_cut_at_max_bytes(server: LocalServer) -> None:
    refused(server.url("/gzip-bomb"), "too_large", max_bytes=1_000_000)


def test_body_exactly_at_cap_is_fine(server: LocalServer) -> None:
    body = b"<html><title>ok</title></html>"
    assert fetch(server.url("/ok"), max_bytes=len(body)).content == body
    refused(server.url("/ok"), "too_large", max_bytes=len(body) - 1)


def test_trickling_body_is_cut_at_the_deadline(server: LocalServer) -> None:
    started = time.monotonic()
    refused(server.url("/trickle"), "timeout", deadline=1.0)
    assert time.monotonic() - started < 5  # generous: the server would trickle for 20 s


def test_trickling_headers_are_cut_at_the_deadline(server: LocalServer) -> None:
    started = time.monotonic()
    refused(server.url("/slow-headers"), "timeout", deadline=1.0)
    assert time.monotonic() - started < 5


def test_slow_dns_counts_against_the_deadline(netguard_table: NetGuard) -> None:
    def slow() -> list[str]:
        time.sleep(3)
        return ["127.0.0.1"]

    netguard_table.names["slow.parley.test"] = slow
    started = time.monotonic()
    refused("http://slow.parley.test/", "timeout", deadline=0.5)
    assert time.monotonic() - started < 2.5


def test_closed_port_is_a_connect_error(settings: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {port}
    refused(f"http://127.0.0.1:{port}/", "connect")


# --- TLS --------------------------------------------------------------------------------


def _trusting(pki_ca: Any) -> FetchPolicy:
    return FetchPolicy(ssl_context=ssl.create_default_context(cafile=str(pki_ca)))


def test_tls_uses_original_hostname_for_sni_and_certificate(
    tls_server: TLSServer, netguard_table: NetGuard, pki: Any
) -> None:
    netguard_table.names["news.parley.test"] = ["127.0.0.1"]
    srv = tls_server.server
    url = srv.url("/echo", host="news.parley.test", scheme="https")
    result = fetch(url, policy=_trusting(pki.ca))
    assert result.status == 200
    assert json.loads(result.content)["Host"] == f"news.parley.test:{srv.port}"
    assert tls_server.sni == ["news.parley.test"]
    assert set(netguard_table.connects) == {"127.0.0.1"}


def test_tls_certificate_for_another_name_is_refused(
    tls_server: TLSServer, netguard_table: NetGuard, pki: Any
) -> None:
    netguard_table.names["other.parley.test"] = ["127.0.0.1"]
    url = tls_server.server.url("/ok", host="other.parley.test", scheme="https")
    refused(url, "tls", policy=_trusting(pki.ca))
    assert tls_server.server.seen == []


def test_tls_untrusted_certificate_is_refused(
    tls_server: TLSServer, netguard_table: NetGuard
) -> None:
    netguard_table.names["news.parley.test"] = ["127.0.0.1"]
    refused(tls_server.server.url("/ok", host="news.parley.test", scheme="https"), "tls")
    assert tls_server.server.seen == []


def test_policy_cannot_switch_off_certificate_checks() -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with pytest.raises(ValueError):
        fetch("https://example.com/", policy=FetchPolicy(ssl_context=context))
