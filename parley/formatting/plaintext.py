"""Plain text of cooked HTML, for search and excerpts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "figure", "figcaption", "footer", "details", "summary", "table", "thead", "tbody",
        "tr", "hr", "br",
    }
)  # fmt: skip
_SPACES_RE = re.compile(r"[^\S\n]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.out.append("\n")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.pre else data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """Tags removed, entities unescaped, whitespace collapsed; block boundaries become newlines."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (_SPACES_RE.sub(" ", line).strip() for line in "".join(parser.out).split("\n"))
    return "\n".join(line for line in lines if line)
