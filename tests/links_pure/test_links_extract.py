"""Metadata extraction on pages written here (no network)."""

from __future__ import annotations

import json
import time

import pytest

from parley.links.extract import (
    LIMITS,
    PageMeta,
    clean_text,
    clean_url,
    decode_html,
    extract_page,
    normalize_date,
)

URL = "https://news.example/world/2026/mar/02/coastal-states-agree-patrols"

PARAGRAPHS = [
    "Four coastal states have agreed to run joint fishing patrols from next month, "
    "according to a harbour official who spoke to the paper on Monday.",
    "The official said the patrol boats would sail in pairs: one pair from the northern "
    "port on Fridays and another from the southern harbour overnight.",
    "Fishermen in the bay described long queues outside the licence office as crews "
    "rushed to register before the new rules take effect.",
]

ARTICLE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Coastal states agree joint patrols | World news | The Example</title>
<meta name="description" content="Plain meta description">
<meta name="author" content="Meta Author">
<meta property="og:title" content="Coastal states agree joint patrols">
<meta property="og:description" content="Patrol boats will sail in pairs.">
<meta property="og:site_name" content="The Example">
<meta property="og:url" content="https://news.example/world/2026/mar/02/coastal-states-agree-patrols">
<meta property="og:image" content="/img/2026/lead-photo.jpg?width=1200">
<meta property="og:image:alt" content="Boats in a harbour">
<meta property="article:section" content="World news">
<meta property="article:published_time" content="2026-03-02T16:21:00Z">
<meta property="article:author" content="https://news.example/profile/someone">
<meta name="twitter:title" content="Twitter title">
<link rel="canonical" href="https://news.example/world/2026/mar/02/coastal-states-agree-patrols">
<link rel="alternate" type="application/json+oembed"
      href="https://news.example/oembed?url=https%3A%2F%2Fnews.example%2Fworld">
<script type="application/ld+json">
{
    json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": "https://news.example/#page"},
                {"@type": "Person", "@id": "#martin", "name": "Martin Reporter"},
                {
                    "@type": "NewsArticle",
                    "headline": "JSON-LD headline",
                    "articleSection": ["World", "Middle East"],
                    "datePublished": "2026-03-02T16:21:00+00:00",
                    "author": [{"@id": "#martin"}, {"@type": "Person", "name": "Saeed Co-Writer"}],
                    "publisher": {"@type": "Organization", "name": "Example Media"},
                    "image": {
                        "@type": "ImageObject",
                        "url": "https://news.example/img/2026/lead-photo.jpg",
                        "caption": "JSON-LD caption",
                        "creditText": "JSON-LD credit",
                    },
                },
            ],
        }
    )
}
</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<header><h1>Coastal states agree joint patrols</h1><p class="byline">By Martin Reporter</p></header>
<article>
  <figure class="element-image">
    <picture><source srcset="/img/2026/lead-photo.jpg?width=600 600w"></picture>
    <img src="/img/2026/lead-photo.jpg?width=1200" alt="Boats in a harbour">
    <figcaption>Patrol boats moored in the northern harbour at dawn.
      <span>Photograph: Wire Agency</span></figcaption>
  </figure>
  <div class="article-body" itemprop="articleBody">
    <p>{PARAGRAPHS[0]}</p>
    <aside class="related"><p>Related: something else entirely</p></aside>
    <p>{PARAGRAPHS[1]}</p>
    <div class="ad-slot"><p>Advertisement</p></div>
    <p>  {PARAGRAPHS[2].replace(" ", "  ")}  </p>
    <script>var tracking = "not text";</script>
  </div>
