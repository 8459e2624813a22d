"""Documents an admin allows (settings.PARLEY_ATTACHMENT_DOCUMENT_TYPES): stored as they
are, after a check of what the bytes really are. The name and the browser's declared type are
never trusted; the served type comes from this check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["DocumentRefused", "SniffedDocument", "sniff_document"]

# The start of a file that browsers would take for markup (WHATWG MIME sniffing's HTML
# patterns, plus SVG/XML): never accepted as plain text, even though it is served as a
# download with nosniff and a sandbox.
_MARKUP_RE = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|!--|title|style|a\s|img|"
    rb"div|table|p[\s>]|br|h1|b[\s>]|font|object|embed|meta)",
    re.IGNORECASE,
)
_SNIFF_BYTES = 4096


class DocumentRefused(ValueError):
    """Not a document we accept; the message is for the member."""


@dataclass(frozen=True)
class SniffedDocument:
    content_type: str
    extension: str


def _pdf(head: bytes) -> bool:
    # "%PDF-" within the first 1,024 bytes is what readers accept; we want it first.
    return head.startswith(b"%PDF-")


def _plain_text(source: BinaryIO) -> bool:
    source.seek(0)
    head = source.read(_SNIFF_BYTES)
    if _MARKUP_RE.match(head.lstrip(b"\xef\xbb\xbf")):
        return False
    source.seek(0)
    tail = b""
    while chunk := source.read(64 * 1024):
        data = tail + chunk
        if b"\x00" in data:
            return False
        try:  # a multi-byte character may straddle the chunk boundary
            data.decode("utf-8")
            tail = b""
        except UnicodeDecodeError as exc:
            if exc.start < len(data) - 4:
                return False
            tail = data[exc.start :]
    return not tail


def sniff_document(source: BinaryIO, allowed: tuple[str, ...]) -> SniffedDocument:
    """What `source` is among the `allowed` types, from its bytes. Raises DocumentRefused."""
    source.seek(0)
    head = source.read(_SNIFF_BYTES)
    if "application/pdf" in allowed and _pdf(head):
        return SniffedDocument("application/pdf", "pdf")
    if "text/plain" in allowed and _plain_text(source):
        return SniffedDocument("text/plain; charset=utf-8", "txt")
    kinds = ", ".join(
        {"application/pdf": "PDF", "text/plain": "plain text"}.get(a, a) for a in allowed
    )
    raise DocumentRefused(
        "This file is neither a picture nor a document type this forum accepts"
        + (f" ({kinds})." if kinds else ".")
    )
