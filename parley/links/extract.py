"""Metadata of a shared article page: pure, bytes or text in, a `PageMeta` out.

    meta = extract_page(result.content, url=result.final_url, content_type=...)

Sources, first non-empty wins: OpenGraph, Twitter cards, JSON-LD (NewsArticle, Article,
ReportageNewsArticle, BlogPosting, ... inside lists and `@graph`), then plain HTML
(`<title>`, `<meta name=description>`, `<meta name=author>`, `<h1>`, the lead `<figure>`).
Where metadata falls short, what the page prints is read by one small module per field:
`bylines`, `sections`, `captions`, `dates`, `headlines` (docs/links.md, "Sharper cards").

Everything on the page is untrusted: values are stripped of tags and control characters,
whitespace is collapsed, lengths are capped, only absolute http(s) URLs are kept, and
garbage, truncated or wrongly-declared HTML never raises. No network access, no ORM.
"""

from __future__ import annotations

import codecs
import copy
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
from lxml import etree

from .bylines import usable_authors, visible_byline
from .captions import lead_caption, split_credit
from .dates import META_DATE_KEYS, normalize_date, printed_date
from .dom import is_chrome
from .headlines import clean_headline
from .sections import breadcrumb_section, kicker_section, trail_section

__all__ = [
    "LIMITS",
    "PageMeta",
    "clean_text",
    "clean_url",
    "decode_html",
    "extract_page",
    "normalize_date",
]

LIMITS = {
    "title": 300,
    "site_name": 200,
    "section": 200,
    "description": 1000,
    "caption": 500,
    "credit": 200,
    "author": 200,
    "article_text": 100_000,
    "url": 2048,
}
_MAX_INPUT_BYTES = 10_000_000
_MAX_JSONLD_CHARS = 1_000_000
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "blogposting",
    "socialmediaposting",
    "report",
    "scholarlyarticle",
    "techarticle",
}


@dataclass(frozen=True)
class PageMeta:
    url: str  # the URL the page was fetched from (used to resolve relative links)
    page_title: str | None  # the page's <title>, often "Headline | Section | Site"
    headline: str | None  # og:title, twitter:title, JSON-LD headline, <h1>, <title>
    site_name: str | None
    section: str | None
    description: str | None
    image_url: str | None  # absolute http(s)
    image_caption: str | None
    image_credit: str | None  # as printed, e.g. "Photograph: Reuters"
    author: str | None  # names joined with ", "
    published: str | None  # ISO 8601: "2014-06-14T16:21:00+00:00", or "2014-06-14"
    canonical_url: str | None  # rel=canonical, then og:url; absolute http(s)
    article_text: str  # main text, paragraphs separated by blank lines; "" if none
    oembed_url: str | None

    @property
    def title(self) -> str | None:
        """The link text for the article: the page title, else the headline."""
        return self.page_title or self.headline


# --- cleaning ---------------------------------------------------------------------------

