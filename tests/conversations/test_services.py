from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from parley.conversations import services
from parley.conversations.models import (
    AcceptFrom,
    Conversation,
    Message,
    Participant,
)
from parley.conversations.recount import recount_conversations
from parley.conversations.unread import unread_count
from parley.forums.models import ReactionType


def place(conversation: Conversation, member) -> Participant:
    return Participant.objects.select_related("conversation", "member").get(
        conversation=conversation, member=member
    )


def test_start_cooks_the_message_and_sets_the_counters(talk, member, other):
    message = Message.objects.get(conversation=talk)
    assert "<strong>hello</strong>" in message.cooked_html
    assert talk.message_count == 1
    assert talk.last_message_id == message.pk
    assert place(talk, other).is_unread is True
    assert place(talk, member).is_unread is False


def test_conversation_messages_do_not_count_as_forum_messages(talk, member, other):
    services.reply_to_conversation(place=place(talk, other), source="reply", fmt="markdown")
    member.refresh_from_db()
    other.refresh_from_db()
    assert (member.message_count, other.message_count) == (0, 0)


def test_same_token_twice_starts_one_conversation(member, other):
    kwargs = dict(
        starter=member, recipients=[other], title="T", source="x", fmt="bbcode", token="a" * 32
    )
    first = services.start_conversation(**kwargs)
    second = services.start_conversation(**kwargs)
    assert first.pk == second.pk
    assert Conversation.objects.count() == 1


def test_member_refusing_conversations_refuses_members_but_not_staff(member, other, moderator):
    services.set_accept_from(member=other, accept_from=AcceptFrom.NOBODY)
    with pytest.raises(ValidationError, match="does not accept"):
        services.start_conversation(
            starter=member, recipients=[other], title="T", source="x", fmt="bbcode"
        )
    assert not Conversation.objects.exists()
    services.start_conversation(
        starter=moderator,
        recipients=[other],
        title="T",
        source="x",
        fmt="bbcode",
        starter_is_staff=True,
    )
    assert Conversation.objects.count() == 1


def test_refusal_hook_is_consulted(member, other):
    from parley.conversations import hooks

    def ignores(sender, recipient):
        return "ignored" if recipient.pk == other.pk else ""

    hooks.register_refusal_check(ignores)
    try:
        with pytest.raises(ValidationError, match="ignored"):
            services.start_conversation(
                starter=member, recipients=[other], title="T", source="x", fmt="bbcode"
            )
    finally:
        hooks.refusal_checks.remove(ignores)


def test_cannot_write_to_oneself(member):
    with pytest.raises(ValidationError, match="yourself"):
        services.start_conversation(
            starter=member, recipients=[member], title="T", source="x", fmt="bbcode"
        )


def test_leave_then_invite_brings_a_member_back(talk, other, member):
    services.leave_conversation(place=place(talk, other))
    assert place(talk, other).left_at is not None
    services.invite_to_conversation(place=place(talk, member), members=[other])
    assert place(talk, other).left_at is None


def test_inviting_a_current_participant_changes_nothing(talk, member, other):
    with pytest.raises(ValidationError, match="Already taking part"):
        services.invite_to_conversation(place=place(talk, member), members=[other])
    assert Participant.objects.filter(conversation=talk).count() == 2


def test_unread_count_follows_reply_read_and_mark_unread(
    talk, member, other, django_capture_on_commit_callbacks
):
    assert unread_count(other.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(place=place(talk, other))
    assert unread_count(other.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_unread(place=place(talk, other))
    assert unread_count(other.pk) == 1


def test_edit_keeps_history(talk, member):
    message = Message.objects.get(conversation=talk)
    services.edit_message(
        message=message, editor=member, source="changed", fmt="bbcode", reason="typo"
    )
    message.refresh_from_db()
    assert message.revision == 2
    assert message.revisions.get().source == "First [b]hello[/b]"


def test_react_to_own_message_is_refused(talk, member, other):
    message = Message.objects.get(conversation=talk)
    like = ReactionType.objects.first()
    with pytest.raises(ValidationError):
        services.react_to_message(message=message, member=member, type_id=like.pk)
    services.react_to_message(message=message, member=other, type_id=like.pk)
    assert message.reactions.get().member_id == other.pk


def test_quote_in_a_conversation_links_a_message_not_a_post(talk, other):
    services.reply_to_conversation(
        place=place(talk, other), source='[quote="alice" post=7]hi[/quote]', fmt="bbcode"
    )
    html = Message.objects.filter(conversation=talk).last().cooked_html
    assert "/conversations/messages/7/" in html
    assert "/posts/7/" not in html


def test_recount_repairs_counters(talk, capsys):
    Conversation.objects.filter(pk=talk.pk).update(message_count=9, last_message=None)
    fixes = recount_conversations()
    assert {f.field for f in fixes} == {"message_count", "last_message_id"}
    talk.refresh_from_db()
    assert talk.message_count == 1
    call_command("recount_conversations")
    assert "0 counter(s) corrected" in capsys.readouterr().out


def test_a_message_writes_a_conversation_event_naming_the_other_participants(db) -> None:
    from parley.conversations import services
    from parley.events.models import Event
    from tests.factories import MemberFactory

    alice, bob, carol = (MemberFactory() for _ in range(3))
    conversation = services.start_conversation(
        starter=alice, recipients=[bob, carol], title="Sources", source="Hello", fmt="bbcode"
    )
    event = Event.objects.get(kind="conversation.message")
    assert event.actor_id == alice.pk
    assert event.payload["conversation"] == conversation.pk
    assert sorted(event.payload["recipients"]) == sorted([bob.pk, carol.pk])
