"""The e-mail channel: alert mails, digests and the one-click unsubscribe (RFC 8058).

`send_notices` is registered as the "email" channel: it only queues `send_alert_mails`.
The task mails members with a confirmed address, at most once per watched thread until they
have read it again, plain text and HTML, each mail with `List-Unsubscribe` (a signed link
that turns that mail type off without signing in) and `List-Unsubscribe-Post`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import kinds
from .channels import Notice

log = logging.getLogger(__name__)

_SALT = "parley.alerts.unsubscribe"
DIGEST = "digest"  # the mail type of digests (not an alert kind)
# Unsubscribe links keep working this long (a mail read months later still unsubscribes).
TOKEN_MAX_AGE = 365 * 24 * 3600


def unsubscribe_token(member_id: int, mail_type: str) -> str:
    return signing.dumps({"m": member_id, "t": mail_type}, salt=_SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(member id, mail type) of a good token; None for a forged, damaged or expired one."""
    try:
        data: Any = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    mail_type = data.get("t")
    if mail_type != DIGEST and mail_type not in kinds.ALL:
        return None
    return data["m"], str(mail_type)


def absolute(path: str) -> str:
    return settings.PARLEY_SITE_URL.rstrip("/") + path


def send_notices(notices: list[Notice]) -> None:
    """The "email" channel: queue the mails (a background task sends them in one batch)."""
    from .tasks_mail import send_alert_mails

    send_alert_mails.enqueue([asdict(n) for n in notices])


def _mailable(member_ids: Iterable[int]) -> dict[int, Any]:
    """Members who may be mailed: active, with an address they confirmed."""
    return {
        m.pk: m
        for m in get_user_model()
        .objects.filter(pk__in=set(member_ids), is_active=True, email_confirmed_at__isnull=False)
        .exclude(email="")
    }


def _thread_ids(notices: list[Notice]) -> dict[int, int]:
    from parley.forums.models import Post

    post_ids = {
        int(n.url.rstrip("/").rsplit("/", 1)[1])
        for n in notices
        if n.kind in kinds.NEEDS_WATCH_EMAIL
    }
    return dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "thread_id"))


def _claim_thread_mail(member_id: int, thread_id: int) -> bool:
    """One watched-thread mail until the member has read the thread again: claim the right
    to mail (a row, or a row older than their last read) with one conditional write."""
    from parley.engagement.models import ThreadRead

    from .models import ThreadMailed

    now = timezone.now()
    _row, created = ThreadMailed.objects.get_or_create(
        member_id=member_id, thread_id=thread_id, defaults={"mailed_at": now}
    )
    if created:
        return True
    read_at = Subquery(
        ThreadRead.objects.filter(member_id=member_id, thread_id=thread_id).values("read_at")[:1]
    )
    return bool(
        ThreadMailed.objects.filter(member_id=member_id, thread_id=thread_id)
        .annotate(last_read=read_at)
        .filter(Q(last_read__gt=F("mailed_at")))
        .update(mailed_at=now)
    )


def build(
    member: Any, mail_type: str, subject: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    link = absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(member.pk, mail_type)]))
    context = context | {
        "member": member,
        "unsubscribe": link,
        "preferences": absolute(reverse("alerts:preferences")),
        "site": settings.PARLEY_SITE_URL,
    }
    text = render_to_string(
        f"alerts/mail/{'digest' if mail_type == DIGEST else 'alert'}.txt", context
    )
    html = render_to_string(
        f"alerts/mail/{'digest' if mail_type == DIGEST else 'alert'}.html", context
    )
    mail = EmailMultiAlternatives(
        # One line: a title is member-written text, and a header must not break.
        subject=" ".join(subject.split()),
        body=text,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def send_alert_mails(notices: list[Notice]) -> int:
    """Build and send one mail per notice that passes the rules; returns how many went."""
    members = _mailable(n.member_id for n in notices)
    threads = _thread_ids(notices)
    mails = []
    for notice in notices:
        member = members.get(notice.member_id)
        if member is None:
            continue
        if notice.kind in kinds.NEEDS_WATCH_EMAIL:
            post_id = int(notice.url.rstrip("/").rsplit("/", 1)[1])
            thread_id = threads.get(post_id)
            if thread_id is None or not _claim_thread_mail(member.pk, thread_id):
                continue
        mails.append(
            build(
                member,
                notice.kind,
                notice.title,
                {"notice": notice, "link": absolute(notice.url)},
            )
        )
    return _send(mails)


def _send(mails: list[EmailMultiAlternatives]) -> int:
    if not mails:
        return 0
    try:
        with get_connection() as connection:
            return int(connection.send_messages(mails) or 0)
    except Exception:
        # Raised again so the task is marked failed; the alerts themselves are written.
        log.exception("could not send %d alert mails", len(mails))
        raise
