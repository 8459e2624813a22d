"""Markdown -> the intermediate tree (nodes.py).

CommonMark by markdown-it-py with `html=False` (raw HTML is shown as text), plus linkify,
strikethrough and tables.

The bracket blocks of forum posts, `[quote…]…[/quote]` and `[spoiler]…[/spoiler]` (inner
content is Markdown; a close only ends a block of its own kind), and a whole-line
`[img caption=… credit=…]url[/img]` figure, are found by a *safe pre-split*, not by
a markdown-it block rule: one linear scan over the lines that skips fenced code, recognises an
opening `[quote…]` only at the start of a line (or right after a `[/quote]`), and a closing
`[/quote]` anywhere outside inline code spans. The text between bracket blocks is parsed by
markdown-it, each quote's content recursively. A stack scan matches every close in linear
time whatever the input (a block rule would rescan to find each close: quadratic on
thousands of unclosed quotes). Unclosed quotes stay literal text; quotes deeper than
MAX_QUOTE_DEPTH are flattened into their parent. Limitation: bracket blocks are not
recognised inside Markdown lists or `>` blockquotes; reference definitions apply to the
text that follows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .nodes import (
    Block,
    Break,
    CodeBlock,
    CodeSpan,
    Figure,
    Image,
    Inline,
    Link,
    Node,
    Para,
    Quote,
    Spoiler,
    Text,
    inline_text,
)
from .tags import TagHead, parse_head, quote_fields
from .urls import normalize_user_url, safe_image_src

MAX_QUOTE_DEPTH = 5
# markdown-it stops parsing (dropping the rest) past this many nested block/inline levels;
# CommonMark's preset has 20 (only ~9 nested list levels); 30 keeps every depth bounded.
MAX_NESTING = 30

_MD = MarkdownIt(
    "commonmark",
    {"html": False, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING},
).enable(["linkify", "strikethrough", "table"])

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_IMG_REST_RE = re.compile(r"([^\[\]\n]*)\[/img\][ \t]*\n?$", re.IGNORECASE)
# Block closes understood in Markdown posts: quotes and spoilers (as in BBCode).
_CLOSE_RE = re.compile(r"\[/(quote|spoiler)\]")
_BLOCKS = ("quote", "spoiler")
_ALIGN_RE = re.compile(r"text-align:\s*(left|center|right)")


@dataclass(eq=False, slots=True)
class _Literal:
    raw: str
    dropped: bool = False


@dataclass(eq=False, slots=True)
class _Seg:
    head: TagHead | None
    raw: str = ""
    parts: list[Any] = field(default_factory=list)  # str | _Literal | _Seg | Node
    flat: bool = False
    target: _Seg | None = None
    literal: _Literal | None = None


def parse_markdown(src: str) -> list[Node]:
    """Parse Markdown (with bracket quote/figure blocks) into block nodes."""
    root = _Splitter().split(src)
    return _convert(root.parts, {})


class _Splitter:
    def __init__(self) -> None:
        self.root = _Seg(None)
        self.root.target = self.root
        self.stack: list[_Seg] = [self.root]
        self.depth = 0

    @property
    def target(self) -> _Seg:
        t = self.stack[-1].target
        assert t is not None
        return t

    def split(self, src: str) -> _Seg:
        fence: tuple[str, int] | None = None
        for line in src.splitlines(keepends=True):
            if fence is not None:
                self.target.parts.append(line)
                stripped = line.strip()
                if (
                    len(line) - len(line.lstrip(" ")) <= 3
                    and stripped.startswith(fence[0] * fence[1])
                    and not stripped.strip(fence[0])
                ):
                    fence = None
                continue
            fm = _FENCE_RE.match(line)
            if fm and not (fm.group(1)[0] == "`" and "`" in fm.group(2)):
                fence = (fm.group(1)[0], len(fm.group(1)))
                self.target.parts.append(line)
                continue
            figure = _figure_line(line)
            if figure is not None:
                self.target.parts.append(figure)
                continue
            self._line(line)
        while len(self.stack) > 1:
            seg = self.stack.pop()
            if not seg.flat:
                self.depth -= 1
                self.target.parts.append(_Literal(seg.raw))
                self.target.parts.extend(seg.parts)
        return self.root

    def _line(self, line: str) -> None:
        lower = line.lower()
        spans = [m.span() for m in _CODE_SPAN_RE.finditer(line)] if "`" in line else []
        pos = 0
        at_start = True
        indent_limit = 3
        while True:
            if at_start:
                j = pos
                while j < len(line) and line[j] in " \t" and j - pos < indent_limit:
                    j += 1
                if lower.startswith("[quote", j) or lower.startswith("[spoiler", j):
                    head = parse_head(line, j)
                    if head is not None and head.name in _BLOCKS:
                        self._open(head, line[j : head.end])
                        pos = head.end
                        indent_limit = 1000
                        continue
            at_start = False
            m = _CLOSE_RE.search(lower, pos)
            while m is not None and any(a <= m.start() < b for a, b in spans):
                m = _CLOSE_RE.search(lower, m.start() + 1)
            if m is None:
                self.target.parts.append(line[pos:])
                return
            k, end = m.start(), m.end()
            top = self.stack[-1].head
            if len(self.stack) == 1 or top is None or top.name != m.group(1):
                # nothing of this kind to close: literal text
                self.target.parts.append(line[pos:end])
                pos = end
                continue
            self.target.parts.append(line[pos:k])
            self._close()
            pos = end
            at_start = True
            indent_limit = 1000

    def _open(self, head: TagHead, raw: str) -> None:
        if self.depth >= MAX_QUOTE_DEPTH:
            literal = _Literal(raw)
            target = self.target
            target.parts.append(literal)
            self.stack.append(_Seg(head, raw, flat=True, target=target, literal=literal))
            return
        seg = _Seg(head, raw)
        seg.target = seg
        self.depth += 1
        self.stack.append(seg)

    def _close(self) -> None:
        seg = self.stack.pop()
        if seg.flat:
            assert seg.literal is not None
            seg.literal.dropped = True
            return
        self.depth -= 1
        self.target.parts.append(seg)


def _figure_line(line: str) -> Node | None:
    j = len(line) - len(line.lstrip(" "))
    if j > 3 or not line.lower().startswith("[img", j):
        return None
    head = parse_head(line, j)
    if head is None or head.name != "img":
        return None
    m = _IMG_REST_RE.match(line, head.end)
    if m is None:
        return None
    url = normalize_user_url(m.group(1))
    src = safe_image_src(url) if url else None
    if src is None:
        return None
    alt = head.attrs.get("alt", "")
    caption, credit = head.attrs.get("caption", ""), head.attrs.get("credit", "")
    if caption.strip() or credit.strip():
        return Figure(src, alt, caption, credit)
    return Para([Image(src, alt)])


def _convert(parts: list[Any], env: dict[str, Any]) -> list[Node]:
    out: list[Node] = []
    buf: list[str] = []

    def flush() -> None:
        text = "".join(buf)
        buf.clear()
        if text.strip():
            out.extend(_blocks(_MD.parse(text, env)))

    for part in parts:
        if isinstance(part, str):
            buf.append(part)
        elif isinstance(part, _Literal):
            if not part.dropped:
                buf.append(part.raw)
        elif isinstance(part, _Seg):
            flush()
            assert part.head is not None
            children = _convert(part.parts, env)
            if part.head.name == "spoiler":
                out.append(Spoiler(part.head.option or "", children))
            else:
                out.append(Quote(children, **quote_fields(part.head)))  # type: ignore[arg-type]
        else:
            flush()
            out.append(part)
    flush()
    return out


# --- markdown-it tokens -> nodes --------------------------------------------------------------


def _open_block(tok: Token) -> Node:
    if tok.type == "paragraph_open":
        return Para(tight=tok.hidden)
    if tok.type == "ordered_list_open":
        start = tok.attrGet("start")
        return Block("ol", start=int(start) if isinstance(start, int | str) else None)
    if tok.tag in ("th", "td"):
        m = _ALIGN_RE.search(str(tok.attrGet("style") or ""))
        return Block(tok.tag, css_class=f"align-{m.group(1)}" if m else "")
    if tok.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "li", "table"):
        return Block(tok.tag)
    if tok.tag in ("thead", "tbody", "tr"):
        return Block(tok.tag)
    return Block("div")


def _blocks(tokens: list[Token]) -> list[Node]:
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    for tok in tokens:
        if tok.nesting == 1:
            node = _open_block(tok)
            stack[-1].append(node)
            stack.append(node.children)  # type: ignore[union-attr]
        elif tok.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        elif tok.type == "inline":
            stack[-1].extend(_inline(tok.children or []))
        elif tok.type in ("fence", "code_block"):
            stack[-1].append(CodeBlock(tok.content.removesuffix("\n")))
        elif tok.type == "hr":
            stack[-1].append(Block("hr"))
        elif tok.content:
            stack[-1].append(Para([Text(tok.content)]))
    return root


def _append(target: list[Node], node: Node) -> None:
    if isinstance(node, Text) and target and isinstance(target[-1], Text):
        target[-1] = Text(target[-1].value + node.value)
    else:
        target.append(node)


def _inline(tokens: list[Token]) -> list[Node]:
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    for tok in tokens:
        if tok.nesting == 1:
            node: Inline | Link
            if tok.type == "link_open":
                node = Link(
                    str(tok.attrGet("href") or ""),
                    title=str(tok.attrGet("title") or ""),
                    bare=tok.markup in ("linkify", "autolink"),
                )
            else:
                node = Inline(tok.tag if tok.tag in ("strong", "em", "s") else "")
            stack[-1].append(node)
            stack.append(node.children)
        elif tok.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        elif tok.type == "softbreak":
            stack[-1].append(Break(hard=False))
        elif tok.type == "hardbreak":
            stack[-1].append(Break(hard=True))
        elif tok.type == "code_inline":
            stack[-1].append(CodeSpan(tok.content))
        elif tok.type == "image":
            alt = inline_text(_inline(tok.children or []))
            stack[-1].append(
                Image(str(tok.attrGet("src") or ""), alt, str(tok.attrGet("title") or ""))
            )
        elif tok.content:
            _append(stack[-1], Text(tok.content))
    return root