_SCRIPT_RE = re.compile(r"<(script|style|template)\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S)
_BREAK_TAG_RE = re.compile(r"</?(?:br|p|div|li|h[1-6]|tr|td|blockquote)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<!--.*?(?:-->|$)|</?[a-zA-Z][^>]*(?:>|$)", re.S)
# C0/C1 controls, zero-width and bidirectional-override characters (title spoofing).
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def clean_text(value: Any, limit: int) -> str | None:
    """Plain, single-line text from an untrusted value; None when nothing is left."""
    if not isinstance(value, str):
        return None
    text = value[: limit * 20 + 1000]  # bound the work on absurd values
    text = html.unescape(text)
    text = _SCRIPT_RE.sub(" ", text)
    text = _BREAK_TAG_RE.sub(" ", text)
    text = _TAG_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    text = " ".join(text.split())
    return _truncate(text, limit) or None


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[-40:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "\u2026"


def clean_url(value: Any, base: str = "") -> str | None:
    """An absolute http(s) URL from an untrusted value, resolved against `base`; else None."""
    if not isinstance(value, str):
        return None
    text = _CONTROL_RE.sub("", value).strip()
    if not text or len(text) > LIMITS["url"]:
        return None
    try:
        absolute = urljoin(base, text) if base else text
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    absolute = quote(absolute, safe=":/?#[]@!$&()*+,;=%~-._")
    return absolute if len(absolute) <= LIMITS["url"] else None


# --- decoding ---------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# The HTML standard decodes these labels as windows-1252.
_AS_WINDOWS_1252 = {"ascii", "latin-1", "iso8859-1", "cp1252", "x-user-defined"}


def _charset_from_header(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except (LookupError, ValueError):
        return None
    if name in _AS_WINDOWS_1252 or label.strip().lower() == "x-user-defined":
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None  # a byte stream that declares UTF-16 in ASCII cannot be UTF-16
    return name


def decode_html(data: bytes | str, content_type: str = "") -> str:
    """Text of an HTML document: BOM, then the header charset, then <meta charset>, then
    UTF-8; undecodable bytes become U+FFFD. Never raises."""
    if isinstance(data, str):
        return data
    data = data[:_MAX_INPUT_BYTES]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    codec = _codec(_charset_from_header(content_type))
    if codec is None:
        match = _META_CHARSET_RE.search(data[:4096])
        codec = _codec(match.group(1).decode("ascii", "replace")) if match else None
    try:
        return data.decode(codec or "utf-8", errors="replace")
    except LookupError:  # pragma: no cover - _codec already looked it up
        return data.decode("utf-8", errors="replace")


def _parse(text: str) -> Any:
    text = _XML_DECL_RE.sub("", text[:_MAX_INPUT_BYTES]).replace("\x00", "")
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        huge_tree=False,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return root


# --- the page's own metadata ------------------------------------------------------------


def _attr(el: Any, name: str) -> str:
    value = el.get(name)
    return value if isinstance(value, str) else ""


def _meta_tags(root: Any) -> dict[str, str]:
    """First value of each <meta property|name|itemprop=... content=...>, keys lower-case."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = _attr(el, attr).strip().lower()
            if key and content.strip() and key not in found:
                found[key] = content
    return found


def _links(root: Any, rel: str, type_: str | None = None) -> Iterator[str]:
    for el in root.iter("link"):
        rels = _attr(el, "rel").lower().split()
        if rel in rels and (type_ is None or _attr(el, "type").strip().lower() == type_):
            yield _attr(el, "href")


def _first(*values: str | None) -> str | None:
    for value in values:
        if value:
            return value
    return None


# --- JSON-LD ----------------------------------------------------------------------------


def _json_ld_nodes(root: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if _attr(el, "type").strip().lower() != "application/ld+json":
            continue
        raw = (el.text or "").strip()
        if not raw or len(raw) > _MAX_JSONLD_CHARS:
            continue
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
        try:
            data = json.loads(raw)
        except RecursionError:
            continue
        except ValueError:
            try:  # a common CMS slip: raw newlines/tabs inside strings
                data = json.loads(raw, strict=False)
            except (ValueError, RecursionError):
                continue
        nodes.extend(_flatten(data, depth=0))
    return nodes


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data[:200]:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _flatten(data[key], depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


class _JsonLd:
    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
        self.article = next((n for n in nodes if _types(n) & _ARTICLE_TYPES), None)
        self.page = next((n for n in nodes if "webpage" in _types(n)), None)

    def deref(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.by_id.get(value["@id"], value)
        return value

    def get(self, key: str) -> Any:
        if self.article is None:
            return None
        return self.deref(self.article.get(key))

    def text(self, key: str) -> str | None:
        value = self.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str)), None)
        return value if isinstance(value, str) else None

    def names(self, key: str) -> str | None:
        value = self.get(key)
        items = value if isinstance(value, list) else [value]
        names: list[str] = []
        for item in items[:20]:
            item = self.deref(item)
            name = item.get("name") if isinstance(item, dict) else item
            cleaned = clean_text(name, LIMITS["author"])
            is_url = bool(cleaned) and str(cleaned).lower().startswith(("http://", "https://"))
            if cleaned and not is_url and cleaned not in names:
                names.append(cleaned)
        return ", ".join(names) or None

    def publisher_name(self) -> str | None:
        publisher = self.deref(self.get("publisher"))
        if isinstance(publisher, list):
            publisher = self.deref(publisher[0]) if publisher else None
        return publisher.get("name") if isinstance(publisher, dict) else None

    def image(self) -> tuple[str | None, str | None, str | None]:
        """(url, caption, credit) of the article's first image."""
        value = self.get("image")
        if isinstance(value, list):
            value = value[0] if value else None
        value = self.deref(value)
        if isinstance(value, str):
            return value, None, None
        if not isinstance(value, dict):
            return None, None, None
        url = value.get("url") or value.get("contentUrl")
        caption = value.get("caption") or value.get("description")
        if isinstance(caption, dict):
            caption = caption.get("text") or caption.get("@value")
        credit = value.get("creditText") or value.get("copyrightNotice")
        if credit is None:
            holder = self.deref(value.get("copyrightHolder") or value.get("author"))
            credit = holder.get("name") if isinstance(holder, dict) else holder
        return (
            url if isinstance(url, str) else None,
            caption if isinstance(caption, str) else None,
            credit if isinstance(credit, str) else None,
        )

    def url(self) -> str | None:
        for node in (self.article, self.page):
            if node is None:
                continue
            for key in ("url", "mainEntityOfPage"):
                value = self.deref(node.get(key))
                if isinstance(value, dict):
                    value = value.get("@id") or value.get("url")
                if isinstance(value, str):
                    return value
        return None


# --- main text --------------------------------------------------------------------------

_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "iframe", "svg", "figure", "figcaption", "select", "input", "textarea", "object",
    "embed", "canvas", "video", "audio", "dialog", "menu", "header",
)  # fmt: skip
_BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|newsletter|promo|advert\w*|adsbygoogle"
    r"|ad-(?:slot|unit|container|wrapper|banner)|sponsor\w*"
    r"|subscribe|signup|comments?|cookie\w*|banner|breadcrumbs?|sidebar|outbrain|taboola"
    r"|recirc\w*|most-?popular|trending|paywall|modal|byline|toolbar|tags|meta)(?:$|[\s_-])",
    re.I,
)
_BODY_HINT_RE = re.compile(
    r"(?:article|story|entry|post|content)[-_]*(?:body|content|text)|articlebody|body[-_]?text",
    re.I,
)


def _paragraphs(container: Any) -> list[str]:
    root = copy.deepcopy(container)
    for el in list(root.iter(*_DROP_TAGS)):
        if el is not root:
            el.drop_tree()
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            continue
        if _BOILERPLATE_RE.search(f"{_attr(el, 'class')} {_attr(el, 'id')}"):
            el.drop_tree()
    paragraphs: list[str] = []
    for el in root.iter(*_BLOCK_TAGS):
        if any(a.tag in _BLOCK_TAGS for a in el.iterancestors() if a is not root):
            continue  # counted with its outermost block
        text = " ".join(_CONTROL_RE.sub("", el.text_content()).split())
        if text and (not paragraphs or paragraphs[-1] != text):
            paragraphs.append(text)
    return paragraphs


def _score(paragraphs: Iterable[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _article_text(root: Any) -> str:
    body = root.find("body")
    if body is None:
        body = root
    candidates: list[Any] = []
    candidates.extend(body.xpath(".//*[@itemprop='articleBody']")[:3])
    candidates.extend(
        el
        for el in body.iter("div", "section", "article", "main")
        if _BODY_HINT_RE.search(f"{_attr(el, 'class')} {_attr(el, 'id')}")
    )
    candidates.extend(body.iter("article"))
    candidates.extend(body.xpath(".//main | .//*[@role='main']")[:3])
    best: list[str] = []
    for el in candidates[:12]:
        paragraphs = _paragraphs(el)
        if _score(paragraphs) >= 200:
            best = paragraphs
            break
        if _score(paragraphs) > _score(best):
            best = paragraphs
    if _score(best) < 200:
        # No marked-up article: take the element whose own <p> children hold most text.
        scores: dict[Any, int] = {}
        for p in body.iter("p"):
            parent = p.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0) + len(p.text_content())
        if scores:
            winner = max(scores, key=lambda el: scores[el])
            paragraphs = _paragraphs(winner)
            if _score(paragraphs) > _score(best):
                best = paragraphs
    text = ""
    for paragraph in best:
        addition = f"\n\n{paragraph}" if text else paragraph
        if len(text) + len(addition) > LIMITS["article_text"]:
            room = LIMITS["article_text"] - len(text) - 2
            if room > 100:
                text += "\n\n" + _truncate(paragraph, room)
            break
        text += addition
    return text


# --- the whole page ---------------------------------------------------------------------


def _empty(url: str) -> PageMeta:
    return PageMeta(
        url=url,
        page_title=None,
        headline=None,
        site_name=None,
        section=None,
        description=None,
        image_url=None,
        image_caption=None,
        image_credit=None,
        author=None,
        published=None,
        canonical_url=None,
        article_text="",
        oembed_url=None,
    )


def extract_page(html_doc: str | bytes, *, url: str, content_type: str = "") -> PageMeta:
    """Metadata and main text of an article page. Never raises on bad input."""
    root = _parse(decode_html(html_doc, content_type))
    if root is None:
        return _empty(url)

    base = url
    for el in root.iter("base"):
        href = clean_url(_attr(el, "href"), url)
        if href:
            base = href
        break
    host = (urlsplit(url).hostname or "") if url else ""

    meta = _meta_tags(root)
    nodes = _json_ld_nodes(root)
    ld = _JsonLd(nodes)
    title_el = next((t for t in root.iter("title") if "svg" not in _tags_above(t)), None)
    page_title = clean_text(
        title_el.text_content() if title_el is not None else None, LIMITS["title"]
    )
    h1 = _headline_element(root)
    h1_text = clean_text(h1.text_content(), LIMITS["title"]) if h1 is not None else None

    def text(*keys: str, limit: int) -> str | None:
        return _first(*(clean_text(meta.get(k), limit) for k in keys))

    raw_headline = _first(
        text("og:title", limit=LIMITS["title"]),
        text("twitter:title", limit=LIMITS["title"]),
        clean_text(ld.text("headline") or ld.text("name"), LIMITS["title"]),
        h1_text,
        page_title,
    )
    site_name = _first(
        text("og:site_name", limit=LIMITS["site_name"]),
        clean_text(ld.publisher_name(), LIMITS["site_name"]),
        text("application-name", limit=LIMITS["site_name"]),
    )
    section = _first(
        text("article:section", limit=LIMITS["section"]),
        clean_text(ld.text("articleSection"), LIMITS["section"]),
        text("section", "parsely-section", "article.section", limit=LIMITS["section"]),
    ) or clean_text(_visible_section(root, nodes, h1, raw_headline, url), LIMITS["section"])
    headline = clean_headline(raw_headline, site_name=site_name, host=host, section=section)
    description = _first(
        text("og:description", limit=LIMITS["description"]),
        text("twitter:description", limit=LIMITS["description"]),
        clean_text(ld.text("description"), LIMITS["description"]),
        text("description", limit=LIMITS["description"]),
    )
    ld_image, ld_caption, ld_credit = ld.image()
    if ld_caption and not ld_credit:
        ld_caption, ld_credit = split_credit(ld_caption)
    image_url = _first(
        *(
            clean_url(meta.get(k), base)
            for k in ("og:image:secure_url", "og:image:url", "og:image")
        ),
        clean_url(meta.get("twitter:image"), base),
        clean_url(meta.get("twitter:image:src"), base),
        clean_url(ld_image, base),
    )
    lead_text, lead_credit, lead_src = lead_caption(root, h1, image_url)
    if image_url is None and lead_src:
        image_url = clean_url(lead_src, base)
    image_caption = _first(
        clean_text(lead_text, LIMITS["caption"]),
        clean_text(ld_caption, LIMITS["caption"]),
        text("og:image:alt", "twitter:image:alt", limit=LIMITS["caption"]),
    )
    image_credit = _first(
        clean_text(lead_credit, LIMITS["credit"]), clean_text(ld_credit, LIMITS["credit"])
    )

    og_author = clean_text(meta.get("article:author"), LIMITS["author"])
    if og_author and og_author.lower().startswith(("http://", "https://", "www.")):
        og_author = None
    author = None
    for candidate in (
        og_author,
        ld.names("author") or ld.names("creator"),
        text("author", "byl", "parsely-author", "dc.creator", limit=LIMITS["author"]),
    ):
        if candidate and candidate.lower().startswith("by "):
            candidate = candidate[3:].strip() or None
        author = usable_authors(candidate, site_name=site_name, host=host)
        if author:
            break
    if author is None:
        author = clean_text(
            visible_byline(root, h1, site_name=site_name, host=host), LIMITS["author"]
        )

    published = _first(
        normalize_date(meta.get("article:published_time")),
        normalize_date(ld.text("datePublished")),
        *(normalize_date(meta.get(k)) for k in META_DATE_KEYS),
    ) or printed_date(root, h1)
    canonical_url = _first(
        *(clean_url(href, base) for href in _links(root, "canonical")),
        clean_url(meta.get("og:url"), base),
        clean_url(ld.url(), base),
    )
    oembed_url = _first(
        *(clean_url(h, base) for h in _links(root, "alternate", "application/json+oembed")),
        *(clean_url(h, base) for h in _links(root, "alternate", "text/xml+oembed")),
    )
    return PageMeta(
        url=url,
        page_title=page_title,
        headline=headline,
        site_name=site_name,
        section=section,
        description=description,
        image_url=image_url,
        image_caption=image_caption,
        image_credit=image_credit,
        author=author,
        published=published,
        canonical_url=canonical_url,
        article_text=_article_text(root),
        oembed_url=oembed_url,
    )


def _headline_element(root: Any) -> Any:
    """The article's <h1>: the first outside the site's chrome (a logo can be an h1)."""
    first = None
    for count, h1 in enumerate(root.iter("h1")):
        if count >= 20:
            break
        if first is None:
            first = h1
        if not is_chrome(h1) and h1.text_content().strip():
            return h1
    return first


def _visible_section(
    root: Any, nodes: list[dict[str, Any]], h1: Any, headline: str | None, url: str
) -> str | None:
    return (
        breadcrumb_section(nodes, headline=headline, page_url=url)
        or trail_section(root, headline=headline, page_url=url)
        or (kicker_section(h1) if h1 is not None else None)
    )


def _tags_above(el: Any) -> set[str]:
    return {a.tag for a in el.iterancestors() if isinstance(a.tag, str)}
