"""Demo categories, forums and the hand-written threads. All text is Parley's own; the news
article in the Middle East thread and its publication are invented, and its address uses the
reserved `.example` domain so nothing is ever fetched for it."""

from __future__ import annotations

from dataclasses import dataclass, field

# (category, parent category or "", forums as (title, description))
STRUCTURE: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Community", "", (("Members' Lounge", "Introductions, site news and everything off-topic."),)),
    (
        "World Affairs",
        "",
        (
            ("Middle East", "Iraq, Syria, the Gulf, Iran, the Levant and North Africa."),
            ("South Asia", "India, Pakistan, Afghanistan, Bangladesh, Sri Lanka, Nepal."),
            ("Europe & Russia", "The EU, the Baltic, Ukraine, the Caucasus."),
        ),
    ),
    (
        "Defence",
        "",
        (
            ("Land Forces", "Armour, artillery, infantry and the logistics behind them."),
            ("Air Forces", "Combat aircraft, air defence, drones and air policing."),
            ("Naval Forces", "Fleets, shipyards, chokepoints and the shipping they protect."),
        ),
    ),
    (
        "Industry & Procurement",
        "Defence",
        (("Defence Industry", "Budgets, contracts, export deals and production lines."),),
    ),
)

ARTICLE_URL = (
    "https://www.dailyledger.example/world/2026/nov/18/euphrates-dams-leave-farmers-counting-losses"
)
ARTICLE_TITLE = (
    "Upstream dams leave Euphrates farmers counting losses | World news | dailyledger.example"
)

ARTICLE_HEADLINE = "Upstream dams leave Euphrates farmers counting losses"
ARTICLE_IMAGE = "demo/irrigation-channel.jpg"
ARTICLE_CAPTION = "Farmers walk along a dry irrigation channel east of Raqqa."
ARTICLE_CREDIT = "Photograph: Daily Ledger staff"

ARTICLE_TEXT = """Farmers along the middle Euphrates say this year's winter wheat may not be planted at all, after the river fell to its lowest autumn level in living memory, local officials told the Daily Ledger.

Three irrigation districts downstream of the Tabqa reservoir have cut deliveries to one day in five. Pump stations built in the 1980s now sit above the waterline, and diesel for the mobile pumps that replaced them costs more than most smallholders earn from a season.

Officials in the region blame the dams upstream, which they say have held back more water than an old bilateral understanding allows. Engineers on the other side of the border answer that two dry winters in a row leave nothing to release, and that their own reservoirs are at a third of capacity.

"We are asked to share a river that is no longer there," said one district engineer, who asked not to be named because he is not authorised to speak to the press. He said families in four villages had already sold livestock they could no longer water.

Talks between the riparian states were due to resume this month but have been postponed twice. Diplomats familiar with the file say neither side wants to be seen making concessions before the spring, when snowmelt will show how much water there really is to divide.

Aid agencies warn that a failed harvest would push tens of thousands more people into food assistance in an area that has only recently seen displaced families return."""

SEED_SHAPED_POST = f"""[quote source="The Daily Ledger" url={ARTICLE_URL} author="Mariam Okonkwo-Hale" date=2026-11-18]
[img caption="{ARTICLE_CAPTION}" credit="{ARTICLE_CREDIT}"]/media/{ARTICLE_IMAGE}[/img]
{ARTICLE_TEXT}
[/quote]
More here: [url={ARTICLE_URL}]{ARTICLE_TITLE}[/url]

Water will start the next war in this region long before anyone fires a missile, and nobody in the capitals is even pretending to plan for it."""


_PARAGRAPHS = ARTICLE_TEXT.split("\n\n")

# The seed's other shape: article text pasted with no quote tags, the link alone on its line
# (the snapshot below makes it a card), and one line of the member's own. Parley finds the
# pasted paragraphs and shows them as a quote attributed to the Daily Ledger.
PASTED_POST = f"""{_PARAGRAPHS[1]}

{_PARAGRAPHS[4]}

{ARTICLE_URL}?utm_source=twitter&utm_medium=social

The dams get the headlines, but the pump stations were the real failure, and that part was fixable years ago."""


# A long unbroken word and a long address, as members paste them: on a 360 px phone both must
# wrap instead of widening the page (tests/browser/test_every_page.py uses them too).
LONG_WORD = "Hafenlogistiknachtschichtkoordinationsbeauftragtenausbildungsverordnung"
LONG_URL = (
    "https://www.harbourgazette.example/ports/2026/nov/container-terminal-night-shift-"
    "rotations-explained-with-every-berth-crane-and-gate-schedule-in-one-table"
    "?utm_source=parley&utm_medium=forum&utm_campaign=nightshiftlogisticsexplainer"
)
LONG_WORDS_POST = (
    f"My job title in German is one word: {LONG_WORD}. It does not fit on a business card "
    f"either.\n\nThe shift rota is public, if anyone wants to see how it works: {LONG_URL}"
)


