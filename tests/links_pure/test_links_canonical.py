"""Canonical article URLs: a table of inputs and the one form each must take."""

from __future__ import annotations

import pytest

from parley.links.canonical import canonicalize

CASES = [
    # scheme, host case, default ports, http -> https
    ("http://example.com/a", "https://example.com/a"),
    ("HTTPS://EXAMPLE.COM/A", "https://example.com/A"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com./a", "https://example.com/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    # user info is dropped
    ("https://user:pw@example.com/a", "https://example.com/a"),
    # host prefixes
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://WWW.example.com/a", "https://example.com/a"),
    ("https://www2.example.com/a", "https://example.com/a"),
    ("https://m.example.com/a", "https://example.com/a"),
    ("https://mobile.example.com/a", "https://example.com/a"),
    ("https://amp.example.com/a", "https://example.com/a"),
    ("https://www.m.example.com/a", "https://example.com/a"),
    ("https://m.bbc.co.uk/news/1", "https://bbc.co.uk/news/1"),
    ("https://www.co/a", "https://www.co/a"),  # never down to a bare TLD
    ("https://news.example.com/a", "https://news.example.com/a"),
    ("https://mm.example.com/a", "https://mm.example.com/a"),
    # IDNA
    ("https://Bücher.de/a", "https://xn--bcher-kva.de/a"),
    ("https://www.bücher.de/a", "https://xn--bcher-kva.de/a"),
    ("https://xn--bcher-kva.de/a", "https://xn--bcher-kva.de/a"),
    ("https://faß.de/", "https://xn--fa-hia.de/"),
    ("https://%65xample.com/a", "https://example.com/a"),
    # IP hosts
    ("http://[2001:DB8:0:0::1]:80/x", "https://[2001:db8::1]/x"),
    ("http://93.184.216.34/x", "https://93.184.216.34/x"),
    # trailing slash, root, dot segments
    ("https://example.com", "https://example.com/"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com/a/b///", "https://example.com/a/b"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/../../a", "https://example.com/a"),
    # percent-encoding
    ("https://example.com/%7euser/%61", "https://example.com/~user/a"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
    ("https://example.com/café", "https://example.com/caf%C3%A9"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com/100%", "https://example.com/100%25"),
    ("https://example.com/?q=%e2%82%ac", "https://example.com/?q=%E2%82%AC"),
    ("https://example.com/?q=€", "https://example.com/?q=%E2%82%AC"),
    # AMP variants
    ("https://example.com/amp/world/story", "https://example.com/world/story"),
    ("https://example.com/world/story/amp", "https://example.com/world/story"),
    ("https://example.com/world/story/amp/", "https://example.com/world/story"),
    ("https://example.com/world/AMP/story", "https://example.com/world/story"),
    ("https://example.com/world/story.amp", "https://example.com/world/story"),
    ("https://example.com/world/story.amp.html", "https://example.com/world/story.html"),
    ("https://example.com/world/story?amp=1", "https://example.com/world/story"),
    ("https://example.com/world/story?amp", "https://example.com/world/story"),
    ("https://example.com/world/story?outputType=amp", "https://example.com/world/story"),
    (
        "https://example.com/world/story?outputType=html",
        "https://example.com/world/story?outputType=html",
    ),
    ("https://example.com/world/.amp", "https://example.com/world/.amp"),
    ("https://example.com/world/ampersand", "https://example.com/world/ampersand"),
    ("https://amp.example.com/amp/s/story.amp?amp=1", "https://example.com/s/story"),
    # tracking parameters
    (
        "https://example.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_content=w",
        "https://example.com/a",
    ),
    ("https://example.com/a?UTM_Source=x", "https://example.com/a"),
    ("https://example.com/a?fbclid=1&gclid=2&dclid=3&msclkid=4", "https://example.com/a"),
    ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3", "https://example.com/a"),
    ("https://example.com/a?ref=tw&ref_src=twsrc", "https://example.com/a"),
    ("https://example.com/a?cmpid=1&CMP=share_btn_tw&ito=3&_ga=4", "https://example.com/a"),
    ("https://example.com/a?yclid=1&spm=2&s_cid=3&ocid=4", "https://example.com/a"),
    ("https://example.com/a?ns_mchannel=1&ns_source=2&ns_campaign=3", "https://example.com/a"),
    ("https://example.com/a?at_medium=1&at_campaign=2", "https://example.com/a"),
    ("https://example.com/a?id=5&utm_source=x", "https://example.com/a?id=5"),
    # remaining parameters sorted, values kept
    ("https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3"),
    ("https://example.com/a?b=2&a=3&a=1", "https://example.com/a?a=1&a=3&b=2"),
    ("https://example.com/search?q=a+b", "https://example.com/search?q=a+b"),
    ("https://example.com/a?flag&x=", "https://example.com/a?flag&x="),
    ("https://example.com/a?&&b=1&", "https://example.com/a?b=1"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a?x=a%3db", "https://example.com/a?x=a%3Db"),
    # fragments dropped
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?b=1#x?y=2", "https://example.com/a?b=1"),
    ("https://example.com/#!/route", "https://example.com/"),
    # a realistic one
    (
        "http://www.dailyledger.example/world/2026/mar/02/coastal-states-agree-patrols"
        "?CMP=twt_gu&utm_source=twitter#img-1",
        "https://dailyledger.example/world/2026/mar/02/coastal-states-agree-patrols",
    ),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonicalize_is_idempotent(url: str, expected: str) -> None:
    assert canonicalize(canonicalize(url)) == canonicalize(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/a",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,hi",
        "mailto:a@example.com",
        "example.com/a",
        "//example.com/a",
        "",
        "http://",
        "https:///path",
        "https://example.com:99999/",
        "https://[::1/",
    ],
)
def test_non_http_urls_raise(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize(url)
