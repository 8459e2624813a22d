"""Every write to conversations. Keyword-only, atomic; validation errors change nothing.

Counters move with `F()` in the same transaction as the message they count, and
`last_message` only ever moves forward (`Greatest`), as for threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from parley.events import kinds, outbox
from parley.formatting import RENDER_VERSION
from parley.forums.cooking import cook_post
from parley.forums.models import ReactionType
from parley.forums.validation import validate_body, validate_format, validate_title

from . import unread
from .hooks import leave_listeners
from .models import (
    AcceptFrom,
    Conversation,
    ConversationPreference,
    Message,
    MessageReaction,
    MessageReport,
    MessageRevision,
    Participant,
)
from .policy import refusal_reason


def message_url(message_id: int) -> str:
    return reverse("conversations:message", args=[message_id])


def _cook(source: str, fmt: str) -> dict[str, Any]:
    cooked, _previews = cook_post(source, fmt, quote_url=message_url)
    return {
        "cooked_html": cooked.html,
        "plain_text": cooked.text,
        "render_version": RENDER_VERSION,
    }


def _check_recipients(starter: Any, members: Sequence[Any], *, starter_is_staff: bool) -> None:
    errors = [
        reason
        for member in members
        if (reason := refusal_reason(starter, member, sender_is_staff=starter_is_staff))
    ]
    if errors:
        raise ValidationError(errors, code="refused")


def _add_message(
    conversation: Conversation, author: Any, source: str, fmt: str, token: str | None
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        author=author,
        created_at=now,
        source=source,
        format=fmt,
        idempotency_key=token,
        **_cook(source, fmt),
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        message_count=F("message_count") + 1,
        # Coalesce: GREATEST with NULL is NULL on SQLite.
        last_message_id=Greatest(Coalesce(F("last_message_id"), 0), message.pk),
        last_message_at=Greatest(F("last_message_at"), now),
    )
    others = Participant.objects.filter(conversation=conversation, left_at__isnull=True).exclude(
        member_id=author.pk
    )
    recipients = list(others.values_list("member_id", flat=True))
    unread.forget(recipients)
    others.update(is_unread=True)
    # Written with the message, for the alerts, mail and push subscribers (docs/events.md);
    # the recipients are in the payload because a conversation has no forum to filter by.
    outbox.emit(
        kinds.CONVERSATION_MESSAGE,
        actor_id=author.pk,
        payload={
            "conversation": conversation.pk,
            "message": message.pk,
            "recipients": recipients,
        },
    )
    return message


class DuplicateSubmission(Exception):
    """The token was used for another message (other text, or another conversation): a
    retry finds its message, but a token is never a way to reach a different one."""

    def __init__(self, message: Message) -> None:
        super().__init__("This form was already used to send another message.")
        self.message = message


def _existing(
    author: Any, token: str | None, *, source: str, conversation_id: int | None = None
) -> Message | None:
    """The message an earlier submission with this token wrote, when this is a retry of
    it; DuplicateSubmission when the token wrote something else."""
    if not token:
        return None
    found = Message.objects.filter(author_id=author.pk, idempotency_key=token).first()
    if found is None:
        return None
    other_place = conversation_id is not None and found.conversation_id != conversation_id
    if other_place or found.source != source:
        raise DuplicateSubmission(found)
    return found


def start_conversation(
    *,
    starter: Any,
    recipients: Sequence[Any],
    title: str,
    source: str,
    fmt: str,
    open_invite: bool = False,
    token: str | None = None,
    starter_is_staff: bool = False,
) -> Conversation:
    """Start a conversation; a resubmitted form (same token) finds the first one."""
    title = validate_title(title)
    source = validate_body(source)
    fmt = validate_format(fmt)
    found = _existing(starter, token, source=source)
    if found is not None:
        return found.conversation
    recipients = list({m.pk: m for m in recipients}.values())
    if not recipients:
        raise ValidationError("Name at least one member to write to.", code="no_recipients")
    limit = settings.PARLEY_CONVERSATION_MAX_PARTICIPANTS
    if len(recipients) + 1 > limit:
        raise ValidationError(f"A conversation holds at most {limit} members.", code="too_many")
    _check_recipients(starter, recipients, starter_is_staff=starter_is_staff)
    now = timezone.now()
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                title=title,
                starter=starter,
                created_at=now,
                last_message_at=now,
                open_invite=open_invite,
            )
            Participant.objects.bulk_create(
                [Participant(conversation=conversation, member=starter, joined_at=now)]
                + [
                    Participant(conversation=conversation, member=m, joined_at=now)
                    for m in recipients
                ]
            )
            _add_message(conversation, starter, source, fmt, token)
    except IntegrityError:
        # The same form submitted twice at once: the other request wrote it.
        found = _existing(starter, token, source=source)
        if found is None:
            raise
        return found.conversation
    conversation.refresh_from_db()
    return conversation


def reply_to_conversation(
    *, place: Participant, source: str, fmt: str, token: str | None = None
) -> Message:
    """Add a message as the participant `place` (the views get it from the policy)."""
    source = validate_body(source)
    fmt = validate_format(fmt)
    here = place.conversation_id
    found = _existing(place.member, token, source=source, conversation_id=here)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _add_message(place.conversation, place.member, source, fmt, token)
    except IntegrityError:
        found = _existing(place.member, token, source=source, conversation_id=here)
        if found is None:
            raise
        return found


@transaction.atomic
def invite_to_conversation(
    *, place: Participant, members: Sequence[Any], inviter_is_staff: bool = False
) -> list[Participant]:
    """Invite members (the views check `can_invite`). A member who left comes back."""
    conversation = place.conversation
    current = set(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    members = [m for m in {m.pk: m for m in members}.values()]
    if not members:
        raise ValidationError("Name at least one member to invite.", code="no_recipients")
    already = [m.username for m in members if m.pk in current]
    if already:
        raise ValidationError(
            f"Already taking part: {', '.join(already)}.", code="already_participant"
        )
    limit = settings.PARLEY_CONVERSATION_MAX_PARTICIPANTS
    if len(current) + len(members) > limit:
        raise ValidationError(f"A conversation holds at most {limit} members.", code="too_many")
    _check_recipients(place.member, members, starter_is_staff=inviter_is_staff)
    now = timezone.now()
    places = []
    for member in members:
        row, _created = Participant.objects.update_or_create(
            conversation=conversation,
            member=member,
            defaults={"left_at": None, "joined_at": now, "is_unread": True},
        )
        places.append(row)
    unread.forget([m.pk for m in members])
    # An invitation is announced like a message (alerts tell the invited members); the
    # message named is the latest, where the invited member starts reading.
    outbox.emit(
        kinds.CONVERSATION_MESSAGE,
        actor_id=place.member_id,
        payload={
            "conversation": conversation.pk,
            "message": conversation.last_message_id,
            "recipients": [m.pk for m in members],
            "invited": True,
        },
    )
    return places


@transaction.atomic
def leave_conversation(*, place: Participant) -> None:
    Participant.objects.filter(pk=place.pk).update(
        left_at=timezone.now(), is_unread=False, is_starred=False
    )
    unread.forget([place.member_id])
    for listener in leave_listeners:
        listener(place.conversation_id, place.member_id)


def mark_read(*, place: Participant) -> None:
    """Called by the conversation page; writes (and opens a transaction) only when there is
    something to clear, so reading a read conversation costs no query."""
    if not place.is_unread:
        return
    with transaction.atomic():
        Participant.objects.filter(pk=place.pk).update(is_unread=False)
        place.is_unread = False
        unread.forget([place.member_id])


@transaction.atomic
def mark_unread(*, place: Participant) -> None:
    Participant.objects.filter(pk=place.pk).update(is_unread=True)
    unread.forget([place.member_id])


@transaction.atomic
def set_star(*, place: Participant, starred: bool) -> None:
    Participant.objects.filter(pk=place.pk).update(is_starred=starred)


class EditConflict(Exception):
    """Someone saved the message after the editor opened it."""


@transaction.atomic
def edit_message(
    *,
    message: Message,
    editor: Any,
    source: str,
    fmt: str,
    reason: str = "",
    base_revision: int | None = None,
) -> Message:
    """Replace a message's text, keeping the old version in its history (author only: the
    views check `can_edit_message`)."""
    source = validate_body(source)
    fmt = validate_format(fmt)
    current = Message.objects.select_for_update().get(pk=message.pk)
    if base_revision is not None and base_revision != current.revision:
        raise EditConflict
    if current.source == source and current.format == fmt:
        return current
    now = timezone.now()
    MessageRevision.objects.create(
        message=current,
        number=current.revision,
        source=current.source,
        format=current.format,
        cooked_html=current.cooked_html,
        created_at=current.edited_at or current.created_at,
        replaced_at=now,
        reason=reason[:300],
    )
    for field, value in _cook(source, fmt).items():
        setattr(current, field, value)
    current.source, current.format = source, fmt
    current.revision += 1
    current.edited_at = now
    current.save()
    return current


@transaction.atomic
def react_to_message(*, message: Message, member: Any, type_id: int | None) -> None:
    """Set (or with `type_id=None` remove) the member's reaction to a message."""
    if message.author_id == member.pk:
        raise ValidationError("You cannot react to your own message.", code="own_message")
    if type_id is None:
        MessageReaction.objects.filter(message=message, member=member).delete()
        return
    if not ReactionType.objects.filter(pk=type_id, is_active=True).exists():
        raise ValidationError("Choose one of the reactions offered.", code="bad_reaction")
    MessageReaction.objects.update_or_create(
        message=message, member=member, defaults={"type_id": type_id, "created_at": timezone.now()}
    )