@dataclass(frozen=True)
class DemoPost:
    author: str
    body: str
    fmt: str = "bbcode"
    reactions: tuple[tuple[str, str], ...] = ()  # (member, reaction name)
    quote_of: int | None = None  # index of an earlier post in the same thread
    # A name the moderation stage finds the post by (see `parley.demo.moderation`).
    mark: str = ""


@dataclass(frozen=True)
class DemoThread:
    forum: str
    title: str
    posts: tuple[DemoPost, ...]
    sticky: bool = False
    days_ago: float = 2.0
    extra: dict[str, str] = field(default_factory=dict)


THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        "Members' Lounge",
        "Welcome to Parley — read this before your first post",
        (
            DemoPost(
                "kestrel_mod",
                "[b]Welcome![/b] This is a forum for people who follow the news closely and like to argue about it.\n\n"
                "[list]\n[*]Share articles with a link and quote only what you need; say what [i]you[/i] think underneath.\n"
                "[*]Attack arguments, not members.\n[*]Use reactions instead of one-word replies.\n[/list]\n"
                "You can write in BBCode or Markdown — choose under the editor.",
                reactions=(("nadia.r", "Like"), ("baltic_fox", "Like"), ("ironvale", "Haha")),
            ),
            DemoPost(
                "altiplano",
                "Thanks — first post here. Following from Valparaíso, mostly for the trade threads.",
            ),
            DemoPost(
                "lena_m",
                "Hello from Hamburg. I work nights at a port logistics office and read far too much about the Baltic between ships.",
                reactions=(("baltic_fox", "Like"),),
            ),
            DemoPost(
                "lena_m",
                LONG_WORDS_POST,
                reactions=(("altiplano", "Haha"), ("kestrel_mod", "Wow"), ("nadia.r", "Haha")),
            ),
        ),
        sticky=True,
        days_ago=30,
    ),
    DemoThread(
        "Middle East",
        "Euphrates farmers face a lost season as upstream dams hold water",
        (
            DemoPost(
                "ironvale",
                SEED_SHAPED_POST,
                reactions=(
                    ("nadia.r", "Dislike"),
                    ("ferhat", "Dislike"),
                    ("meridian_k", "Like"),
                    ("sahel_watch", "Sad"),
                    ("harbourlight", "Dislike"),
                ),
            ),
            DemoPost(
                "nadia.r",
                'I don\'t buy the "next war" framing. The people I work with east of the river are not waiting for a war, they are waiting for diesel and seed.\n\n'
                "The piece is right about the pumps though — half the stations I have seen are stranded metres above the water.",
                quote_of=0,
                reactions=(("meridian_k", "Like"), ("ferhat", "Like"), ("sahel_watch", "Like")),
            ),
            DemoPost(
                "ferhat",
                "The Turkish-language press tells the mirror-image story: reservoirs at a third, farmers in Şanlıurfa on rationed water too. "
                "Both sides are short; that is exactly why the talks keep slipping.",
                reactions=(("nadia.r", "Like"), ("altiplano", "Wow")),
            ),
            DemoPost(
                "meridian_k",
                "Same pattern as the Indus arguments: a treaty written for average years, and nobody agreed what happens in a drought year. "
                "@ferhat do you know whether the old understanding has any drought clause at all?",
                reactions=(("ferhat", "Like"),),
            ),
            DemoPost(
                "ferhat",
                "No drought clause that I know of. And for what it is worth: the upstream release table for October shows less than a tenth of the agreed flow went through. "
                "None of the English-language coverage mentions that number.",
                reactions=(("meridian_k", "Wow"), ("ironvale", "Dislike")),
                mark="reported",
            ),
        ),
        days_ago=6,
    ),
    DemoThread(
        "Middle East",
        "Euphrates water: the pump stations nobody repaired",
        (
            DemoPost(
                "sahel_watch",
                PASTED_POST,
                reactions=(("nadia.r", "Like"), ("meridian_k", "Like"), ("ironvale", "Dislike")),
            ),
            DemoPost(
                "ferhat",
                "Same article as the other thread, but a better question. Who owns the pump stations now — the districts or the ministry?",
                reactions=(("sahel_watch", "Like"),),
            ),
            DemoPost(
                "ironvale",
                "Ask who paid for the reporter's trip. I looked her up: her family's business and her home town are on public registers, and I can post both here if anyone wants them.",
                mark="deleted",
            ),
        ),
        days_ago=5,
    ),
    DemoThread(
        "South Asia",
        "Monsoon floods test the new disaster-response battalions",
        (
            DemoPost(
                "meridian_k",
                "This season was the first real test for the battalions raised after the last big floods. "
                "Early reports say they were on the ground within a day in most districts, which is a big change.\n\n"
                "What still fails is the last mile: boats and trucks arrive, but local officials don't know who they are supposed to call.",
                reactions=(("sahel_watch", "Like"), ("nadia.r", "Like"), ("kiwi_gunner", "Like")),
            ),
            DemoPost(
                "sahel_watch",
                "We saw the same in Kano two years ago — the equipment was there, the phone tree was not. Drills matter more than kit.",
                reactions=(("meridian_k", "Like"),),
            ),
        ),
        days_ago=4,
    ),
    DemoThread(
        "Land Forces",
        "Towed or self-propelled: what this year's exercises actually showed",
        (
            DemoPost(
                "kiwi_gunner",
                "Every exercise report this year says the same thing: towed guns that stay in place after firing don't live long.\n\n"
                '[quote="a staff college lecture I attended"]Shoot, move, hide — in that order, and the last two matter more.[/quote]\n'
                "But towed guns are cheap and light. For a small army with an airlift problem, is there really an alternative?",
                reactions=(("baltic_fox", "Like"), ("tomasz_p", "Like"), ("ironvale", "Dislike")),
            ),
            DemoPost(
                "ironvale",
                "Small armies should stop buying artillery at all and spend it on drones. Guns are a 20th-century habit.",
                reactions=(
                    ("kiwi_gunner", "Dislike"),
                    ("baltic_fox", "Dislike"),
                    ("tomasz_p", "Haha"),
                ),
            ),
            DemoPost(
                "baltic_fox",
                "Drones run out in a week of heavy jamming; shells don't get jammed. You need both, and the gun crews to survive the first counter-battery hour.",
                reactions=(("kiwi_gunner", "Like"), ("tomasz_p", "Like")),
            ),
            DemoPost(
                "ironvale",
                "Twenty years on towed guns explains a lot. Some people will defend whatever they were issued, however useless it has become.",
                reactions=(("kiwi_gunner", "Dislike"), ("baltic_fox", "Dislike")),
                mark="warned",
            ),
        ),
        days_ago=3,
    ),
    DemoThread(
        "Air Forces",
        "Baltic air policing: how many jets on alert is enough?",
        (
            DemoPost(
                "baltic_fox",
                "Rotations have gone from four jets to eight and back again over the years. From Tallinn it feels like the number follows headlines, not threats.\n\n"
                "[spoiler=My guess]Four on alert, four more on 24-hour notice, and money for ground radar instead of a third squadron.[/spoiler]",
                reactions=(("maple_analyst", "Like"), ("tomasz_p", "Like")),
            ),
            DemoPost(
                "maple_analyst",
                "We have the same debate about the North: alert aircraft matter less than the radar that tells them where to go.",
                reactions=(("baltic_fox", "Like"),),
            ),
        ),
        days_ago=2,
    ),
    DemoThread(
        "Naval Forces",
        "Insurance premiums are the real blockade",
        (
            DemoPost(
                "harbourlight",
                "Nobody needs to sink a ship to close a strait any more. When war-risk premiums triple, half the fleet simply goes round.\n\n"
                "Patrols reassure governments; underwriters are not reassured by patrols, only by months without incidents.",
                reactions=(("altiplano", "Wow"), ("ferhat", "Like"), ("meridian_k", "Like")),
            ),
            DemoPost(
                "tomasz_p",
                "Good point. From the yard side:\n\n"
                "1. Re-routing adds **10–14 days** per voyage\n"
                "2. Owners then want *more* hulls, which is why order books are full\n\n"
                "So a cheap disruption at sea ends up as an expensive boom in shipbuilding.",
                fmt="markdown",
                reactions=(("harbourlight", "Like"), ("altiplano", "Like")),
            ),
        ),
        days_ago=1.5,
    ),
    DemoThread(
        "Defence Industry",
        "Shell production: the numbers nobody can agree on",
        (
            DemoPost(
                "tomasz_p",
                "Every ministry announces a new annual **capacity** figure. Capacity is not output.\n\n"
                "> A line that *could* make a million shells a year, if it had the explosives, makes none.\n\n"
                "Does anyone track actual deliveries rather than press releases?",
                fmt="markdown",
                reactions=(("kiwi_gunner", "Like"), ("baltic_fox", "Like"), ("ironvale", "Like")),
                mark="edited",
            ),
        ),
        days_ago=1,
    ),
    DemoThread(
        "Europe & Russia",
        "Undersea cables in the Baltic: three explainers worth reading",
        (
            DemoPost(
                "lena_m",
                "I have been collecting background on the cable and pipeline incidents. These three explain it better than the news flashes:\n\n"
                "https://www.harbourgazette.example/analysis/2026/nov/baltic-cables-explained\n"
                "https://www.northsea-review.example/security/anchors-and-cables\n"
                "https://www.dailyledger.example/world/2026/nov/20/who-guards-the-seabed\n\n"
                "The second one has the best map of where the cables actually run.",
                mark="pending",
            ),
        ),
        days_ago=0.3,
    ),
)

