"""The address classifier and host-name vetting, as pure functions."""

from __future__ import annotations

import ipaddress
import time

import pytest

from parley.core import netguard
from parley.core.netguard import HostError, blocked_reason, is_public_address, parse_host

BLOCKED = [
    # IPv4 deny-list, including both edges of several ranges
    "0.0.0.0",
    "0.255.255.255",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.255",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.1",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    # IPv6 deny-list
    "::",
    "::1",
    "100::1",
    "2001::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    # outside 2000::/3 (not global unicast)
    "::7f00:1",  # deprecated IPv4-compatible ::127.0.0.1
    "::ffff:0:7f00:1",  # IPv4-translated
    "5f00::1",
    "4000::1",
    # IPv4-mapped: judged by the IPv4 address inside
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:0.0.0.0",
    # NAT64 well-known prefix
    "64:ff9b::127.0.0.1",
    "64:ff9b::a00:1",
    "64:ff9b::a9fe:a9fe",
    # NAT64 local-use prefix: /96 layout decoded, other layouts refused
    "64:ff9b:1::a9fe:a9fe",
    "64:ff9b:1::7f00:1",
    "64:ff9b:1:ab::808:808",
    # 6to4: judged by the IPv4 address in bits 16..47
    "2002:7f00:1::1",
    "2002:a00:1::",
    "2002:c0a8:101::1",
    "2002:a9fe:a9fe::1",
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "9.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "126.255.255.255",
    "128.0.0.1",
    "169.253.255.255",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.3.1",
    "192.167.255.255",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.254",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "2a00:1450:4001::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "64:ff9b:1::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_blocked_addresses(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert blocked_reason(ip) is not None
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None
    assert is_public_address(address)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link_local"),
        ("::ffff:127.0.0.1", "ipv4_mapped:loopback"),
        ("64:ff9b::a00:1", "nat64:private"),
        ("64:ff9b:1:ab::808:808", "nat64_local:undecodable"),
        ("2002:a9fe:a9fe::1", "6to4:link_local"),
        ("2001::1", "teredo"),
        ("::7f00:1", "not_global_unicast"),
    ],
)
def test_reasons_name_the_rule(address: str, reason: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("raw", "name", "is_ip"),
    [
        ("example.com", "example.com", False),
        ("Example.COM.", "example.com", False),
        ("xn--bcher-kva.de", "xn--bcher-kva.de", False),
        ("news_site.example", "news_site.example", False),
        ("8.8.8.8", "8.8.8.8", True),
        ("[2001:4860:4860::8888]", "2001:4860:4860::8888", True),
        ("2001:4860:4860:0:0:0:0:8888", "2001:4860:4860::8888", True),
        ("a1.example", "a1.example", False),
    ],
)
def test_parse_host_accepts(raw: str, name: str, is_ip: bool) -> None:
    host = parse_host(raw)
    assert host.name == name
    assert (host.ip is not None) is is_ip


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "2130706433",  # decimal 127.0.0.1
        "0x7f000001",
        "0x7f.1",
        "0177.0.0.1",  # octal
        "127.1",
        "127.0.1",
        "0",
        "127.0.0.1.",
        "01.2.3.4",
        "256.1.1.1",
        "1.2.3.4.5",
        "example.123",
        "example.0x10",
        "localhost",
        "LOCALHOST",
        "localhost.",
        "api.localhost",
        "localhost.localdomain",
        "%31%32%37.0.0.1",
        "fe80::1%25eth0",
        "[::1",
        "-bad.example",
        "bad-.example",
        "a..b",
        "exa mple.com",
        "x" * 64 + ".example",
    ],
)
def test_parse_host_refuses(raw: str) -> None:
    with pytest.raises(HostError):
        parse_host(raw)


def test_resolve_dedupes_and_keeps_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        netguard, "_system_resolve", lambda name, port: ["10.0.0.1", "::1", "10.0.0.1"]
    )
    assert netguard.resolve("x.test", 80, timeout=1) == [
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_address("::1"),
    ]


def test_resolve_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(name: str, port: int) -> list[str]:
        time.sleep(2)
        return ["8.8.8.8"]

    monkeypatch.setattr(netguard, "_system_resolve", slow)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        netguard.resolve("slow.test", 80, timeout=0.2)
    assert time.monotonic() - started < 1.5


def test_resolve_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netguard, "_system_resolve", lambda name, port: [])
    with pytest.raises(netguard.ResolveError):
        netguard.resolve("empty.test", 80, timeout=1)
    monkeypatch.setattr(netguard, "_system_resolve", lambda name, port: ["not-an-ip"])
    with pytest.raises(netguard.ResolveError):
        netguard.resolve("bad.test", 80, timeout=1)
