"""Writes to members: sign-up and profile changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Member


class NameTaken(Exception):
    pass


class SignUpRefused(Exception):
    """A banned e-mail address, domain or network."""


def register_member(*, username: str, email: str, password: str, ip: str | None = None) -> Member:
    """Create a member; the caller has validated the form. A race on the name (two sign-ups
    with one name at once) raises NameTaken instead of a database error. The sign-up address
    is kept (for staff) until the retention sweep clears it."""
    from parley.permissions import bans

    if bans.email_banned(email):
        raise SignUpRefused(bans.BANNED_EMAIL_MESSAGE)
    if bans.address_banned(ip):
        raise SignUpRefused(bans.BANNED_ADDRESS_MESSAGE)
    candidate = Member(username=username, email=email)
    validate_password(password, candidate)
    try:
        with transaction.atomic():
            return Member.objects.create_user(
                username=username, email=email, password=password, signup_ip=ip or None
            )
    except IntegrityError as exc:
        raise NameTaken(username) from exc


def update_profile(*, member: Member, country: str, location: str, about: str) -> Member:
    Member.objects.filter(pk=member.pk).update(country=country, location=location, about=about)
    member.refresh_from_db(fields=["country", "location", "about"])
    return member


def change_password(*, member: Any, new_password: str) -> None:
    member.set_password(new_password)
    member.save(update_fields=["password"])


def confirm_email(*, member: Member) -> Member:
    """Mark the member's address confirmed (once: a second click keeps the first time)."""
    with transaction.atomic():
        Member.objects.filter(pk=member.pk, email_confirmed_at__isnull=True).update(
            email_confirmed_at=timezone.now()
        )
    member.refresh_from_db(fields=["email_confirmed_at"])
    return member


def remember_post_format(*, member: Any, fmt: str) -> None:
    """Keep the format a member last posted in, so their next compose form starts in it.
    Called by the posting services inside their transaction; writes only on a change."""
    if getattr(member, "post_format", fmt) == fmt:
        return
    Member.objects.filter(pk=member.pk).update(post_format=fmt)
    member.post_format = fmt
