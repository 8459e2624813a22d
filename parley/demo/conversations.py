"""A private conversation among three demo members, written through the conversation
services: meridian_k starts it with ferhat and sahel_watch, ferhat answers with a quote,
meridian_k reacts. sahel_watch has not opened it yet, so their header shows 1 unread."""

from __future__ import annotations

from parley.conversations import services
from parley.conversations.models import Participant
from parley.forums.models import ReactionType
from parley.members.models import Member

TITLE = "Sharing notes before the water-talks thread"
OPENING = (
    "Before I post in the public thread: does either of you have the upstream flow figures "
    "for last October? I would rather check them [b]privately[/b] than guess in public."
)
QUOTE_REPLY = (
    "I have the ministry's table somewhere; I will dig it out tonight. @sahel_watch, "
    "you mentioned the dam readings last week, do you still have them?"
)


def converse(members: dict[str, Member]) -> None:
    starter, ferhat, sahel = members["meridian_k"], members["ferhat"], members["sahel_watch"]
    conversation = services.start_conversation(
        starter=starter, recipients=[ferhat, sahel], title=TITLE, source=OPENING, fmt="bbcode"
    )
    opening = conversation.last_message
    assert opening is not None
    place = Participant.objects.select_related("conversation", "member").get(
        conversation=conversation, member=ferhat
    )
    quote = f'[quote="{starter.username}" post={opening.pk}]\n{OPENING}\n[/quote]\n\n'
    services.reply_to_conversation(place=place, source=quote + QUOTE_REPLY, fmt="bbcode")
    services.mark_read(place=Participant.objects.get(conversation=conversation, member=ferhat))
    like = ReactionType.objects.filter(score__gt=0).order_by("position", "id").first()
    if like is not None:
        reply = conversation.messages.order_by("-id").first()
        assert reply is not None
        services.react_to_message(message=reply, member=starter, type_id=like.pk)
    # meridian_k read the reply (and reacted); sahel_watch has not looked yet.
    services.mark_read(place=Participant.objects.get(conversation=conversation, member=starter))
