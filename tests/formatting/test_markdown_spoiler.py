"""Markdown posts understand the `[spoiler]` block, as BBCode posts do (the editor's Spoiler
button writes it in both formats)."""

from __future__ import annotations

from parley.formatting import cook


def html(src: str) -> str:
    return cook(src, "markdown").html


def test_spoiler_block_hides_markdown_content() -> None:
    out = html("[spoiler]The **ending**[/spoiler]")
    assert out.startswith('<details class="spoiler"><summary>Spoiler</summary>')
    assert "<strong>ending</strong>" in out


def test_spoiler_title_is_the_option() -> None:
    assert "<summary>Final score</summary>" in html('[spoiler="Final score"]\n3-1\n[/spoiler]')


def test_spoiler_inside_a_quote_and_a_quote_inside_a_spoiler() -> None:
    out = html('[quote="ana"]\n[spoiler]in[/spoiler]\n[/quote]')
    assert out.index("<blockquote") < out.index("<details") < out.index("</blockquote>")
    out = html('[spoiler]\n[quote="ana"]\nq\n[/quote]\n[/spoiler]')
    assert out.index("<details") < out.index("<blockquote") < out.index("</details>")


def test_a_close_of_the_other_kind_stays_text() -> None:
    out = html("[quote]\nq [/spoiler]\n[/quote]")
    assert "q [/spoiler]" in out and "<details" not in out


def test_unclosed_spoiler_and_code_spans_stay_literal() -> None:
    assert "<details" not in html("[spoiler]never closed")
    assert "<code>[/spoiler]</code>" in html("`[/spoiler]` plain")
