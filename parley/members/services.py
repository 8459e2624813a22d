"""Writes to members: sign-up and profile changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from parley.events import kinds
from parley.events.outbox import emit

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
            member = Member.objects.create_user(
                username=username, email=email, password=password, signup_ip=ip or None
            )
            # Webhooks announce sign-ups (docs/webhooks.md).
            emit(kinds.MEMBER_REGISTERED, actor_id=member.pk, member_id=member.pk)
            return member
    except IntegrityError as exc:
        raise NameTaken(username) from exc


def update_profile(*, member: Member, country: str, location: str, about: str) -> Member:
    from parley.core import stamps

    Member.objects.filter(pk=member.pk).update(country=country, location=location, about=about)
    # update() sends no post_save: the member card on guests' cached pages (country,
    # location) must be refreshed here, as the signal does for a save().
    stamps.bump_on_commit(stamps.SITE)
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


class SignatureRefused(ValueError):
    """A signature over a limit; the message says which one."""


def check_signature(source: str, fmt: str) -> tuple[str, str]:
    """(cleaned source, cooked HTML) of a signature within the limits, or SignatureRefused.
    Remote images are never hot-linked (as in posts): they count against the image limit and
    show as links."""
    from django.conf import settings

    from parley.formatting import Format, cook

    source = source.replace("\r\n", "\n").strip()
    if fmt not in {f.value for f in Format}:
        raise SignatureRefused("Choose BBCode or Markdown.")
    max_chars = settings.PARLEY_SIGNATURE_MAX_CHARS
    max_lines = settings.PARLEY_SIGNATURE_MAX_LINES
    max_images = settings.PARLEY_SIGNATURE_MAX_IMAGES
    if len(source) > max_chars:
        raise SignatureRefused(
            f"A signature has at most {max_chars} characters (this one has {len(source)})."
        )
    lines = len(source.splitlines())
    if lines > max_lines:
        raise SignatureRefused(f"A signature has at most {max_lines} lines (this one has {lines}).")
    if not source:
        return "", ""
    cooked = cook(source, fmt, proxy_images=True)
    if len(cooked.images) > max_images:
        raise SignatureRefused(
            f"A signature has at most {max_images} image{'s' if max_images != 1 else ''}."
        )
    return source, cooked.html


def set_signature(*, member: Member, source: str, fmt: str) -> Member:
    """Cook and store the member's signature and move its version, which every cached post
    fragment of theirs is keyed on. Guests' whole pages show signatures too (unless they
    are hidden from guests), so the site stamp moves after the commit."""
    from django.conf import settings
    from django.db.models import F

    from parley.core import stamps

    source, html = check_signature(source, fmt)
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(
            signature_source=source,
            signature_format=fmt,
            signature_html=html,
            signature_version=F("signature_version") + 1,
        )
        if settings.PARLEY_SIGNATURES_FOR_GUESTS:
            stamps.bump_on_commit(stamps.SITE)
    member.refresh_from_db(
        fields=["signature_source", "signature_format", "signature_html", "signature_version"]
    )
    return member


def set_show_online(*, member: Member, show: bool) -> Member:
    Member.objects.filter(pk=member.pk).update(show_online=show)
    member.show_online = show
    return member