# What the staff did about the marked posts above (`parley.demo.moderation`). All of it goes
# through the moderation services, so the moderator log shows it.
REPORTS_ON_REPORTED = (
    (
        "ironvale",
        "Misinformation",
        "Made-up number. Nobody has published an October release table.",
    ),
    ("nadia.r", "Misinformation", "Could be true, but there is no source. Please ask for one."),
)
CASE_COMMENT = (
    "kestrel_mod",
    "The table exists: it ran in the Turkish-language press last week, just not in English. "
    "I have asked ferhat for the link; if he posts it, we reject this case.",
)
DELETE_REASON = "Removed: a journalist's private details are not for this forum."
WARNING_TYPE = "Incivility"
WARNING_REASON = "A personal remark about another member's service instead of an argument."
WARNING_NOTICE = "Warned for a personal remark. Argue with the point, not the person."

# Short, generic lines for the long-running roundup threads that give members their message
# counts. Two are joined per post, chosen by a seeded random generator (the demo is the same
# every time it is loaded).
ROUNDUP_THREADS: tuple[tuple[str, str], ...] = (
    ("Members' Lounge", "What are you reading today?"),
    ("Middle East", "Middle East daily roundup"),
    ("South Asia", "South Asia daily roundup"),
    ("Europe & Russia", "Europe daily roundup"),
    ("Land Forces", "Land forces news roundup"),
    ("Air Forces", "Air forces news roundup"),
    ("Naval Forces", "Naval news roundup"),
    ("Defence Industry", "Contracts and deliveries roundup"),
)

