"""Members' channel choices per kind: rows only where a member differs from the defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from . import kinds
from .models import AlertPreference, Digest, MailSettings


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool
    push: bool

    def allows(self, channel: str) -> bool:
        """A channel with no column of its own is off: members choose only these three."""
        return channel in kinds.CHANNELS and bool(getattr(self, channel))


def default_choice(kind: str) -> Choice:
    return Choice(*(kinds.default(kind, c) for c in kinds.CHANNELS))


def choices_for(
    member_ids: Iterable[int], kind_names: Iterable[str]
) -> dict[tuple[int, str], Choice]:
    """Every (member, kind) asked for, the stored row or the default; one query."""
    ids, names = sorted(set(member_ids)), sorted(set(kind_names))
    result = {(m, k): default_choice(k) for m in ids for k in names}
    if ids and names:
        rows = AlertPreference.objects.filter(member_id__in=ids, kind__in=names)
        for row in rows:
            result[(row.member_id, row.kind)] = Choice(row.in_app, row.email, row.push)
    return result


def member_choices(member_id: int) -> dict[str, Choice]:
    found = choices_for([member_id], kinds.ALL)
    return {k: found[(member_id, k)] for k in kinds.ALL}


@transaction.atomic
def set_preferences(*, member: Any, choices: Mapping[str, Choice]) -> None:
    """Store the member's choices; a choice equal to the default deletes its row."""
    unknown = set(choices) - set(kinds.ALL)
    if unknown:
        raise ValidationError(f"Unknown alert kinds: {', '.join(sorted(unknown))}.")
    for kind, choice in choices.items():
        if choice == default_choice(kind):
            AlertPreference.objects.filter(member=member, kind=kind).delete()
        else:
            AlertPreference.objects.update_or_create(
                member=member,
                kind=kind,
                defaults={"in_app": choice.in_app, "email": choice.email, "push": choice.push},
            )


def set_channel(*, member: Any, kind: str, channel: str, on: bool) -> None:
    """Switch one channel of one kind (the unsubscribe link; the push app on subscribing)."""
    if kind not in kinds.ALL or channel not in kinds.CHANNELS:
        raise ValidationError("Unknown alert kind or channel.")
    current = member_choices(member.pk)[kind]
    values = {c: current.allows(c) for c in kinds.CHANNELS} | {channel: on}
    set_preferences(member=member, choices={kind: Choice(**values)})


def digest_of(member_id: int) -> str:
    row = MailSettings.objects.filter(member_id=member_id).values_list("digest", flat=True).first()
    return row or Digest.OFF


def set_digest(*, member: Any, digest: str) -> None:
    if digest not in Digest.values:
        raise ValidationError("Choose no digest, daily or weekly.")
    MailSettings.objects.update_or_create(member=member, defaults={"digest": digest})