</article>
<footer><p>Copyright The Example</p></footer>
</body>
</html>
"""


def test_full_news_article() -> None:
    meta = extract_page(ARTICLE.encode("utf-8"), url=URL, content_type="text/html")
    assert meta.page_title == "Coastal states agree joint patrols | World news | The Example"
    assert meta.title == meta.page_title
    assert meta.headline == "Coastal states agree joint patrols"
    assert meta.site_name == "The Example"
    assert meta.section == "World news"
    assert meta.description == "Patrol boats will sail in pairs."
    assert meta.image_url == "https://news.example/img/2026/lead-photo.jpg?width=1200"
    assert meta.image_caption == ("Patrol boats moored in the northern harbour at dawn.")
    assert meta.image_credit == "Photograph: Wire Agency"
    assert meta.author == "Martin Reporter, Saeed Co-Writer"
    assert meta.published == "2026-03-02T16:21:00+00:00"
    assert meta.canonical_url == URL
    assert meta.oembed_url == "https://news.example/oembed?url=https%3A%2F%2Fnews.example%2Fworld"
    assert meta.article_text == "\n\n".join(PARAGRAPHS)


def test_json_ld_is_used_when_opengraph_is_missing() -> None:
    html = ARTICLE
    for tag in ('property="og:', 'property="article:', 'name="twitter:'):
        html = "\n".join(line for line in html.splitlines() if tag not in line)
    html = html.replace(
        '<link rel="canonical" href="https://news.example/world/2026/mar/02/coastal-states-agree-patrols">',
        "",
    )
    html = html.replace("<figcaption>", "<div>").replace("</figcaption>", "</div>")
    meta = extract_page(html, url=URL)
    assert meta.headline == "JSON-LD headline"
    assert meta.section == "World"
    assert meta.site_name == "Example Media"
    assert meta.published == "2026-03-02T16:21:00+00:00"
    assert meta.image_url == "https://news.example/img/2026/lead-photo.jpg"
    assert meta.image_caption == "JSON-LD caption"
    assert meta.image_credit == "JSON-LD credit"
    assert meta.author == "Martin Reporter, Saeed Co-Writer"
    assert meta.description == "Plain meta description"
    assert meta.canonical_url is None  # no rel=canonical, no og:url, no JSON-LD url


def test_json_ld_list_and_plain_types() -> None:
    data = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {
            "@type": ["BlogPosting"],
            "headline": "A blog post",
            "author": "Plain Name",
            "image": ["https://cdn.example/a.png", "https://cdn.example/b.png"],
            "datePublished": "2021-03-04",
            "articleSection": "Opinion",
        },
    ]
    html = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    meta = extract_page(html, url="https://blog.example/p/1")
    assert meta.headline == "A blog post"
    assert meta.author == "Plain Name"
    assert meta.image_url == "https://cdn.example/a.png"
    assert meta.published == "2021-03-04"
    assert meta.section == "Opinion"


def test_reportage_article_via_main_entity() -> None:
    data = {
        "@type": "WebPage",
        "mainEntity": {"@type": "ReportageNewsArticle", "headline": "On the ground"},
    }
    html = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    assert extract_page(html, url="https://x.example/").headline == "On the ground"


def test_only_a_title() -> None:
    meta = extract_page("<html><head><title>  Just a\n title </title></head></html>", url=URL)
    assert meta.page_title == "Just a title"
    assert meta.headline == "Just a title"
    assert meta.title == "Just a title"
    assert meta.description is None
    assert meta.image_url is None
    assert meta.canonical_url is None
    assert meta.article_text == ""


def test_plain_html_fallbacks_and_main_text_without_markup() -> None:
    paragraphs = [f"Paragraph number {i} has a sentence or two of body text in it." for i in "123"]
    html = (
        "<title>Plain page</title><meta name=description content='Desc &amp; more'>"
        "<meta name=author content='By Jane Doe'><h1>Big <em>headline</em></h1>"
        "<div id=menu><p>Home</p></div><div class=x>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</div><time datetime='2020-02-29T08:00:00+01:00'>yesterday</time>"
    )
    meta = extract_page(html, url="https://plain.example/a")
    assert meta.headline == "Big headline"
    assert meta.description == "Desc & more"
    assert meta.author == "Jane Doe"
    assert meta.published == "2020-02-29T08:00:00+01:00"
    assert meta.article_text == "\n\n".join(paragraphs)


def test_hostile_metadata() -> None:
    huge_url = "https://cdn.example/" + "a" * 5_000_000 + ".jpg"
    html = f"""<html><head>
    <title>Real &lt;b&gt;title&lt;/b&gt;<script>alert(1)</script></title>
    <meta property="og:title"
      content="&lt;script&gt;alert('x')&lt;/script&gt;Safe &lt;b&gt;headline&lt;/b&gt;">
    <meta property="og:url" content="javascript:alert(document.cookie)">
    <meta property="og:image" content="{huge_url}">
    <meta name="twitter:image" content="data:image/png;base64,AAAA">
    <meta property="og:description" content="{"word " * 2000}">
    <meta property="og:site_name" content="Evil\u202eSite\u0000\u200b">
    <link rel="canonical" href="  JaVaScRiPt:alert(1)">
    <link rel="alternate" type="application/json+oembed" href="java&#09;script:alert(1)">
    <script type="application/ld+json">{{"@type": "NewsArticle", "headline": "broken", </script>
    <script type="application/ld+json">{{"@type": "NewsArticle", "author": {{"name": 5}},
       "image": {{"url": "file:///etc/passwd"}}, "datePublished": "not a date"}}</script>
    </head><body><figure><img src="x.jpg"><figcaption>{"c" * 2000}</figcaption></figure>
    </body></html>"""
    started = time.monotonic()
    meta = extract_page(html, url=URL)
    assert time.monotonic() - started < 10  # generous: it must simply not blow up
    assert meta.headline == "Safe headline"
    assert meta.page_title == "Real title"
    assert meta.canonical_url is None  # both candidates were javascript:
    assert meta.oembed_url is None
    assert meta.image_url == "https://news.example/world/2026/mar/02/x.jpg"
    assert meta.description is not None and len(meta.description) <= LIMITS["description"]
    assert meta.site_name == "EvilSite"
    assert meta.image_caption is not None and len(meta.image_caption) <= LIMITS["caption"]
    assert meta.author is None
    assert meta.published is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"   ",
        b"\x00\x01\x02\xff\xfe",
        b"<html><head><title>Trunc",
        b"<<<>>><meta property='og:title' content='x",
        b'<?xml version="1.0" encoding="utf-8"?><html><title>xhtml</title></html>',
        b"\xef\xbb\xbf<title>bom</title>",
        "<title>utf16</title>".encode("utf-16"),
        b"<title>" + b"\xc3" * 1000 + b"</title>",
        b"<script type='application/ld+json'>" + b"[" * 100_000 + b"</script>",
        b"<div>" * 50_000,
        b"<svg><title>icon</title></svg><p>no real title</p>",
    ],
)
def test_garbage_never_raises(garbage: bytes) -> None:
    meta = extract_page(garbage, url=URL)
    assert isinstance(meta, PageMeta)


def test_bom_and_xml_declaration() -> None:
    assert extract_page(b"\xef\xbb\xbf<title>bom</title>", url=URL).page_title == "bom"
    xhtml = b'<?xml version="1.0" encoding="utf-8"?><html><title>xhtml</title></html>'
    assert extract_page(xhtml, url=URL).page_title == "xhtml"
    assert extract_page("<title>utf16</title>".encode("utf-16"), url=URL).page_title == "utf16"


def test_svg_title_is_not_the_page_title() -> None:
    meta = extract_page("<body><svg><title>icon</title></svg><h1>Real</h1></body>", url=URL)
    assert meta.page_title is None
    assert meta.headline == "Real"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (
            "Café \u2013 déjà".encode("cp1252"),
            "text/html; charset=windows-1252",
            "Café \u2013 déjà",
        ),
        ('<meta charset="windows-1252">Café'.encode("cp1252"), "", "Café"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">Café'.encode(
                "latin-1"
            ),
            "",
            "Café",
        ),
        ("Café".encode(), "text/html; charset=utf-8", "Café"),
        ("Café".encode(), "text/html; charset=klingon", "Café"),
        ("Café".encode(), "", "Café"),
        ("Ελληνικά".encode("iso-8859-7"), 'text/html; charset="ISO-8859-7"', "Ελληνικά"),
    ],
)
def test_charsets(data: bytes, content_type: str, expected: str) -> None:
    assert expected in decode_html(data, content_type)


def test_wrong_charset_degrades_without_raising() -> None:
    latin = "<title>Café crème</title>".encode("latin-1")
    meta = extract_page(latin, url=URL, content_type="text/html; charset=utf-8")
    assert meta.page_title == "Caf\ufffd cr\ufffdme"
    utf8_as_latin = "<title>Café</title>".encode()
    assert (
        extract_page(
            utf8_as_latin, url=URL, content_type="text/html; charset=iso-8859-1"
        ).page_title
        == "CafÃ©"
    )
    header_wins = '<meta charset="utf-8"><title>Café</title>'.encode("cp1252")
    assert (
        extract_page(header_wins, url=URL, content_type="text/html; charset=cp1252").page_title
        == "Café"
    )


def test_article_text_is_capped() -> None:
    paragraph = "word " * 2000
    html = "<article>" + "".join(f"<p>{i} {paragraph}</p>" for i in range(200)) + "</article>"
    text = extract_page(html, url=URL).article_text
    assert 90_000 < len(text) <= LIMITS["article_text"]


def test_caption_credit_variants() -> None:
    html = """<figure><img src="/a.jpg"><figcaption>
        <span class="visually-hidden">Image caption,</span> Crowds in the square.
        <span class="credit">Getty Images</span></figcaption></figure>"""
    meta = extract_page(html, url=URL)
    assert meta.image_caption == "Crowds in the square."
    assert meta.image_credit == "Getty Images"
    html = '<figure><img src="/b.jpg"><figcaption>Smoke rises. Photo: A. Person/AP</figcaption>'
    meta = extract_page(html, url=URL)
    assert meta.image_caption == "Smoke rises."
    assert meta.image_credit == "Photo: A. Person/AP"


def test_lead_figure_matches_og_image() -> None:
    html = """<meta property="og:image" content="https://cdn.example/lead.jpg">
    <figure><img src="/logo.png"><figcaption>Not this one</figcaption></figure>
    <figure><img src="https://cdn.example/lead.jpg?w=300"><figcaption>The lead</figcaption></figure>
    """
    assert extract_page(html, url=URL).image_caption == "The lead"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("/rel/path?q=1", "https://news.example/rel/path?q=1"),
        ("//cdn.example/i.jpg", "https://cdn.example/i.jpg"),
        ("javascript:alert(1)", None),
        (" JAVASCRIPT:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,hi", None),
        ("vbscript:x", None),
        ("ftp://a.example/", None),
        ("http://", None),
        ('https://a.example/a b"<>', "https://a.example/a%20b%22%3C%3E"),
        ("https://a.example/" + "x" * 3000, None),
        (None, None),
        (5, None),
    ],
)
def test_clean_url(value: object, expected: str | None) -> None:
    assert clean_url(value, "https://news.example/page") == expected


def test_clean_text() -> None:
    assert clean_text("  a\n\t b  ", 10) == "a b"
    assert clean_text("<p>one</p><p>two</p>", 100) == "one two"
    assert clean_text("1 < 2 and 3 > 2", 100) == "1 < 2 and 3 > 2"
    assert clean_text("<style>x{}</style>ok", 100) == "ok"
    assert clean_text("", 10) is None
    assert clean_text(None, 10) is None
    long = clean_text("word " * 100, 50)
    assert long is not None and len(long) <= 50 and long.endswith("\u2026")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02T16:21:00Z", "2026-03-02T16:21:00+00:00"),
        ("2026-03-02T16:21:00.123+02:00", "2026-03-02T16:21:00.123000+02:00"),
        ("2026-03-02 16:21:00", "2026-03-02T16:21:00"),
        ("2026-03-02", "2026-03-02"),
        ("2026-03-02Tgarbage", "2026-03-02"),
        ("2014-02-30", None),
        ("yesterday", None),
        ("0001-01-01T00:00:00Z", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value: object, expected: str | None) -> None:
    assert normalize_date(value) == expected


def test_relative_urls_use_base_href() -> None:
    html = (
        '<base href="https://static.example/assets/">'
        '<meta property="og:image" content="pic.jpg"><link rel=canonical href="/story">'
    )
    meta = extract_page(html, url="https://news.example/a/b")
    assert meta.image_url == "https://static.example/assets/pic.jpg"
    assert meta.canonical_url == "https://static.example/story"
