"""The intermediate tree both formats are parsed into, and that one renderer turns into HTML.

Inline nodes: Text, Break, Inline, Link, Image, CodeSpan.
Block nodes: Para, Block, CodeBlock, Quote, Figure, Spoiler.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class Text:
    value: str


@dataclass(slots=True)
class Break:
    hard: bool = True  # hard: <br>; soft: a newline inside a Markdown paragraph


@dataclass(slots=True)
class Inline:
    tag: str  # strong, em, u, s, span
    children: list[Node] = field(default_factory=list)
    style: str = ""  # only for span: an already validated declaration


@dataclass(slots=True)
class Link:
    href: str  # as written (validated when rendered)
    children: list[Node] = field(default_factory=list)
    bare: bool = False
    title: str = ""


@dataclass(slots=True)
class Image:
    src: str
    alt: str = ""
    title: str = ""


@dataclass(slots=True)
class CodeSpan:
    text: str


@dataclass(slots=True)
class Para:
    children: list[Node] = field(default_factory=list)
    tight: bool = False  # rendered without <p> (tight list items)


@dataclass(slots=True)
class Block:
    """A plain block element: ul, ol, li, h1-h6, blockquote, hr, table parts."""

    tag: str
    children: list[Node] = field(default_factory=list)
    start: int | None = None  # ol
    css_class: str = ""


@dataclass(slots=True)
class CodeBlock:
    text: str


@dataclass(slots=True)
class Quote:
    children: list[Node] = field(default_factory=list)
    name: str = ""
    post_id: int | None = None
    source: str = ""
    url: str = ""
    author: str = ""
    date: str = ""
    pasted: bool = False  # made by article-paste detection (its url is not a new link)

    @property
    def is_article(self) -> bool:
        return bool(self.source or self.url or self.author or self.date)


@dataclass(slots=True)
class Figure:
    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(slots=True)
class Spoiler:
    title: str = ""
    children: list[Node] = field(default_factory=list)


Node = (
    Text
    | Break
    | Inline
    | Link
    | Image
    | CodeSpan
    | Para
    | Block
    | CodeBlock
    | Quote
    | Figure
    | Spoiler
)

_CONTAINERS = (Inline, Link, Para, Block, Quote, Spoiler)


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node in document order (iterative, so deep trees cannot exhaust the stack)."""
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        yield node
        if isinstance(node, _CONTAINERS):
            stack.append(iter(node.children))


def inline_text(nodes: list[Node]) -> str:
    """Plain text of inline nodes (breaks become newlines)."""
    out: list[str] = []
    for node in walk(nodes):
        if isinstance(node, Text):
            out.append(node.value)
        elif isinstance(node, CodeSpan):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append("\n")
        elif isinstance(node, Image):
            out.append(node.alt)
    return "".join(out)
