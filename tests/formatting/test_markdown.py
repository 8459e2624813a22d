"""Markdown: CommonMark features, the bracket quote/figure blocks, malformed input, limits."""

from __future__ import annotations

import pytest

from parley.formatting import cook
from parley.formatting.markdown import MAX_QUOTE_DEPTH

from .htmlcheck import assert_safe, parse

REL = 'rel="nofollow ugc noopener"'


def md(src: str) -> str:
    html = cook(src, "markdown").html
    assert_safe(html)
    return html.strip()


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("**b** *i* ~~s~~ `c`", "<p><strong>b</strong> <em>i</em> <s>s</s> <code>c</code></p>"),
        ("# Title", "<h1>Title</h1>"),
        ("### Small", "<h3>Small</h3>"),
        ("a  \nb", "<p>a<br>\nb</p>"),
        ("a\nb", "<p>a\nb</p>"),
        ("---", "<hr>"),
        ("> quoted", "<blockquote><p>quoted</p>\n</blockquote>"),
        ("- a\n- b", "<ul><li>a</li>\n<li>b</li>\n</ul>"),
        ("3. c\n4. d", '<ol start="3"><li>c</li>\n<li>d</li>\n</ol>'),
        ("```\n<b>x</b>\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>"),
        ("    indented", "<pre><code>indented</code></pre>"),
    ],
)
def test_commonmark_features(src: str, expected: str) -> None:
    assert md(src) == expected


def test_raw_html_is_shown_as_text() -> None:
    html = md("<b>bold?</b> <script>alert(1)</script>")
    assert html == "<p>&lt;b&gt;bold?&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_links_and_images() -> None:
    html = md('[Example](https://example.com/a "T") ![pic](https://example.com/p.png)')
    p = parse(html)
    assert p.tags("a")[0].attrs == {
        "href": "https://example.com/a",
        "title": "T",
        "rel": "nofollow ugc noopener",
    }
    img = p.tags("img")[0]
    assert img.attrs["src"] == "https://example.com/p.png"
    assert img.attrs["alt"] == "pic"
    assert img.attrs["loading"] == "lazy"


def test_relative_link_only_internal() -> None:
    assert 'href="/threads/1/"' in md("[t](/threads/1/)")
    html = md("[t](threads/1/) [u](//evil.example/x)")
    assert "<a" not in html


def test_image_only_http_or_media() -> None:
    assert 'src="/media/x.png"' in md("![a](/media/x.png)")
    html = md("![a](/static/x.png)")
    assert "<img" not in html and "a" in html


def test_linkify_and_autolinks_are_bare() -> None:
    c = cook("see https://example.com/x, <https://example.org> and www.example.net", "markdown")
    assert [(x.url, x.bare) for x in c.links] == [
        ("https://example.com/x", True),
        ("https://example.org", True),
        ("http://www.example.net", True),
    ]


def test_tables_with_alignment() -> None:
    html = md("| a | b |\n|--:|:-:|\n| 1 | 2 |")
    p = parse(html)
    assert len(p.tags("table")) == 1
    assert [e.attrs.get("class") for e in p.tags("th")] == ["align-right", "align-center"]
    assert "style" not in html


def test_bracket_quote_block_with_markdown_inside() -> None:
    c = cook('[quote="alice" post=123]\n**bold** and *em*\n\nsecond\n[/quote]\nafter', "markdown")
    assert c.quoted_post_ids == (123,)
    p = parse(c.html)
    assert len(p.tags("blockquote")) == 1
    assert p.with_class("quote-link")[0].attrs["href"] == "/posts/123/"
    assert "<strong>bold</strong>" in c.html
    assert c.html.strip().endswith("<p>after</p>")


def test_bracket_quote_on_one_line() -> None:
    html = md("[quote=bob]short[/quote] tail")
    assert "bob said:" in html
    assert '<div class="quote-body"><p>short</p>' in html
    assert html.endswith("<p>tail</p>")


