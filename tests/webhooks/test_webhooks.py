"""Webhooks against a real local receiver that verifies each signature: the events staff
chose arrive signed, a failing receiver is retried with back-off and, if it keeps failing,
switched off with a notice to staff."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from parley.events.dispatch import dispatch
from parley.events.models import Event
from parley.forums import moderation as forum_moderation
from parley.forums import services as forum_services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.members.services import register_member
from parley.moderation.models import ReportReason
from parley.moderation.reports import file_report
from parley.webhooks import services, signing, tasks
from parley.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import make_reply, make_thread
from tests.feeds.conftest import Receiver

pytestmark = pytest.mark.django_db
ALL = [
    "thread.created",
    "post.created",
    "post.edited",
    "post.deleted",
    "member.registered",
    "report.filed",
]

_capture: list[Any] = []


@pytest.fixture(autouse=True)
def after_commit(django_capture_on_commit_callbacks: Any) -> None:
    _capture[:] = [django_capture_on_commit_callbacks]


def committed(action: Any) -> Any:
    """Run `action` and what waits for its commit (event dispatch, the send task)."""
    with _capture[0](execute=True):
        return action()


def endpoint_for(receiver: Receiver, events: list[str] = ALL, **kwargs: Any) -> WebhookEndpoint:
    endpoint = services.register_endpoint(
        name="Newsroom bot", url=receiver.url(), events=events, **kwargs
    )
    receiver.secret = endpoint.secret
    return endpoint


def bodies(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(r["body"]) for r in receiver.received]


def test_a_new_thread_arrives_signed_with_its_data(
    receiver: Receiver, forum: Forum, member: Member
) -> None:
    endpoint_for(receiver)
    thread = committed(lambda: make_thread(forum, member, title="Dam talks", body="Opening"))
    assert [r["valid"] for r in receiver.received] == [True]
    assert receiver.received[0]["event"] == "thread.created"
    body = bodies(receiver)[0]
    assert body["event"] == "thread.created"
    assert body["data"]["thread"] == {
        "id": thread.pk,
        "title": "Dam talks",
        "url": f"http://127.0.0.1:8000/threads/{thread.pk}/",
    }
    assert body["data"]["author"] == {"id": member.pk, "username": "alice"}
    assert body["data"]["text"] == "Opening"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DONE
    attempt = WebhookAttempt.objects.get()
    assert attempt.ok and attempt.response_code == 204


def test_reply_edit_and_delete_each_arrive(
    receiver: Receiver, thread: Thread, other: Member, admin: Member
) -> None:
    endpoint_for(receiver)
    reply = committed(lambda: make_reply(thread, other, body="First take"))
    committed(
        lambda: forum_services.edit_post(
            editor=other, post=reply, source="Second take", fmt="bbcode"
        )
    )
    committed(
        lambda: forum_moderation.soft_delete_post(
            actor=admin, post=Post.objects.get(pk=reply.pk), reason="off topic"
        )
    )
    assert [b["event"] for b in bodies(receiver)] == ["post.created", "post.edited", "post.deleted"]
    assert bodies(receiver)[1]["data"]["text"] == "Second take"
    assert all(r["valid"] for r in receiver.received)


def test_member_registered_and_report_filed_arrive(
    receiver: Receiver, first_post: Post, other: Member
) -> None:
    endpoint_for(receiver, public_only=False)
    committed(
        lambda: register_member(
            username="carol", email="carol@example.org", password="a long passphrase 42"
        )
    )
    reason = ReportReason.objects.get(title="Off-topic")
    case = committed(lambda: file_report(reporter=other, post=first_post, reason=reason))
    events = {b["event"]: b["data"] for b in bodies(receiver)}
    assert events["member.registered"]["member"]["username"] == "carol"
    assert events["report.filed"]["report"] == {"case_id": case.pk}
    assert events["report.filed"]["post"] == {"id": first_post.pk}


def test_only_chosen_events_are_sent(receiver: Receiver, forum: Forum, member: Member) -> None:
    endpoint_for(receiver, events=["post.created"])
    thread = committed(lambda: make_thread(forum, member, title="Quiet"))
    assert receiver.received == []
    committed(lambda: make_reply(thread, member, body="Loud"))
    assert [b["event"] for b in bodies(receiver)] == ["post.created"]


def test_public_only_endpoint_hears_nothing_from_hidden_forums_or_reports(
    receiver: Receiver, staff_forum: Forum, admin: Member, first_post: Post, other: Member
) -> None:
    endpoint_for(receiver)
    committed(lambda: make_thread(staff_forum, admin, title="Staff memo"))
    reason = ReportReason.objects.get(title="Off-topic")
    committed(lambda: file_report(reporter=other, post=first_post, reason=reason))
    assert receiver.received == []
    assert WebhookDelivery.objects.count() == 0


def test_an_event_handled_twice_is_delivered_once(
    receiver: Receiver, forum: Forum, member: Member
) -> None:
    endpoint_for(receiver)
    committed(lambda: make_thread(forum, member, title="Once"))
    event = Event.objects.get(kind="post.created")
    from parley.webhooks.subscriber import handle

    committed(lambda: handle(event))
    committed(lambda: dispatch(event.pk))
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_failing_receiver_is_retried_with_back_off_and_then_succeeds(
    receiver: Receiver, forum: Forum, member: Member
) -> None:
    endpoint_for(receiver)
    receiver.status = 503
    before = timezone.now()
    committed(lambda: make_thread(forum, member, title="Retry me"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert delivery.last_response_code == 503
    assert delivery.next_try_at >= before + timedelta(seconds=60)
    assert tasks.webhooks_sweep.enqueue().return_value == 0  # not due yet
    WebhookDelivery.objects.update(next_try_at=timezone.now())
    receiver.status = 200
    assert tasks.webhooks_sweep.enqueue().return_value == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DONE and delivery.attempts == 2
    assert [a.response_code for a in WebhookAttempt.objects.order_by("pk")] == [503, 200]
    assert [r["valid"] for r in receiver.received] == [True, True]  # each try signed afresh
    assert receiver.received[0]["body"] == receiver.received[1]["body"]


def test_back_off_doubles_up_to_the_cap(settings: Any) -> None:
    settings.PARLEY_WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.PARLEY_WEBHOOK_RETRY_MAX_SECONDS = 600
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [
        60,
        120,
        240,
        480,
        600,
    ]


def test_a_delivery_is_given_up_after_its_last_attempt(
    receiver: Receiver, forum: Forum, member: Member, settings: Any
) -> None:
    settings.PARLEY_WEBHOOK_MAX_ATTEMPTS = 2
    endpoint_for(receiver)
    receiver.status = 500
    committed(lambda: make_thread(forum, member, title="Doomed"))
    WebhookDelivery.objects.update(next_try_at=timezone.now())
    tasks.webhooks_sweep.enqueue()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == 2


def test_an_endpoint_that_keeps_failing_is_disabled_with_a_notice_to_staff(
    receiver: Receiver, forum: Forum, member: Member, admin: Member, settings: Any
) -> None:
    settings.PARLEY_WEBHOOK_DISABLE_AFTER = 3
    endpoint = endpoint_for(receiver)
    receiver.status = 500
    for n in range(3):
        committed(lambda n=n: make_thread(forum, member, title=f"Thread {n}"))
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.failures_in_row == 3
    assert "3 failed deliveries in a row" in endpoint.disabled_reason
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin.email]
    assert "Newsroom bot" in mail.outbox[0].subject
    # Switched off: nothing more is sent, not even by the sweep.
    committed(lambda: make_thread(forum, member, title="Unheard"))
    WebhookDelivery.objects.update(next_try_at=timezone.now())
    assert tasks.webhooks_sweep.enqueue().return_value == 0
    assert len(receiver.received) == 3
    # Events while it is off are not queued for it. Staff switch it back on: the count
    # starts again and the deliveries still pending go out.
    receiver.status = 204
    services.change_endpoint(
        endpoint=endpoint,
        name=endpoint.name,
        url=endpoint.url,
        events=endpoint.events,
        public_only=True,
        is_active=True,
    )
    endpoint.refresh_from_db()
    assert endpoint.failures_in_row == 0 and endpoint.disabled_reason == ""
    assert tasks.webhooks_sweep.enqueue().return_value == 3
    assert WebhookDelivery.objects.filter(status="done").count() == 3


def test_an_unreachable_endpoint_is_a_logged_failure_not_a_crash(
    forum: Forum, member: Member, settings: Any
) -> None:
    endpoint = services.register_endpoint(
        name="Nowhere", url="https://10.0.0.1/hook", events=["thread.created"]
    )
    committed(lambda: make_thread(forum, member, title="Into the void"))
    attempt = WebhookAttempt.objects.get()
    assert not attempt.ok and attempt.response_code is None
    assert "blocked" in attempt.error.lower() or "private" in attempt.error.lower()
    endpoint.refresh_from_db()
    assert endpoint.failures_in_row == 1


def test_signature_refuses_a_replay_and_a_changed_body() -> None:
    body = b'{"event":"post.created"}'
    now = int(time.time())
    good = signing.signature("s3cret", now, body)
    assert signing.verify(
        "s3cret", timestamp=str(now), body=body, signature_header=good, now=now, tolerance=300
    )
    assert not signing.verify(
        "s3cret",
        timestamp=str(now),
        body=body + b" ",
        signature_header=good,
        now=now,
        tolerance=300,
    )
    assert not signing.verify(
        "s3cret", timestamp=str(now), body=body, signature_header=good, now=now + 301, tolerance=300
    )
    assert not signing.verify(
        "other", timestamp=str(now), body=body, signature_header=good, now=now, tolerance=300
    )


def test_register_refuses_bad_urls_and_unknown_events() -> None:
    with pytest.raises(ValidationError):
        services.register_endpoint(name="x", url="javascript:alert(1)", events=["post.created"])
    with pytest.raises(ValidationError):
        services.register_endpoint(name="x", url="https://hooks.test/a", events=["post.liked"])
    with pytest.raises(ValidationError):
        services.register_endpoint(name="x", url="https://hooks.test/a", events=[])
    assert WebhookEndpoint.objects.count() == 0


def test_a_post_awaiting_approval_is_announced_only_once_approved(
    receiver: Receiver, forum: Forum, member: Member, moderator: Member
) -> None:
    from parley.forums.models import Approval

    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    forum.refresh_from_db()
    endpoint_for(receiver)
    thread = committed(lambda: make_thread(forum, member, title="Held back"))
    assert receiver.received == []
    post = Post.objects.get(pk=thread.first_post_id)
    committed(lambda: forum_moderation.approve_post(actor=moderator, post=post))
    assert [b["event"] for b in bodies(receiver)] == ["thread.created"]


def test_finished_deliveries_are_forgotten_after_their_keeping_time_pending_ones_kept(
    receiver: Receiver, forum: Forum, member: Member, settings: Any
) -> None:
    settings.PARLEY_WEBHOOK_KEEP_DAYS = 30
    endpoint_for(receiver)
    committed(lambda: make_thread(forum, member, title="Delivered"))
    receiver.status = 500
    committed(lambda: make_thread(forum, member, title="Still retrying"))
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert services.prune_deliveries(now=timezone.now()) == 1
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["pending"]
    assert WebhookAttempt.objects.count() == 1


def test_a_receivers_retry_after_is_honoured_when_longer_than_the_back_off(
    receiver: Receiver, forum: Forum, member: Member
) -> None:
    endpoint_for(receiver)
    receiver.status, receiver.retry_after = 429, "3600"
    before = timezone.now()
    committed(lambda: make_thread(forum, member, title="Slow down"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_response_code == 429
    assert delivery.next_try_at >= before + timedelta(seconds=3600)
