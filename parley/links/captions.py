"""The caption and credit of an article's lead image, as printed on the page.

In order:

1. the `<figure>` showing the page's `og:image` (same file name), with its `<figcaption>`;
2. the lead image (that file anywhere in the article, else the first picture after the
   headline) and a caption next to it: an element classed caption, cutline, legend,
   image description… inside the image's container or right after it;
3. unless the lead is a **video**: a caption printed in the article header, then (when
   the declared picture is not printed at all) the first captioned `<figure>` of the
   page. A video's card shows its poster, and an uncaptioned lead photo is still that
   photo: a caption from further down the page would describe another picture.

The credit is split off the caption: a `<cite>` or `<small>` child, or one classed
credit, copyright, author, photographer, source…; else a tail such as
"Photograph: Ann Lee/Northwire", "© Northwire", "(Ann Lee/Northwire)", "Photo by Nika Vos"
or "NORTHWIRE/Ann Lee". Labels ("Photograph:", "Photo:", "Foto:", "Image:", …) stay in
front of the name, separated from it by ": ".
"""

from __future__ import annotations

import copy
import re
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from .dom import attr, is_chrome, labels, near_headline, text_of

__all__ = ["lead_caption", "split_credit"]

_CREDIT_CLASS_RE = re.compile(
    r"credit|copyright|photographer|attribution|byline|source|rights|author", re.I
)
_CAPTION_CLASS_RE = re.compile(
    r"caption|cutline|legend|(?:image|photo|media|img|picture)-?(?:desc\w*|text|info)", re.I
)
_LABEL = (
    r"(?:photo(?:graph)?s?|photography|pictures?|images?|illustrations?|credits?|fotos?"
    r"|bild|source|composite|video)"
)
_LABEL_ONLY_RE = re.compile(rf"^\s*{_LABEL}\s*:?\s*$", re.I)
_CREDIT_START_RE = re.compile(rf"^\s*(?:{_LABEL}\s*(?::|by\b|©)|©)", re.I)
_CREDIT_TAIL_RE = re.compile(
    rf"^(?P<caption>.*?)\s*(?P<credit>(?:{_LABEL}\s*:|©)\s*\S.*)$", re.I | re.S
)
# "… at dusk. Photo by Nika Vos": a labelled "by" after a full sentence.
_BY_TAIL_RE = re.compile(
    rf"^(?P<caption>.*[.!?])\s+(?P<credit>(?i:{_LABEL})\s+(?i:by)\s+[A-Z].*)$", re.S
)
_PARENS_TAIL_RE = re.compile(r"^(?P<caption>.*\S)\s*\((?P<credit>[^()]{2,80})\)\s*\.?$", re.S)
# "… in the square. NORTHWIRE/Ann Lee": capitalised words around a slash, after a sentence.
_SLASH_TAIL_RE = re.compile(
    r"^(?P<caption>.*[.!?])\s+(?P<credit>(?:[A-Z][\w.'-]*\s+){0,3}[A-Z][\w.'-]*"
    r"\s*/\s*(?:[A-Z][\w.'-]*\s*){1,4})$",
    re.S,
)
# Words in parentheses that say where someone stands in the picture, not who took it.
_NOT_CREDIT_WORDS = frozenset(
    [
        "left",
        "right",
        "centre",
        "center",
        "pictured",
        "top",
        "bottom",
        "front",
        "back",
        "file",
        "archive",
        "above",
        "below",
        "second",
        "third",
        "l",
        "r",
        "c",
        "inset",
        "main",
    ]
)
_LABEL_COLON_RE = re.compile(rf"^({_LABEL})\s*:\s*", re.I)
_VIDEO_CLASS_RE = re.compile(r"video|player|jwplayer|brightcove|youtube|vimeo", re.I)
_VIDEO_SRC_RE = re.compile(r"video|player|youtube|vimeo|dailymotion|embed", re.I)
_NOT_LEAD_RE = re.compile(r"logo|avatar|icon|author|profile|sprite|badge|emoji", re.I)
_IMAGE_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "srcset", "data-srcset")


