"""Who may see and do what in conversations — the Guardian-style policy of this app.

The one rule: only a current participant sees a conversation or anything in it. Everyone
else, staff included, gets the same 404 as for a conversation that does not exist, from
every page and endpoint; every view reaches a conversation through `ensure_participant`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parley.permissions.guardian import Guardian

from .hooks import refusal_checks
from .models import AcceptFrom, Conversation, ConversationPreference, Message, Participant

NOT_FOUND = "No such conversation."
# Ids above this fit no row (64-bit keys); asking the database would overflow instead.
MAX_ID = 2**63 - 1


class ConversationPolicy:
    def __init__(self, guardian: Guardian) -> None:
        self.guardian = guardian
        self.user = guardian.user

    @classmethod
    def for_request(cls, request: Any) -> ConversationPolicy:
        return cls(Guardian.for_request(request))

    # --- seeing -------------------------------------------------------------------------
    def participant(self, conversation_id: int) -> Participant | None:
        """The viewer's current place in the conversation (with the conversation), or None."""
        if not self.guardian.is_member or conversation_id > MAX_ID:
            return None
        return (
            Participant.objects.select_related("conversation")
            .filter(conversation_id=conversation_id, member_id=self.user.pk, left_at__isnull=True)
            .first()
        )

    def can_see_conversation(self, conversation: Conversation) -> bool:
        return self.participant(conversation.pk) is not None

    def ensure_participant(self, conversation_id: int) -> Participant:
        place = self.participant(conversation_id)
        if place is None:
            raise Http404(NOT_FOUND)
        return place

    def ensure_message(self, message_id: int) -> tuple[Message, Participant]:
        """A message and the viewer's place in its conversation; one query either way, so
        a message that exists and one that does not answer alike."""
        if not self.guardian.is_member or message_id > MAX_ID:
            raise Http404(NOT_FOUND)
        message = (
            Message.objects.select_related("conversation", "author")
            .filter(
                pk=message_id,
                conversation__participants__member_id=self.user.pk,
                conversation__participants__left_at__isnull=True,
            )
            .first()
        )
        if message is None:
            raise Http404(NOT_FOUND)
        place = Participant(conversation=message.conversation, member_id=self.user.pk, left_at=None)
        return message, place

    # --- acting -------------------------------------------------------------------------
    @property
    def write_block_reason(self) -> str:
        return self.guardian.write_block_reason

    def can_invite(self, place: Participant) -> bool:
        conversation = place.conversation
        return self.guardian.may_write and (
            conversation.open_invite or conversation.starter_id == self.user.pk
        )

    @property
    def handles_message_reports(self) -> bool:
        """Reports of messages belong to no forum: super moderators and admins handle them."""
        return self.guardian.is_super_moderator or self.guardian.is_admin

    def ensure_handles_message_reports(self) -> None:
        if not self.handles_message_reports:
            raise Http404("No such page.")

    def can_edit_message(self, message: Message) -> bool:
        """Only the author edits a message (staff never see it to begin with)."""
        return self.guardian.may_write and message.author_id == self.user.pk


def refusal_reason(sender: Any, recipient: Any, *, sender_is_staff: bool) -> str:
    """Why `recipient` does not take a conversation from `sender`; empty when they do."""
    if recipient.pk == sender.pk:
        return "You cannot start a conversation with yourself."
    if not recipient.is_active:
        return f"{recipient.username} does not accept conversations."
    pref = ConversationPreference.objects.filter(member_id=recipient.pk).first()
    if pref is not None and pref.accept_from == AcceptFrom.NOBODY and not sender_is_staff:
        return f"{recipient.username} does not accept conversations."
    for check in refusal_checks:
        reason = check(sender, recipient)
        if reason:
            return reason
    return ""
