"""The stories app's subscription to `link.fetched` (parley.links.tasks): place the page in
its story. Idempotent: a repeated delivery places the page where it already is."""

from __future__ import annotations

from typing import Any

from .services import place_page

SUBSCRIBER = "stories.cluster"


def on_page_fetched(event: Any) -> None:
    page_id = (event.payload or {}).get("page_id")
    if isinstance(page_id, int):
        place_page(page_id=page_id)
