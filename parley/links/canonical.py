"""Canonical form of an article URL, so the same story shared twice is recognised.

    canonicalize("http://www.Example.com/amp/world/story/?utm_source=tw&b=2&a=1#top")
    == "https://example.com/world/story?a=1&b=2"

Pure and deterministic. Steps: http(s) only (else ValueError); scheme and host lower-case;
host IDNA-encoded (UTS #46); `www.`, `m.`, `mobile.` and `amp.` prefixes dropped; default
ports dropped; user name and password dropped; `http` becomes `https`; dot segments
resolved; percent-encoding normalised (unreserved characters decoded, other escapes in
upper case, everything else that needs it encoded as UTF-8); AMP variants of the path
dropped (an `amp` segment, a `.amp` suffix, `?amp=1`, `outputType=amp`); tracking
parameters dropped; the remaining parameters sorted; fragment dropped; trailing slash
dropped except for the root.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

import idna

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "canonicalize"]

_HOST_PREFIXES = re.compile(r"^(?:www\d{0,3}|m|mobile|amp)\.", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}

TRACKING_PREFIXES = ("utm_", "at_", "mtm_", "pk_", "ns_", "_hs", "hsa_", "oly_", "ga_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "igsh", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ito", "_ga",
        "_gl", "yclid", "spm", "s_cid", "ocid", "twclid", "ttclid", "li_fat_id", "mkt_tok",
        "wt.mc_id", "wt_mc_id", "xtor", "smid", "smtyp", "sr_share", "soc_src", "soc_trk",
        "guce_referrer", "guce_referrer_sig", "guccounter", "vero_id", "vero_conv",
        "rb_clickid", "__twitter_impression", "fb_action_ids", "fb_action_types", "fb_ref",
        "fb_source", "action_object_map", "action_type_map", "action_ref_map", "int_source",
        "int_medium", "int_campaign", "icid", "ncid", "cmpgn", "trkcampaign", "sc_cid",
        "s_kwcid", "ef_id", "epik", "wickedid", "irclickid",
    }
)  # fmt: skip
_AMP_PARAMS = {"amp": {"", "1", "true", "yes"}, "outputtype": {"amp"}, "output": {"amp"}}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_PART_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?")
_HEX = frozenset("0123456789abcdefABCDEF")


def _normalize_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the rest, encode what needs it."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%" and i + 2 < len(text) and text[i + 1] in _HEX and text[i + 2] in _HEX:
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
            i += 3
            continue
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def _host(raw: str) -> str:
    host = raw.strip().rstrip(".").lower()
    if not host:
        raise ValueError("URL has no host")
    if host.startswith("[") or ":" in host:
        return f"[{ipaddress.IPv6Address(host.strip('[]')).compressed}]"
    try:
        host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:  # lenient fallback (IDNA 2003) for hosts with underscores and the like
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"invalid host name: {exc}") from None
    while host.count(".") >= 2:  # never strip down to a bare top-level domain
        stripped = _HOST_PREFIXES.sub("", host, count=1)
        if stripped == host:
            break
        host = stripped
    return host.lower()


def _path(raw: str) -> str:
    path = _remove_dot_segments(_normalize_escapes(raw or "/", _PATH_SAFE))
    segments = path.split("/")
    kept = [s for s in segments[1:] if s.lower() != "amp"]
    if kept:
        last = kept[-1]
        lowered = last.lower()
        if lowered.endswith(".amp.html"):
            kept[-1] = last[: -len(".amp.html")] + ".html"
        elif lowered.endswith(".amp") and len(last) > 4:
            kept[-1] = last[: -len(".amp")]
    path = "/" + "/".join(kept)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _is_tracking(name: str, value: str) -> bool:
    key = name.lower()
    if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
        return True
    amp_values = _AMP_PARAMS.get(key)
    return amp_values is not None and value.lower() in amp_values


def _query(raw: str) -> str:
    pairs: list[tuple[str, str, bool]] = []
    for part in raw.split("&"):
        if not part:
            continue
        name, has_value, value = part.partition("=")
        name = _normalize_escapes(name, _QUERY_PART_SAFE)
        value = _normalize_escapes(value, _QUERY_PART_SAFE | {"="})
        if not name or _is_tracking(name, value):
            continue
        pairs.append((name, value, bool(has_value)))
    pairs.sort(key=lambda p: (p[0], p[1]))
    return "&".join(f"{n}={v}" if has or v else n for n, v, has in pairs)


def canonicalize(url: str) -> str:
    """The canonical https form of an http(s) URL; ValueError for anything else."""
    if not isinstance(url, str):
        raise ValueError("URL must be text")
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {text[:100]!r}")
    if parts.hostname is None:
        raise ValueError("URL has no host")
    host = _host(unquote(parts.hostname))
    port = parts.port  # ValueError if out of range
    port_text = "" if port is None or port == _DEFAULT_PORTS[scheme] else f":{port}"
    query = _query(parts.query)
    return f"https://{host}{port_text}{_path(parts.path)}{'?' + query if query else ''}"
