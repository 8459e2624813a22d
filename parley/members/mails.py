"""Mail to members about their address: the confirmation link after sign-up, and the notice
sent instead of an account when someone signs up with an address that has one.

Both are sent with Django's mail (SMTP when PARLEY_SMTP_HOST is set). A failure is logged,
never shown: the sign-up page must answer the same whatever happened to the mail.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Member

log = logging.getLogger(__name__)

_SALT = "parley.members.confirm-email"


def confirmation_token(member: Member) -> str:
    """A signed, timestamped token naming the member and the address being confirmed: it
    stops working when the address changes or after PARLEY_CONFIRM_EMAIL_MAX_AGE."""
    return signing.dumps({"m": member.pk, "e": member.email.lower()}, salt=_SALT)


def member_for_token(token: str) -> Member | None:
    try:
        data: Any = signing.loads(token, salt=_SALT, max_age=settings.PARLEY_CONFIRM_EMAIL_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    return Member.objects.filter(
        pk=data["m"], email__iexact=str(data.get("e", "")), is_active=True
    ).first()


def _send(subject: str, template: str, context: dict[str, Any], to: str) -> bool:
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # the page answers the same; the log says what went wrong
        log.exception("could not send %r to a member", subject)
        return False
    return True


def send_confirmation(request: HttpRequest, member: Member) -> bool:
    link = request.build_absolute_uri(
        reverse("members:confirm_email", args=[confirmation_token(member)])
    )
    days = settings.PARLEY_CONFIRM_EMAIL_MAX_AGE // 86400
    return _send(
        "Confirm your address on Parley",
        "members/confirm_email.txt",
        {"member": member, "link": link, "days": days},
        member.email,
    )


def send_already_registered(request: HttpRequest, member: Member) -> bool:
    return _send(
        "Someone tried to sign up on Parley with your address",
        "members/already_registered_email.txt",
        {
            "member": member,
            "signin": request.build_absolute_uri(reverse("members:signin")),
            "reset": request.build_absolute_uri(reverse("members:reset")),
        },
        member.email,
    )
