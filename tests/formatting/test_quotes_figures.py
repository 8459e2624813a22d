"""Post quotes, attributed article quotes and figures: the markup both formats share."""

from __future__ import annotations

import pytest

from parley.formatting import cook

from .htmlcheck import assert_safe, parse

ARTICLE = (
    '[quote source="The Daily Example" url=https://daily.example/news/1 author="Jane Roe" '
    "date=2026-11-20]Ministers met on Friday.[/quote]"
)


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_post_quote_markup(fmt: str) -> None:
    c = cook('[quote="alice" post=123]Hello[/quote]', fmt)
    assert c.html.startswith(
        '<blockquote class="quote"><div class="quote-header">'
        '<a class="quote-link" href="/posts/123/" rel="nofollow ugc noopener">alice</a> said:'
        '</div><div class="quote-body"><p>Hello</p>'
    )
    assert c.quoted_post_ids == (123,)
    assert c.links == ()  # internal links are not "external links"


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_article_quote_markup(fmt: str) -> None:
    c = cook(ARTICLE, fmt)
    assert_safe(c.html)
    p = parse(c.html)
    assert p.tags("blockquote")[0].attrs["class"] == "quote article-quote"
    assert not p.with_class("quote-header")
    footer = c.html[c.html.index("<footer>") : c.html.index("</footer>")]
    assert footer == (
        '<footer>— <cite><a href="https://daily.example/news/1" rel="nofollow ugc noopener">'
        'The Daily Example</a></cite>, Jane Roe, <time datetime="2026-11-20">20 Nov 2026</time>'
    )
    assert [(x.url, x.bare, x.alone) for x in c.links] == [
        ("https://daily.example/news/1", False, False)
    ]
    assert "— The Daily Example, Jane Roe, 20 Nov 2026" in c.text


@pytest.mark.parametrize(
    ("attrs", "footer"),
    [
        ('source="Example Times"', "<footer>— <cite>Example Times</cite></footer>"),
        ('author="Jane Roe"', "<footer>— Jane Roe</footer>"),
        ("date=2026-01-05", '<footer>— <time datetime="2026-01-05">5 Jan 2026</time></footer>'),
        ('date="last week"', "<footer>— last week</footer>"),
        ("url=https://www.example.com/a", "example.com</a></cite></footer>"),
    ],
)
def test_article_quote_parts_are_optional(attrs: str, footer: str) -> None:
    html = cook(f"[quote {attrs}]x[/quote]", "bbcode").html
    assert 'class="quote article-quote"' in html
    assert footer in html


def test_article_quote_with_bad_url_drops_link_only() -> None:
    html = cook('[quote source="S" url=javascript:alert(1)]x[/quote]', "bbcode").html
    assert "<footer>— <cite>S</cite></footer>" in html
    assert "<a" not in html


def test_quote_with_name_and_citation() -> None:
    html = cook('[quote=alice source="Paper"]x[/quote]', "bbcode").html
    assert "alice said:" in html and "<cite>Paper</cite>" in html


def test_quote_without_name_but_with_post() -> None:
    c = cook("[quote post=9]x[/quote]", "bbcode")
    assert c.quoted_post_ids == (9,)
    assert ">A post</a>" in c.html


def test_quote_with_non_numeric_post_is_not_collected() -> None:
    c = cook('[quote="a" post=abc]x[/quote]', "bbcode")
    assert c.quoted_post_ids == ()
    assert "a said:" in c.html


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_figure_markup(fmt: str) -> None:
    html = cook(
        '[img caption="Boats at the harbour wall." credit="Photograph: Example Agency"]'
        "https://img.example/a.jpg[/img]",
        fmt,
    ).html
    assert html.strip() == (
        '<figure><img src="https://img.example/a.jpg" alt="Boats at the harbour wall." '
        'loading="lazy"><figcaption>Boats at the harbour wall. '
        '<span class="credit">Photograph: Example Agency</span></figcaption></figure>'
    )


def test_figure_alt_overrides_caption() -> None:
    html = cook('[img alt="A road" caption="Cap"]https://img.example/a.jpg[/img]', "bbcode").html
    assert parse(html).tags("img")[0].attrs["alt"] == "A road"


def test_figure_fields_escaped() -> None:
    html = cook(
        '[img caption="<b>bold</b>" credit="&amp;"]https://img.example/a.jpg[/img]', "bbcode"
    ).html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&amp;amp;" in html


def test_article_quote_url_without_scheme() -> None:
    c = cook('[quote source="S" url=www.example.com/a]x[/quote]', "bbcode")
    assert 'href="http://www.example.com/a"' in c.html
