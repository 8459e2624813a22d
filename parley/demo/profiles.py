"""Demo people: signatures, the two custom profile fields, follows and one ignore
(docs/people.md). Written through the services, like everything else in the demo."""

from __future__ import annotations

from datetime import datetime, timedelta

from parley.members.models import Member
from parley.members.services import set_signature
from parley.people import services as people
from parley.people.models import FieldKind, ProfileField

SIGNATURES = {
    "ironvale": ("bbcode", "[i]Three papers a day, zero agreements.[/i]"),
    "meridian_k": ("markdown", "Water first, politics second. *Pune*"),
    "ferhat": ("bbcode", "Translating what the wires skip · [b]TR ↔ EN[/b]"),
    "sahel_watch": ("markdown", "Notes from Kano. Sources before takes."),
    "kiwi_gunner": ("bbcode", "[i]Ubique.[/i]"),
}

EXPERTISE = [
    "Defence and security",
    "Energy and water",
    "Economics",
    "Elections",
    "Translation and media",
    "Logistics",
]

FIELDS = {
    "ironvale": {"country_of_origin": "United States", "expertise": "Logistics"},
    "meridian_k": {"country_of_origin": "India", "expertise": "Energy and water"},
    "ferhat": {"country_of_origin": "Türkiye", "expertise": "Translation and media"},
    "sahel_watch": {"country_of_origin": "Nigeria", "expertise": "Elections"},
    "kiwi_gunner": {"country_of_origin": "New Zealand", "expertise": "Defence and security"},
    "maple_analyst": {"expertise": "Economics"},
}

# (follower, followed)
FOLLOWS = [
    ("meridian_k", "sahel_watch"),
    ("meridian_k", "ferhat"),
    ("ferhat", "meridian_k"),
    ("sahel_watch", "ferhat"),
    ("lena_m", "ironvale"),
    ("tomasz_p", "baltic_fox"),
    ("harbourlight", "maple_analyst"),
]
# nadia.r has had enough of ironvale's hot takes.
IGNORES = [("nadia.r", "ironvale")]


def load_people(members: dict[str, Member], now: datetime) -> None:
    ProfileField.objects.get_or_create(
        key="country_of_origin",
        defaults={"label": "Country", "kind": FieldKind.TEXT, "max_length": 60, "position": 1},
    )
    ProfileField.objects.get_or_create(
        key="expertise",
        defaults={
            "label": "Area of expertise",
            "kind": FieldKind.CHOICE,
            "choices": "\n".join(EXPERTISE),
            "on_card": True,
            "position": 2,
        },
    )
    for name, (fmt, source) in SIGNATURES.items():
        set_signature(member=members[name], source=source, fmt=fmt)
    for name, values in FIELDS.items():
        people.set_field_values(member=members[name], values=values)
    for i, (follower, followed) in enumerate(FOLLOWS):
        people.follow_member(
            member=members[follower], target=members[followed], at=now - timedelta(days=30 - i)
        )
    for member, ignored in IGNORES:
        people.ignore_member(member=members[member], target=members[ignored], at=now)
