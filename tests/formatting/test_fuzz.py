"""Deterministic random soup of tags, URLs and markup: never crashes, always safe."""

from __future__ import annotations

import random

import pytest

from parley.formatting import LinkPreview, cook

from .htmlcheck import assert_safe

PIECES = [
    "[b]", "[/b]", "[i]", "[/i]", "[u]", "[/u]", "[s]", "[/s]", "[quote]", "[/quote]",
    '[quote="al<i>ce" post=12]', "[quote=bob]", '[quote source="S" url=https://s.example]',
    "[list]", "[list=1]", "[/list]", "[*]", "[code]", "[/code]", "[spoiler]", "[spoiler=T]",
    "[/spoiler]", "[url]", "[/url]", "[url=https://a.example]", "[url=javascript:x]",
    "[img]", "[/img]", '[img caption="c"]', "[color=red]", "[color=x;y]", "[/color]",
    "[size=7]", "[size=99999]", "[/size]", "https://p.example/a", "www.q.example", "@bob",
    "@alice.", "a@b.example", "\n", "\n\n", " ", "text", "<script>", "</script>", "<img",
    " onerror=alert(1)>", "javascript:alert(1)", "&#106;", "&amp;", '"', "'", "`", "```\n",
    "*", "**", "_", "~~", "[x](", ")", "](javascript:alert(1))", "![i](", "<https://z.example>",
    "> ", "- ", "1. ", "# ", "|a|b|\n|-|-|\n", "    ", "\\", "[", "]", "=", "\x00", "\r\n",
]  # fmt: skip
PREVIEWS = {
    "https://p.example/a": LinkPreview(
        url="https://p.example/a",
        title="<b>T</b>",
        image_url="/media/x.png",
        article_text="text text text text text text text text",
    )
}


@pytest.mark.parametrize("seed", range(150))
@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_random_soup(seed: int, fmt: str) -> None:
    rng = random.Random(seed)
    src = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 120)))
    c = cook(
        src,
        fmt,
        resolve_mentions=lambda names: {n: f"/members/{n}/" for n in names},
        previews=PREVIEWS,
    )
    assert_safe(c.html)
    assert isinstance(c.text, str)
