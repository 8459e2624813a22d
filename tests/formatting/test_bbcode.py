"""BBCode: every tag, nesting, malformed input, limits."""

from __future__ import annotations

import sys

import pytest

from parley.formatting import cook
from parley.formatting.bbcode import MAX_QUOTE_DEPTH

from .htmlcheck import assert_safe, parse

REL = 'rel="nofollow ugc noopener"'


def bb(src: str) -> str:
    html = cook(src, "bbcode").html
    assert_safe(html)
    return html.strip()


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("[b]x[/b]", "<p><strong>x</strong></p>"),
        ("[i]x[/i]", "<p><em>x</em></p>"),
        ("[u]x[/u]", "<p><u>x</u></p>"),
        ("[s]x[/s]", "<p><s>x</s></p>"),
        ("[B]upper[/b]", "<p><strong>upper</strong></p>"),
        ("[b][i]x[/i][/b]", "<p><strong><em>x</em></strong></p>"),
    ],
)
def test_inline_tags(src: str, expected: str) -> None:
    assert bb(src) == expected


def test_plain_text_is_escaped() -> None:
    assert bb('a < b & c > "d"') == '<p>a &lt; b &amp; c &gt; "d"</p>'


def test_newlines_become_breaks_and_blank_lines_paragraphs() -> None:
    assert bb("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"
    assert bb("\n\n\nonly\n\n\n") == "<p>only</p>"


def test_url_with_option() -> None:
    assert bb("[url=https://example.com/a]Example[/url]") == (
        f'<p><a href="https://example.com/a" {REL}>Example</a></p>'
    )


def test_url_without_option_and_domain_without_scheme() -> None:
    assert bb("[url]https://example.com/a[/url]") == (
        f'<p><a href="https://example.com/a" {REL}>https://example.com/a</a></p>'
    )
    assert 'href="http://www.example.com"' in bb("[url]www.example.com[/url]")
    assert 'href="http://example.com/x"' in bb("[url=example.com/x]x[/url]")


def test_internal_url_allowed() -> None:
    assert 'href="/threads/5/"' in bb("[url=/threads/5/]thread[/url]")


def test_url_with_bad_target_keeps_text_without_link() -> None:
    html = bb("[url=javascript:alert(1)]click[/url]")
    assert "<a" not in html
    assert "click" in html


def test_url_content_is_raw() -> None:
    # [url]…[/url] with something that is not a URL is shown as text.
    html = bb("[url][b]x[/b][/url]")
    assert "<a" not in html
    assert "[url]" in html and "<strong>x</strong>" in html and "[/url]" in html


def test_bare_urls_are_autolinked_without_trailing_punctuation() -> None:
    html = bb("see https://example.com/a. and www.example.org")
    links = [e.attrs["href"] for e in parse(html).tags("a")]
    assert links == ["https://example.com/a", "http://www.example.org"]
    assert html.endswith("</a></p>")
    assert "</a>. and" in html


def test_no_autolink_inside_url_tag_or_code() -> None:
    html = bb("[url=https://a.example]see https://b.example[/url] [code]https://c.example[/code]")
    assert [e.attrs["href"] for e in parse(html).tags("a")] == ["https://a.example"]


def test_img_inline_gets_its_file_name_as_alt_text_so_a_failed_load_is_never_blank() -> None:
    assert bb("[img]https://example.com/a.jpg[/img]") == (
        '<p><img src="https://example.com/a.jpg" alt="Picture: a.jpg" loading="lazy"></p>'
    )


def test_img_local_media_allowed_other_relative_not() -> None:
    assert 'src="/media/a.png"' in bb("[img]/media/a.png[/img]")
    html = bb("[img]/static/a.png[/img]")
    assert "<img" not in html and "[img]/static/a.png[/img]" in html


@pytest.mark.parametrize(
    "src", ["javascript:alert(1)", "data:image/png;base64,AAAA", "ftp://x.example/a.png", ""]
)
def test_img_bad_source_is_text(src: str) -> None:
    html = bb(f"[img]{src}[/img]")
    assert "<img" not in html
    assert "[img]" in html


def test_figure_with_caption_and_credit() -> None:
    html = bb(
        '[img caption="Boats at the harbour wall." credit="Photograph: Example Agency"]'
        "https://example.com/a.jpg[/img]"
    )
    assert html == (
        '<figure><img src="https://example.com/a.jpg" alt="Boats at the harbour wall." '
        'loading="lazy"><figcaption>Boats at the harbour wall. <span class="credit">'
        "Photograph: Example Agency</span></figcaption></figure>"
    )


def test_figure_credit_only() -> None:
    html = bb('[img credit="Agency"]https://example.com/a.jpg[/img]')
    assert '<figcaption><span class="credit">Agency</span></figcaption>' in html


def test_code_is_verbatim() -> None:
    html = bb("[code]\nif a < b:\n    [b]not bold[/b] @bob https://x.example\n[/code]")
    assert html == (
        "<pre><code>if a &lt; b:\n    [b]not bold[/b] @bob https://x.example</code></pre>"
    )


def test_code_single_line_is_inline() -> None:
    assert bb("use [code]x[0][/code] here") == "<p>use <code>x[0]</code> here</p>"


def test_unclosed_code_is_text() -> None:
    assert bb("[code]x [b]y[/b]") == "<p>[code]x <strong>y</strong></p>"


def test_lists() -> None:
    assert bb("[list]\n[*]a\n[*]b\n[/list]") == "<ul><li>a</li>\n<li>b</li>\n</ul>"
    assert bb("[list=1][*]a[*]b[/list]") == "<ol><li>a</li>\n<li>b</li>\n</ol>"
    assert bb("[list=3][*]c[/list]") == '<ol start="3"><li>c</li>\n</ol>'


def test_nested_list_with_formatting() -> None:
    html = bb("[list][*][b]a[/b][list][*]inner[/list][*]b[/list]")
    p = parse(html)
    assert len(p.tags("ul")) == 2
    assert len(p.tags("li")) == 3
    assert "<strong>a</strong>" in html


def test_star_outside_list_is_text() -> None:
    assert bb("[*] not an item") == "<p>[*] not an item</p>"


def test_spoiler() -> None:
    assert bb("[spoiler]hidden[/spoiler]") == (
        '<details class="spoiler"><summary>Spoiler</summary><p>hidden</p>\n</details>'
    )
    assert "<summary>Ending &lt;b&gt;</summary>" in bb("[spoiler=Ending <b>]x[/spoiler]")


@pytest.mark.parametrize(
    ("tag", "style"),
    [
        ("[color=red]", "color:red"),
        ("[color=DarkOliveGreen]", "color:darkolivegreen"),
        ("[color=#a0b]", "color:#a0b"),
        ("[color=#A0B1C2]", "color:#a0b1c2"),
        ('[color="blue"]', "color:blue"),
        ("[size=1]", "font-size:10px"),
        ("[size=7]", "font-size:48px"),
        ("[size=14px]", "font-size:14px"),
        ("[size=20]", "font-size:20px"),
        ("[size=999999]", "font-size:48px"),
        ("[size=0]", "font-size:8px"),
        ("[size=3px]", "font-size:8px"),
    ],
)
def test_color_and_size_values(tag: str, style: str) -> None:
    name = tag[1:].split("=")[0]
    html = bb(f"{tag}x[/{name}]")
    spans = parse(html).tags("span")
    assert len(spans) == 1
    assert spans[0].attrs["style"].replace(" ", "") == style


@pytest.mark.parametrize(
    "tag",
    [
        "[color=red;background:url(x)]",
        "[color=expression(alert(1))]",
        "[color=#12345]",
        "[color=notacolour]",
        "[color=]",
        "[size=-5]",
        "[size=big]",
        "[size=12em]",
        "[size=1;color:red]",
    ],
)
def test_invalid_color_or_size_is_ignored(tag: str) -> None:
    name = tag[1:].split("=")[0]
    html = bb(f"{tag}x[/{name}]")
    assert html == "<p>x</p>"


def test_quote_plain() -> None:
    assert bb("[quote]hi[/quote]") == (
        '<blockquote class="quote"><div class="quote-body"><p>hi</p>\n</div></blockquote>'
    )


def test_quote_with_name() -> None:
    html = bb("[quote=alice]hi[/quote]")
    assert '<div class="quote-header">alice said:</div>' in html
    assert "<a" not in html


def test_quote_with_post_id_links_and_collects() -> None:
    c = cook('[quote="alice" post=123]hi[/quote]', "bbcode", post_url=lambda pid: f"/p/{pid}")
    assert c.quoted_post_ids == (123,)
    header = parse(c.html).with_class("quote-header")
    assert header
    link = parse(c.html).with_class("quote-link")[0]
    assert link.attrs["href"] == "/p/123"
    assert ">alice</a> said:" in c.html


def test_quote_discourse_style_option() -> None:
    c = cook('[quote="bob, post:45, topic:6"]x[/quote]', "bbcode")
    assert c.quoted_post_ids == (45,)
    assert ">bob</a> said:" in c.html


def test_quote_name_with_spaces_and_post() -> None:
    c = cook("[quote=John Smith post=7]x[/quote]", "bbcode")
    assert c.quoted_post_ids == (7,)
    assert ">John Smith</a> said:" in c.html


def test_nested_quotes_collect_ids_in_order_without_duplicates() -> None:
    c = cook(
        '[quote="a" post=1]outer [quote="b" post=2]inner[/quote] [quote="c" post=1]x[/quote]'
        "[/quote]",
        "bbcode",
    )
    assert c.quoted_post_ids == (1, 2)
    assert len(parse(c.html).tags("blockquote")) == 3


def test_quote_depth_is_capped_and_deeper_quotes_flattened() -> None:
    depth = MAX_QUOTE_DEPTH + 3
    src = "".join(f"[quote=u{i}]level{i} " for i in range(depth)) + "[/quote]" * depth
    html = bb(src)
    assert len(parse(html).tags("blockquote")) == MAX_QUOTE_DEPTH
    for i in range(depth):
        assert f"level{i}" in html
    assert "[quote" not in html and "[/quote]" not in html


def test_ten_thousand_nested_quotes() -> None:
    html = bb("[quote]" * 10_000 + "deep" + "[/quote]" * 10_000)
    assert "deep" in html
    assert len(parse(html).tags("blockquote")) == MAX_QUOTE_DEPTH


def test_ten_thousand_unclosed_quotes_stay_text() -> None:
    html = bb("[quote]" * 10_000 + "x")
    assert "<blockquote" not in html
    assert html.count("[quote]") == 10_000


def test_huge_input_does_not_blow_recursion() -> None:
    limit = sys.getrecursionlimit()
    src = "[b][i][u][s][color=red][size=5][list][*][spoiler][quote]" * 5000
    html = bb(src[:50_000])
    assert sys.getrecursionlimit() == limit
    assert html


def test_many_nested_marks() -> None:
    html = bb("[b]" * 5000 + "x" + "[/b]" * 5000)
    assert "x" in html


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("[b]unclosed", "<p>[b]unclosed</p>"),
        ("closed only[/b]", "<p>closed only[/b]</p>"),
        ("[/quote] alone", "<p>[/quote] alone</p>"),
        ("[foo]unknown[/foo]", "<p>[foo]unknown[/foo]</p>"),
        ("[b]a[/i]b[/b]", "<p><strong>a[/i]b</strong></p>"),
        ("[ b]x[/b]", "<p>[ b]x[/b]</p>"),
        ("[quote]never closed", "<p>[quote]never closed</p>"),
        ("[", "<p>[</p>"),
        ("[]", "<p>[]</p>"),
        ('[quote="unterminated]x[/quote]', '<p>[quote="unterminated]x[/quote]</p>'),
    ],
)
def test_malformed_is_text(src: str, expected: str) -> None:
    assert bb(src) == expected


