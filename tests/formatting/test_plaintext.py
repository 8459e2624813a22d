"""Plain text of cooked posts and of HTML."""

from __future__ import annotations

from parley.formatting import RENDER_VERSION, Cooked, cook, html_to_text


def test_html_to_text_blocks_entities_whitespace() -> None:
    html = (
        "<p>Hello   <strong>big</strong>\n world &amp; &lt;friends&gt;</p>"
        "<ul><li>one</li><li>two</li></ul><p>a<br>b</p>"
        "<pre><code>x  =  1\ny = 2</code></pre>"
    )
    assert html_to_text(html) == "Hello big world & <friends>\none\ntwo\na\nb\nx = 1\ny = 2"


def test_cooked_text_bbcode() -> None:
    c = cook('[quote="alice" post=1]Hi [b]there[/b][/quote]\nMy   reply &amp;', "bbcode")
    assert c.text == "alice said:\nHi there\nMy reply &amp;"


def test_cooked_text_markdown() -> None:
    c = cook("# Title\n\nSome *text*\nwrapped.\n\n- a\n- b", "markdown")
    assert c.text == "Title\nSome text wrapped.\na\nb"


def test_cooked_result_shape() -> None:
    c = cook("x", "bbcode")
    assert isinstance(c, Cooked)
    assert c.render_version == RENDER_VERSION
    assert (c.links, c.mentions, c.quoted_post_ids) == ((), (), ())


def test_empty_and_whitespace_sources() -> None:
    for fmt in ("bbcode", "markdown"):
        for src in ("", "   ", "\n\n\n", "\x00\x01"):
            c = cook(src, fmt)
            assert c.html.strip() == ""
            assert c.text == ""
