"""Which site an address belongs to: pure functions, no database."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna

# The prefixes that name one site's variants (canonical URLs drop the same ones).
_PREFIXES = re.compile(r"^(?:www\d{0,3}|m|mobile|amp)\.")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def fold_host(host: str) -> str:
    """ "WWW.BBC.co.uk." -> "bbc.co.uk": lower case, no trailing dot, no www./m./amp."""
    host = host.strip().rstrip(".").lower()
    while (folded := _PREFIXES.sub("", host, count=1)) != host and "." in folded:
        host = folded
    return host


def host_of(url: str) -> str:
    """The folded host of an http(s) address, or "" when it has none."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https"):
        return ""
    return fold_host(host)


def parents(host: str) -> list[str]:
    """The host and every parent domain with at least two labels, nearest first:
    "news.bbc.co.uk" -> ["news.bbc.co.uk", "bbc.co.uk", "co.uk"]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]


def clean_domain(value: str) -> str:
    """A domain as staff type it ("https://www.Example.org/news", "example.org") -> the
    folded domain; ValueError with a sentence for anything that is not one."""
    text = value.strip()
    text = host_of(text) if "://" in text else fold_host(text.split("/")[0])
    try:
        text = idna.encode(text, uts46=True).decode("ascii") if text else ""
    except idna.IDNAError:
        text = ""
    labels = text.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"“{value.strip()[:80]}” is not a domain such as example.org.")
    return text