def _names(el: Any) -> set[str]:
    names: set[str] = set()
    for img in el.iter("img", "source"):
        for name in _attr_names(img):
            names.add(name)
    return names


def _attr_names(img: Any) -> set[str]:
    names = set()
    for key in _IMAGE_ATTRS:
        for part in attr(img, key).split(","):
            url = part.strip().split(" ")[0]
            if url:
                names.add(urlsplit(url).path.rsplit("/", 1)[-1].lower())
    names.discard("")
    return names


def _clean_credit(credit: str) -> str:
    credit = credit.strip(" ,;")
    return _LABEL_COLON_RE.sub(lambda m: f"{m.group(1)}: ", credit)


def split_credit(caption: str) -> tuple[str, str | None]:
    """A caption with its credit split off the end, when the end reads like a credit."""
    match = _PARENS_TAIL_RE.match(caption)
    if match:
        inner = match["credit"].strip()
        words = re.findall(r"[\w'-]+", inner.lower())
        looks_like_credit = (
            _CREDIT_START_RE.match(inner)
            or "/" in inner
            or " via " in f" {inner} "
            or (
                words
                and len(words) <= 6
                and inner[0].isupper()
                and not set(words) & _NOT_CREDIT_WORDS
                and not any(ch.isdigit() for ch in inner)
            )
        )
        if looks_like_credit:
            return match["caption"].strip(), _clean_credit(inner)
    match = _CREDIT_TAIL_RE.match(caption)
    if match and match["caption"].strip():
        return match["caption"].strip(), _clean_credit(match["credit"])
    match = _BY_TAIL_RE.match(caption) or _SLASH_TAIL_RE.match(caption)
    if match:
        return match["caption"].strip(), _clean_credit(match["credit"])
    return caption, None


def _caption_of(el: Any) -> tuple[str | None, str | None]:
    """Caption and credit of a caption element (a figcaption, a caption div)."""
    el = copy.deepcopy(el)
    credit = None
    for count, child in enumerate(el.iter()):
        if count > 60:
            break  # a caption is small; deeper markup is not looked through
        if child is el or not isinstance(child.tag, str):
            continue
        text = text_of(child)
        if not text or _LABEL_ONLY_RE.match(text):
            continue
        if (
            child.tag in ("cite", "small")
            or _CREDIT_CLASS_RE.search(labels(child))
            or _CREDIT_START_RE.match(text)
        ):
            credit = _credit_text(child)
            child.drop_tree()
            break
    caption = text_of(el)
    if credit is None:
        caption, credit = split_credit(caption)
    return caption or None, credit or None


def _credit_text(el: Any) -> str:
    """A credit element's text, with a label printed as its own element ("Photograph"
    then the name) joined as "Photograph: name"."""
    text = text_of(el)
    first = next((c for c in el if isinstance(c.tag, str)), None)
    if first is not None and _LABEL_ONLY_RE.match(text_of(first)):
        label = text_of(first).rstrip(" :")
        rest = text[len(text_of(first)) :].strip(" :")
        if rest and text.startswith(text_of(first)):
            return f"{label}: {rest}"
    return _clean_credit(text)


def _figure_with_caption(el: Any) -> Any:
    for depth, anc in enumerate([el, *el.iterancestors()]):
        if depth > 4 or anc.tag in ("article", "main", "body"):
            return None
        if anc.tag == "figure" and next(anc.iter("figcaption"), None) is not None:
            return anc
    return None


def _figcaption(figure: Any) -> tuple[str | None, str | None]:
    return _caption_of(next(figure.iter("figcaption")))


