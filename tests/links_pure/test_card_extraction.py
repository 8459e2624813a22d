"""The card rules on pages written for them (tests/links_pure/card_pages.py): bylines,
sections, captions and credits, dates and headlines, each in several shapes."""

from __future__ import annotations

import pytest

from parley.links.extract import extract_page
from tests.links_pure.card_pages import CARD_PAGES, CardPage, large_page, typical_article


@pytest.mark.parametrize("card", CARD_PAGES, ids=[c.name for c in CARD_PAGES])
def test_card_field_is_read_from_the_page(card: CardPage) -> None:
    meta = extract_page(card.html, url=card.url)
    got = {name: getattr(meta, name) for name in card.expected}
    assert got == card.expected
