"""Article pages written for the card rules: several shapes of each pattern news pages use
to print a byline, a section, a photo caption and credit, a date and a headline.

Every outlet, agency and person here is invented. `CARD_PAGES` lists (name, url, html,
expected fields); tests/links_pure/test_card_extraction.py asserts them and
bench/card_fields.py scores and times them (against an older extractor too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

BODY = (
    "<p>Harbour pilots said on Tuesday that the northern channel would stay closed for "
    "at least another week while divers inspect the sea wall that cracked during the "
    "storm, leaving dozens of cargo ships waiting at anchor outside the bay.</p>"
    "<p>The port authority has asked shipping companies to reroute through the southern "
    "terminal, where crews are working double shifts to clear the backlog of containers "
    "that built up over the weekend.</p>"
    "<p>Local fishermen, who depend on the channel to reach the open sea, told reporters "
    "they had lost several days of work and called for compensation from the regional "
    "government before the winter season begins.</p>"
)

# Teasers of other articles, with their own bylines and dates: never this article's.
TEASERS = (
    '<aside class="related-stories"><h2>More on this</h2>'
    '<article><h3><a href="/other-1">Ferry fares rise again</a></h3>'
    '<p class="byline">By Tom Roe</p><time datetime="2025-12-01T08:00:00Z">1 Dec</time></article>'
    "</aside>"
    '<section class="more-stories"><ul>'
    '<li><a href="/other-2"><h3>Dockers vote to strike</h3></a>'
    '<span class="author">Sam Hart</span><time datetime="2025-11-02">2 Nov</time></li>'
    "</ul></section>"
    '<footer><p>Written by the newsroom of the outlet. <a rel="author" href="/team">Our team</a></p>'
    "</footer>"
)


@dataclass(frozen=True)
class CardPage:
    name: str
    pattern: str
    html: str
    expected: dict[str, str | None]
    url: str = "https://harbourtimes.test/news/2026/03/02/channel-stays-closed"
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def ld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def page(head: str = "", header: str = "", body: str = BODY, after: str = TEASERS) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"{head}</head><body>"
        '<div class="site-header"><a href="/"><img src="/logo.png" alt="logo"></a>'
        '<time datetime="2026-11-25">Wednesday 25 November</time></div>'
        f'<main><article><header class="article-header">{header}</header>'
        f'<div class="article-body">{body}</div></article>{after}</main></body></html>'
    )


H1 = "<h1>Channel stays closed after storm</h1>"
OG = (
    '<meta property="og:title" content="Channel stays closed after storm">'
    '<meta property="og:site_name" content="The Harbour Times">'
)

BYLINES = [
    CardPage(
        "byline-rel-author-when-ld-names-publisher",
        "byline",
        page(
            OG
            + ld(
                {
                    "@type": "NewsArticle",
                    "headline": "Channel stays closed after storm",
                    "author": {"@type": "Organization", "name": "The Harbour Times"},
                    "publisher": {"@type": "Organization", "name": "The Harbour Times"},
                }
            ),
            H1 + '<p class="byline">By <a rel="author" href="/people/ann-lee">Ann Lee</a></p>',
        ),
        {"author": "Ann Lee"},
    ),
    CardPage(
        "byline-itemprop-author-when-meta-is-a-handle",
        "byline",
        page(
            OG + '<meta name="author" content="@harbourtimes">',
            H1
            + '<div class="meta"><span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            '<span itemprop="name">Marta Kowal</span>'
            '<span class="author-role">Defence correspondent</span></span></div>',
        ),
        {"author": "Marta Kowal"},
    ),
    CardPage(
        "byline-classed-with-two-names-and-a-place-when-meta-is-staff",
        "byline",
        page(
            OG + '<meta name="author" content="Staff">',
            H1
            + '<div class="article-author">Words by Ivo Brandt and Lena Sørensen in Tallinn</div>',
        ),
        {"author": "Ivo Brandt, Lena Sørensen"},
    ),
    CardPage(
        "agency-byline-when-ld-names-publisher",
        "byline",
        page(
            '<meta property="og:site_name" content="Coastline Herald">'
            + ld(
                {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Coastline Herald"}}
            ),
            H1 + '<div class="byline">By Northwire</div>',
        ),
        {"author": "Northwire"},
        url="https://coastlineherald.test/world/channel",
    ),
    CardPage(
        "agency-in-metadata-is-kept",
        "byline",
        page(
            '<meta property="og:site_name" content="Meridian Daily">'
            '<meta name="author" content="Kestrel Press Agency">',
            H1,
        ),
        {"author": "Kestrel Press Agency"},
        url="https://meridiandaily.test/2026/03/02/channel",
    ),
    CardPage(
        "no-byline-only-teasers-and-footer",
        "byline",
        page(OG, H1),
        {"author": None},
    ),
    CardPage(
        "byline-with-german-prefix-when-meta-is-a-placeholder",
        "byline",
        page(
            '<meta property="og:site_name" content="Ostland Rundschau">'
            '<meta name="author" content="Redaktion">',
            H1 + '<div class="c-byline"><span class="c-byline__author">Von Jonas Feld</span>'
            '<time class="c-byline__date" datetime="2026-03-02T07:00:00+01:00">02.03.2026</time></div>',
        ),
        {"author": "Jonas Feld"},
        url="https://rundschau.test/politik/kanal-bleibt-zu",
    ),
    CardPage(
        "byline-beside-a-date-when-og-author-is-publisher",
        "byline",
        page(
            '<meta property="og:site_name" content="The Capital Post">'
            '<meta property="article:author" content="The Capital Post">',
            H1 + '<div class="byline"><span class="byline__name">By Priya Nair</span> | '
            '<time datetime="2026-03-02T10:00:00Z">2 March 2026</time> | 4 min read</div>',
        ),
        {"author": "Priya Nair"},
        url="https://capitalpost.test/politics/channel",
    ),
    CardPage(
        "two-author-links-side-by-side-when-meta-is-web-desk",
        "byline",
        page(
            OG + '<meta name="author" content="Web Desk">',
            H1 + '<div class="story-meta"><a class="author" href="/p/ana">Ana Ruiz</a>, '
            '<a class="author" href="/p/ben">Ben Ode</a></div>',
        ),
        {"author": "Ana Ruiz, Ben Ode"},
    ),
    CardPage(
        "person-in-metadata-is-kept-over-visible-markup",
        "byline",
        page(
            OG + '<meta name="author" content="Hugo Brandt">',
            H1 + '<p class="byline">By Somebody Else</p>',
        ),
        {"author": "Hugo Brandt"},
    ),
]

SECTIONS = [
    CardPage(
        "section-from-json-ld-breadcrumbs",
        "section",
        page(
            OG
            + ld(
                {
                    "@context": "https://schema.org",
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        {
                            "@type": "ListItem",
                            "position": 1,
                            "name": "Home",
                            "item": "https://harbourtimes.test/",
                        },
                        {
                            "@type": "ListItem",
                            "position": 2,
                            "name": "World",
                            "item": "https://harbourtimes.test/world",
                        },
                        {
                            "@type": "ListItem",
                            "position": 3,
                            "name": "Europe",
                            "item": "https://harbourtimes.test/world/europe",
                        },
                        {
                            "@type": "ListItem",
                            "position": 4,
                            "name": "Channel stays closed after storm",
                        },
                    ],
                }
            ),
            H1,
        ),
        {"section": "Europe"},
    ),
    CardPage(
        "section-from-unordered-breadcrumbs-in-a-graph",
        "section",
        page(
            OG
            + ld(
                {
                    "@graph": [
                        {"@type": "NewsArticle", "headline": "Channel stays closed after storm"},
                        {
                            "@type": "BreadcrumbList",
                            "itemListElement": [
                                {
                                    "@type": "ListItem",
                                    "position": "3",
                                    "item": {
                                        "@id": "https://harbourtimes.test/news/2026/03/02/channel-stays-closed",
                                        "name": "Channel closed",
                                    },
                                },
                                {
                                    "@type": "ListItem",
                                    "position": "2",
                                    "item": {
                                        "@id": "https://harbourtimes.test/defence",
                                        "name": "Defence",
                                    },
                                },
                                {
                                    "@type": "ListItem",
                                    "position": "1",
                                    "item": {
                                        "@id": "https://harbourtimes.test/",
                                        "name": "Front page",
                                    },
                                },
                            ],
                        },
                    ]
                }
            ),
            H1,
        ),
        {"section": "Defence"},
    ),
    CardPage(
        "section-from-breadcrumb-navigation",
        "section",
        page(
            OG,
            '<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
            '<li><a href="/politics">Politics</a></li>'
            '<li aria-current="page">Channel stays closed after storm</li></ol></nav>' + H1,
        ),
        {"section": "Politics"},
    ),
    CardPage(
        "section-from-breadcrumb-links-with-separators",
        "section",
        page(
            OG,
            '<div class="breadcrumbs"><a href="/">Start</a> › <a href="/business">Business</a>'
            ' › <a href="/business/shipping">Shipping</a></div>' + H1,
        ),
        {"section": "Shipping"},
    ),
    CardPage(
        "section-from-kicker-link",
        "section",
        page(OG, '<a class="article-kicker" href="/world/africa">Africa</a>' + H1),
        {"section": "Africa"},
    ),
    CardPage(
        "section-from-second-kicker-when-first-is-a-live-label",
        "section",
        page(
            OG,
            '<div class="kicker kicker--live">Live</div>'
            '<div class="kicker"><a href="/middle-east">Middle East</a></div>' + H1,
        ),
        {"section": "Middle East"},
    ),
    CardPage(
        "declared-section-wins-over-breadcrumbs",
        "section",
        page(
            OG + '<meta property="article:section" content="Science">',
            '<nav class="breadcrumb"><a href="/">Home</a> / <a href="/climate">Climate</a></nav>'
            + H1,
        ),
        {"section": "Science"},
    ),
    CardPage(
        "no-section-when-kickers-are-only-in-teasers",
        "section",
        page(
            OG,
            H1,
            after='<aside><article><span class="kicker">Sport</span><h3><a href="/x">X</a></h3>'
            "</article></aside>",
        ),
        {"section": None},
    ),
]

LEAD = '<meta property="og:image" content="https://img.harbourtimes.test/2026/lead-storm.jpg">'

CAPTIONS = [
    CardPage(
        "caption-div-in-hero-with-credit-span",
        "caption",
        page(
            OG + LEAD,
            H1
            + '<div class="hero"><img src="https://img.harbourtimes.test/2026/lead-storm.jpg?w=900" alt="">'
            '<div class="hero__caption">Waves break over the sea wall on Sunday night. '
            '<span class="hero__credit">Photo: Ann Lee/Northwire</span></div></div>',
        ),
        {
            "image_caption": "Waves break over the sea wall on Sunday night.",
            "image_credit": "Photo: Ann Lee/Northwire",
        },
    ),
    CardPage(
        "caption-paragraph-after-image-with-credit-in-parentheses",
        "caption",
        page(
            OG + LEAD,
            H1 + '<div class="image-wrap"><picture><source srcset="/2026/lead-storm.webp 1x">'
            '<img src="https://img.harbourtimes.test/2026/lead-storm.jpg" alt=""></picture></div>'
            '<p class="caption">Cargo ships wait at anchor outside the bay (Ann Lee/Northwire)</p>',
        ),
        {
            "image_caption": "Cargo ships wait at anchor outside the bay",
            "image_credit": "Ann Lee/Northwire",
        },
    ),
    CardPage(
        "figcaption-with-glued-foto-label",
        "caption",
        page(
            OG + LEAD,
            H1
            + '<figure><img src="/2026/lead-storm.jpg"><figcaption>Taucher am Hafen. Foto:Jonas Feld'
            "</figcaption></figure>",
        ),
        {"image_caption": "Taucher am Hafen.", "image_credit": "Foto: Jonas Feld"},
    ),
    CardPage(
        "credit-label-printed-as-its-own-element",
        "caption",
        page(
            OG + LEAD,
            H1 + '<figure class="lead"><img src="/2026/lead-storm.jpg"><figcaption>'
            "Divers prepare to inspect the wall "
            '<span class="credit"><span class="credit__label">Photograph</span>'
            "<span>Ana Ruiz/Kestrel</span></span></figcaption></figure>",
        ),
        {
            "image_caption": "Divers prepare to inspect the wall",
            "image_credit": "Photograph: Ana Ruiz/Kestrel",
        },
    ),
    CardPage(
        "lead-video-player-borrows-no-photo-caption",
        "caption",
        page(
            OG
            + '<meta property="og:image" content="https://img.harbourtimes.test/video/poster-88.jpg">',
            H1
            + '<div class="video-player" data-video-id="88"><img src="/video/poster-88-small.jpg" width="640"></div>',
            body=BODY
            + '<figure><img src="/2026/harbour-master.jpg"><figcaption>The harbour master at her desk. '
            "Photograph: Tom Roe</figcaption></figure>",
        ),
        {"image_caption": None, "image_credit": None},
    ),
    CardPage(
        "lead-video-element-borrows-no-photo-caption",
        "caption",
        page(
            OG + LEAD,
            H1 + '<video controls poster="/v/poster.jpg"><source src="/v/clip.mp4"></video>',
            body=BODY.replace(
                "</p>",
                '</p><figure><img src="/2026/quay.jpg"><figcaption>An empty quay. (Sam Hart/Northwire)'
                "</figcaption></figure>",
                1,
            ),
        ),
        {"image_caption": None, "image_credit": None},
    ),
    CardPage(
        "caption-in-article-header-with-copyright-sign",
        "caption",
        page(
            OG + LEAD,
            H1 + '<div class="hero-image" data-background="/2026/lead-storm.jpg"></div>'
            '<div class="hero-caption">The sea wall after the storm. © Northwire</div>',
        ),
        {"image_caption": "The sea wall after the storm.", "image_credit": "© Northwire"},
    ),
    CardPage(
        "copyright-span-beside-image-and-caption-div-after",
        "caption",
        page(
            OG + LEAD,
            H1 + '<div class="media"><div class="media__frame"><img src="/2026/lead-storm.jpg">'
            '<span class="media__copyright">Image: Meridian Daily</span></div>'
            '<div class="media__caption">Pilots board a tug in the southern terminal</div></div>',
        ),
        {
            "image_caption": "Pilots board a tug in the southern terminal",
            "image_credit": "Image: Meridian Daily",
        },
    ),
    CardPage(
        "agency-slash-credit-at-the-end-of-the-caption",
        "caption",
        page(
            OG + LEAD,
            H1
            + '<figure><img src="/2026/lead-storm.jpg"><figcaption>Containers are stacked at the '
            "southern terminal. NORTHWIRE/Ann Lee</figcaption></figure>",
        ),
        {
            "image_caption": "Containers are stacked at the southern terminal.",
            "image_credit": "NORTHWIRE/Ann Lee",
        },
    ),
    CardPage(
        "parentheses-that-are-not-a-credit",
        "caption",
        page(
            OG + LEAD,
            H1 + '<figure><img src="/2026/lead-storm.jpg"><figcaption>The harbour master '
            "(left) with divers (file photo)</figcaption></figure>",
        ),
        {
            "image_caption": "The harbour master (left) with divers (file photo)",
            "image_credit": None,
        },
    ),
]

DATES = [
    CardPage(
        "date-from-dc-date",
        "date",
        page(OG + '<meta name="dc.date" content="2026-03-02">', H1),
        {"published": "2026-03-02"},
    ),
    CardPage(
        "date-from-dc-date-issued-mixed-case",
        "date",
        page(OG + '<meta name="DC.date.issued" content="2026-03-02T08:15:00+01:00">', H1),
        {"published": "2026-03-02T08:15:00+01:00"},
    ),
    CardPage(
        "date-from-time-in-article-header-not-site-header",
        "date",
        page(
            OG, H1 + '<p class="dateline"><time datetime="2026-03-02T09:00:00Z">2 March</time></p>'
        ),
        {"published": "2026-03-02T09:00:00+00:00"},
    ),
    CardPage(
        "date-from-itemprop-on-a-span",
        "date",
        page(
            OG,
            H1 + '<span itemprop="datePublished" content="2026-03-02T06:30:00+00:00">Monday</span>',
        ),
        {"published": "2026-03-02T06:30:00+00:00"},
    ),
    CardPage(
        "published-time-not-the-updated-one",
        "date",
        page(
            OG,
            H1
            + '<div class="dates"><span>Updated</span> <time datetime="2026-03-03T10:00:00Z">3 March</time>'
            ' <time class="published" datetime="2026-03-02T08:00:00Z">2 March</time></div>',
        ),
        {"published": "2026-03-02T08:00:00+00:00"},
    ),
    CardPage(
        "date-printed-in-words",
        "date",
        page(OG, H1 + "<time>2 March 2026</time>"),
        {"published": "2026-03-02"},
    ),
    CardPage(
        "date-from-rfc-2822-meta",
        "date",
        page(OG + '<meta name="pubdate" content="Mon, 02 Mar 2026 16:21:00 GMT">', H1),
        {"published": "2026-03-02T16:21:00+00:00"},
    ),
    CardPage(
        "date-from-sailthru",
        "date",
        page(OG + '<meta name="sailthru.date" content="2026-03-02 16:21:00">', H1),
        {"published": "2026-03-02T16:21:00"},
    ),
]

HEADLINES = [
    CardPage(
        "headline-without-site-suffix",
        "headline",
        page(
            '<meta property="og:title" content="Channel stays closed after storm | The Harbour Times">'
            '<meta property="og:site_name" content="The Harbour Times">',
            "",
        ),
        {"headline": "Channel stays closed after storm"},
    ),
    CardPage(
        "headline-from-title-without-section-and-domain",
        "headline",
        "<title>Budget vote delayed - Politics - capital-post.test</title><p>Short.</p>",
        {"headline": "Budget vote delayed"},
        url="https://capital-post.test/politics/budget",
    ),
    CardPage(
        "headline-without-date-suffix",
        "headline",
        page(
            '<meta property="og:title" content="Channel stays closed after storm – 2 March 2026">',
            "",
        ),
        {"headline": "Channel stays closed after storm"},
    ),
    CardPage(
        "headline-with-a-real-dash-is-kept",
        "headline",
        page('<meta property="og:title" content="Left - right split widens over port plan">', ""),
        {"headline": "Left - right split widens over port plan"},
    ),
    CardPage(
        "headline-without-site-prefix",
        "headline",
        page(
            '<meta property="og:title" content="Meridian Daily | Ports reopen after storm">'
            '<meta property="og:site_name" content="Meridian Daily">',
            "",
        ),
        {"headline": "Ports reopen after storm"},
        url="https://meridiandaily.test/ports",
    ),
]

CARD_PAGES: list[CardPage] = BYLINES + SECTIONS + CAPTIONS + DATES + HEADLINES


def typical_article() -> str:
    """One page with every pattern at once, about the size of a real article page
    (80 KB: navigation, scripts, a long list of teasers around a short article)."""
    teasers = "".join(
        f'<li><article class="card"><h3><a href="/t/{i}">Other story {i}</a></h3>'
        f'<span class="byline">By Writer {i}</span><time datetime="2026-02-{i % 28 + 1:02d}">x</time>'
        "</article></li>"
        for i in range(150)
    )
    nav = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(200))
    head = (
        OG
        + LEAD
        + '<meta name="author" content="The Harbour Times">'
        + ld(
            {
                "@graph": [
                    {"@type": "NewsArticle", "headline": "Channel stays closed after storm",
                     "publisher": {"@type": "Organization", "name": "The Harbour Times"}},
                    {"@type": "BreadcrumbList", "itemListElement": [
                        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://harbourtimes.test/"},
                        {"@type": "ListItem", "position": 2, "name": "World", "item": "https://harbourtimes.test/world"},
                    ]},
                ]
            }
        )
        + "".join(f'<meta name="x-tracking-{i}" content="{i}">' for i in range(30))
        + "<script>var config = {" + ",".join(f'"k{i}": "{"v" * 40}"' for i in range(800)) + "};</script>"
    )  # fmt: skip
    header = (
        '<a class="kicker" href="/world">World</a>' + H1 + '<p class="byline">By '
        '<a rel="author" href="/p/ann">Ann Lee</a></p><time datetime="2026-03-02T09:00:00Z">'
        "2 March</time>"
        '<div class="hero"><img src="https://img.harbourtimes.test/2026/lead-storm.jpg">'
        '<div class="hero__caption">Waves break over the wall. '
        '<span class="hero__credit">Photo: Ann Lee/Northwire</span></div></div>'
    )
    body = BODY * 6
    return page(head, header, body, after=f"<ul>{teasers}</ul>{TEASERS}").replace(
        "<body>", f"<body><nav><ul>{nav}</ul></nav>"
    )


def large_page() -> str:
    """A heavy page (about 1 MB): the typical article inside a long list of teasers."""
    filler = "".join(
        f'<div class="promo"><a href="/p/{i}"><h3>Promoted story number {i}</h3></a>'
        f"<p>{'Teaser text for another article on the same site. ' * 6}</p>"
        f'<span class="author">Someone {i}</span></div>'
        for i in range(2500)
    )
    return typical_article().replace("</main>", f"</main><div>{filler}</div>")


# A second set, written after the rules above were in place and in shapes they were not
# written against; bench/card_fields.py reports how much of it the rules got right first
# time (see docs/links.md).
VC = '<meta property="og:site_name" content="Valley Courier">'
VC_URL = "https://valleycourier.test/harbour/2026/03/02/channel-stays-closed"
SECOND_SET = [
    CardPage(
        "address-byline-when-meta-names-the-site",
        "byline",
        page(
            VC + '<meta name="author" content="Valley Courier">',
            H1
            + '<address class="author">By <a rel="author" href="/a/dana">Dana Whit</a></address>',
        ),
        {"author": "Dana Whit"},
        url=VC_URL,
    ),
    CardPage(
        "capitalised-byline-when-ld-names-site-staff",
        "byline",
        page(
            VC
            + ld(
                {
                    "@type": "NewsArticle",
                    "author": [{"@type": "Organization", "name": "Valley Courier Staff"}],
                }
            ),
            H1 + '<div class="ArticleHeader-byline"><span>By</span> '
            '<a href="/authors/rafael-ortiz">RAFAEL ORTIZ</a></div>',
        ),
        {"author": "RAFAEL ORTIZ"},
        url=VC_URL,
    ),
    CardPage(
        "agency-byline-without-metadata",
        "byline",
        page(VC, H1 + '<p class="article__byline">Kestrel Press Agency</p>'),
        {"author": "Kestrel Press Agency"},
        url=VC_URL,
    ),
    CardPage(
        "writer-class-when-meta-is-null",
        "byline",
        page(
            VC + '<meta name="author" content="null">', H1 + '<span class="writer">Nika Vos</span>'
        ),
        {"author": "Nika Vos"},
        url=VC_URL,
    ),
    CardPage(
        "no-byline-only-a-most-read-box",
        "byline",
        page(
            VC + '<meta name="author" content="Valley Courier">',
            H1,
            after='<div class="most-read"><a href="/x"><h4>Other</h4><span class="author">Lars Ek</span></a></div>',
        ),
        {"author": None},
        url=VC_URL,
    ),
    CardPage(
        "reporting-line-after-the-body",
        "byline",
        page(
            VC,
            H1,
            body=BODY + '<p class="byline">Reporting by Omar Haddad; editing by Lisa Berg</p>',
        ),
        {"author": "Omar Haddad"},
        url=VC_URL,
    ),
    CardPage(
        "breadcrumb-ld-whose-last-crumb-is-a-short-headline",
        "section",
        page(
            VC
            + ld(
                {
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        {
                            "@type": "ListItem",
                            "position": 1,
                            "item": {
                                "@type": "WebPage",
                                "@id": "https://valleycourier.test/",
                                "name": "Valley Courier",
                            },
                        },
                        {
                            "@type": "ListItem",
                            "position": 2,
                            "item": {
                                "@type": "WebPage",
                                "@id": "https://valleycourier.test/harbour",
                                "name": "Harbour",
                            },
                        },
                        {
                            "@type": "ListItem",
                            "position": 3,
                            "item": {
                                "@type": "WebPage",
                                "@id": VC_URL,
                                "name": "Channel stays closed",
                            },
                        },
                    ],
                }
            ),
            H1,
        ),
        {"section": "Harbour"},
        url=VC_URL,
    ),
    CardPage(
        "microdata-breadcrumbs",
        "section",
        page(
            VC,
            '<ol itemscope itemtype="https://schema.org/BreadcrumbList">'
            '<li itemprop="itemListElement"><a itemprop="item" href="/"><span itemprop="name">Home</span></a></li>'
            '<li itemprop="itemListElement"><a itemprop="item" href="/world"><span itemprop="name">World</span></a></li>'
            "</ol>" + H1,
        ),
        {"section": "World"},
        url=VC_URL,
    ),
    CardPage(
        "rubric-kicker",
        "section",
        page(VC, '<p class="article-header__rubric">Opinion</p>' + H1),
        {"section": "Opinion"},
        url=VC_URL,
    ),
    CardPage(
        "eyebrow-kicker",
        "section",
        page(VC, '<div class="story-eyebrow">Energy</div>' + H1),
        {"section": "Energy"},
        url=VC_URL,
    ),
    CardPage(
        "lead-image-block-with-picture-credit",
        "caption",
        page(
            VC + LEAD,
            H1 + '<div class="lead-image"><img src="/2026/lead-storm.jpg">'
            '<p class="lead-image__caption">Tugs line up at the pier. '
            '<span class="lead-image__credit">Picture: Meridian Daily</span></p></div>',
        ),
        {"image_caption": "Tugs line up at the pier.", "image_credit": "Picture: Meridian Daily"},
        url=VC_URL,
    ),
    CardPage(
        "wordpress-caption-with-photo-by",
        "caption",
        page(
            VC + LEAD,
            H1 + '<div class="wp-caption"><img src="/2026/lead-storm.jpg" width="800">'
            '<p class="wp-caption-text">The harbour at dusk. Photo by Nika Vos</p></div>',
        ),
        {"image_caption": "The harbour at dusk.", "image_credit": "Photo by Nika Vos"},
        url=VC_URL,
    ),
    CardPage(
        "figcaption-with-cite-credit-and-another-crop",
        "caption",
        page(
            VC + LEAD,
            H1 + '<figure><img src="/2026/lead-storm-crop-4x3.jpg"><figcaption>Divers at work '
            "<cite>Ann Lee/Northwire</cite></figcaption></figure>",
        ),
        {"image_caption": "Divers at work", "image_credit": "Ann Lee/Northwire"},
        url=VC_URL,
    ),
    CardPage(
        "lead-video-with-its-own-caption",
        "caption",
        page(
            VC + LEAD,
            H1
            + '<figure class="media--video"><iframe src="https://player.videohost.test/embed/1"></iframe>'
            "<figcaption>Divers at the wall on Monday</figcaption></figure>",
            body=BODY
            + '<figure><img src="/2026/other.jpg"><figcaption>Another picture</figcaption></figure>',
        ),
        {"image_caption": "Divers at the wall on Monday", "image_credit": None},
        url=VC_URL,
    ),
    CardPage(
        "lead-video-block-and-a-photo-further-down",
        "caption",
        page(
            VC + LEAD,
            H1 + '<div data-component="video-block"><button>Play</button></div>',
            body=BODY
            + '<figure><img src="/2026/other.jpg"><figcaption>Another picture. Photo: Sam Hart</figcaption></figure>',
        ),
        {"image_caption": None, "image_credit": None},
        url=VC_URL,
    ),
    CardPage(
        "dcterms-issued-upper-case",
        "date",
        page(VC + '<meta name="DCTERMS.issued" content="2026-03-02">', H1),
        {"published": "2026-03-02"},
        url=VC_URL,
    ),
    CardPage(
        "timestamp-then-last-updated",
        "date",
        page(
            VC,
            H1
            + '<span class="timestamp"><time datetime="2026-03-02T11:00:00+02:00">2 March</time></span>'
            '<p>Last updated <time datetime="2026-03-04T09:00:00+02:00">4 March</time></p>',
        ),
        {"published": "2026-03-02T11:00:00+02:00"},
        url=VC_URL,
    ),
    CardPage(
        "time-in-a-header-meta-list",
        "date",
        page(
            VC,
            H1 + '<ul class="article-meta"><li>By Nika Vos</li>'
            '<li><time datetime="2026-03-02T05:00:00Z">2 March</time></li></ul>',
        ),
        {"published": "2026-03-02T05:00:00+00:00"},
        url=VC_URL,
    ),
    CardPage(
        "headline-with-double-colon-site",
        "headline",
        page(
            '<meta property="og:title" content="Channel stays closed after storm :: Valley Courier">'
            + VC,
            "",
        ),
        {"headline": "Channel stays closed after storm"},
        url=VC_URL,
    ),
    CardPage(
        "headline-with-section-and-site",
        "headline",
        page(
            '<meta property="og:title" content="Channel stays closed after storm | News | Valley Courier">'
            + VC,
            "",
        ),
        {"headline": "Channel stays closed after storm"},
        url=VC_URL,
    ),
    CardPage(
        "title-with-site-first",
        "headline",
        "<title>Valley Courier — Channel stays closed after storm</title>",
        {"headline": "Channel stays closed after storm"},
        url=VC_URL,
    ),
]