def _beside(img: Any) -> tuple[str | None, str | None]:
    """A caption (and credit) printed in the image's container or right after it."""
    skip = {id(e) for e in islice(img.iter(), 50)}
    caption: str | None = None
    credit: str | None = None
    tries = 0
    for depth, anc in enumerate(img.iterancestors()):
        if depth > 3 or anc.tag in ("article", "main", "body", "header"):
            break
        pool = [e for e in islice(anc.iter(), 200) if id(e) not in skip and e is not anc]
        for sibling in islice(anc.itersiblings(), 2):
            pool.extend(islice(sibling.iter(), 100))
        for el in pool:
            if not isinstance(el.tag, str) or id(el) in skip:
                continue
            own = labels(el)
            if tries > 6:
                break  # markup full of caption-like names: not a caption block
            if _CREDIT_CLASS_RE.search(own):
                if credit is None:
                    tries += 1
                    credit = _credit_text(el) or None
                    skip.update(id(e) for e in islice(el.iter(), 200))
            elif caption is None and (el.tag == "figcaption" or _CAPTION_CLASS_RE.search(own)):
                tries += 1
                caption, inner_credit = _caption_of(el)
                credit = credit or inner_credit
                skip.update(id(e) for e in islice(el.iter(), 200))
        if caption or credit:
            return caption, credit
    return None, None


def _is_small(img: Any) -> bool:
    for key in ("width", "height"):
        value = attr(img, key).strip().removesuffix("px")
        if value.isdigit() and int(value) < 120:
            return True
    return False


def _lead_media(root: Any, h1: Any) -> tuple[str, Any] | None:
    """("image" | "video", element) of the first picture or video after the headline."""
    if h1 is not None:
        pool = near_headline(h1)
    else:
        start = next(root.iter("article"), None)
        pool = list(start.iter())[:300] if start is not None else []
    for el in pool:
        tag = el.tag
        if tag in ("video",) or (tag == "iframe" and _VIDEO_SRC_RE.search(attr(el, "src"))):
            return ("video", el) if not is_chrome(el) else None
        is_player = tag in ("div", "figure", "section") and _VIDEO_CLASS_RE.search(labels(el))
        if is_player and not is_chrome(el):
            return "video", el
        is_picture = tag == "img" and not _is_small(el)
        is_picture = is_picture and not _NOT_LEAD_RE.search(f"{labels(el)} {attr(el, 'src')}")
        if is_picture and not is_chrome(el):
            return "image", el
    return None


def _first_captioned_figure(root: Any) -> Any:
    for count, figure in enumerate(root.iter("figure")):
        if count >= 50:
            break
        captioned = next(figure.iter("figcaption"), None) is not None
        if captioned and _names(figure) and not is_chrome(figure):
            return figure
    return None


def _header_caption(h1: Any) -> tuple[str | None, str | None]:
    tries = 0
    for el in near_headline(h1, limit=150):
        if _CAPTION_CLASS_RE.search(labels(el)) and not _CREDIT_CLASS_RE.search(labels(el)):
            caption, credit = _caption_of(el)
            if caption:
                return caption, credit
            tries += 1
            if tries >= 3:
                break
    return None, None


def lead_caption(
    root: Any, h1: Any, image_url: str | None
) -> tuple[str | None, str | None, str | None]:
    """(caption, credit, src of the lead <img> when the page declares no image)."""
    wanted = urlsplit(image_url).path.rsplit("/", 1)[-1].lower() if image_url else ""
    declared: list[Any] = []  # where the page prints the picture it declares (og:image)
    if wanted:
        for img in islice(root.iter("img", "source"), 400):
            if wanted in _attr_names(img) and not is_chrome(img):
                declared.append(img)
                if len(declared) >= 5:
                    break
    lead = _lead_media(root, h1)
    guessed = [lead[1]] if lead is not None and lead[0] == "image" else []
    for shown in declared or guessed:
        figure = _figure_with_caption(shown)
        caption, credit = _figcaption(figure) if figure is not None else _beside(shown)
        if caption or credit:
            return caption, credit, _src(shown)
    if lead is not None and lead[0] == "video":
        figure = _figure_with_caption(lead[1])
        if figure is not None:
            return (*_figcaption(figure), None)
        return None, None, None
    if h1 is not None:
        caption, credit = _header_caption(h1)
        if caption:
            return caption, credit, None
    if declared:
        # The declared picture is printed without a caption: another picture's is no use.
        return None, None, None
    figure = _first_captioned_figure(root)
    if figure is not None:
        img = next(figure.iter("img"), None)
        return (*_figcaption(figure), _src(img) if img is not None else None)
    return None, None, None


def _src(img: Any) -> str | None:
    if img is None or img.tag != "img":
        return None
    return attr(img, "src") or attr(img, "data-src") or None
