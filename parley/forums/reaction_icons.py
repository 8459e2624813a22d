"""Reaction icons, bundled as SVG under static/reactions/ so that a reaction never depends on
the visitor's emoji font (without one, emoji are empty boxes). An icon is chosen by the
type's name; a type an admin adds with another name gets the generic star, with its name
beside it wherever it is offered."""

from __future__ import annotations

from django.templatetags.static import static

BUNDLED = frozenset({"like", "love", "haha", "wow", "sad", "angry", "dislike"})
GENERIC = "other"


def icon_name(type_name: str) -> str:
    name = type_name.strip().lower()
    return name if name in BUNDLED else GENERIC


def icon_url(type_name: str) -> str:
    return static(f"reactions/{icon_name(type_name)}.svg")
