"""The one allow-list every cooked post passes through (nh3/ammonia), whatever its format.

The renderers only ever emit this markup; the sanitizer is the safety net that holds even if
a renderer has a bug: unknown tags are dropped (script/style with their content), only the
listed attributes and classes survive, URLs must be http/https/mailto or an internal "/path",
images load only http(s) or local /media/ files, and inline styles keep only validated
`color` and `font-size`.
"""

from __future__ import annotations

import re

import nh3

from .urls import safe_image_src, safe_style

TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "u", "s", "del", "a", "img", "blockquote", "cite",
        "footer", "figure", "figcaption", "code", "pre", "ul", "ol", "li", "span", "div",
        "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
        "tr", "th", "td", "time",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "span": {"style"},
    "time": {"datetime"},
}
ATTRIBUTE_VALUES = {"img": {"loading": {"lazy"}}}
_ALIGN = {"align-left", "align-center", "align-right"}
CLASSES = {
    "a": {
        "mention",
        "quote-link",
        "image-link",
        "attachment",
        "attachment-file",
        "link-card-history-link",
    },
    "blockquote": {"quote", "article-quote"},
    "div": {
        "quote-header",
        "quote-body",
        "link-card",
        "link-card-body",
        "link-card-source",
        "link-card-title",
        "link-card-description",
        "link-card-byline",
        "link-card-labels",
        "link-card-note",
        "attachments",
    },
    "span": {
        "attachment-size",
        "credit",
        "link-card-site",
        "link-card-section",
        "link-card-author",
        "source-label",
    },
    "ul": {"link-card-history"},
    "figure": {"link-card-image"},
    "details": {"spoiler"},
    "th": _ALIGN,
    "td": _ALIGN,
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_INTERNAL_RE = re.compile(r"^/(?![/\\])")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_START_RE = re.compile(r"^\d{1,9}$")
_DIMENSION_RE = re.compile(r"^\d{1,4}$")


def _relative(url: str) -> str | None:
    return url if _INTERNAL_RE.match(url) else None


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        return safe_image_src(value)
    if attr == "style":
        return safe_style(value)
    if tag == "time" and attr == "datetime":
        return value if _ISO_DATE_RE.match(value) else None
    if tag == "img" and attr in ("width", "height"):
        return value if _DIMENSION_RE.match(value) else None
    if tag == "ol" and attr == "start":
        return value if _START_RE.match(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style"},
    attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    attribute_filter=_filter,
    strip_comments=True,
    link_rel=LINK_REL,
    tag_attribute_values={
        k: {a: set(v) for a, v in d.items()} for k, d in ATTRIBUTE_VALUES.items()
    },
    url_schemes=set(URL_SCHEMES),
    allowed_classes={k: set(v) for k, v in CLASSES.items()},
    filter_style_properties={"color", "font-size"},
    url_relative=_relative,
)


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment with Parley's allow-list."""
    return _CLEANER.clean(html)
