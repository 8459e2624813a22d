"""The client address: REMOTE_ADDR, or X-Forwarded-For only through trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from parley.core.clientip import client_ip


def request(remote: str = "192.0.2.10", xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_spoofed_header_is_ignored() -> None:
    assert client_ip(request(xff="203.0.113.7")) == "192.0.2.10"


@override_settings(PARLEY_TRUSTED_PROXIES=1)
def test_one_proxy_takes_the_rightmost_address() -> None:
    # The client wrote "1.1.1.1"; nginx appended the address it saw.
    assert client_ip(request(remote="10.0.0.2", xff="1.1.1.1, 203.0.113.7")) == "203.0.113.7"


@override_settings(PARLEY_TRUSTED_PROXIES=2)
def test_two_proxies_take_the_second_from_the_right() -> None:
    xff = "6.6.6.6, 203.0.113.7, 10.0.0.5"
    assert client_ip(request(remote="10.0.0.2", xff=xff)) == "203.0.113.7"


@pytest.mark.parametrize(
    "xff",
    ["", "not-an-ip", "203.0.113.7, <script>", "  ,  "],
)
@override_settings(PARLEY_TRUSTED_PROXIES=1)
def test_invalid_or_missing_header_falls_back_to_remote_addr(xff: str) -> None:
    assert client_ip(request(remote="10.0.0.2", xff=xff)) == "10.0.0.2"


@override_settings(PARLEY_TRUSTED_PROXIES=3)
def test_a_header_shorter_than_the_proxy_count_falls_back() -> None:
    assert client_ip(request(remote="10.0.0.2", xff="203.0.113.7, 10.0.0.5")) == "10.0.0.2"


@override_settings(PARLEY_TRUSTED_PROXIES=1)
def test_ipv6_addresses_are_normalised() -> None:
    xff = "[2001:DB8::1]:443"
    assert client_ip(request(remote="10.0.0.2", xff=xff)) == "2001:db8::1"
    assert client_ip(request(remote="2001:DB8:0::2")) == "2001:db8::2"


def test_a_broken_remote_addr_gives_a_placeholder_not_an_error() -> None:
    assert client_ip(request(remote="garbage")) == "0.0.0.0"
