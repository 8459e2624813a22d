"""What a browser's subscription must look like before anything is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parley.webpush.validation import (
    SubscriptionError,
    check_endpoint,
    host_allowed,
    parse_subscription,
)

from .pushservice import FakeBrowser

ALLOWED = ["fcm.googleapis.com", "*.notify.windows.com", "web.push.apple.com"]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("fcm.googleapis.com", True),
        ("FCM.googleapis.com.", True),
        ("wns2-db5p.notify.windows.com", True),
        ("notify.windows.com", False),  # "*." covers subdomains only
        ("evilnotify.windows.com", False),
        ("fcm.googleapis.com.evil.example", False),
        ("web.push.apple.com", True),
        ("push.apple.com", False),
    ],
)
def test_host_allow_list(host: str, allowed: bool) -> None:
    assert host_allowed(host, ALLOWED) is allowed


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "must be an https address"),
        ("https://push.evil.example/send/abc", "push.evil.example is not a push service"),
        ("https://127.0.0.1/send/abc", "127.0.0.1 is not a push service"),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", "port"),
        ("https://user:pw@fcm.googleapis.com/fcm/send/abc", "not a push service address"),
        ("https://fcm.googleapis.com/fcm/send/abc#x", "not a push service address"),
        ("https://fcm.googleapis.com/fcm/send/" + "a" * 1100, "longer than 1024"),
        ("https://fcm.googleapis.com/fcm/send/a\x00b", "characters an address cannot have"),
        ("https://fcm.googleapis.com/fcm/send/a b", "characters an address cannot have"),
        ("https://fcm.googleapis.com/fcm/send/é", "characters an address cannot have"),
        ("https://[::1/x", "not a valid address"),
        ("", "no endpoint"),
        (42, "no endpoint"),
    ],
)
def test_endpoints_that_are_refused(settings: Any, endpoint: Any, message: str) -> None:
    settings.PARLEY_PUSH_SERVICE_HOSTS = ALLOWED
    with pytest.raises(SubscriptionError, match=message):
        check_endpoint(endpoint)


def test_loopback_http_only_through_the_test_hatch(settings: Any) -> None:
    settings.PARLEY_PUSH_SERVICE_HOSTS = [*ALLOWED, "127.0.0.1"]
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {8123}
    assert check_endpoint("http://127.0.0.1:8123/push/a") == "http://127.0.0.1:8123/push/a"
    with pytest.raises(SubscriptionError):
        check_endpoint("http://127.0.0.1:8124/push/a")


def test_a_browser_subscription_is_read(settings: Any) -> None:
    settings.PARLEY_PUSH_SERVICE_HOSTS = ALLOWED
    browser = FakeBrowser(endpoint="https://fcm.googleapis.com/fcm/send/abc")
    sent = browser.to_json()
    data = parse_subscription(json.dumps(sent).encode())
    assert data.endpoint == browser.endpoint
    assert data.p256dh == sent["keys"]["p256dh"] and data.auth == sent["keys"]["auth"]


def test_padded_base64_keys_are_accepted_and_stored_unpadded(settings: Any) -> None:
    settings.PARLEY_PUSH_SERVICE_HOSTS = ALLOWED
    sent = FakeBrowser(endpoint="https://fcm.googleapis.com/fcm/send/abc").to_json()
    sent["keys"]["auth"] += "=="
    assert parse_subscription(json.dumps(sent).encode()).auth == sent["keys"]["auth"][:-2]
