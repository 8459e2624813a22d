"""The one renderer: intermediate tree (nodes.py) -> HTML, for both formats.

It escapes all text, checks every URL again, turns @names into placeholders to be resolved
in one call (cook.py), collects links and quoted post ids, and renders quotes, figures and
link cards. Its output still goes through the sanitizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import urlsplit

from .datatypes import AttachmentRef, LinkPreview, LinkRef
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
from .previews import clean_field, date_html, find_preview, preview_title, render_card
from .urls import is_external, normalize_user_url, safe_href, safe_image_src

MAX_USERNAME = 30
_MENTION_RE = re.compile(r"(?<![\w@./+\-])@([A-Za-z0-9_.\-]+)")
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")
_INLINE_TAGS = {"strong", "em", "u", "s", "del"}
# Both formats: an attachment placed inline (docs/attachments.md).
_ATTACH_RE = re.compile(r"\[attach=(\d{1,12})\]", re.IGNORECASE)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _split_lines(children: list[Node]) -> list[tuple[Break | None, list[Node]]]:
    lines: list[tuple[Break | None, list[Node]]] = [(None, [])]
    for node in children:
        if isinstance(node, Break):
            lines.append((node, []))
        else:
            lines[-1][1].append(node)
    return lines


def _is_blank(node: Node) -> bool:
    return isinstance(node, Text) and not node.value.strip()


def alone_link(line: list[Node]) -> Link | None:
    """The bare link that is the only thing on this line (formatting around it allowed)."""
    nodes = line
    while True:
        meaningful = [n for n in nodes if not _is_blank(n)]
        if len(meaningful) != 1:
            return None
        node = meaningful[0]
        if isinstance(node, Link):
            return node if node.bare else None
        if not isinstance(node, Inline):
            return None
        nodes = node.children


class Renderer:
    def __init__(
        self,
        *,
        post_url: Callable[[int], str],
        previews: Mapping[str, LinkPreview],
        images: Mapping[str, str] | None = None,
        proxy_images: bool = False,
        attachments: Mapping[int, AttachmentRef] | None = None,
    ) -> None:
        self.post_url = post_url
        self.attachments = attachments or {}
        self.placed: list[int] = []
        self.previews = previews
        # Remote image URL -> the local copy the image proxy keeps. With `proxy_images`, a
        # remote image is never hot-linked: its local copy, or a link until there is one.
        self.image_copies = images or {}
        self.proxy_images = proxy_images
        self.images: list[str] = []
        self.links: list[LinkRef] = []
        self.quoted_post_ids: list[int] = []
        self.candidates: list[str] = []  # one spelling per case-folded name, in order
        self.occurrences: list[str] = []  # every @name as written, by placeholder index
        self._folded: set[str] = set()
        self._alone: set[int] = set()

    # --- entry points -----------------------------------------------------------------------

    def render(self, nodes: list[Node]) -> str:
        return self._nodes(nodes)

    def resolve(self, html: str, resolved: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """Replace mention placeholders: linked where `resolved` has a URL, else plain text."""
        by_fold: dict[str, str] = {}
        for name, url in resolved.items():
            href = safe_href(str(url)) if url else None
            if href is not None:
                by_fold.setdefault(str(name).casefold(), href)
        linked: dict[str, str] = {}

        def repl(m: re.Match[str]) -> str:
            name = self.occurrences[int(m.group(1))]
            href = by_fold.get(name.casefold())
            if href is None:
                return escape("@" + name)
            linked.setdefault(name.casefold(), name)
            return f'<a class="mention" href="{_attr(href)}">@{escape(name)}</a>'

        html = _PLACEHOLDER_RE.sub(repl, html)
        order = {c.casefold(): c for c in self.candidates}
        mentions = tuple(order[f] for f in order if f in linked)
        return html, mentions

    # --- dispatch ---------------------------------------------------------------------------

    def _nodes(self, nodes: list[Node], in_link: bool = False) -> str:
        return "".join(self._node(n, in_link) for n in nodes)

    def _node(self, node: Node, in_link: bool = False) -> str:
        if isinstance(node, Text):
            return escape(node.value) if in_link else self._text(node.value)
        if isinstance(node, Break):
            return "<br>\n" if node.hard else "\n"
        if isinstance(node, Inline):
            inner = self._nodes(node.children, in_link)
            if node.tag == "span":
                return f'<span style="{_attr(node.style)}">{inner}</span>' if node.style else inner
            if node.tag in _INLINE_TAGS:
                return f"<{node.tag}>{inner}</{node.tag}>"
            return inner
        if isinstance(node, Link):
            return self._link(node, in_link)
        if isinstance(node, Image):
            return self._image(node, in_link)
        if isinstance(node, CodeSpan):
            return f"<code>{escape(node.text)}</code>"
        if isinstance(node, Para):
            return self._para(node)
        if isinstance(node, Block):
            return self._block(node)
        if isinstance(node, CodeBlock):
            return f"<pre><code>{escape(node.text)}</code></pre>\n"
        if isinstance(node, Quote):
            return self._quote(node)
        if isinstance(node, Figure):
            return self._figure(node)
        if isinstance(node, Spoiler):
            title = escape(clean_field(node.title, 200)) or "Spoiler"
            body = self._nodes(node.children)
            return f'<details class="spoiler"><summary>{title}</summary>{body}</details>\n'
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover

    # --- inline -----------------------------------------------------------------------------

    def _text(self, value: str) -> str:
        if "[" not in value or not self.attachments:
            return self._mentions(value)
        out: list[str] = []
        last = 0
        for m in _ATTACH_RE.finditer(value):
            ref = self.attachments.get(int(m.group(1)))
            if ref is None:  # not one of this post's uploads: left as typed
                continue
            out.append(self._mentions(value[last : m.start()]))
            out.append(self._attachment(ref))
            if ref.id not in self.placed:
                self.placed.append(ref.id)
            last = m.end()
        out.append(self._mentions(value[last:]))
        return "".join(out)

    def _attachment(self, ref: AttachmentRef) -> str:
        name = escape(clean_field(ref.name, 120)) or "attachment"
        if ref.is_image and ref.thumb_url:
            size = ""
            if ref.thumb_width and ref.thumb_height:
                size = f' width="{int(ref.thumb_width)}" height="{int(ref.thumb_height)}"'
            return (
                f'<a class="attachment" href="{_attr(ref.url)}">'
                f'<img src="{_attr(ref.thumb_url)}" alt="{name}"{size} loading="lazy"></a>'
            )
        return (
            f'<a class="attachment-file" href="{_attr(ref.url)}">{name}</a>'
            f' <span class="attachment-size">({_human_size(ref.size)})</span>'
        )

    def attachment_list(self) -> str:
        """The post's attachments that no [attach=ID] placed, in id order."""
        rest = [self.attachments[k] for k in sorted(self.attachments) if k not in self.placed]
        if not rest:
            return ""
        items = "".join(f"<li>{self._attachment(ref)}</li>" for ref in rest)
        return f'<div class="attachments"><h4>Attachments</h4><ul>{items}</ul></div>\n'

    def _mentions(self, value: str) -> str:
        if "@" not in value:
            return escape(value)
        out: list[str] = []
        last = 0
        for m in _MENTION_RE.finditer(value):
            name = m.group(1).rstrip(".-")
            if not 1 <= len(name) <= MAX_USERNAME:
                continue
            out.append(escape(value[last : m.start()]))
            folded = name.casefold()
            if folded not in self._folded:
                self._folded.add(folded)
                self.candidates.append(name)
            out.append(f"\x00{len(self.occurrences)}\x00")
            self.occurrences.append(name)
            last = m.start() + 1 + len(name)
        out.append(escape(value[last:]))
        return "".join(out)

    def _link(self, node: Link, in_link: bool) -> str:
        href = None if in_link else safe_href(node.href)
        if href is None:
            return self._nodes(node.children, in_link)
        if is_external(href):
            self.links.append(LinkRef(href, node.bare, id(node) in self._alone))
        inner = ""
        if node.bare:
            inner = escape(preview_title(find_preview(self.previews, href, _plain(node.children))))
        if not inner:
            inner = self._nodes(node.children, in_link=True)
        title = f' title="{_attr(clean_field(node.title, 300))}"' if node.title else ""
        return f'<a href="{_attr(href)}"{title}>{inner}</a>'

    def _proxied(self, src: str) -> str | None:
        """Where an <img> may load `src` from: itself when local (or not proxying), the
        proxy's local copy of a remote image, or None (no copy yet, or none possible)."""
        if not (self.proxy_images and is_external(src)):
            return src
        if src not in self.images:
            self.images.append(src)
        return self.image_copies.get(src)

    def _image_link(self, src: str, label: str, in_link: bool) -> str:
        """A remote image shown as a link to it (never a blank gap)."""
        text = escape(label or src)
        return text if in_link else f'<a class="image-link" href="{_attr(src)}">{text}</a>'

    def _image(self, node: Image, in_link: bool = False) -> str:
        src = safe_image_src(node.src)
        alt = clean_field(node.alt, 300)
        if src is None:
            return escape(alt)
        local = self._proxied(src)
        if local is None:
            return self._image_link(src, alt, in_link)
        # Never an empty alt: a picture that fails to load still shows what it was, not a
        # blank gap (issue 10).
        alt = alt or _image_label(src)
        title = f' title="{_attr(clean_field(node.title, 300))}"' if node.title else ""
        return f'<img src="{_attr(local)}" alt="{_attr(alt)}"{title} loading="lazy">'

    # --- blocks -----------------------------------------------------------------------------

    def _para(self, para: Para) -> str:
        out: list[str] = []
        current: list[str] = []

        def flush() -> None:
            html = "".join(current).strip()
            current.clear()
            if html.removesuffix("<br>").strip():
                out.append(html if para.tight else f"<p>{html}</p>\n")

        for brk, line in _split_lines(para.children):
            link = alone_link(line)
            if link is not None:
                href = safe_href(link.href)
                preview = find_preview(self.previews, href, _plain(link.children)) if href else None
                if href and is_external(href) and preview is not None and preview_title(preview):
                    flush()
                    self.links.append(LinkRef(href, True, True))
                    out.append(render_card(href, preview) + "\n")
                    continue
                self._alone.add(id(link))
            if current and brk is not None:
                current.append(self._node(brk))
            current.append(self._nodes(line))
        flush()
        return "".join(out)

    def _block(self, node: Block) -> str:
        if node.tag == "hr":
            return "<hr>\n"
        attrs = ""
        if node.start is not None and node.tag == "ol" and node.start != 1:
            attrs += f' start="{int(node.start)}"'
        if node.css_class:
            attrs += f' class="{_attr(node.css_class)}"'
        return f"<{node.tag}{attrs}>{self._nodes(node.children)}</{node.tag}>\n"

    def _quote(self, q: Quote) -> str:
        classes = "quote article-quote" if q.is_article else "quote"
        parts = [f'<blockquote class="{classes}">']
        if q.name or q.post_id is not None:
            label = escape(q.name) if q.name else ""
            if q.post_id is not None:
                if q.post_id not in self.quoted_post_ids:
                    self.quoted_post_ids.append(q.post_id)
                href = safe_href(self.post_url(q.post_id))
                if href is not None:
                    label = f'<a class="quote-link" href="{_attr(href)}">{label or "A post"}</a>'
            header = f"{label} said:" if q.name else label
            parts.append(f'<div class="quote-header">{header}</div>')
        parts.append(f'<div class="quote-body">{self._nodes(q.children)}</div>')
        if q.is_article:
            parts.append(self._citation(q))
        parts.append("</blockquote>\n")
        return "".join(parts)

    def _citation(self, q: Quote) -> str:
        bits: list[str] = []
        source = escape(clean_field(q.source, 200))
        href = normalize_user_url(q.url) if q.url else None
        if href is not None and not is_external(href):
            href = None
        if href is not None and not q.pasted:
            self.links.append(LinkRef(href, False, False))
        if href is not None:
            label = source or escape(_host(href))
            bits.append(f'<cite><a href="{_attr(href)}">{label}</a></cite>')
        elif source:
            bits.append(f"<cite>{source}</cite>")
        if author := escape(clean_field(q.author, 200)):
            bits.append(author)
        if date := date_html(q.date):
            bits.append(date)
        return f"<footer>— {', '.join(bits)}</footer>" if bits else ""

    def _figure(self, fig: Figure) -> str:
        src = safe_image_src(fig.src)
        caption = escape(clean_field(fig.caption, 500))
        credit = escape(clean_field(fig.credit, 300))
        alt = escape(clean_field(fig.alt, 300)) or caption
        if src is None:
            return f"<p>{caption} {credit}</p>\n" if caption or credit else ""
        figcaption = ""
        if caption or credit:
            credit_html = f'<span class="credit">{credit}</span>' if credit else ""
            figcaption = (
                f"<figcaption>{' '.join(x for x in (caption, credit_html) if x)}</figcaption>"
            )
        local = self._proxied(src)
        if local is None:
            label = clean_field(fig.alt, 300) or clean_field(fig.caption, 500)
            return f"<figure>{self._image_link(src, label, False)}{figcaption}</figure>\n"
        return (
            f'<figure><img src="{_attr(local)}" alt="{alt}" loading="lazy">{figcaption}</figure>\n'
        )


def _plain(nodes: list[Node]) -> str:
    return inline_text(nodes)


def _human_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def _image_label(src: str) -> str:
    """A picture's file name from its address, as its alt text when the member gave none."""
    try:
        path = urlsplit(src).path
    except ValueError:
        path = ""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return f"Picture: {clean_field(name, 80)}" if name else "Picture"


def _host(href: str) -> str:
    try:
        host = urlsplit(href).hostname or href
    except ValueError:
        return href
    return host.removeprefix("www.")
