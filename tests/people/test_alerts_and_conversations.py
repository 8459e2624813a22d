"""Follow alerts and the ignore rules across alerts and conversations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parley.alerts import kinds
from parley.alerts.models import Alert
from parley.alerts.preferences import Choice, set_preferences
from parley.conversations import services as conversations
from parley.engagement.services import watch_forum
from parley.forums import services as forums
from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.people import services
from tests.factories import make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def kinds_of(member: Member) -> list[str]:
    return list(
        Alert.objects.filter(recipient=member).order_by("pk").values_list("kind", flat=True)
    )


def test_a_followed_members_new_thread_alerts_the_follower(
    committed: Any, forum: Forum, member: Member, other: Member
) -> None:
    services.follow_member(member=other, target=member)
    thread = committed(make_thread, forum, member, "Dam talks resume", "Body")
    (alert,) = Alert.objects.filter(recipient=other)
    assert (alert.kind, alert.post_id, alert.actor_id) == (
        kinds.FOLLOW,
        thread.first_post_id,
        member.pk,
    )


def test_a_followed_members_reply_alerts_nobody(
    committed: Any, thread: Thread, member: Member, other: Member
) -> None:
    services.follow_member(member=other, target=member)
    committed(make_reply, thread, member, "Later thoughts")
    assert kinds_of(other) == []


def test_follow_and_forum_watch_give_one_follow_alert(
    committed: Any, forum: Forum, member: Member, other: Member
) -> None:
    watch_forum(member=other, forum=forum)
    services.follow_member(member=other, target=member)
    committed(make_thread, forum, member, "Dam talks resume", "Body")
    assert kinds_of(other) == [kinds.FOLLOW]


def test_a_follower_who_cannot_read_the_forum_hears_nothing(
    committed: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    services.follow_member(member=other, target=moderator)
    committed(make_thread, staff_forum, moderator, "Staff only", "Body")
    assert kinds_of(other) == []


def test_the_follow_alert_can_be_turned_off(
    committed: Any, forum: Forum, member: Member, other: Member
) -> None:
    services.follow_member(member=other, target=member)
    set_preferences(member=other, choices={kinds.FOLLOW: Choice(False, False, False)})
    committed(make_thread, forum, member, "Dam talks resume", "Body")
    # The row is written for the other channels, but not shown in the app.
    assert list(Alert.objects.filter(recipient=other).values_list("in_app", flat=True)) == [False]


def test_an_ignored_member_cannot_alert_by_mention_reaction_or_new_thread(
    committed: Any, forum: Forum, thread: Thread, member: Member, other: Member
) -> None:
    services.follow_member(member=member, target=other)
    services.ignore_member(member=member, target=other)
    committed(make_reply, thread, other, "@alice have a look")
    committed(
        forums.react_to_post, member=other, post=thread.first_post, reaction_type=reaction("Like")
    )
    committed(make_thread, forum, other, "New one", "Body")
    assert kinds_of(member) == []
    # Once no longer ignored, the same member alerts again.
    services.unignore_member(member=member, target=other)
    committed(make_reply, thread, other, "@alice again")
    assert kinds_of(member) == [kinds.MENTION]


def test_an_ignored_member_cannot_start_a_conversation(member: Member, other: Member) -> None:
    services.ignore_member(member=member, target=other)
    with pytest.raises(ValidationError) as caught:
        conversations.start_conversation(
            starter=other, recipients=[member], title="Hello", source="Hi", fmt="bbcode"
        )
    assert caught.value.messages == ["alice does not accept conversations from you."]
    # The ignorer can still write to them, and anyone else can still write to the ignorer.
    conversations.start_conversation(
        starter=member, recipients=[other], title="Hello", source="Hi", fmt="bbcode"
    )