def test_misnested_inline_tags_are_split() -> None:
    assert bb("[b][i]x[/b][/i]") == "<p><strong><em>x</em></strong></p>"
    assert bb("[b]bold [i]both[/b] italic[/i]") == (
        "<p><strong>bold <em>both</em></strong><em> italic</em></p>"
    )


def test_misnested_blocks_unwind_inner_as_text() -> None:
    html = bb("[quote][list][*]a[/quote]")
    assert len(parse(html).tags("blockquote")) == 1
    assert "<ul" not in html
    assert "[list][*]a" in html


def test_marks_across_paragraphs_are_reopened() -> None:
    html = bb("[b]one\n\ntwo[/b]")
    assert html == "<p><strong>one</strong></p>\n<p><strong>two</strong></p>"


def test_block_inside_inline_splits_paragraph() -> None:
    html = bb("before [quote]q[/quote] after")
    assert html.startswith("<p>before</p>")
    assert html.endswith("<p>after</p>")


def test_unclosed_inner_tag_inside_closed_quote_is_text() -> None:
    html = bb("[quote][b]x[/quote]")
    assert "[b]x" in html
    assert "<strong>" not in html


def test_nested_links_are_not_produced() -> None:
    html = bb("[url=https://a.example][url=https://b.example]x[/url][/url]")
    assert len(parse(html).tags("a")) == 1


