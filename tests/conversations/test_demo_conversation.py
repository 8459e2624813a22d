"""The demo's conversation: three members, written through the services, exact counters,
and unread for the member who has not opened it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from parley.conversations.models import Conversation, Participant
from parley.conversations.recount import recount_conversations
from parley.members.models import Member

pytestmark = pytest.mark.django_db


def test_demo_has_a_conversation_among_three_members(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)
    conversation = Conversation.objects.get()
    names = set(conversation.participants.values_list("member__username", flat=True))
    assert names == {"meridian_k", "ferhat", "sahel_watch"}
    assert conversation.message_count == 2
    assert recount_conversations() == []
    unread = set(
        Participant.objects.filter(is_unread=True).values_list("member__username", flat=True)
    )
    assert unread == {"sahel_watch"}
    # Private messages never count on the public card.
    ferhat = Member.objects.get(username="ferhat")
    from parley.forums.counters import COUNTED
    from parley.forums.models import Post

    assert ferhat.message_count == Post.objects.filter(COUNTED, author=ferhat).count()
