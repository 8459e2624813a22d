"""Bare links, link titles from previews, and link cards."""

from __future__ import annotations

import pytest

from parley.formatting import LinkPreview, LinkRef, cook

from .htmlcheck import assert_safe, parse

URL = "https://news.example/world/2026/nov/20/bridge"
PREVIEW = LinkPreview(
    url=URL,
    title="Bridge opening delayed again | World news | news.example",
    site_name="News Example",
    section="World news",
    description="Work on the crossing has stalled.",
    image_url="/media/previews/bridge.jpg",
    image_caption="The unfinished bridge.",
    image_credit="Photograph: Example Agency",
    author="Jane Roe",
    published="2026-11-20",
)
PREVIEWS = {URL: PREVIEW}
BOTH = pytest.mark.parametrize("fmt", ["bbcode", "markdown"])


@BOTH
def test_bare_link_text_becomes_title(fmt: str) -> None:
    c = cook(f"More here: {URL} ok", fmt, previews=PREVIEWS)
    a = parse(c.html).tags("a")
    assert len(a) == 1 and a[0].attrs["href"] == URL
    assert ">Bridge opening delayed again | World news | news.example</a> ok" in c.html
    assert c.links == (LinkRef(URL, bare=True, alone=False),)


@BOTH
def test_bare_link_without_preview_or_title_keeps_url(fmt: str) -> None:
    c = cook(f"More here: {URL} ok", fmt)
    assert f">{URL}</a>" in c.html
    untitled = {URL: LinkPreview(url=URL, site_name="News Example")}
    c = cook(f"More here: {URL} ok", fmt, previews=untitled)
    assert f">{URL}</a>" in c.html
    assert "link-card" not in c.html


@pytest.mark.parametrize(
    ("fmt", "src"),
    [
        ("bbcode", f"[url={URL}]my words[/url]"),
        ("markdown", f"[my words]({URL})"),
    ],
)
def test_non_bare_link_is_unchanged(fmt: str, src: str) -> None:
    c = cook(src, fmt, previews=PREVIEWS)
    assert ">my words</a>" in c.html
    assert "Bridge opening" not in c.html
    assert c.links == (LinkRef(URL, bare=False, alone=False),)


def test_non_bare_link_alone_is_not_a_card() -> None:
    c = cook(f"[url={URL}]my words[/url]", "bbcode", previews=PREVIEWS)
    assert "link-card" not in c.html


@pytest.mark.parametrize(
    ("fmt", "src"),
    [
        ("bbcode", f"Look at this\n{URL}\nTerrible."),
        ("bbcode", f"Look at this\n[url]{URL}[/url]\nTerrible."),
        ("markdown", f"Look at this\n\n{URL}\n\nTerrible."),
        ("markdown", f"Look at this\n<{URL}>\nTerrible."),
    ],
)
def test_alone_bare_link_becomes_card(fmt: str, src: str) -> None:
    c = cook(src, fmt, previews=PREVIEWS)
    assert_safe(c.html)
    assert c.links == (LinkRef(URL, bare=True, alone=True),)
    html = c.html
    assert html.index("Look at this") < html.index('<div class="link-card">')
    assert html.index("</div></div>") < html.index("Terrible.")
    p = parse(html)
    img = p.tags("img")[0]
    assert img.attrs == {
        "src": "/media/previews/bridge.jpg",
        "alt": "The unfinished bridge.",
        "loading": "lazy",
    }
    title_link = p.tags("a")[0]
    assert title_link.attrs["href"] == URL
    for text in (
        "News Example",
        "World news",
        "Bridge opening delayed again",
        "Work on the crossing has stalled.",
        "The unfinished bridge.",
        "Photograph: Example Agency",
        "Jane Roe",
        '<time datetime="2026-11-20">20 Nov 2026</time>',
    ):
        assert text in html
    assert '<span class="credit">Photograph: Example Agency</span>' in html


@BOTH
def test_alone_link_without_preview_is_flagged_alone(fmt: str) -> None:
    c = cook(f"intro\n\n{URL}", fmt)
    assert c.links == (LinkRef(URL, bare=True, alone=True),)
    assert "link-card" not in c.html


def test_card_inside_formatting_still_alone() -> None:
    c = cook(f"[b]{URL}[/b]", "bbcode", previews=PREVIEWS)
    assert "link-card" in c.html


def test_card_without_local_image() -> None:
    remote = LinkPreview(url=URL, title="T", image_url="https://cdn.example/a.jpg")
    c = cook(URL, "bbcode", previews={URL: remote})
    assert "link-card" in c.html
    assert "<img" not in c.html


def test_preview_found_by_href_for_schemeless_link() -> None:
    c = cook("www.example.com", "markdown", previews={"http://www.example.com": PREVIEW})
    assert "link-card" in c.html


def test_card_fields_are_capped() -> None:
    long = LinkPreview(url=URL, title="T" * 5000, description="D" * 5000, author="A" * 5000)
    html = cook(URL, "bbcode", previews={URL: long}).html
    assert "T" * 300 not in html and "T" * 299 in html
    assert "D" * 500 not in html and "D" * 499 in html
    assert "A" * 200 not in html


def test_preview_control_chars_are_removed() -> None:
    odd = LinkPreview(url=URL, title="Bad\x00title\x01 \n here")
    html = cook(f"x {URL}", "bbcode", previews={URL: odd}).html
    assert ">Bad title here</a>" in html
    assert "\x00" not in html


def test_links_in_order_and_not_deduplicated() -> None:
    c = cook(
        "https://a.example/1 [url=https://b.example/2]b[/url] https://a.example/1 "
        "[url=/internal/]i[/url] [url=mailto:x@example.com]m[/url]",
        "bbcode",
    )
    assert [x.url for x in c.links] == [
        "https://a.example/1",
        "https://b.example/2",
        "https://a.example/1",
    ]
