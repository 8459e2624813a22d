"""Alerts from events: every kind, one per post, visibility, ignores, grouping, hiding."""

from __future__ import annotations

from typing import Any

import pytest

from parley.alerts import hooks, kinds
from parley.alerts.models import Alert
from parley.conversations import services as conversations
from parley.engagement.services import watch_forum, watch_thread
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.moderation import content
from parley.moderation.models import WarningType
from parley.moderation.warnings import warn_member
from tests.factories import MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def alerts_of(member: Member) -> list[Alert]:
    return list(Alert.objects.filter(recipient=member).order_by("pk"))


def test_mention_in_a_reply_alerts_the_mentioned_member_once(
    committed: Any, thread: Thread, member: Member, other: Member, newcomer: Member
) -> None:
    watch_thread(member=member, thread=thread)
    post = committed(make_reply, thread, newcomer, "Ask @bob about this")
    (alert,) = alerts_of(other)
    assert (alert.kind, alert.post_id, alert.actor_id) == (kinds.MENTION, post.pk, newcomer.pk)
    # alice watches the thread: a reply alert for her; nothing for the author.
    assert [a.kind for a in alerts_of(member)] == [kinds.REPLY]
    assert alerts_of(newcomer) == []


def test_quote_that_also_mentions_gives_one_quote_alert(
    committed: Any, thread: Thread, first_post: Post, member: Member, other: Member
) -> None:
    body = f'[quote="alice" post={first_post.pk}]Opening[/quote] @alice agreed'
    committed(make_reply, thread, other, body)
    assert [a.kind for a in alerts_of(member)] == [kinds.QUOTE]


def test_mention_of_a_watcher_is_one_mention_alert_not_a_reply(
    committed: Any, thread: Thread, member: Member, other: Member, newcomer: Member
) -> None:
    watch_thread(member=other, thread=thread)
    committed(make_reply, thread, newcomer, "@bob what do you think?")
    assert [a.kind for a in alerts_of(other)] == [kinds.MENTION]


def test_own_mention_and_own_reply_alert_nobody(
    committed: Any, thread: Thread, member: Member
) -> None:
    committed(make_reply, thread, member, "Me, @alice, again")
    assert alerts_of(member) == []


