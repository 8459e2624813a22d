"""cook(): a post's source -> sanitized HTML, plain text, links, mentions and quoted posts."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from .bbcode import parse_bbcode
from .datatypes import RENDER_VERSION, AttachmentRef, Cooked, Format, LinkPreview
from .markdown import parse_markdown
from .nodes import Break, Link, Node, Para, Quote, inline_text, walk
from .pastes import find_pasted_paragraphs
from .plaintext import html_to_text
from .previews import find_preview
from .render import Renderer
from .sanitize import sanitize_html
from .urls import safe_href

# The caller caps posts at 50,000 characters; this is only a defensive backstop.
MAX_SOURCE_CHARS = 200_000

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

MentionResolver = Callable[[Collection[str]], Mapping[str, str]]


def _default_post_url(pid: int) -> str:
    return f"/posts/{pid}/"


def clean_source(source: str) -> str:
    """Normalise newlines, drop NUL and other C0 controls (except \\n and \\t), cap length."""
    text = source[: MAX_SOURCE_CHARS * 2].replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    text = _SURROGATE_RE.sub("\ufffd", text)
    return text[:MAX_SOURCE_CHARS]


def parse(source: str, fmt: Format | str) -> list[Node]:
    """The intermediate tree of a (cleaned) source."""
    fmt = Format(str(fmt).lower())
    return parse_bbcode(source) if fmt is Format.BBCODE else parse_markdown(source)


def cook(
    source: str,
    fmt: Format | str,
    *,
    resolve_mentions: MentionResolver | None = None,
    post_url: Callable[[int], str] = _default_post_url,
    previews: Mapping[str, LinkPreview] | None = None,
    images: Mapping[str, str] | None = None,
    proxy_images: bool = False,
    attachments: Mapping[int, AttachmentRef] | None = None,
) -> Cooked:
    """Cook a post. Raises ValueError for an unknown format; never for any source text.

    With `proxy_images`, remote images are never hot-linked: one with a local copy in
    `images` (remote URL -> local URL) shows that copy, any other shows as a link with its
    alt text; `Cooked.images` lists the remote URLs for the proxy to fetch.

    `attachments` are the uploads this post may show: `[attach=ID]` of one of them places
    it inline, the others are listed at the end, in id order (so the output is stable).

    `resolve_mentions` is called at most once, with every distinct @name candidate (one
    spelling per case-insensitive name); names it maps to a URL are linked.
    """
    previews = previews or {}
    nodes = parse(clean_source(source), fmt)
    if previews:
        nodes = quote_pasted_paragraphs(nodes, previews)
    renderer = Renderer(
        post_url=post_url,
        previews=previews,
        images=images,
        proxy_images=proxy_images,
        attachments=attachments,
    )
    html = renderer.render(nodes) + renderer.attachment_list()
    resolved: Mapping[str, str] = {}
    if renderer.candidates and resolve_mentions is not None:
        resolved = resolve_mentions(tuple(renderer.candidates)) or {}
    html, mentions = renderer.resolve(html, resolved)
    html = sanitize_html(html)
    return Cooked(
        html=html,
        text=html_to_text(html),
        links=tuple(renderer.links),
        mentions=mentions,
        quoted_post_ids=tuple(renderer.quoted_post_ids),
        render_version=RENDER_VERSION,
        images=tuple(renderer.images),
        placed_attachments=tuple(renderer.placed),
    )


# --- article-paste detection -------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    para: int  # index of the source paragraph
    nodes: list[Node]
    brk: Break | None = None  # the line break before it in its paragraph
    preview: LinkPreview | None = None


def _linked_articles(nodes: list[Node], previews: Mapping[str, LinkPreview]) -> list[LinkPreview]:
    found: list[LinkPreview] = []
    for node in walk(nodes):
        if isinstance(node, Link):
            href = safe_href(node.href)
            p = find_preview(previews, href or "", inline_text(node.children))
            if p is not None and p.article_text.strip() and p not in found:
                found.append(p)
    return found


def _units(para: Para, index: int) -> list[_Unit]:
    """A top-level paragraph split into its source lines (pasted paragraphs are often
    separated by single newlines, and the member's own line may follow the same way)."""
    units = [_Unit(index, [])]
    for node in para.children:
        if isinstance(node, Break):
            units.append(_Unit(index, [], node))
        else:
            units[-1].nodes.append(node)
    return [u for u in units if inline_text(u.nodes).strip()]


def quote_pasted_paragraphs(nodes: list[Node], previews: Mapping[str, LinkPreview]) -> list[Node]:
    """Wrap runs of top-level paragraphs pasted from a linked article in an article quote."""
    articles = _linked_articles(nodes, previews)
    if not articles:
        return nodes
    entries: list[_Unit | Node] = []
    units: list[_Unit] = []
    for i, node in enumerate(nodes):
        if isinstance(node, Para):
            for unit in _units(node, i):
                entries.append(unit)
                units.append(unit)
        else:
            entries.append(node)
    texts = [inline_text(u.nodes) for u in units]
    for article in articles:
        for unit, pasted in zip(
            units, find_pasted_paragraphs(texts, article.article_text), strict=True
        ):
            if pasted and unit.preview is None:
                unit.preview = article
    if not any(u.preview for u in units):
        return nodes

    out: list[Node] = []
    run: list[_Unit] = []

    def paras(group: list[_Unit]) -> list[Node]:
        result: list[Para] = []
        last = -1
        for u in group:
            if u.para != last:
                result.append(Para([]))
                last = u.para
            elif result[-1].children:
                result[-1].children.append(u.brk or Break(hard=True))
            result[-1].children.extend(u.nodes)
        return list(result)

    def flush_run() -> None:
        if run:
            p = run[0].preview
            assert p is not None
            out.append(
                Quote(
                    paras(run),
                    source=p.site_name,
                    url=p.canonical_url or p.url,
                    author=p.author,
                    date=p.published,
                    pasted=True,
                )
            )
            run.clear()

    pending: list[_Unit] = []  # own words, to be regrouped into their paragraphs
    for entry in entries:
        if isinstance(entry, _Unit) and entry.preview is not None:
            if pending:
                out.extend(paras(pending))
                pending.clear()
            if run and run[0].preview is not entry.preview:
                flush_run()
            run.append(entry)
            continue
        flush_run()
        if isinstance(entry, _Unit):
            pending.append(entry)
        else:
            if pending:
                out.extend(paras(pending))
                pending.clear()
            out.append(entry)
    flush_run()
    if pending:
        out.extend(paras(pending))
    return out
