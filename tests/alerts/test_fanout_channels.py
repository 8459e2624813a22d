"""Fan-out in batches, the channel interface and preferences, the repairer."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from parley.alerts import handlers, kinds, preferences
from parley.alerts.models import Alert
from parley.alerts.preferences import Choice
from parley.engagement.models import ThreadWatch
from parley.engagement.services import watch_thread
from parley.events import dispatch
from parley.events import kinds as ev
from parley.events.models import Event
from parley.forums.models import Post, Thread
from parley.members.models import Member
from tests.factories import make_reply

from .conftest import Recorder

pytestmark = pytest.mark.django_db


def many_watchers(thread: Thread, n: int) -> list[Member]:
    members = Member.objects.bulk_create(
        [Member(username=f"watcher{i}", email=f"w{i}@example.org") for i in range(n)]
    )
    now = timezone.now()
    ThreadWatch.objects.bulk_create(
        [ThreadWatch(member=m, thread=thread, created_at=now) for m in members]
    )
    return members


def test_a_reply_to_1200_watchers_is_queued_in_batches_of_500_and_a_retry_writes_nothing_twice(
    thread: Thread, other: Member, settings: Any, push_channel: Recorder
) -> None:
    from django_tasks_db.models import DBTaskResult

    from parley.alerts.models import AlertPreference
    from parley.alerts.tasks import fan_out_post

    watchers = many_watchers(thread, 1200)
    AlertPreference.objects.bulk_create(
        [
            AlertPreference(member=m, kind=kinds.REPLY, in_app=True, email=False, push=True)
            for m in watchers
        ]
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post = make_reply(thread, other, "News")
    event = Event.objects.get(kind=ev.POST_CREATED, post_id=post.pk)
    dispatch.dispatch(event.pk)
    queued = list(DBTaskResult.objects.filter(task_path="parley.alerts.tasks.fan_out_post"))
    assert sorted(len(q.args_kwargs["args"][3]) for q in queued) == [200, 500, 500]
    assert Alert.objects.count() == 0  # nothing written while posting
    for q in queued:
        fan_out_post.call(*q.args_kwargs["args"])
    fan_out_post.call(*queued[0].args_kwargs["args"])  # a retried batch
    assert Alert.objects.filter(kind=kinds.REPLY, post=post).count() == 1200
    assert len(push_channel.notices) == 1200
    assert len({n.alert_id for n in push_channel.notices}) == 1200


def test_channels_get_notices_only_where_the_preference_allows(
    committed: Any,
    thread: Thread,
    member: Member,
    other: Member,
    test_channel: Recorder,
    push_channel: Recorder,
) -> None:
    preferences.set_channel(member=other, kind=kinds.MENTION, channel="email", on=False)
    committed(make_reply, thread, member, "Hi @bob")
    (notice,) = push_channel.notices
    assert notice.member_id == other.pk and notice.kind == kinds.MENTION
    assert notice.title == f"alice mentioned you in “{thread.title}”"
    assert notice.url.startswith("/posts/") and notice.body == "Hi @bob"
    assert notice.tag.startswith("post:") and notice.alert_id == Alert.objects.get().pk
    # "test" is not a channel any member turned on: the defaults know only in-app, e-mail, push.
    assert test_channel.notices == []


def test_in_app_off_hides_the_alert_but_email_still_goes(
    committed: Any, thread: Thread, member: Member, other: Member, smtp: Any
) -> None:
    preferences.set_preferences(
        member=other, choices={kinds.MENTION: Choice(in_app=False, email=True, push=False)}
    )
    committed(make_reply, thread, member, "Hi @bob")
    alert = Alert.objects.get(recipient=other)
    assert alert.in_app is False
    assert [m["To"] for m in smtp.messages] == [other.email]


def test_preferences_store_rows_only_where_they_differ_from_the_defaults(other: Member) -> None:
    preferences.set_channel(member=other, kind=kinds.REACTION, channel="email", on=True)
    assert other.alert_preferences.count() == 1
    preferences.set_channel(member=other, kind=kinds.REACTION, channel="email", on=False)
    assert other.alert_preferences.count() == 0
    assert preferences.member_choices(other.pk)[kinds.MENTION] == Choice(True, True, True)
    assert preferences.member_choices(other.pk)[kinds.REPLY] == Choice(True, True, False)


def test_the_repairer_rebuilds_missing_alerts_idempotently_and_notifies_nobody(
    committed: Any,
    thread: Thread,
    member: Member,
    other: Member,
    newcomer: Member,
    test_channel: Recorder,
    push_channel: Recorder,
) -> None:
    watch_thread(member=member, thread=thread)
    committed(make_reply, thread, newcomer, "@bob look")
    read = Alert.objects.get(recipient=member)
    read.read_at = timezone.now()
    read.save()
    Alert.objects.filter(recipient=other).delete()
    push_channel.notices.clear()
    handlers.rebuild()
    handlers.rebuild()
    assert sorted(Alert.objects.values_list("recipient__username", "kind")) == [
        ("alice", kinds.REPLY),
        ("bob", kinds.MENTION),
    ]
    assert Alert.objects.get(recipient=member).read_at is not None  # left as it was
    assert push_channel.notices == []


def test_rebuild_for_chosen_members_only(
    committed: Any, thread: Thread, member: Member, other: Member, newcomer: Member
) -> None:
    watch_thread(member=member, thread=thread)
    committed(make_reply, thread, newcomer, "@bob look")
    Alert.objects.all().delete()
    handlers.rebuild(only={other.pk})
    assert list(Alert.objects.values_list("recipient__username", flat=True)) == ["bob"]


def test_push_off_for_a_kind_sends_no_push_notice(
    committed: Any,
    thread: Thread,
    first_post: Post,
    member: Member,
    other: Member,
    push_channel: Recorder,
) -> None:
    from parley.forums import services
    from tests.factories import reaction

    preferences.set_channel(member=other, kind=kinds.MENTION, channel="push", on=False)
    committed(make_reply, thread, member, "Hi @bob")
    # Reactions are not pushed by default either.
    committed(services.react_to_post, member=other, post=first_post, reaction_type=reaction("Like"))
    assert push_channel.notices == []
    assert Alert.objects.filter(kind__in=[kinds.MENTION, kinds.REACTION]).count() == 2
