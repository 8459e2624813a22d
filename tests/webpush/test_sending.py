"""Notices become encrypted, VAPID-signed push messages, checked and decrypted by a local
fake push service (tests/webpush/pushservice.py); what the service answers decides what
happens to the subscription."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from parley.webpush import services, tasks
from parley.webpush.models import PushSubscription
from parley.webpush.services import PushNotice, deliver_notices
from parley.webpush.validation import parse_subscription
from tests.factories import MemberFactory

from .pushservice import FakeBrowser, FakePushService

pytestmark = pytest.mark.django_db


def device(member: Any, browser: FakeBrowser) -> PushSubscription:
    import json

    data = parse_subscription(json.dumps(browser.to_json()).encode())
    subscription, _ = services.subscribe(member=member, data=data, user_agent="Firefox on Linux")
    return subscription


def notice(member: Any, n: int = 1, **kwargs: Any) -> PushNotice:
    fields: dict[str, Any] = {
        "member_id": member.pk,
        "kind": "mention",
        "title": f"meridian_k mentioned you ({n})",
        "body": "Talks on the water deal stall again",
        "url": f"/posts/{100 + n}/",
        "alert_id": n,
        "tag": f"post-{100 + n}",
    }
    fields.update(kwargs)
    return PushNotice(**fields)


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_notice_arrives_signed_encrypted_and_decrypts_to_its_json(
    push_service: FakePushService,
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)

    deliver_notices([notice(member)])

    assert push_service.problems() == []
    [got] = push_service.delivered()
    assert got.payload == {
        "title": "meridian_k mentioned you (1)",
        "body": "Talks on the water deal stall again",
        "url": "/posts/101/",
        "tag": "post-101",
    }
    assert got.claims is not None and got.claims["aud"] == push_service.origin
    assert got.claims["sub"].startswith("mailto:")
    assert got.headers["ttl"] == "86400"
    assert got.headers["urgency"] == "normal"
    assert got.headers["content-type"] == "application/octet-stream"
    assert len(got.headers["topic"]) == 32
    saved = PushSubscription.objects.get()
    assert saved.last_success_at is not None and saved.failures == 0


def test_every_device_of_the_member_gets_each_notice_and_others_get_nothing(
    push_service: FakePushService,
) -> None:
    member, other = MemberFactory(), MemberFactory()
    phone, laptop, theirs = (push_service.browser(n) for n in ("phone", "laptop", "theirs"))
    device(member, phone)
    device(member, laptop)
    device(other, theirs)

    deliver_notices([notice(member, 1), notice(member, 2)])

    assert push_service.problems() == []
    paths = sorted((r.path, r.payload["url"]) for r in push_service.delivered())
    assert paths == [
        ("/push/laptop", "/posts/101/"),
        ("/push/laptop", "/posts/102/"),
        ("/push/phone", "/posts/101/"),
        ("/push/phone", "/posts/102/"),
    ]


def test_one_task_per_member_with_a_device_and_none_for_the_rest(
    push_service: FakePushService, database_queue: None
) -> None:
    with_devices = [MemberFactory() for _ in range(2)]
    without = [MemberFactory() for _ in range(3)]
    for i, member in enumerate(with_devices):
        device(member, push_service.browser(f"d{i}"))

    deliver_notices([notice(m, n) for m in with_devices + without for n in (1, 2)])

    queued = DBTaskResult.objects.order_by("id")
    assert [row.task_path for row in queued] == ["parley.webpush.tasks.push_to_member"] * 2
    assert sorted(row.args_kwargs["args"][0] for row in queued) == sorted(
        m.pk for m in with_devices
    )
    assert all(len(row.args_kwargs["args"][1]) == 2 for row in queued)
    assert push_service.received == []  # nothing is sent until the worker runs the tasks


def test_a_burst_past_the_cap_ends_with_one_summary(
    push_service: FakePushService, settings: Any
) -> None:
    settings.PARLEY_PUSH_MAX_PER_BATCH = 3
    member = MemberFactory()
    device(member, push_service.browser("phone"))

    deliver_notices([notice(member, n) for n in range(1, 8)])

    payloads = [r.payload for r in push_service.delivered()]
    assert [p["url"] for p in payloads] == ["/posts/101/", "/posts/102/", "/alerts/"]
    assert payloads[2]["title"] == "5 more notifications"
    assert payloads[2]["body"].startswith("meridian_k mentioned you (3); ")


def test_a_long_body_is_cut_to_fit_one_record(push_service: FakePushService) -> None:
    member = MemberFactory()
    device(member, push_service.browser("phone"))

    deliver_notices([notice(member, title="Ω" * 500, body="ψ" * 5000)])

    [got] = push_service.delivered()
    assert got.payload["title"] == "Ω" * 119 + "…"
    assert got.payload["body"] == "ψ" * 399 + "…"


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_service_says_is_gone_is_dropped(
    push_service: FakePushService, status: int
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    push_service.answer(browser, status)

    deliver_notices([notice(member, 1), notice(member, 2)])

    assert not PushSubscription.objects.exists()
    assert len(push_service.received) == 1  # nothing more was sent to it


def test_an_endpoint_unknown_to_the_service_is_dropped(push_service: FakePushService) -> None:
    member = MemberFactory()
    stray = FakeBrowser(endpoint=f"{push_service.origin}/push/forgotten")
    device(member, stray)  # the service has no such browser: it answers 404

    deliver_notices([notice(member)])

    assert not PushSubscription.objects.exists()


def test_a_server_error_counts_a_failure_and_queues_a_later_retry_that_succeeds(
    push_service: FakePushService, database_queue: None, settings: Any
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    subscription = device(member, browser)
    push_service.answer(browser, 500)

    tasks.push_to_member.call(member.pk, services._payloads([notice(member, 1), notice(member, 2)]))

    subscription.refresh_from_db()
    assert subscription.failures == 1 and subscription.last_success_at is None
    [retry] = DBTaskResult.objects.filter(task_path="parley.webpush.tasks.push_again")
    subscription_id, left, attempt = retry.args_kwargs["args"]
    assert (subscription_id, attempt) == (subscription.pk, 2)
    assert [p["url"] for p in left] == ["/posts/101/", "/posts/102/"]  # the failed one and the rest
    assert retry.run_after is not None and retry.run_after > retry.enqueued_at

    # The worker runs it when it is due; the service has recovered.
    tasks.push_again.call(subscription_id, left, attempt)

    subscription.refresh_from_db()
    assert subscription.failures == 0 and subscription.last_success_at is not None
    assert [r.payload["url"] for r in push_service.delivered()] == ["/posts/101/", "/posts/102/"]


def test_retry_after_from_the_service_sets_when_the_retry_runs(
    push_service: FakePushService, database_queue: None
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    push_service.answer(browser, 429)
    push_service.answer_headers[429] = {"Retry-After": "900"}

    tasks.push_to_member.call(member.pk, services._payloads([notice(member)]))

    retry = DBTaskResult.objects.get(task_path="parley.webpush.tasks.push_again")
    waited = (retry.run_after - retry.enqueued_at).total_seconds()
    assert 899 <= waited <= 901


def test_retries_stop_after_the_configured_number(
    push_service: FakePushService, database_queue: None, settings: Any
) -> None:
    settings.PARLEY_PUSH_RETRIES = 2
    settings.PARLEY_PUSH_MAX_FAILURES = 10
    member = MemberFactory()
    browser = push_service.browser("phone")
    subscription = device(member, browser)
    push_service.answer(browser, 503, 503, 503, 503)

    tasks.push_to_member.call(member.pk, services._payloads([notice(member)]))
    attempts = 1
    while retry := DBTaskResult.objects.filter(
        task_path="parley.webpush.tasks.push_again", status="READY"
    ).first():
        retry.delete()  # taken off the queue, as the worker would
        tasks.push_again.call(*retry.args_kwargs["args"])
        attempts += 1

    assert attempts == 3  # the first try and two retries
    subscription.refresh_from_db()
    assert subscription.failures == 3


def test_failing_five_times_in_a_row_drops_the_subscription(
    push_service: FakePushService,
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    push_service.answer(browser, 500, 500, 500, 500)

    for n in range(4):
        deliver_notices([notice(member, n)])
    assert PushSubscription.objects.get().failures == 4

    push_service.answer(browser, 500)
    deliver_notices([notice(member, 9)])
    assert not PushSubscription.objects.exists()


def test_a_success_resets_the_failure_count(push_service: FakePushService) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    push_service.answer(browser, 500, 500)
    deliver_notices([notice(member, 1)])
    deliver_notices([notice(member, 2)])
    assert PushSubscription.objects.get().failures == 2

    deliver_notices([notice(member, 3)])

    saved = PushSubscription.objects.get()
    assert saved.failures == 0 and saved.last_success_at is not None


def test_a_refusal_that_will_not_improve_is_counted_but_not_retried(
    push_service: FakePushService, database_queue: None
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    push_service.answer(browser, 403)

    tasks.push_to_member.call(member.pk, services._payloads([notice(member)]))

    assert PushSubscription.objects.get().failures == 1
    assert not DBTaskResult.objects.filter(task_path="parley.webpush.tasks.push_again").exists()


def test_a_host_taken_off_the_allow_list_is_dropped_without_a_request(
    push_service: FakePushService, settings: Any
) -> None:
    member = MemberFactory()
    device(member, push_service.browser("phone"))
    settings.PARLEY_PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]

    deliver_notices([notice(member)])

    assert push_service.received == []
    assert not PushSubscription.objects.exists()


def test_a_removed_device_gets_no_retry(
    push_service: FakePushService, database_queue: None
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    subscription = device(member, browser)
    payloads = services._payloads([notice(member)])
    services.remove_device(subscription=subscription)

    assert tasks.push_again.call(subscription.pk, payloads, 2) == 0
    assert push_service.received == []


def test_no_notices_and_no_devices_cost_no_task(database_queue: None) -> None:
    member = MemberFactory()
    deliver_notices([])
    deliver_notices([notice(member)])
    assert not DBTaskResult.objects.exists()


# --- the fake service really checks (so the tests above mean something) ---------------


def test_the_fake_service_refuses_a_message_signed_with_another_key(
    push_service: FakePushService,
) -> None:
    member = MemberFactory()
    device(member, push_service.browser("phone"))
    push_service.forum_public_key = FakeBrowser(endpoint="x").to_json()["keys"]["p256dh"]

    deliver_notices([notice(member)])

    assert push_service.problems() == ["ValueError: k is not the forum's public key"]
    assert PushSubscription.objects.get().failures == 1


def test_the_fake_service_cannot_decrypt_for_a_browser_with_another_secret(
    push_service: FakePushService,
) -> None:
    member = MemberFactory()
    browser = push_service.browser("phone")
    device(member, browser)
    browser.auth_secret = b"\x00" * 16  # the browser's secret is not what Parley encrypted for

    deliver_notices([notice(member)])

    [problem] = push_service.problems()
    assert problem.startswith("InvalidTag")
