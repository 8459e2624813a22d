"""Which hosts and addresses Parley may talk to: the address classifier and host vetting.

Pure functions plus one DNS lookup (`resolve`). `parley.core.fetch` is the only caller that
opens sockets; it asks this module whether a host name is well-formed, resolves it exactly
once, and refuses the request if *any* resolved address is not a public unicast address.

The classifier works from explicit deny-lists (below) and does not trust
`ipaddress.is_global` alone: IPv6 forms that carry an IPv4 address inside them (IPv4-mapped,
NAT64, 6to4) are judged by the IPv4 address they carry, and native IPv6 must also lie in the
global unicast block 2000::/3.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

_V4_DENY: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), why)
    for net, why in (
        ("0.0.0.0/8", "this_network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared_address_space"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link_local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "ietf_protocol_assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4_relay_anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "broadcast"),
    )
)

_V6_DENY: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), why)
    for net, why in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("100::/64", "discard_only"),
        ("2001::/32", "teredo"),
        ("2001:db8::/32", "documentation"),
        ("fc00::/7", "unique_local"),
        ("fe80::/10", "link_local"),
        ("fec0::/10", "site_local"),
        ("ff00::/8", "multicast"),
    )
)

_V4_MAPPED = IPv6Network("::ffff:0:0/96")
_NAT64_WELL_KNOWN = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_GLOBAL_UNICAST = IPv6Network("2000::/3")


def _embedded_ipv4(ip: IPv6Address) -> tuple[str, IPv4Address | None] | None:
    """Return (form, embedded IPv4) for IPv6 forms that carry an IPv4 address.

    The embedded address is None when the form is recognised but cannot be decoded without
    guessing (a local-use NAT64 address that is not in the /96 layout): such addresses are
    refused.
    """
    value = int(ip)
    if ip in _V4_MAPPED:
        return "ipv4_mapped", IPv4Address(value & 0xFFFFFFFF)
    if ip in _NAT64_WELL_KNOWN:
        return "nat64", IPv4Address(value & 0xFFFFFFFF)
    if ip in _NAT64_LOCAL:
        # RFC 8215 local-use prefix; RFC 6052 allows several layouts. Only the /96 layout
        # (bits 48..95 all zero) is decoded; anything else is refused rather than guessed.
        if (value >> 32) & ((1 << 48) - 1) == 0:
            return "nat64_local", IPv4Address(value & 0xFFFFFFFF)
        return "nat64_local", None
    if ip in _SIX_TO_FOUR:
        return "6to4", IPv4Address((value >> 80) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why `ip` must not be contacted, or None if it is a public unicast address."""
    if isinstance(ip, IPv4Address):
        for net, why in _V4_DENY:
            if ip in net:
                return why
        if not ip.is_global:  # a second opinion, never the only one
            return "not_global"
        return None

    if ip.scope_id:
        return "scoped"
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        form, inner = embedded
        if inner is None:
            return f"{form}:undecodable"
        inner_reason = blocked_reason(inner)
        return f"{form}:{inner_reason}" if inner_reason else None
    for net6, why in _V6_DENY:
        if ip in net6:
            return why
    if ip not in _GLOBAL_UNICAST:
        return "not_global_unicast"
    if not ip.is_global:
        return "not_global"
    return None


def is_public_address(ip: IPAddress | str) -> bool:
    """True when `ip` is a public unicast address Parley may connect to."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip)
    return blocked_reason(ip) is None


# --- host names -------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_CANONICAL_V4 = re.compile(rf"^(?:{_OCTET}\.){{3}}{_OCTET}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
# The WHATWG URL standard treats a host whose last label "looks like a number" (decimal,
# octal or 0x-hex) as an IPv4 address; browsers and inet_aton then accept spellings such as
# 2130706433, 0x7f.1, 0177.0.0.1 and 127.1. We refuse every such host outright.
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|\d+)$")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class HostError(ValueError):
    """A host that is malformed or named so that it must not be contacted."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Host:
    """A vetted host spelling: either a DNS name (ASCII, lower case) or an IP literal."""

    name: str  # ASCII host name without trailing dot, or the IP literal without brackets
    ip: IPAddress | None  # set when the URL named an IP address directly


def parse_host(raw: str) -> Host:
    """Check the syntax of an (already IDNA-encoded) URL host; refuse ambiguous spellings."""
    host = raw.strip().lower()
    if not host:
        raise HostError("bad_url", "The address has no host name.")
    if "%" in host:
        raise HostError("bad_url", "Percent-encoded or scoped host names are not allowed.")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            ip6 = IPv6Address(host)
        except ValueError:
            raise HostError("bad_url", "The address has a malformed IPv6 host.") from None
        return Host(name=str(ip6), ip=ip6)
    if _CANONICAL_V4.match(host):
        return Host(name=host, ip=IPv4Address(host))
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise HostError("bad_url", "The address has a malformed host name.")
    if _NUMERIC_LABEL.match(labels[-1]):
        raise HostError(
            "blocked_address",
            "Numeric host spellings other than a plain dotted IPv4 address are not allowed.",
        )
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        raise HostError("blocked_address", "Local host names are not allowed.")
    return Host(name=name, ip=None)


# --- resolution -------------------------------------------------------------------------


class ResolveError(OSError):
    """The name did not resolve (or resolved to nothing usable)."""


def _system_resolve(name: str, port: int) -> list[str]:
    """Ask the system resolver once. Replaced in tests so no test ever queries real DNS."""
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


class _Lookup(threading.Thread):
    def __init__(self, name: str, port: int) -> None:
        super().__init__(name=f"parley-dns-{name[:50]}", daemon=True)
        self.host_name = name
        self.port = port
        self.result: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _system_resolve(self.host_name, self.port)
        except BaseException as exc:  # handed to the caller
            self.error = exc


def resolve(name: str, port: int, *, timeout: float) -> list[IPAddress]:
    """Resolve `name` once, within `timeout` seconds; addresses in resolver order, deduplicated.

    getaddrinfo cannot be cancelled, so it runs on a daemon thread and we stop waiting at
    the timeout (the thread finishes on its own later).
    """
    lookup = _Lookup(name, port)
    lookup.start()
    lookup.join(max(timeout, 0.0))
    if lookup.is_alive():
        raise TimeoutError(f"DNS lookup for {name} took too long.")
    if lookup.error is not None:
        raise ResolveError(f"DNS lookup for {name} failed: {lookup.error}")
    addresses: list[IPAddress] = []
    for text in lookup.result:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            raise ResolveError(f"DNS lookup for {name} gave a malformed address.") from None
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise ResolveError(f"DNS lookup for {name} gave no address.")
    return addresses