def test_input_hygiene() -> None:
    html = bb("a\x00b\x07c\r\nd\re\tf")
    assert html == "<p>abc<br>\nd<br>\ne\tf</p>"


def test_very_long_input_is_capped_not_rejected() -> None:
    c = cook("x" * 300_000, "bbcode")
    assert 0 < len(c.text) <= 200_000


def test_attach_places_a_known_upload_and_lists_the_rest_in_both_formats() -> None:
    from parley.formatting import AttachmentRef, cook

    refs = {
        5: AttachmentRef(5, "/attachments/5/", "map.jpg", True, "/attachments/5/thumb/", 40, 30),
        6: AttachmentRef(6, "/attachments/6/", "notes.txt", False, size=2300),
    }
    for fmt in ("bbcode", "markdown"):
        html = cook("See [ATTACH=5] and [attach=7] `x`", fmt, attachments=refs).html
        placed, listed = html.split('<div class="attachments">')
        assert '<img src="/attachments/5/thumb/" alt="map.jpg" width="40" height="30"' in placed
        assert "[attach=7]" in placed  # not one of the post's uploads: left as typed
        assert "notes.txt</a>" in listed and "/attachments/5/" not in listed
        assert (
            cook("See [attach=5]", fmt, attachments=refs).html
            == cook("See [attach=5]", fmt, attachments=refs).html
        )  # stable: the same input cooks to the same HTML


def test_attach_inside_code_stays_literal() -> None:
    from parley.formatting import AttachmentRef, cook

    refs = {5: AttachmentRef(5, "/attachments/5/", "map.jpg", True, "/attachments/5/thumb/")}
    html = cook("[code][attach=5][/code]", "bbcode", attachments=refs).html
    assert "<code>[attach=5]</code>" in html
    assert '<div class="attachments">' in html  # not placed, so listed
