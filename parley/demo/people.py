"""Demo members: who they are, where they write from, and how much they have written.

`posts` is how many messages each member ends up with; the loader writes that many real
posts (so every member card is true and `parley recount` changes nothing). `mood` steers
the reactions their posts receive: ironvale's hot takes draw more dislikes than likes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DemoMember:
    username: str
    country: str
    location: str
    joined: date
    posts: int
    mood: str = "liked"  # liked | mixed | disliked
    custom_title: str = ""
    is_staff: bool = False
    about: str = ""
    # Newcomers join relative to the day the demo is loaded, not on a fixed date.
    joined_days_ago: int | None = None


MEMBERS: tuple[DemoMember, ...] = (
    DemoMember(
        "ironvale",
        "US",
        "Columbus, Ohio",
        date(2011, 5, 20),
        1560,
        mood="disliked",
        about="Retired logistics officer. I read three papers a day and agree with none of them.",
    ),
    DemoMember(
        "meridian_k",
        "IN",
        "Pune",
        date(2013, 2, 11),
        620,
        about="Civil engineer; I follow water, power and the monsoon more than elections.",
    ),
    DemoMember(
        "ferhat",
        "TR",
        "Izmir",
        date(2012, 10, 9),
        515,
        mood="mixed",
        about="Translator. I post Turkish-language reporting that rarely reaches English pages.",
    ),
    DemoMember(
        "sahel_watch",
        "NG",
        "Kano",
        date(2016, 9, 3),
        140,
        about="Journalism lecturer watching the Sahel and the Lake Chad basin.",
    ),
    DemoMember(
        "baltic_fox",
        "EE",
        "Tallinn",
        date(2015, 1, 19),
        128,
        about="Reservist and amateur radar spotter on the Gulf of Finland.",
    ),
    DemoMember(
        "harbourlight",
        "SG",
        "Singapore",
        date(2019, 5, 14),
        106,
        about="Shipping analyst. Ask me about insurance premiums in narrow straits.",
    ),
    DemoMember(
        "nadia.r",
        "JO",
        "Amman",
        date(2018, 7, 7),
        61,
        about="Aid worker, mostly refugee logistics. Careful with sources, quick with maps.",
    ),
    DemoMember(
        "kiwi_gunner",
        "NZ",
        "Wellington",
        date(2014, 3, 30),
        44,
        custom_title="Artillery veteran",
        about="Twenty years on towed guns. Opinions on self-propelled ones available on request.",
    ),
    DemoMember(
        "tomasz_p",
        "PL",
        "Gdańsk",
        date(2020, 11, 2),
        31,
        about="Shipyard welder who reads defence budgets for fun. I write in Markdown.",
    ),
    DemoMember(
        "kestrel_mod",
        "GB",
        "Portsmouth",
        date(2011, 4, 2),
        27,
        custom_title="Moderator",
        is_staff=True,
        about="I keep the lights on here. Report a post rather than replying in anger.",
    ),
    DemoMember(
        "altiplano",
        "CL",
        "Valparaíso",
        date(2021, 8, 21),
        12,
        about="Economics student following lithium, copper and Pacific trade.",
    ),
    DemoMember(
        "maple_analyst",
        "CA",
        "Ottawa",
        date(2022, 4, 1),
        7,
        about="Policy researcher, Arctic sovereignty and NORAD modernisation.",
    ),
    DemoMember(
        "moderator",
        "IE",
        "Cork",
        date(2012, 6, 15),
        64,
        custom_title="Super moderator",
        about="One of the super moderators: I read the report queue so you don't have to.",
    ),
    DemoMember(
        "lena_m",
        "DE",
        "Hamburg",
        date(2026, 10, 20),
        1,
        joined_days_ago=40,
        about="Night shift at a port logistics office; the Baltic is my beat.",
    ),
)

# Who moderates what, as an administrator would set it up in the admin.
SUPER_MODERATORS = ("moderator",)  # members of the built-in "Moderators" group
# (member, forum, powers): a moderator of one forum with a chosen set of powers.
FORUM_MODERATORS = (("baltic_fox", "Europe & Russia", ("approve", "delete", "lock", "reports")),)
# A group of its own with rights in one forum only: its members read the edit history of
# everyone's posts there (others see only that a post was edited) and skip the flood limits.
ANALYSTS_GROUP = "Verified analysts"
ANALYSTS_DESCRIPTION = "Members whose sourcing the moderators have checked."
ANALYSTS = ("meridian_k", "harbourlight", "maple_analyst")
ANALYSTS_FORUM = "Defence Industry"
ANALYSTS_PERMS = ("view_history", "bypass_flood")

DEMO_PASSWORD = "parley-demo-password"  # documented in the README; demo data only
