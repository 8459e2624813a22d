"""Alerts reach a subscribed browser: a mention becomes an alert, the alert a push message
that the local fake push service verifies and decrypts (the real channel, no stand-in)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parley.alerts.models import Alert
from parley.forums.models import Thread
from parley.members.models import Member
from parley.webpush import services as push_services
from parley.webpush.validation import parse_subscription
from tests.factories import make_reply
from tests.webpush.conftest import fresh_vapid_keys, push_service  # noqa: F401
from tests.webpush.pushservice import FakePushService

pytestmark = pytest.mark.django_db


def test_a_mention_reaches_the_mentioned_members_browser_as_a_decryptable_push(
    committed: Any,
    thread: Thread,
    other: Member,
    newcomer: Member,
    push_service: FakePushService,  # noqa: F811
) -> None:
    browser = push_service.browser("laptop")
    data = parse_subscription(json.dumps(browser.to_json()).encode())
    push_services.subscribe(member=other, data=data, user_agent="Chromium on Linux")

    post = committed(make_reply, thread, newcomer, "Ask @bob about this")

    alert = Alert.objects.get(recipient=other, post_id=post.pk)
    assert push_service.problems() == []
    [got] = push_service.delivered()
    assert got.payload is not None
    assert got.payload["url"] == f"/posts/{post.pk}/"
    assert got.payload["tag"]
    assert newcomer.username in got.payload["title"]
    assert alert.read_at is None


def test_a_mention_pushes_nothing_to_a_member_without_a_device(
    committed: Any,
    thread: Thread,
    other: Member,
    newcomer: Member,
    push_service: FakePushService,  # noqa: F811
) -> None:
    committed(make_reply, thread, newcomer, "Ask @bob about this")

    assert Alert.objects.filter(recipient=other).count() == 1
    assert push_service.delivered() == []
