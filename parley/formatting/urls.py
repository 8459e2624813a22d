"""URL and inline-style checks shared by both formats, the renderer and the sanitizer."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_URL_LENGTH = 2048

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends.
_STRIP_ANYWHERE_RE = re.compile(r"[\t\n\r]")
_EDGE_CHARS = "".join(chr(c) for c in range(0x21))
_INTERNAL_RE = re.compile(r"^/(?![/\\])")
_DOMAIN_RE = re.compile(
    r"^(?:www\.)?[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]{1,63})*"
    r"\.[A-Za-z]{2,24}(?::\d{1,5})?(?:[/?#]\S*)?$"
)
_UNSAFE_CHARS_RE = re.compile(r"[\x00-\x1f\x7f\\<>\"`\s]")


def _probe(url: str) -> str:
    return _STRIP_ANYWHERE_RE.sub("", url.strip(_EDGE_CHARS))


def safe_href(url: str) -> str | None:
    """The URL if a link may point to it (http, https, mailto, or an internal "/path"), else None.

    Obfuscations (case, entities already decoded by the caller, embedded tabs/newlines, leading
    control characters) are normalised the way a browser would before the scheme is checked.
    """
    probe = _probe(url).replace(" ", "%20")
    if not probe or len(probe) > MAX_URL_LENGTH or _UNSAFE_CHARS_RE.search(probe):
        return None
    m = _SCHEME_RE.match(probe)
    if m is None:
        return probe if _INTERNAL_RE.match(probe) else None
    scheme = m.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        return None
    if scheme == "mailto":
        return probe if len(probe) > len("mailto:") else None
    try:
        parts = urlsplit(probe)
    except ValueError:
        return None
    if not probe[m.end() :].startswith("//") or not parts.hostname:
        return None
    return probe


def is_external(href: str) -> bool:
    return href[:7].lower() == "http://" or href[:8].lower() == "https://"


def safe_image_src(url: str) -> str | None:
    """The URL if an <img> may load it: http(s), a local /media/ file or an uploaded
    attachment (/attachments/…, served by Parley behind the post's permissions). Else None."""
    href = safe_href(url)
    if href is None:
        return None
    if is_external(href):
        return href
    if href.startswith(("/media/", "/attachments/")) and ".." not in href:
        return href
    return None


def normalize_user_url(url: str) -> str | None:
    """A URL as a member wrote it in [url=…]/[url]…[/url]/[img]: scheme optional for domains."""
    probe = _probe(url)
    if not probe:
        return None
    if _SCHEME_RE.match(probe) is None and not probe.startswith("/") and _DOMAIN_RE.match(probe):
        probe = "http://" + probe
    return safe_href(probe)


# --- inline styles --------------------------------------------------------------------------

CSS_COLOR_NAMES = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue
    cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey
    darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon
    darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
    deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen
    fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
    hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon
    lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey
    lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
    lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
    mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite
    navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen
    paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
    rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell
    sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan
    teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen""".split()  # noqa: SIM905
)
_HEX_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# [size=1..7] levels, as the old <font size> scale.
SIZE_LEVELS = {1: "10px", 2: "13px", 3: "16px", 4: "18px", 5: "24px", 6: "32px", 7: "48px"}
MIN_FONT_PX = 8
MAX_FONT_PX = 48
_SIZE_RE = re.compile(r"^(\d{1,7})(px|pt)?$")
_PX_RE = re.compile(r"^(\d{1,3})px$")


def css_color(value: str) -> str | None:
    """A validated colour value (a CSS colour name or #rgb/#rrggbb), lower-cased, else None."""
    v = value.strip().strip("\"'").strip().lower()
    if v in CSS_COLOR_NAMES or _HEX_COLOR_RE.match(v):
        return v
    return None


def css_font_size(value: str) -> str | None:
    """[size=N]: 1..7 is a level; a larger number (or Npx/Npt) is pixels, clamped."""
    v = value.strip().strip("\"'").strip().lower()
    m = _SIZE_RE.match(v)
    if m is None:
        return None
    n = int(m.group(1))
    if m.group(2) is None and 1 <= n <= 7:
        return SIZE_LEVELS[n]
    return f"{min(max(n, MIN_FONT_PX), MAX_FONT_PX)}px"


def safe_style(style: str) -> str | None:
    """Re-validate a style attribute: only `color` and `font-size` with values we produce."""
    out: list[str] = []
    for decl in style.split(";"):
        if not decl.strip():
            continue
        prop, sep, value = decl.partition(":")
        if not sep:
            return None
        prop = prop.strip().lower()
        value = value.strip()
        if prop == "color" and css_color(value) is not None:
            out.append(f"color: {css_color(value)}")
        elif prop == "font-size" and (m := _PX_RE.match(value.lower())):
            if MIN_FONT_PX <= int(m.group(1)) <= MAX_FONT_PX:
                out.append(f"font-size: {m.group(1)}px")
            else:
                return None
        else:
            return None
    return "; ".join(out) if out else None
