"""The card rules on pages written for them (tests/links_pure/card_pages.py): bylines,
sections, captions and credits, dates and headlines, each in several shapes."""

from __future__ import annotations

import pytest

from parley.links.bylines import parse_byline, usable_authors
from parley.links.captions import split_credit
from parley.links.extract import extract_page, normalize_date
from parley.links.headlines import clean_headline
from tests.links_pure.card_pages import (
    BODY,
    CARD_PAGES,
    SECOND_SET,
    TEASERS,
    CardPage,
    large_page,
    ld,
    page,
    typical_article,
)


@pytest.mark.parametrize("card", CARD_PAGES, ids=[c.name for c in CARD_PAGES])
def test_card_field_is_read_from_the_page(card: CardPage) -> None:
    meta = extract_page(card.html, url=card.url)
    got = {name: getattr(meta, name) for name in card.expected}
    assert got == card.expected


def test_typical_article_gets_every_card_field_from_its_markup() -> None:
    meta = extract_page(typical_article(), url=CARD_PAGES[0].url)
    assert meta.headline == "Channel stays closed after storm"
    assert meta.author == "Ann Lee"  # metadata named the publisher; teasers name others
    assert meta.section == "World"  # from the JSON-LD breadcrumbs
    assert meta.published == "2026-03-02T09:00:00+00:00"  # not the site header's date
    assert meta.image_caption == "Waves break over the wall."
    assert meta.image_credit == "Photo: Ann Lee/Northwire"
    assert meta.article_text.startswith("Harbour pilots said on Tuesday")


def test_large_page_gives_the_same_card_as_the_typical_one() -> None:
    url = CARD_PAGES[0].url
    typical, large = extract_page(typical_article(), url=url), extract_page(large_page(), url=url)
    assert len(large_page()) > 1_000_000
    assert large == typical


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Smoke rises. Photograph: Ann Lee", ("Smoke rises.", "Photograph: Ann Lee")),
        ("Smoke rises. Foto:Ann Lee", ("Smoke rises.", "Foto: Ann Lee")),
        ("Smoke rises. Image :  Northwire", ("Smoke rises.", "Image: Northwire")),
        ("Smoke rises (Northwire via Kestrel)", ("Smoke rises", "Northwire via Kestrel")),
        ("Smoke rises (Photo: Ann Lee)", ("Smoke rises", "Photo: Ann Lee")),
        ("Smoke rises. © Meridian Daily 2026", ("Smoke rises.", "© Meridian Daily 2026")),
        ("Smoke rises. NORTHWIRE/Ann Lee", ("Smoke rises.", "NORTHWIRE/Ann Lee")),
        ("The mayor (centre) speaks", ("The mayor (centre) speaks", None)),
        ("The mayor speaks (right)", ("The mayor speaks (right)", None)),
        ("Talks in 2026 (file photo)", ("Talks in 2026 (file photo)", None)),
        ("Ships at anchor (12 March)", ("Ships at anchor (12 March)", None)),
        ("Ships at anchor and/or moored", ("Ships at anchor and/or moored", None)),
    ],
)
def test_split_credit_takes_only_what_reads_like_a_credit(
    caption: str, expected: tuple[str, str | None]
) -> None:
    assert split_credit(caption) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane Roe", "Jane Roe"),
        ("Jane Roe, @janeroe", "Jane Roe"),
        ("The Harbour Times", None),
        ("Harbour Times Staff", None),
        ("harbourtimes.test", None),
        ("Staff, Web Desk", None),
        ("Northwire", "Northwire"),
        ("Northwire, Kestrel Press Agency", "Northwire, Kestrel Press Agency"),
        ("admin", None),
        ("twitter.com/janeroe", None),
        (None, None),
    ],
)
def test_usable_authors_drops_publisher_handles_and_placeholders(
    value: str | None, expected: str | None
) -> None:
    assert (
        usable_authors(value, site_name="The Harbour Times", host="harbourtimes.test") == expected
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026/03/02", "2026-03-02"),
        ("20260302", "2026-03-02"),
        ("02.03.2026", "2026-03-02"),
        ("Mon, 02 Mar 2026 16:21:00 +0100", "2026-03-02T16:21:00+01:00"),
        ("March 2, 2026", "2026-03-02"),
        ("2nd March 2026", "2026-03-02"),
        ("2026-03-02T16:21:00+0000", "2026-03-02T16:21:00+00:00"),
        ("31 February 2026", None),
        ("Smarch 2, 2026", None),
        ("02.03.26", None),
    ],
)
def test_normalize_date_reads_more_spellings(value: str, expected: str | None) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    "garbage",
    [
        "<h1>x</h1>" + "<div class='byline'>" * 20_000,
        "<h1>x</h1>" + "<span itemprop='author'>By</span>" * 5_000,
        "<nav class='breadcrumb'>" + "<ol><li>" * 10_000,
        '<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": '
        '[{"position": {"x": 1}, "item": [1, 2]}, 5, null, {"name": 7}]}</script>',
        "<h1>x</h1><figure>" + "<div class='caption'>" * 10_000,
        "<h1>x</h1>" + "<time datetime='not a date'>99 Smarch</time>" * 2_000,
        "<header>" + "<h1>" * 5_000,
        "<div class='video-player'><figure><figcaption>only text</figcaption></figure></div>",
    ],
)
def test_card_rules_never_raise_on_garbage(garbage: str) -> None:
    meta = extract_page(garbage, url="https://harbourtimes.test/a")
    assert meta.url == "https://harbourtimes.test/a"


