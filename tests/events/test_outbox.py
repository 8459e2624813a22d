"""The outbox and its dispatcher: written with the change, delivered once to each
subscriber, retried with back-off, picked up again after an interruption."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from parley.events import kinds
from parley.events.dispatch import backoff, dispatch, sweep
from parley.events.models import Delivery, Event
from parley.events.outbox import emit
from parley.events.registry import subscribe as real_subscribe
from parley.forums.models import Forum, Thread
from parley.members.models import Member
from tests.factories import make_reply

pytestmark = pytest.mark.django_db


def test_a_reply_writes_its_post_created_event_with_actor_and_targets(
    thread: Thread, other: Member
) -> None:
    post = make_reply(thread, other)
    event = Event.objects.get(kind=kinds.POST_CREATED, post_id=post.pk)
    assert (event.actor_id, event.thread_id, event.forum_id, event.member_id) == (
        other.pk,
        thread.pk,
        thread.forum_id,
        other.pk,
    )
    assert event.payload == {"state": "visible"}


def test_an_event_rolls_back_with_the_transaction_that_wrote_it(
    thread: Thread, other: Member
) -> None:
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_reply(thread, other, body="Never happened")
        assert Event.objects.count() == before + 1
        raise RuntimeError("the change fails after the reply was written")
    assert Event.objects.count() == before


def test_an_unknown_kind_is_refused_when_emitting_and_subscribing(db: Any) -> None:
    with pytest.raises(ValueError, match="unknown event kind"):
        emit("post.exploded")
    with pytest.raises(ValueError, match="unknown event kinds"):
        real_subscribe("nonsense", lambda e: None, kinds=["post.exploded"])


def test_each_subscriber_gets_each_event_once_however_often_it_is_dispatched(
    subscribe: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = subscribe("test.first", [kinds.POST_CREATED, kinds.REACTION_SET])
    second = subscribe("test.second", [kinds.POST_CREATED])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        created = emit(kinds.POST_CREATED, post_id=1)
        reacted = emit(kinds.REACTION_SET, post_id=1)
    dispatch(created.pk)
    dispatch(reacted.pk)
    sweep()
    assert first.got == [(created.pk, kinds.POST_CREATED), (reacted.pk, kinds.REACTION_SET)]
    assert second.got == [(created.pk, kinds.POST_CREATED)]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"done"}
    assert Event.objects.filter(settled_at__isnull=True).count() == 0


def test_events_are_not_dispatched_before_commit(
    subscribe: Any, django_capture_on_commit_callbacks: Any
) -> None:
    got = subscribe("test.first", [kinds.POST_EDITED])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit(kinds.POST_EDITED, post_id=1)
    assert got.got == []
    # the dispatch, and the stamps of the guest page cache moving on (docs/caching.md)
    assert len(callbacks) == 2


def test_a_failing_subscriber_is_retried_with_back_off_and_does_not_stop_another(
    subscribe: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failing = subscribe("test.failing", [kinds.POST_CREATED], fail=2)
    healthy = subscribe("test.healthy", [kinds.POST_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(kinds.POST_CREATED, post_id=7)
    assert healthy.got == [(event.pk, kinds.POST_CREATED)]
    assert failing.got == []
    row = Delivery.objects.get(subscriber="test.failing")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "subscriber is down" in row.last_error
    assert row.due_at >= timezone.now() + backoff(1) - timedelta(seconds=5)
    assert Event.objects.get(pk=event.pk).settled_at is None

    assert sweep()["events"] == 0  # not due yet: nothing runs early
    assert failing.calls == 1

    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    sweep()  # second try fails too: the wait doubles
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 2)
    assert backoff(2) == 2 * backoff(1)

    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    assert sweep() == {"events": 1, "done": 1, "retry": 0, "dead": 0}
    assert failing.got == [(event.pk, kinds.POST_CREATED)]
    assert healthy.calls == 1  # the healthy one never ran again
    assert Event.objects.get(pk=event.pk).settled_at is not None


def test_a_delivery_is_given_up_after_the_last_attempt(
    subscribe: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.PARLEY_EVENTS_MAX_ATTEMPTS = 1
    subscribe("test.failing", [kinds.MEMBER_WARNED], fail=5)
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(kinds.MEMBER_WARNED, member_id=3)
    assert Delivery.objects.get(subscriber="test.failing").status == "dead"
    # nothing is waiting any more, so the event is settled and the sweep leaves it alone
    assert Event.objects.get(pk=event.pk).settled_at is not None


def test_an_interrupted_delivery_is_picked_up_by_the_sweep_after_its_lease(
    subscribe: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    got = subscribe("test.slow", [kinds.POST_DELETED])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(kinds.POST_DELETED, post_id=9)
    # A dispatcher claimed the delivery and its process died before marking it done.
    started = timezone.now()
    Delivery.objects.create(
        event=event,
        subscriber="test.slow",
        status="running",
        attempts=1,
        due_at=started,
        started_at=started,
    )
    assert sweep()["events"] == 0  # still within its lease: maybe it is just slow
    assert got.got == []
    Delivery.objects.update(
        started_at=started - timedelta(seconds=settings.PARLEY_EVENTS_LEASE_SECONDS + 1)
    )
    assert sweep()["done"] == 1
    assert got.got == [(event.pk, kinds.POST_DELETED)]
    assert Delivery.objects.get().attempts == 2


def test_an_event_whose_dispatch_was_lost_is_dispatched_by_the_sweep(
    subscribe: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    got = subscribe("test.late", [kinds.POST_MOVED])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(kinds.POST_MOVED, thread_id=4)
    assert sweep()["events"] == 0  # young: its queued dispatch may still come
    Event.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep()["done"] == 1
    assert got.got == [(event.pk, kinds.POST_MOVED)]


def test_the_periodic_sweep_is_scheduled(settings: Any) -> None:
    assert "parley.events.tasks.events_sweep" in settings.PARLEY_PERIODIC_TASKS


def test_events_of_a_kind_nobody_subscribes_to_settle_at_once(
    forum: Forum, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(kinds.CONVERSATION_MESSAGE, member_id=1)
    assert Event.objects.get(pk=event.pk).settled_at is not None
    assert not Delivery.objects.filter(event=event).exists()


def test_dispatch_is_queued_through_the_database_task_backend_after_commit(
    thread: Thread, other: Member, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = make_reply(thread, other)
    assert not DBTaskResult.objects.filter(task_path="parley.events.tasks.dispatch_events")
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get(task_path="parley.events.tasks.dispatch_events")
    event = Event.objects.get(kind=kinds.POST_CREATED, post_id=post.pk)
    assert queued.args_kwargs["args"] == [[event.pk]]


def test_a_subscribers_database_error_does_not_break_the_callers_transaction(
    db: Any, django_capture_on_commit_callbacks: Any, only_test_subscribers: None
) -> None:
    from django.db import IntegrityError

    def broken(event: Any) -> None:
        Event.objects.create(kind=kinds.POST_CREATED, created_at=None)  # NOT NULL violated

    real_subscribe("test.broken", broken, kinds=[kinds.POST_APPROVED])
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = emit(kinds.POST_APPROVED, post_id=2)
    finally:
        from parley.events.registry import unsubscribe

        unsubscribe("test.broken")
    row = Delivery.objects.get(event=event)  # the test's transaction still answers
    assert row.status == "pending"
    assert IntegrityError.__name__ in row.last_error


def test_an_inline_subscriber_runs_right_after_commit_and_the_worker_skips_it(
    forum, member, django_capture_on_commit_callbacks, settings
) -> None:
    """With the database task backend nothing runs until a worker does — except inline
    subscribers, delivered in the committing process; the later dispatch finds them done."""
    from parley import events as registry
    from parley.events import kinds
    from parley.events.dispatch import dispatch
    from parley.events.models import Delivery, Event
    from tests.factories import make_thread

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    seen: list[int] = []
    registry.subscribe(
        "test.inline", lambda e: seen.append(e.pk), kinds=[kinds.POST_CREATED], inline=True
    )
    registry.subscribe("test.later", lambda e: seen.append(-e.pk), kinds=[kinds.POST_CREATED])
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_thread(forum, member)
        event = Event.objects.get(kind=kinds.POST_CREATED)
        assert seen == [event.pk]
        assert Delivery.objects.get(event=event, subscriber="test.inline").status == "done"
        assert not Delivery.objects.filter(event=event, subscriber="test.later").exists()
        outcomes = dispatch(event.pk)
        assert outcomes["test.inline"] == "skipped" and outcomes["test.later"] == "done"
        assert seen == [event.pk, -event.pk]
    finally:
        from parley.events.registry import unsubscribe

        unsubscribe("test.inline")
        unsubscribe("test.later")
