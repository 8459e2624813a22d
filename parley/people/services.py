"""The one write path for people: follows, ignores and custom profile field values.
Views, the admin and the demo call these; each is atomic and safe to repeat (a double
click follows once)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parley.core import stamps

from .models import FieldKind, FieldValue, Follow, Ignore, ProfileField
from .rules import is_staff_member


class Refused(ValueError):
    """A follow or ignore that cannot be; the message says why, for the member."""


# --- follow ------------------------------------------------------------------------------


def follow_member(*, member: Any, target: Any, at: datetime | None = None) -> bool:
    """Follow `target`; True when this made a new follow, False when it already was."""
    if member.pk == target.pk:
        raise Refused("You cannot follow yourself.")
    if not target.is_active:
        raise Refused("That member cannot be followed.")
    with transaction.atomic():
        _row, created = Follow.objects.get_or_create(
            follower_id=member.pk,
            followed_id=target.pk,
            defaults={"created_at": at or timezone.now()},
        )
        # Both pages count follows (followers, following).
        stamps.bump_on_commit(stamps.profile(target.username), stamps.profile(member.username))
    return created


def unfollow_member(*, member: Any, target: Any) -> bool:
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(follower_id=member.pk, followed_id=target.pk).delete()
        stamps.bump_on_commit(stamps.profile(target.username), stamps.profile(member.username))
    return bool(deleted)


# --- ignore ------------------------------------------------------------------------------


def _store_ignored_ids(member: Any) -> None:
    """Rewrite the member's copy of their ignore list from the rows (under the row lock the
    caller holds, so two changes at once cannot lose one)."""
    ids = sorted(Ignore.objects.filter(member_id=member.pk).values_list("ignored_id", flat=True))
    get_user_model().objects.filter(pk=member.pk).update(ignored_ids=ids)
    member.ignored_ids = ids


def ignore_member(*, member: Any, target: Any, at: datetime | None = None) -> bool:
    """Ignore `target`: their posts are collapsed for `member`, and no alert or
    conversation from them reaches `member`. Staff cannot be ignored (as in XenForo)."""
    if member.pk == target.pk:
        raise Refused("You cannot ignore yourself.")
    if is_staff_member(target):
        raise Refused("Staff members cannot be ignored.")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        _row, created = Ignore.objects.get_or_create(
            member_id=member.pk, ignored_id=target.pk, defaults={"created_at": at or timezone.now()}
        )
        _store_ignored_ids(member)
    return created


def unignore_member(*, member: Any, target: Any) -> bool:
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        deleted, _ = Ignore.objects.filter(member_id=member.pk, ignored_id=target.pk).delete()
        _store_ignored_ids(member)
    return bool(deleted)


# --- custom profile fields -------------------------------------------------------------


class FieldErrors(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_value(field: ProfileField, raw: Any) -> str:
    """The value to store for `raw` ("" for none), or ValueError with a message."""
    if isinstance(raw, date):
        raw = raw.isoformat()
    value = str(raw or "").strip()
    if not value:
        if field.required:
            raise ValueError(f"{field.label} is required.")
        return ""
    if field.kind == FieldKind.TEXT:
        if len(value) > field.max_length:
            raise ValueError(f"{field.label} has at most {field.max_length} characters.")
        if "\n" in value or "\r" in value:
            raise ValueError(f"{field.label} is one line.")
    elif field.kind == FieldKind.CHOICE:
        if value not in field.options:
            raise ValueError(f"Choose one of the options for {field.label}.")
    elif field.kind == FieldKind.DATE:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{field.label} is a date (YYYY-MM-DD).") from None
        if not date(1900, 1, 1) <= day <= timezone.now().date():
            raise ValueError(f"{field.label} is a date between 1900 and today.")
        value = day.isoformat()
    return value


def card_fields_of(member_id: int) -> list[list[str]]:
    """[[label, value]] of the member's values that the member card shows."""
    rows = (
        FieldValue.objects.filter(member_id=member_id, field__on_card=True)
        .select_related("field")
        .order_by("field__position", "field__pk")
    )
    return [[row.field.label, row.value] for row in rows]


def set_field_values(*, member: Any, values: Mapping[str, Any]) -> dict[str, str]:
    """Store the member's values of the defined fields (by key): every value is checked
    first, and one bad value changes nothing (FieldErrors names each). A field left out of
    `values` keeps its value; a required one must be filled."""
    fields = {f.key: f for f in ProfileField.objects.all()}
    unknown = set(values) - set(fields)
    errors = {key: "No such field." for key in unknown}
    cleaned: dict[str, str] = {}
    for key, raw in values.items():
        if key in fields:
            try:
                cleaned[key] = clean_value(fields[key], raw)
            except ValueError as exc:
                errors[key] = str(exc)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        for key, value in cleaned.items():
            field = fields[key]
            if value:
                FieldValue.objects.update_or_create(
                    member_id=member.pk, field=field, defaults={"value": value}
                )
            else:
                FieldValue.objects.filter(member_id=member.pk, field=field).delete()
        stamps.bump_on_commit(stamps.CONTENT)  # member pages show the values
        card = card_fields_of(member.pk)
        if card != list(member.card_fields or []):
            get_user_model().objects.filter(pk=member.pk).update(card_fields=card)
            member.card_fields = card
            stamps.bump_on_commit(stamps.SITE)  # guests' pages show the card
    return cleaned


def refresh_card_fields() -> int:
    """After an admin changes a field (label, shown on the card or not): rewrite every
    member's card copy. Rare, so member by member."""
    Member = get_user_model()
    changed = 0
    with transaction.atomic():
        holders = set(FieldValue.objects.values_list("member_id", flat=True))
        for pk, old in Member.objects.values_list("pk", "card_fields").iterator():
            if old:
                holders.add(pk)
        for pk in sorted(holders):
            changed += Member.objects.filter(pk=pk).update(card_fields=card_fields_of(pk))
        stamps.bump_on_commit(stamps.SITE)
    return changed
