"""BBCode -> the intermediate tree (nodes.py).

Why hand-written, not PyPI `bbcode` 1.1.0: that package renders straight to HTML strings
through per-tag formatter callbacks, so it gives no tree to build quotes, figures, link cards
and paste detection on, and its recovery from mis-nesting is not ours to control; a small
tokenizer plus a stack-based tree builder gives exact nesting rules, bounded depth and
"anything not well-formed is shown as text" in about three hundred lines.

Model: `quote`, `list` and `spoiler` are block containers (frames); `b i u s color size` and
`[url=…]` are marks that may overlap freely (`[b][i][/b][/i]` works); `code`, `img` and
`[url]…[/url]` are raw (no tags parsed inside). An open tag without its close, a close without
its open, and unknown tags stay literal text. Quotes deeper than MAX_QUOTE_DEPTH (and any
container deeper than MAX_BLOCK_DEPTH) are flattened into their parent. Everything is
iterative or bounded, so no input can exhaust the stack, and the work is linear in the input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Union

from linkify_it import LinkifyIt

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
)
from .tags import TagHead, parse_head, quote_fields
from .urls import css_color, css_font_size, normalize_user_url, safe_href, safe_image_src

MAX_QUOTE_DEPTH = 5
MAX_BLOCK_DEPTH = 12
MAX_OPEN_MARKS = 12

MARK_TAGS = {"b": "strong", "i": "em", "u": "u", "s": "s", "color": "span", "size": "span"}
BLOCK_TAGS = {"quote", "list", "spoiler"}
CLOSABLE = set(MARK_TAGS) | BLOCK_TAGS | {"url"}

_LINKIFY = LinkifyIt()


@dataclass(eq=False, slots=True)
class _Mark:
    raw: str
    kind: str  # strong/em/u/s/span/link, or "" for a tag whose value was rejected
    style: str = ""
    href: str = ""
    closed: bool = False


@dataclass(eq=False, slots=True)
class _MarkStart:
    mark: _Mark


@dataclass(eq=False, slots=True)
class _MarkEnd:
    mark: _Mark


@dataclass(eq=False, slots=True)
class _Literal:
    raw: str
    dropped: bool = False


@dataclass(eq=False, slots=True)
class _ItemSep:
    raw: str


@dataclass(eq=False, slots=True)
class _Code:
    text: str


@dataclass(eq=False, slots=True)
class _Img:
    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(eq=False, slots=True)
class _Url:
    href: str
    text: str


_Item = Union[str, _MarkStart, _MarkEnd, _Literal, _ItemSep, _Code, _Img, _Url, "_Frame"]


@dataclass(eq=False, slots=True)
class _Frame:
    kind: str  # root, quote, list, spoiler
    raw: str = ""
    head: TagHead | None = None
    items: list[_Item] = field(default_factory=list)
    marks: dict[str, list[_Mark | None]] = field(default_factory=dict)
    open_marks: int = 0
    flat: bool = False
    target: _Frame | None = None  # the real frame that receives items (itself if real)
    literal: _Literal | None = None


# --- tokens -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    kind: str  # open, close, item, raw
    name: str
    raw: str
    end: int
    head: TagHead | None = None
    item: _Item | None = None


def parse_bbcode(src: str) -> list[Node]:
    """Parse BBCode into block nodes."""
    parser = _Parser(src)
    parser.run()
    return _blockify(parser.root.items)


class _Parser:
    def __init__(self, src: str) -> None:
        self.s = src
        self.lower = src.lower()
        self.root = _Frame("root")
        self.root.target = self.root
        self.stack: list[_Frame] = [self.root]
        self.open_count: Counter[str] = Counter()
        self.quote_depth = 0
        self.real_depth = 0
        self.no_code_close_after = len(src) + 1

    @property
    def target(self) -> _Frame:
        t = self.stack[-1].target
        assert t is not None
        return t

    def run(self) -> None:
        s = self.s
        pos = text_start = 0
        while (i := s.find("[", pos)) >= 0:
            tok = self._scan(i)
            if tok is None:
                pos = i + 1
                continue
            if i > text_start:
                self.target.items.append(s[text_start:i])
            self._handle(tok)
            pos = text_start = tok.end
        if text_start < len(s):
            self.target.items.append(s[text_start:])
        while len(self.stack) > 1:
            self._unwind(self._pop())

    # -- scanning --

    def _scan(self, i: int) -> _Tok | None:
        s = self.s
        if s.startswith("[/", i):
            j = s.find("]", i + 2, i + 12)
            name = self.lower[i + 2 : j] if j > 0 else ""
            if name in CLOSABLE:
                return _Tok("close", name, s[i : j + 1], j + 1)
            return None
        if s.startswith("[*]", i):
            return _Tok("item", "*", "[*]", i + 3)
        head = parse_head(s, i)
        if head is None:
            return None
        name, raw = head.name, s[i : head.end]
        if name in MARK_TAGS or name in BLOCK_TAGS or (name == "url" and head.option is not None):
            return _Tok("open", name, raw, head.end, head)
        if name in ("code", "img", "url"):
            close = self._find_close(name, head.end)
            if close < 0:
                return None
            content = s[head.end : close]
            end = close + len(name) + 3
            item = self._raw_item(name, head, content)
            return None if item is None else _Tok("raw", name, s[i:end], end, head, item)
        return None

    def _find_close(self, name: str, start: int) -> int:
        """Where `[/name]` is, for raw tags; -1 if absent. Linear over many unclosed opens."""
        closer = f"[/{name}]"
        if name != "code":  # img/url content has no "[": the next "[" must be the close
            k = self.s.find("[", start)
            return k if k >= 0 and self.lower.startswith(closer, k) else -1
        if start >= self.no_code_close_after:
            return -1
        k = self.lower.find(closer, start)
        if k < 0:
            self.no_code_close_after = start
        return k

    def _raw_item(self, name: str, head: TagHead, content: str) -> _Item | None:
        if name == "code":
            return _Code(content.removeprefix("\n").removesuffix("\n"))
        if "\n" in content.strip():
            return None
        if name == "url":
            href = normalize_user_url(content)
            return None if href is None else _Url(href, content.strip())
        src = normalize_user_url(content)
        src = safe_image_src(src) if src else None
        if src is None:
            return None
        return _Img(
            src,
            alt=head.attrs.get("alt", ""),
            caption=head.attrs.get("caption", ""),
            credit=head.attrs.get("credit", ""),
        )

    # -- building --

    def _handle(self, tok: _Tok) -> None:
        if tok.kind == "raw":
            assert tok.item is not None
            self.target.items.append(tok.item)
        elif tok.kind == "item":
            top = self.stack[-1]
            if top.kind == "list" and not top.flat:
                top.items.append(_ItemSep(tok.raw))
            else:
                self.target.items.append(tok.raw)
        elif tok.kind == "open" and tok.name in BLOCK_TAGS:
            self._open_block(tok)
        elif tok.kind == "open":
            self._open_mark(tok)
        elif tok.name in BLOCK_TAGS:
            self._close_block(tok)
        else:
            self._close_mark(tok)

    def _open_mark(self, tok: _Tok) -> None:
        frame = self.target
        pending = frame.marks.setdefault(tok.name, [])
        if frame.open_marks >= MAX_OPEN_MARKS:
            pending.append(None)
            frame.items.append(tok.raw)
            return
        mark = _make_mark(tok)
        pending.append(mark)
        frame.open_marks += 1
        frame.items.append(_MarkStart(mark))

    def _close_mark(self, tok: _Tok) -> None:
        frame = self.target
        pending = frame.marks.get(tok.name)
        mark = pending.pop() if pending else None
        if mark is None:
            frame.items.append(tok.raw)
            return
        mark.closed = True
        frame.open_marks -= 1
        frame.items.append(_MarkEnd(mark))

    def _open_block(self, tok: _Tok) -> None:
        too_deep = self.real_depth >= MAX_BLOCK_DEPTH or (
            tok.name == "quote" and self.quote_depth >= MAX_QUOTE_DEPTH
        )
        if too_deep:
            literal = _Literal(tok.raw)
            target = self.target
            target.items.append(literal)
            frame = _Frame(tok.name, tok.raw, tok.head, flat=True, target=target, literal=literal)
        else:
            frame = _Frame(tok.name, tok.raw, tok.head)
            frame.target = frame
            self.real_depth += 1
            self.quote_depth += tok.name == "quote"
        self.open_count[tok.name] += 1
        self.stack.append(frame)

    def _pop(self) -> _Frame:
        frame = self.stack.pop()
        self.open_count[frame.kind] -= 1
        if not frame.flat:
            self.real_depth -= 1
            self.quote_depth -= frame.kind == "quote"
        return frame

    def _unwind(self, frame: _Frame) -> None:
        """An unclosed container: its open tag becomes text, its content joins the parent."""
        if frame.flat:
            return  # its literal is already in place
        parent = self.target
        parent.items.append(frame.raw)
        parent.items.extend(x.raw if isinstance(x, _ItemSep) else x for x in frame.items)

    def _close_block(self, tok: _Tok) -> None:
        if self.open_count[tok.name] <= 0:
            self.target.items.append(tok.raw)
            return
        while True:
            frame = self._pop()
            if frame.kind == tok.name:
                break
            self._unwind(frame)
        if frame.flat:
            assert frame.literal is not None
            frame.literal.dropped = True
        else:
            self.target.items.append(frame)


def _make_mark(tok: _Tok) -> _Mark:
    option = (tok.head.option if tok.head else None) or ""
    if tok.name == "url":
        href = normalize_user_url(option)
        return _Mark(tok.raw, "link", href=href) if href else _Mark(tok.raw, "")
    if tok.name == "color":
        color = css_color(option)
        return _Mark(tok.raw, "span", style=f"color: {color}") if color else _Mark(tok.raw, "")
    if tok.name == "size":
        size = css_font_size(option)
        return _Mark(tok.raw, "span", style=f"font-size: {size}") if size else _Mark(tok.raw, "")
    return _Mark(tok.raw, MARK_TAGS[tok.name])


# --- items -> nodes ---------------------------------------------------------------------------

_Run = tuple[Node, tuple[_Mark, ...]]


def _autolink(text: str) -> list[Node]:
    if not _LINKIFY.test(text):
        return [Text(text)]
    out: list[Node] = []
    last = 0
    for m in _LINKIFY.match(text) or []:
        href = safe_href(m.url)
        if href is None:
            continue
        if m.index > last:
            out.append(Text(text[last : m.index]))
        out.append(Link(href, [Text(m.text)], bare=True))
        last = m.last_index
    if last < len(text):
        out.append(Text(text[last:]))
    return out


def _blank(line: list[_Run]) -> bool:
    return all(isinstance(n, Text) and not n.value.strip() for n, _ in line)


def _blockify(items: list[_Item], tight: bool = False) -> list[Node]:
    blocks: list[Node] = []
    lines: list[list[_Run]] = [[]]
    active: list[_Mark] = []

    def flush() -> None:
        group: list[list[_Run]] = []
        for line in [*lines, []]:
            if not _blank(line):
                group.append(line)
            elif group:
                children: list[Node] = []
                for k, g in enumerate(group):
                    if k:
                        children.append(Break(hard=True))
                    children.extend(_build_inline(g))
                blocks.append(Para(children, tight=tight))
                group = []
        lines.clear()
        lines.append([])

    def add(node: Node) -> None:
        lines[-1].append((node, tuple(active)))

    def add_text(text: str) -> None:
        linked = any(m.kind == "link" for m in active)
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append([])
            if part:
                for node in [Text(part)] if linked else _autolink(part):
                    add(node)

    for item in items:
        if isinstance(item, str):
            add_text(item)
        elif isinstance(item, _MarkStart):
            if item.mark.closed:
                active.append(item.mark)
            else:
                add_text(item.mark.raw)
        elif isinstance(item, _MarkEnd):
            if item.mark in active:
                active.remove(item.mark)
        elif isinstance(item, _Literal):
            if not item.dropped:
                add_text(item.raw)
        elif isinstance(item, _ItemSep):
            add_text(item.raw)
        elif isinstance(item, _Code):
            if "\n" in item.text:
                flush()
                blocks.append(CodeBlock(item.text))
            else:
                add(CodeSpan(item.text))
        elif isinstance(item, _Img):
            if item.caption.strip() or item.credit.strip():
                flush()
                blocks.append(Figure(item.src, item.alt, item.caption, item.credit))
            else:
                add(Image(item.src, item.alt))
        elif isinstance(item, _Url):
            if any(m.kind == "link" for m in active):
                add(Text(item.text))
            else:
                add(Link(item.href, [Text(item.text)], bare=True))
        else:
            flush()
            blocks.append(_frame_node(item))
    flush()
    return blocks


def _frame_node(frame: _Frame) -> Node:
    head = frame.head
    if frame.kind == "quote":
        assert head is not None
        return Quote(_blockify(frame.items), **quote_fields(head))  # type: ignore[arg-type]
    if frame.kind == "spoiler":
        return Spoiler((head.option or "") if head else "", _blockify(frame.items))
    segments: list[list[_Item]] = [[]]
    for item in frame.items:
        if isinstance(item, _ItemSep):
            segments.append([])
        else:
            segments[-1].append(item)
    if all(isinstance(x, str) and not x.strip() for x in segments[0]):
        segments.pop(0)
    option = ((head.option if head else None) or "").strip()
    tag, start = "ul", None
    if option.isascii() and option.isdigit():  # "²".isdigit() is true; int() refuses it
        tag, start = "ol", min(int(option[:9]), 10**9)
    elif option in ("a", "A", "i", "I"):
        tag = "ol"
    return Block(tag, [Block("li", _blockify(seg, tight=True)) for seg in segments], start=start)


def _build_inline(line: list[_Run]) -> list[Node]:
    """Rebuild nesting from runs of (node, marks open around it), splitting marks as needed."""
    root: list[Node] = []
    stack: list[tuple[_Mark, list[Node], bool]] = []  # mark, its children list, inside a link
    for node, marks in line:
        i = 0
        while i < len(stack) and i < len(marks) and stack[i][0] is marks[i]:
            i += 1
        del stack[i:]
        for mark in marks[i:]:
            parent = stack[-1][1] if stack else root
            in_link = stack[-1][2] if stack else False
            el: Inline | Link | None = None
            if mark.kind == "link" and not in_link:
                el = Link(mark.href)
            elif mark.kind in ("strong", "em", "u", "s"):
                el = Inline(mark.kind)
            elif mark.kind == "span":
                el = Inline("span", style=mark.style)
            if el is None:
                stack.append((mark, parent, in_link))
            else:
                parent.append(el)
                stack.append((mark, el.children, in_link or isinstance(el, Link)))
        target = stack[-1][1] if stack else root
        if isinstance(node, Text) and target and isinstance(target[-1], Text):
            target[-1] = Text(target[-1].value + node.value)
        else:
            target.append(node)
    return root
