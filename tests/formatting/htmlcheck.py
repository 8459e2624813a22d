"""Helpers that inspect cooked HTML with a real parser instead of substring matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "form", "input", "button", "textarea", "select", "link", "meta", "base", "template",
    "noscript", "video", "audio", "source", "xmp", "plaintext", "noembed",
}  # fmt: skip
URL_ATTRS = {"href", "src", "action", "formaction", "cite", "data", "poster", "background"}
SAFE_STYLE_RE = re.compile(r"^\s*(color|font-size)\s*:\s*[#a-z0-9. ]+\s*$")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Parsed:
    elements: list[Element] = field(default_factory=list)

    def tags(self, name: str) -> list[Element]:
        return [e for e in self.elements if e.tag == name]

    def with_class(self, cls: str) -> list[Element]:
        return [e for e in self.elements if cls in e.attrs.get("class", "").split()]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def parse(html: str) -> Parsed:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.parsed


def _url_is_safe(value: str) -> bool:
    # What a browser would see: entities decoded (by the parser), control chars and
    # whitespace dropped, case folded.
    probe = re.sub(r"[\x00-\x20]", "", value).lower()
    if probe.startswith(("javascript:", "data:", "vbscript:", "file:")):
        return False
    if re.match(r"^[a-z][a-z0-9+.\-]*:", probe):
        return probe.startswith(("http://", "https://", "mailto:"))
    return probe.startswith("/") and not probe.startswith(("//", "/\\"))


def assert_safe(html: str) -> Parsed:
    """Fail if cooked HTML could run script, load remote active content or escape styling."""
    lowered = html.lower()
    assert "<script" not in lowered
    for tag in re.findall(r"<[^>]*>", lowered):
        # attribute values are quoted by the sanitizer; what is left must hold no handler
        unquoted = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"[\s/]on\w+\s*=", unquoted), html
    parsed = parse(html)
    for el in parsed.elements:
        assert el.tag not in FORBIDDEN_TAGS, (el, html)
        for name, value in el.attrs.items():
            assert not name.startswith("on"), (el, html)
            if name in URL_ATTRS:
                assert _url_is_safe(value), (el, html)
            if name == "style":
                for decl in filter(None, (d.strip() for d in value.split(";"))):
                    assert SAFE_STYLE_RE.match(decl), (el, html)
                assert "url(" not in value and "expression" not in value, (el, html)
        if el.tag == "img" and "src" in el.attrs:
            src = el.attrs["src"]
            assert src.startswith(("http://", "https://", "/media/")), (el, html)
        if el.tag == "a" and el.attrs.get("href", "").startswith(("http:", "https:")):
            assert set(el.attrs.get("rel", "").split()) >= {"nofollow", "ugc", "noopener"}
    return parsed
