"""Demo live-event threads (parley.liveevents, docs/liveevents.md): a breaking story with a
timeline and slow mode, and a live thread that filled up and continued into part 2. Written
through the services, backdated, after the rest of the community exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from parley.forums import services as forum_services
from parley.forums.models import Forum, Post, Thread
from parley.liveevents import services
from parley.members.models import Member

CYCLONE_FORUM = "South Asia"
CYCLONE_TITLE = "Live: cyclone makes landfall on the Bay of Bengal coast"
CYCLONE_OPENING = (
    "Starting a live thread for the cyclone. The meteorological office upgraded it to a "
    "very severe storm overnight and landfall is expected this morning. Please pin-worthy "
    "updates only with a source; opinions are welcome, but slow mode is on so the thread "
    "stays readable."
)
# (minutes before now, author, text, timeline summary or "")
CYCLONE_POSTS: tuple[tuple[int, str, str, str], ...] = (
    (
        170,
        "kiwi_gunner",
        "Coastal districts have ordered evacuations; the state broadcaster says about "
        "400,000 people have moved to shelters since last night.",
        "Evacuation orders for coastal districts; about 400,000 in shelters",
    ),
    (
        150,
        "meridian_k",
        "Worth remembering how much the shelter network was expanded after the last big "
        "storm. The death toll then was driven by storm surge, not wind.",
        "",
    ),
    (
        128,
        "nadia.r",
        "The port authority has suspended all loading and moved ships out to anchorage.",
        "Main port closes and ships move out to anchorage",
    ),
    (
        105,
        "altiplano",
        "Landfall confirmed by the met office a few minutes ago, south of the delta, "
        "with sustained winds reported around 180 km/h.",
        "Landfall south of the delta, winds around 180 km/h",
    ),
    (
        90,
        "harbourlight",
        "Power cut to most of the coastal grid, deliberately, according to the utility: "
        "they shut it down before the surge to avoid electrocutions.",
        "",
    ),
    (
        62,
        "kiwi_gunner",
        "The navy says two ships and helicopters are on standby for rescue once the winds "
        "drop below flying limits.",
        "Navy puts ships and helicopters on standby for rescue",
    ),
    (
        35,
        "tomasz_p",
        "Reading the updates from abroad: the early-warning system seems to have done its "
        "job again. Impressive if the numbers hold.",
        "",
    ),
    (
        12,
        "nadia.r",
        "First official figure: the disaster agency reports six deaths, mostly from "
        "falling trees, and says the surge was lower than forecast.",
        "Disaster agency reports six deaths; surge lower than forecast",
    ),
)

FERRY_FORUM = "Europe & Russia"
FERRY_TITLE = "Live: ferry fire in the central Baltic"
FERRY_OPENING = (
    "A passenger ferry has reported a fire in its car deck in the central Baltic. Rescue "
    "coordination centres on both shores are involved. Updates here, please."
)
FERRY_LIMIT = 20
FERRY_VOICES = ("baltic_fox", "tomasz_p", "nadia.r", "harbourlight", "kiwi_gunner", "altiplano")
FERRY_LINES = (
    "Coast guard confirms the fire started on the lower car deck.",
    "Two rescue helicopters are on their way, one from each side.",
    "The operator says all passengers are at the muster stations.",
    "A second ferry in the area has turned to stand by.",
    "Weather on scene is fair, which helps the lifeboats.",
    "Sprinklers on the car deck reportedly worked only in part.",
    "Around 300 passengers and 60 crew on board, per the operator.",
    "Some passengers are being lifted off by helicopter as a precaution.",
    "The fire is said to be contained but not out.",
    "Tugs have been sent to tow the ship if the engines stay off.",
    "Not speculating on the cause until the investigators speak.",
    "The investigation board of the flag state has opened a case.",
    "Electric cars on the deck will be part of the question, inevitably.",
    "Passengers who stayed aboard are being moved to the upper decks.",
    "The towing line is attached; the ship is heading for port.",
    "Arrival in port expected late tonight.",
    "Ambulances and a reception centre are waiting at the terminal.",
    "No serious injuries reported so far, only smoke inhalation.",
)
FERRY_PINS = {
    0: "Fire reported on the lower car deck",
    7: "Passengers lifted off by helicopter as a precaution",
    14: "Ship under tow, heading for port",
}
FERRY_PART2_LINES = (
    ("baltic_fox", "The ferry is alongside; all passengers are ashore."),
    ("nadia.r", "The investigators will board tomorrow morning."),
)


def _reply(thread: Thread, member: Member, text: str, at: datetime) -> Post:
    return forum_services.reply_to_thread(
        author=member, thread=thread, source=text, fmt="bbcode", at=at
    )


def load_live_events(members: dict[str, Member], forums: dict[str, Forum], now: datetime) -> None:
    _cyclone(members, forums[CYCLONE_FORUM], now)
    _ferry(members, forums[FERRY_FORUM], now)


def _cyclone(members: dict[str, Member], forum: Forum, now: datetime) -> None:
    moderator = members["moderator"]
    start = now - timedelta(minutes=190)
    thread = forum_services.start_thread(
        author=members["nadia.r"],
        forum=forum,
        title=CYCLONE_TITLE,
        source=CYCLONE_OPENING,
        fmt="bbcode",
        at=start,
    )
    # The starter makes it live; a moderator turns slow mode on as the thread speeds up.
    services.mark_live_event(actor=members["nadia.r"], thread=thread, at=start)
    services.set_live_event_options(
        actor=moderator, thread=thread, slow_mode_seconds=120, post_limit=1000
    )
    for minutes, name, text, summary in CYCLONE_POSTS:
        post = _reply(thread, members[name], text, now - timedelta(minutes=minutes))
        if summary:
            pinner = moderator if minutes % 2 else members["nadia.r"]
            services.pin_post(actor=pinner, post=post, summary=summary)


def _ferry(members: dict[str, Member], forum: Forum, now: datetime) -> None:
    start = now - timedelta(days=2, hours=3)
    starter = members["baltic_fox"]
    thread = forum_services.start_thread(
        author=starter, forum=forum, title=FERRY_TITLE, source=FERRY_OPENING, fmt="bbcode", at=start
    )
    services.mark_live_event(actor=starter, thread=thread, post_limit=FERRY_LIMIT, at=start)
    at = start
    for index, text in enumerate(FERRY_LINES + FERRY_LINES[:1]):
        at += timedelta(minutes=7)
        voice = FERRY_VOICES[index % len(FERRY_VOICES)]
        line = text if index < len(FERRY_LINES) else "Part 2 should open any moment now."
        post = _reply(thread, members[voice], line, at)
        if index in FERRY_PINS:
            services.pin_post(actor=starter, post=post, summary=FERRY_PINS[index])
    # The 20th post crossed the limit: what the outbox subscriber does after a commit, done
    # here at the demo's time (the subscriber then finds it done).
    part2 = services.continue_live_event(thread_id=thread.pk, at=at + timedelta(minutes=1))
    assert part2 is not None, "the demo's ferry thread should have continued"
    for offset, (name, text) in enumerate(FERRY_PART2_LINES, start=1):
        _reply(part2, members[name], text, now - timedelta(minutes=30 // offset))