def test_consecutive_quotes_on_one_line() -> None:
    assert len(parse(md("[quote]a[/quote][quote]b[/quote]")).tags("blockquote")) == 2


def test_nested_bracket_quotes() -> None:
    html = md("[quote=a]\nouter\n[quote=b]\ninner\n[/quote]\n[/quote]")
    assert len(parse(html).tags("blockquote")) == 2
    assert html.index("outer") < html.index("inner")


def test_bracket_quote_not_parsed_in_fenced_code() -> None:
    html = md("```\n[quote]\nx\n[/quote]\n```")
    assert "<blockquote" not in html
    assert "[quote]" in html


def test_close_inside_code_span_does_not_close() -> None:
    html = md("[quote]\nuse `[/quote]` to close\n[/quote]")
    assert len(parse(html).tags("blockquote")) == 1
    assert "<code>[/quote]</code>" in html


def test_unclosed_bracket_quote_is_text() -> None:
    html = md("[quote]\nnever closed")
    assert "<blockquote" not in html
    assert "[quote]" in html


def test_close_alone_is_text() -> None:
    assert md("[/quote] alone") == "<p>[/quote] alone</p>"


def test_bracket_quote_depth_capped() -> None:
    depth = MAX_QUOTE_DEPTH + 2
    src = "".join(f"[quote=u{i}]\nlevel{i}\n" for i in range(depth)) + "[/quote]\n" * depth
    html = md(src)
    assert len(parse(html).tags("blockquote")) == MAX_QUOTE_DEPTH
    assert all(f"level{i}" in html for i in range(depth))
    assert "[quote" not in html


def test_ten_thousand_nested_bracket_quotes() -> None:
    html = md("[quote]\n" * 10_000 + "deep\n" + "[/quote]\n" * 10_000)
    assert "deep" in html
    assert len(parse(html).tags("blockquote")) == MAX_QUOTE_DEPTH


def test_deep_markdown_nesting_is_bounded() -> None:
    html = md(">" * 10_000 + " deep")
    assert html.count("<blockquote>") <= 30
    html = md("*a " * 10_000)
    assert html
    html = md("\n".join("  " * i + "- item" for i in range(500)))
    assert html


def test_article_quote_in_markdown() -> None:
    html = md(
        '[quote source="The Daily Example" url=https://daily.example/a author="Jane Roe" '
        "date=2026-11-20]\nThe *text*.\n[/quote]"
    )
    assert 'class="quote article-quote"' in html
    assert "<em>text</em>" in html
    assert "<cite>" in html and "The Daily Example" in html
    assert '<time datetime="2026-11-20">20 Nov 2026</time>' in html


def test_figure_line_in_markdown() -> None:
    html = md(
        'Before\n\n[img caption="Boats at the harbour wall." credit="Photograph: Agency"]'
        "https://example.com/a.jpg[/img]\n\nAfter"
    )
    assert "<figure>" in html
    assert (
        '<figcaption>Boats at the harbour wall. <span class="credit">Photograph: Agency</span>'
        in (html)
    )
    assert html.startswith("<p>Before</p>") and html.endswith("<p>After</p>")


def test_img_line_without_caption_and_invalid_img() -> None:
    assert md("[img]https://example.com/a.jpg[/img]") == (
        '<p><img src="https://example.com/a.jpg" alt="Picture: a.jpg" loading="lazy"></p>'
    )
    assert "<img" not in md("[img]javascript:alert(1)[/img]")


def test_bbcode_inline_tags_are_text_in_markdown() -> None:
    assert md("[b]x[/b]") == "<p>[b]x[/b]</p>"


def test_format_accepts_enum_and_case() -> None:
    from parley.formatting import Format

    assert cook("*x*", Format.MARKDOWN).html == cook("*x*", "Markdown").html
    with pytest.raises(ValueError):
        cook("x", "html")