@transaction.atomic
def set_accept_from(*, member: Any, accept_from: str) -> None:
    if accept_from not in AcceptFrom.values:
        raise ValidationError("Choose who may start conversations with you.", code="bad_choice")
    ConversationPreference.objects.update_or_create(
        member=member, defaults={"accept_from": accept_from}
    )


@transaction.atomic
def report_message(*, message: Message, reporter: Any, reason: str) -> MessageReport:
    """File a report of one message (the views check the reporter takes part). A second
    report by the same member while the first is open finds the first."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("Say what is wrong with this message.", code="empty_reason")
    if len(reason) > 1000:
        raise ValidationError("Keep the reason to 1,000 characters.", code="long_reason")
    if message.author_id == reporter.pk:
        raise ValidationError("You cannot report your own message.", code="own_message")
    open_report = MessageReport.objects.filter(
        message=message, reporter=reporter, resolved_at__isnull=True
    ).first()
    if open_report is not None:
        return open_report
    return MessageReport.objects.create(
        message=message,
        reporter=reporter,
        author_id=message.author_id,
        reason=reason,
        message_html=message.cooked_html,
        created_at=timezone.now(),
    )


@transaction.atomic
def resolve_message_report(*, report: MessageReport, moderator: Any) -> None:
    MessageReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
