"""One story across outlets in the demo (docs/stories.md): three outlets report the same
cut undersea power cable; two threads share them, and both show the grouping. The articles
live at reserved `.example` names, so their snapshots are written here (as the loader does
for the Euphrates article) and placed in their story through the stories service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from parley.forums import services
from parley.forums.models import Forum
from parley.links.canonical import canonicalize
from parley.links.models import LinkedPage
from parley.members.models import Member
from parley.stories.services import place_page


@dataclass(frozen=True)
class DemoArticle:
    url: str
    outlet: str
    section: str
    headline: str
    description: str
    text: str
    hours_ago: int


ARTICLES = (
    DemoArticle(
        url="https://www.northerncourier.example/europe/2026/baltic-power-cable-cut",
        outlet="The Northern Courier",
        section="Europe",
        headline="Baltic power cable cut; investigators look at a dragged anchor",
        description="The undersea interconnector tripped overnight; grid operators switched "
        "to reserve plants.",
        text="An undersea power cable linking two Baltic grids tripped overnight after what "
        "investigators believe was an anchor dragged along the seabed. The grid operators "
        "switched to reserve plants and said households would not notice. A coastguard "
        "vessel is following a cargo ship that left the area with its anchor chain damaged.",
        hours_ago=34,
    ),
    DemoArticle(
        url="https://balticwire.example/news/2026/interconnector-outage-anchor",
        outlet="Baltic Wire Service",
        section="Energy",
        headline="Undersea interconnector out of service after anchor damage suspected",
        description="Coastguard tracks a cargo ship with a damaged anchor chain.",
        text="The Baltic undersea interconnector went out of service overnight. Grid "
        "operators blamed external damage and brought reserve plants online. The coastguard "
        "is tracking a cargo ship whose anchor chain appears damaged; investigators suspect "
        "the anchor was dragged across the cable.",
        hours_ago=33,
    ),
    DemoArticle(
        url="https://www.harbourcoast.example/shipping/2026/cargo-ship-anchor-cable",
        outlet="Harbour & Coast Review",
        section="Shipping",
        headline="Cargo ship's dragged anchor blamed for Baltic cable outage",
        description="Insurers and grid operators await the coastguard's findings.",
        text="A cargo ship with a damaged anchor chain is at the centre of the investigation "
        "into the Baltic power cable outage. The interconnector tripped overnight and grid "
        "operators turned to reserve plants. Investigators say the anchor was probably "
        "dragged over the cable for several kilometres.",
        hours_ago=30,
    ),
)

THREADS = (
    (
        "baltic_fox",
        "Another Baltic cable down: anchor again?",
        0,
        "Same pattern as the last two incidents, if the early reporting holds.",
    ),
    (
        "tomasz_p",
        "Interconnector outage: the grid held, but for how long?",
        1,
        "The reserve plants carried the load this time. Worth asking what happens in January.",
    ),
)
REPLY = (
    "kiwi_gunner",
    2,
    "The shipping press has more on the anchor chain. Three outlets, one story.",
)


def snapshot(article: DemoArticle, now: datetime) -> LinkedPage:
    at = now - timedelta(hours=article.hours_ago)
    return LinkedPage.objects.create(
        key=canonicalize(article.url),
        url=article.url,
        resolved_key=canonicalize(article.url),
        status=LinkedPage.Status.OK,
        fetched_at=at,
        checked_at=at,
        page_title=f"{article.headline} | {article.section} | {article.outlet}",
        headline=article.headline,
        site_name=article.outlet,
        section=article.section,
        description=article.description,
        published=at.isoformat(),
        article_text=article.text,
    )


def share_story(members: dict[str, Member], forums: dict[str, Forum], now: datetime) -> None:
    """Three outlets' articles, one story, two threads (and a reply linking the third)."""
    for article in ARTICLES:
        place_page(page_id=snapshot(article, now).pk)
    forum = forums["Europe & Russia"]
    threads = []
    for offset, (author, title, index, opinion) in enumerate(THREADS):
        threads.append(
            services.start_thread(
                author=members[author],
                forum=forum,
                title=title,
                source=f"{ARTICLES[index].url}\n\n{opinion}",
                fmt="bbcode",
                at=now - timedelta(hours=28 - 2 * offset),
            )
        )
    author, index, text = REPLY
    services.reply_to_thread(
        author=members[author],
        thread=threads[1],
        source=f"{ARTICLES[index].url}\n\n{text}",
        fmt="bbcode",
        at=now - timedelta(hours=22),
    )
