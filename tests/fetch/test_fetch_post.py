"""`post`: a body and caller headers through the same guards as `fetch` (web push uses it)."""

from __future__ import annotations

import json

import pytest

from parley.core.fetch import USER_AGENT, FetchError, post

from .conftest import LocalServer, NetGuard


def test_post_sends_body_and_caller_headers(server: LocalServer) -> None:
    result = post(
        server.url("/echo"),
        body=b"\x00\x01binary",
        headers={"TTL": "60", "Content-Encoding": "aes128gcm", "Authorization": "vapid t=x,k=y"},
    )
    assert result.status == 201
    echoed = json.loads(result.content)
    headers = {k.lower(): v for k, v in echoed["headers"].items()}
    assert bytes.fromhex(echoed["body"]) == b"\x00\x01binary"
    assert headers["ttl"] == "60"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"] == "vapid t=x,k=y"
    assert headers["content-length"] == "8"
    assert headers["user-agent"] == USER_AGENT
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert "cookie" not in headers


def test_post_error_status_carries_status_and_headers(server: LocalServer) -> None:
    with pytest.raises(FetchError) as info:
        post(server.url("/status/410"), body=b"x")
    assert info.value.reason == "http_status"
    assert info.value.status == 410
    assert info.value.headers["retry-after"] == "120"


def test_post_never_follows_a_redirect(server: LocalServer) -> None:
    with pytest.raises(FetchError) as info:
        post(server.url("/redirect"), body=b"x")
    assert info.value.reason == "http_status"
    assert info.value.status == 307
    assert [seen.path for seen in server.seen] == ["/redirect"]


def test_post_answer_is_capped(server: LocalServer) -> None:
    with pytest.raises(FetchError) as info:
        post(server.url("/big"), body=b"x", max_bytes=1000)
    assert info.value.reason == "too_large"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/push",
        "http://169.254.169.254/latest",
        "http://127.0.0.2/push",
        "http://localhost/push",
        "http://2130706433/push",
        "file:///etc/passwd",
    ],
)
def test_post_refuses_what_fetch_refuses(url: str, netguard_table: NetGuard) -> None:
    with pytest.raises(FetchError) as info:
        post(url, body=b"x")
    assert info.value.reason in {"blocked_address", "bad_scheme", "bad_port"}
    assert netguard_table.connects == []


def test_post_refuses_a_private_name_after_resolving(netguard_table: NetGuard) -> None:
    netguard_table.names["push.parley.test"] = ["192.168.1.20"]
    with pytest.raises(FetchError) as info:
        post("https://push.parley.test/send", body=b"x")
    assert info.value.reason == "blocked_address"
    assert netguard_table.connects == []


def test_post_loopback_port_not_on_the_allow_list_is_refused(other_server: LocalServer) -> None:
    with pytest.raises(FetchError) as info:
        post(other_server.url("/echo"), body=b"x")
    assert info.value.reason == "bad_port"
    assert other_server.seen == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"Content-Length": "1"},
        {"Cookie": "a=b"},
        {"User-Agent": "other"},
        {"Transfer-Encoding": "chunked"},
        {"X-Bad": "a\r\nInjected: yes"},
        {"Bad Name": "x"},
    ],
)
def test_post_refuses_headers_it_sets_itself_or_cannot_send(
    server: LocalServer, headers: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        post(server.url("/echo"), body=b"x", headers=headers)
    assert server.seen == []
