"""Demo news sources (parley.sources): labelled outlets, trusted agencies, a forum that sends
one source to approval, a newcomer's first post with five trusted links, and two of those
articles with a history (a changed headline, a page that went away). Written through the
services after the rest of the demo; the snapshots are written here because the demo's
addresses use reserved names that are never fetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from parley.forums import services as forum_services
from parley.forums.models import Forum
from parley.links.canonical import canonicalize
from parley.links.models import LinkedPage, PageChange
from parley.members.models import Member
from parley.sources import services, tasks
from parley.sources.models import Label

from .people import DEMO_PASSWORD

STAFF = "kestrel_mod"
NEWCOMER = "first_light"
POLICY_FORUM = "Europe & Russia"
NEWCOMER_FORUM = "Middle East"


@dataclass(frozen=True)
class DemoSource:
    domain: str
    name: str
    country: str
    kind: str
    labels: tuple[str, ...] = ()
    trusted: bool = False
    aliases: tuple[str, ...] = ()


SOURCES = (
    DemoSource("dailyledger.example", "The Daily Ledger", "GB", "newspaper", ("Paywall",)),
    DemoSource("harbourgazette.example", "Harbour Gazette", "DE", "newspaper"),
    DemoSource("northsea-review.example", "North Sea Review", "NO", "magazine", ("Opinion",)),
    DemoSource(
        "continentalwire.example",
        "Continental Wire",
        "FR",
        "agency",
        ("Press agency",),
        trusted=True,
        aliases=("cwire.example",),
    ),
    DemoSource(
        "meridianpress.example", "Meridian Press", "US", "agency", ("Press agency",), trusted=True
    ),
    DemoSource("publicradio.example", "Public Radio Service", "IE", "broadcaster", trusted=True),
    DemoSource(
        "staterelay.example",
        "State Relay TV",
        "",
        "broadcaster",
        ("State-affiliated media",),
        aliases=("relay-tv.example",),
    ),
)


@dataclass(frozen=True)
class DemoArticle:
    url: str
    site: str
    headline: str
    description: str
    text: str
    first_headline: str = ""  # when set, the headline changed after it was shared
    dead: bool = False


ARTICLES = (
    DemoArticle(
        "https://www.continentalwire.example/world/2026/11/river-talks-second-round",
        "Continental Wire",
        "Second round of river talks ends with a joint gauge-reading plan",
        "Engineers from both sides will read the same flow gauges each week.",
        "Delegations agreed to read the main flow gauges together every Monday and to publish "
        "the figures within a day.",
        first_headline="River talks end without agreement",
    ),
    DemoArticle(
        "https://www.meridianpress.example/news/2026/11/pump-station-contracts",
        "Meridian Press",
        "Pump station repair contracts go to tender",
        "Three of the eleven stations are first in line.",
        "The irrigation ministry opened bids for the repair of three pump stations and said the "
        "remaining eight would follow in spring.",
    ),
    DemoArticle(
        "https://publicradio.example/programmes/2026/11/farmers-voices",
        "Public Radio Service",
        "Farmers on the lower river describe a season without water",
        "Growers told reporters they had planted a third of their usual area.",
        "Several growers said they had planted a third of their usual area and sold livestock to "
        "pay for diesel pumps.",
        dead=True,
    ),
    DemoArticle(
        "https://cwire.example/2026/11/dam-release-schedule",
        "Continental Wire",
        "Upstream operator publishes a release schedule for the winter",
        "The schedule covers releases until the end of February.",
        "The operator said releases would rise in January if rainfall in the headwaters stayed "
        "near the average.",
    ),
    DemoArticle(
        "https://www.meridianpress.example/news/2026/11/donor-conference-date",
        "Meridian Press",
        "Donor conference on river basin set for January",
        "Development banks and four governments are expected.",
        "Organisers said development banks and four governments had confirmed they would attend "
        "the January meeting.",
    ),
)

FIRST_POST = (
    "First post after reading here for a while. Five reports from the last two days that, "
    "together, say more than any one of them:\n\n"
    + "\n\n".join(article.url for article in ARTICLES)
    + "\n\nMy take: the gauge-reading plan matters more than the headlines suggest."
)


def _describe_sources(staff: Member, forums: dict[str, Forum]) -> None:
    labels = {label.name: label.pk for label in Label.objects.all()}
    described = {}
    for demo in SOURCES:
        described[demo.domain] = services.save_source(
            actor=staff,
            domain=demo.domain,
            name=demo.name,
            country=demo.country,
            kind=demo.kind,
            trusted=demo.trusted,
            label_ids=[labels[name] for name in demo.labels],
            aliases=demo.aliases,
        )
    services.set_forum_policy(
        actor=staff,
        forum=forums[POLICY_FORUM],
        source=described["staterelay.example"],
        action="approve",
        reason="Staff check that a state broadcaster's clip is news and not a statement.",
    )


def _snapshots(now: datetime) -> None:
    for article in ARTICLES:
        key = canonicalize(article.url)
        seen = now - timedelta(days=1)
        page = LinkedPage.objects.create(
            key=key,
            url=article.url,
            resolved_key=key,
            status=LinkedPage.Status.OK,
            fetched_at=seen if not article.dead else now - timedelta(hours=30),
            checked_at=now - timedelta(hours=2),
            page_title=f"{article.headline} | {article.site}",
            headline=article.headline,
            site_name=article.site,
            description=article.description,
            published=(now - timedelta(days=2)).date().isoformat(),
            article_text=article.text,
            is_dead=article.dead,
        )
        if article.first_headline:
            changed = now - timedelta(hours=6)
            LinkedPage.objects.filter(pk=page.pk).update(
                original_headline=article.first_headline, headline_changed_at=changed
            )
            PageChange.objects.create(
                page=page,
                at=changed,
                kind=PageChange.Kind.HEADLINE,
                before=article.first_headline,
                after=article.headline,
            )
        if article.dead:
            PageChange.objects.create(
                page=page, at=now - timedelta(hours=2), kind=PageChange.Kind.GONE
            )


def _newcomer(now: datetime) -> Member:
    joined = now - timedelta(days=2)
    return Member.objects.create(
        username=NEWCOMER,
        email=f"{NEWCOMER}@members.parley.example",
        password=make_password(DEMO_PASSWORD),
        date_joined=joined,
        email_confirmed_at=joined,
        country="KE",
        location="Kisumu",
        about="Hydrologist, new here. Mostly reading the water threads.",
    )


def add_demo_sources(members: dict[str, Member], forums: dict[str, Forum], now: datetime) -> None:
    _describe_sources(members[STAFF], forums)
    _snapshots(now)
    newcomer = members[NEWCOMER] = _newcomer(now)
    # Five links, none counted: every one is on a trusted source (two on an alias).
    forum_services.start_thread(
        author=newcomer,
        forum=forums[NEWCOMER_FORUM],
        title="Five reports on the river talks, side by side",
        source=FIRST_POST,
        fmt="bbcode",
    )
    # Cards already cooked before the labels existed carry them now (the worker would do the
    # same after the commit; the demo does not wait for it).
    tasks.recook_domains.call([demo.domain for demo in SOURCES])