@pytest.mark.parametrize("card", SECOND_SET, ids=[c.name for c in SECOND_SET])
def test_card_field_is_read_from_shapes_written_after_the_rules(card: CardPage) -> None:
    meta = extract_page(card.html, url=card.url)
    got = {name: getattr(meta, name) for name in card.expected}
    assert got == card.expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("By Ann Lee", ["Ann Lee"]),
        ("BY ANN LEE, DEFENCE CORRESPONDENT", ["ANN LEE"]),
        ("By Ann Lee in Kyiv and Tom Roe in Riga", ["Ann Lee", "Tom Roe"]),
        ("By Ann Lee Published 2 March 2026", ["Ann Lee"]),
        ("By Ann Lee March 2, 2026", ["Ann Lee"]),
        ("By Ann Lee @annlee", ["Ann Lee"]),
        ("Ann Lee | Northwire | 4 min read", ["Ann Lee", "Northwire"]),
        ("Von Jonas Feld und Lena Sørensen", ["Jonas Feld", "Lena Sørensen"]),
        ("By Harbour Times Staff", []),
        ("Updated 3 hours ago", []),
        ("By Anna Anderson", ["Anna Anderson"]),
        ("By Ann Lee. Photographs by Tom Roe", ["Ann Lee"]),
        ("Photos by Tom Roe", []),
        ("By J. R. Hart; additional reporting by Omar Haddad", ["J. R. Hart"]),
        ("Reporting by Omar Haddad; Editing by Lisa Berg", ["Omar Haddad"]),
    ],
)
def test_parse_byline_keeps_names_and_drops_the_rest(printed: str, expected: list[str]) -> None:
    assert parse_byline(printed, {"harbourtimes", "theharbourtimes"}) == expected


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Port reopens | The Harbour Times", "Port reopens"),
        ("Port reopens | World | The Harbour Times", "Port reopens"),
        ("Port reopens - Updated 2 March 2026", "Port reopens"),
        ("Port reopens (2026-03-02)", "Port reopens"),
        ("Opinion | Why the port must reopen", "Why the port must reopen"),
        (
            "Port reopens - talks are set for 2 March 2026",
            "Port reopens - talks are set for 2 March 2026",
        ),
        ("Ukraine - Russia talks resume", "Ukraine - Russia talks resume"),
        ("The Harbour Times", "The Harbour Times"),
        ("Port | The Harbour Times", "Port | The Harbour Times"),  # one word would be left
    ],
)
def test_clean_headline_drops_only_site_section_and_date_segments(
    headline: str, expected: str
) -> None:
    cleaned = clean_headline(
        headline, site_name="The Harbour Times", host="harbourtimes.test", section="Opinion"
    )
    assert cleaned == expected


def test_byline_in_a_body_that_links_other_headlines_is_not_a_teaser() -> None:
    html = (
        '<meta property="og:site_name" content="The Harbour Times">'
        '<div class="title"><h1>Channel stays closed after storm</h1></div>'
        '<div class="content"><div class="byline">By Ann Lee</div>'
        + BODY * 3
        + '<h2><a href="/other">Read next: ferry fares rise</a></h2></div>'
    )
    assert extract_page(html, url="https://harbourtimes.test/a").author == "Ann Lee"


def test_metadata_author_that_is_a_person_is_kept_without_looking_at_the_page() -> None:
    html = page(
        '<meta name="author" content="Hugo Brandt">', "<h1>A headline here</h1>", after=TEASERS
    )
    assert extract_page(html, url="https://harbourtimes.test/a").author == "Hugo Brandt"


def test_declared_picture_printed_without_caption_borrows_none_from_another() -> None:
    html = page(
        '<meta property="og:image" content="https://img.harbourtimes.test/2026/lead-storm.jpg">',
        "<h1>Channel stays closed after storm</h1>"
        '<div class="hero"><img src="/2026/lead-storm.jpg" width="900"></div>',
        body=BODY + '<figure><img src="/2026/quay.jpg"><figcaption>An empty quay. Photo: Sam Hart'
        "</figcaption></figure>",
    )
    meta = extract_page(html, url="https://harbourtimes.test/a")
    assert (meta.image_caption, meta.image_credit) == (None, None)


def test_byline_of_an_opinion_piece_classed_commentary_is_read() -> None:
    html = (
        '<meta property="og:site_name" content="The Harbour Times">'
        '<div class="commentary-piece"><h1>Why the channel must reopen</h1>'
        '<p class="byline">By Ines Moreau</p>' + BODY + "</div>"
        '<div class="comments"><p class="byline">By Reader Two</p></div>'
    )
    assert extract_page(html, url="https://harbourtimes.test/a").author == "Ines Moreau"


@pytest.mark.parametrize("fraction", [0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
def test_truncated_article_pages_never_raise(fraction: float) -> None:
    html = typical_article()
    meta = extract_page(html[: int(len(html) * fraction)], url="https://harbourtimes.test/a")
    assert meta.url == "https://harbourtimes.test/a"
    for card in CARD_PAGES + SECOND_SET:
        extract_page(card.html[: int(len(card.html) * fraction)], url=card.url)


def test_unlinked_last_crumb_with_a_short_form_of_the_headline_is_not_the_section() -> None:
    crumbs = [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://harbourtimes.test/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "Harbour",
            "item": "https://harbourtimes.test/h",
        },
        {"@type": "ListItem", "position": 3, "name": "Pilots close the channel"},
    ]
    html = ld({"@type": "BreadcrumbList", "itemListElement": crumbs}) + "<h1>Storm: x</h1>"
    assert extract_page(html, url="https://harbourtimes.test/a").section == "Harbour"