def test_mention_in_a_hidden_forum_alerts_nobody_outside_it(
    committed: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    committed(make_thread, staff_forum, moderator, "Staff only", "@bob is trouble")
    assert alerts_of(other) == []


def test_new_thread_in_a_watched_forum(
    committed: Any, forum: Forum, member: Member, other: Member
) -> None:
    watch_forum(member=other, forum=forum)
    thread = committed(make_thread, forum, member, "Fresh news", "Body")
    (alert,) = alerts_of(other)
    assert alert.kind == kinds.THREAD and alert.post_id == thread.first_post_id


def test_pending_post_alerts_nobody_until_approved(
    committed: Any, thread: Thread, other: Member, moderator: Member
) -> None:
    needy = MemberFactory(username="needy", needs_approval=True)
    post = committed(make_reply, thread, needy, "@bob look")
    assert post.state == "pending" and alerts_of(other) == []
    committed(content.approve_posts, actor=moderator, posts=[post])
    assert [a.kind for a in alerts_of(other)] == [kinds.MENTION]


def test_ignored_member_gives_no_alert(
    committed: Any, thread: Thread, other: Member, newcomer: Member
) -> None:
    def bob_ignores_newbie(actor_id: int, recipients: set[int]) -> set[int]:
        return {other.pk} & recipients if actor_id == newcomer.pk else set()

    hooks.register_ignore_filter(bob_ignores_newbie)
    try:
        committed(make_reply, thread, newcomer, "@bob hello")
    finally:
        hooks.ignore_filters.remove(bob_ignores_newbie)
    assert alerts_of(other) == []


def test_reactions_are_grouped_in_one_alert_per_post(
    committed: Any, client: Any, first_post: Post, member: Member
) -> None:
    names = ["nadia.r", "ferhat", "kai", "lena", "omar"]
    reactors = [MemberFactory(username=n) for n in names]
    for who in reactors:
        committed(
            services.react_to_post, member=who, post=first_post, reaction_type=reaction("Like")
        )
    (alert,) = alerts_of(member)
    assert alert.kind == kinds.REACTION and len(alert.actor_ids) == 5
    client.force_login(member)
    body = client.get("/alerts/").content.decode()
    assert "omar, lena and 3 others reacted to your post" in body
    committed(services.remove_reaction, member=reactors[-1], post=first_post)
    assert len(alerts_of(member)[0].actor_ids) == 4


def test_deleting_a_post_hides_its_alerts_and_restoring_shows_them(
    committed: Any, thread: Thread, other: Member, newcomer: Member, moderator: Member
) -> None:
    post = committed(make_reply, thread, newcomer, "@bob see")
    committed(content.delete_posts, actor=moderator, posts=[post], reason="spam")
    assert alerts_of(other)[0].hidden is True
    committed(content.restore_posts, actor=moderator, posts=[Post.objects.get(pk=post.pk)])
    assert alerts_of(other)[0].hidden is False


def test_moderation_on_your_post_and_warning_alert_the_author(
    committed: Any, thread: Thread, other: Member, moderator: Member
) -> None:
    post = committed(make_reply, thread, other, "A reply")
    committed(content.delete_posts, actor=moderator, posts=[post], reason="off topic")
    committed(
        warn_member,
        actor=moderator,
        member=other,
        post=Post.objects.get(pk=post.pk),
        warning_type=WarningType.objects.first(),
    )
    kinds_got = sorted(a.kind for a in alerts_of(other))
    assert kinds_got == [kinds.MODERATION, kinds.WARNING]


def test_conversation_message_alerts_current_participants_only(
    committed: Any, member: Member, other: Member, newcomer: Member
) -> None:
    conversation = committed(
        conversations.start_conversation,
        starter=member,
        recipients=[other, newcomer],
        title="Plans",
        source="Hello both",
        fmt="bbcode",
    )
    assert [a.kind for a in alerts_of(other)] == [kinds.INVITATION]
    place = conversation.participants.get(member=newcomer)
    conversations.leave_conversation(place=place)
    mine = conversation.participants.get(member=member)
    committed(
        conversations.reply_to_conversation, place=mine, source="@newbie still?", fmt="bbcode"
    )
    assert [a.kind for a in alerts_of(other)] == [kinds.INVITATION, kinds.CONVERSATION]
    assert [a.kind for a in alerts_of(newcomer)] == [kinds.INVITATION]


def test_leaving_a_conversation_takes_its_unread_alerts_off_the_bell(
    committed: Any, member: Member, other: Member, newcomer: Member
) -> None:
    from parley.alerts.unread import unread_count

    conversation = committed(
        conversations.start_conversation,
        starter=member,
        recipients=[other, newcomer],
        title="Plans",
        source="Hello both",
        fmt="bbcode",
    )
    mine = conversation.participants.get(member=member)
    committed(conversations.reply_to_conversation, place=mine, source="Still on?", fmt="bbcode")
    assert unread_count(newcomer.pk) == 2  # the invitation and the message
    committed(
        conversations.leave_conversation, place=conversation.participants.get(member=newcomer)
    )
    assert unread_count(newcomer.pk) == 0
    assert unread_count(other.pk) == 2  # who stayed keeps theirs
    assert Alert.objects.filter(recipient=newcomer, hidden=True).count() == 2


def test_invitation_alerts_the_invited_member(
    committed: Any, member: Member, other: Member, newcomer: Member
) -> None:
    conversation = committed(
        conversations.start_conversation,
        starter=member,
        recipients=[other],
        title="Plans",
        source="Hello",
        fmt="bbcode",
    )
    place = conversation.participants.get(member=member)
    committed(conversations.invite_to_conversation, place=place, members=[newcomer])
    (alert,) = alerts_of(newcomer)
    assert alert.kind == kinds.INVITATION and alert.actor_id == member.pk


def test_reporters_hear_when_their_report_is_resolved(
    committed: Any, first_post: Post, other: Member, newcomer: Member, moderator: Member
) -> None:
    from parley.moderation.reports import close_case, file_report

    case = file_report(reporter=other, post=first_post, reason=None, text="Not true")
    file_report(reporter=newcomer, post=first_post, reason=None, text="Wrong")
    committed(close_case, actor=moderator, case=case, resolved=True, note="Corrected")
    for reporter in (other, newcomer):
        (alert,) = alerts_of(reporter)
        assert (alert.kind, alert.text, alert.post_id) == (kinds.REPORT, "resolved", first_post.pk)


def test_repair_events_command_rebuilds_alerts(
    committed: Any, thread: Thread, member: Member, other: Member
) -> None:
    from io import StringIO

    from django.core.management import call_command

    committed(make_reply, thread, member, "@bob hi")
    Alert.objects.all().delete()
    call_command("repair_events", "--only", "alerts", stdout=StringIO())
    assert [a.kind for a in alerts_of(other)] == [kinds.MENTION]