ROUNDUP_LINES: tuple[str, ...] = (
    "Interesting piece this morning on grain prices and what they mean for the coming winter.",
    "The official statement says very little; the interesting part is who was not at the press conference.",
    "Worth reading the whole report rather than the headline, the numbers in the annex tell a different story.",
    "Local papers are covering this far better than the wire services.",
    "I would wait for a second source before drawing any conclusions.",
    "That budget line was cut last year and quietly restored this year.",
    "Satellite pictures from last week show the same thing the ministry denies.",
    "The opposition called it a climbdown; the government called it a compromise.",
    "This is the third delay on the same project in two years.",
    "Turnout numbers look better than expected in the rural districts.",
    "A good long read on supply chains that nobody seems to be discussing.",
    "The interview is worth listening to in full, the quotes going round are out of context.",
    "Exercise season again, expect a lot of dramatic photographs and few details.",
    "Fuel prices are going to decide this more than any speech.",
    "Good thread on the history of the border dispute, recommended.",
    "The minister's numbers don't add up: the same money has been announced twice.",
    "Useful map of the new rail corridor in today's edition.",
    "Shipping rates fell again this week, which says something about demand.",
    "Reading between the lines, the deal is further away than either side admits.",
    "This deserves its own thread once more details come out.",
    "Refugee agencies say funding covers barely half of what is needed this year.",
    "Another drone incident near the border, details still unclear.",
    "Parliament passed the procurement bill with a bigger majority than expected.",
    "Export figures are up, but mostly because of one large contract.",
    "Weather is the story nobody covers until the harvest fails.",
    "A sensible editorial for once, arguing for patience over headlines.",
    "The analysts disagree mainly about timing, not direction.",
    "Quiet week. Sometimes no news really is good news.",
)
# What tomasz_p added when he edited his Defence Industry post (marked "edited"): the
# Verified analysts group may read its edit history there; other members see only "Edited".
EDIT_ADDITION = (
    "\n\n*Edit: to be fair, two ministries now publish quarterly delivery figures. "
    "Most still publish only capacity.*"
)
