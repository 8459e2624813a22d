"""The generated avatar: the member's initials on a colour derived from their name, as a
small SVG Parley serves itself (no external service)."""

from __future__ import annotations

import hashlib
from html import escape

# Mid-dark colours: white initials on each meet WCAG AA contrast for large text.
PALETTE = (
    "#1f6f8b", "#2e7d32", "#6a1b9a", "#ad1457", "#c62828", "#4e342e",
    "#283593", "#00695c", "#5d4037", "#37474f", "#8e24aa", "#d84315",
)  # fmt: skip


def initials(name: str) -> str:
    parts = [p for p in name.replace("_", " ").replace(".", " ").replace("-", " ").split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper() if len(parts[0]) > 1 else parts[0].upper()
    return (parts[0][0] + parts[1][0]).upper()


def colour(name: str) -> str:
    digest = hashlib.sha256(name.casefold().encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def generated_svg(name: str) -> str:
    text = escape(initials(name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img">'
        f'<rect width="100" height="100" fill="{colour(name)}"/>'
        '<text x="50" y="50" dy="0.35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui, sans-serif" font-size="42" font-weight="600">'
        f"{text}</text></svg>"
    )
