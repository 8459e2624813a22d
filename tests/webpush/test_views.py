"""The push page and its endpoints: success, guests, someone else's device, bad input and
query counts; the service worker and the public key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parley.core.headers import CONTENT_SECURITY_POLICY
from parley.members.models import Member
from parley.webpush import keys
from parley.webpush.models import PushSubscription
from tests.conftest import client_for

from .pushservice import FakeBrowser, b64url

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("webpush:subscribe")
UNSUBSCRIBE = reverse("webpush:unsubscribe")
DEVICES = reverse("webpush:devices")
FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0"


def fcm_browser(name: str = "abc") -> FakeBrowser:
    return FakeBrowser(endpoint=f"https://fcm.googleapis.com/fcm/send/{name}")


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(url, body, content_type="application/json", **extra)


def remove_url(subscription: PushSubscription) -> str:
    return reverse("webpush:remove_device", args=[subscription.pk])


def subscribed(member: Member, name: str = "abc") -> PushSubscription:
    response = post_json(client_for(member), SUBSCRIBE, fcm_browser(name).to_json())
    assert response.status_code == 201, response.content
    return PushSubscription.objects.get(endpoint__endswith=f"/{name}")


# --- subscribe -----------------------------------------------------------------------------


def test_subscribe_stores_the_browser_and_its_label(member_client: Client, member: Member) -> None:
    browser = fcm_browser()
    response = post_json(member_client, SUBSCRIBE, browser.to_json(), HTTP_USER_AGENT=FIREFOX)
    assert response.status_code == 201
    saved = PushSubscription.objects.get()
    assert response.json() == {"id": saved.pk, "created": True}
    assert (saved.member, saved.endpoint) == (member, browser.endpoint)
    assert saved.p256dh == browser.to_json()["keys"]["p256dh"]
    assert saved.auth == browser.to_json()["keys"]["auth"]
    assert saved.user_agent == FIREFOX and saved.failures == 0


def test_subscribing_again_refreshes_the_keys_of_the_same_row(
    member_client: Client,
) -> None:
    browser = fcm_browser()
    post_json(member_client, SUBSCRIBE, browser.to_json())
    renewed = FakeBrowser(endpoint=browser.endpoint)
    response = post_json(member_client, SUBSCRIBE, renewed.to_json())
    assert response.status_code == 200 and response.json()["created"] is False
    assert PushSubscription.objects.get().p256dh == renewed.to_json()["keys"]["p256dh"]


def test_a_browser_moves_to_the_member_who_turns_push_on_in_it(
    member: Member, other: Member
) -> None:
    subscribed(member)
    response = post_json(client_for(other), SUBSCRIBE, fcm_browser().to_json())
    assert response.status_code == 200
    assert PushSubscription.objects.get().member == other


def test_guest_cannot_subscribe(anon_client: Client) -> None:
    response = post_json(anon_client, SUBSCRIBE, fcm_browser().to_json())
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in to receive notifications."}
    assert not PushSubscription.objects.exists()


def test_subscribe_needs_the_csrf_token(member: Member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = post_json(client, SUBSCRIBE, fcm_browser().to_json())
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_subscribe_is_post_only(member_client: Client) -> None:
    assert member_client.get(SUBSCRIBE).status_code == 405


def _bad_subscriptions() -> list[tuple[str, bytes, str]]:
    good = fcm_browser().to_json()

    def changed(**keys_or_endpoint: Any) -> bytes:
        data = json.loads(json.dumps(good))
        for name, value in keys_or_endpoint.items():
            if name == "endpoint":
                data["endpoint"] = value
            elif value is None:
                data["keys"].pop(name)
            else:
                data["keys"][name] = value
        return json.dumps(data).encode()

    off_curve = b64url(b"\x04" + b"\x01" * 64)
    return [
        ("not json", b"{endpoint:", "not valid JSON"),
        ("not utf-8", b'{"endpoint": "\xff"}', "not valid JSON"),
        ("a list", b"[]", "must be a JSON object"),
        ("no keys", json.dumps({"endpoint": good["endpoint"]}).encode(), "has no keys"),
        ("no p256dh", changed(p256dh=None), "no p256dh"),
        ("p256dh off the curve", changed(p256dh=off_curve), "not a P-256 public key"),
        ("p256dh too short", changed(p256dh=b64url(b"\x04" * 33)), "not a P-256 public key"),
        ("auth too short", changed(auth=b64url(b"x" * 8)), "must be 16 bytes"),
        ("auth not base64url", changed(auth="a+b/c==="), "not base64url"),
        ("endpoint too long", changed(endpoint=good["endpoint"] + "a" * 1024), "longer than 1024"),
        ("host not allowed", changed(endpoint="https://push.evil.example/x"), "not a push service"),
        ("NUL in endpoint", changed(endpoint=good["endpoint"] + "\u0000"), "cannot have"),
        ("huge body", json.dumps({**good, "pad": "x" * 5000}).encode(), "too large"),
    ]


@pytest.mark.parametrize(
    ("case", "body", "message"), _bad_subscriptions(), ids=[c[0] for c in _bad_subscriptions()]
)
def test_bad_subscriptions_are_refused_with_a_message_and_nothing_stored(
    member_client: Client, case: str, body: bytes, message: str
) -> None:
    response = post_json(member_client, SUBSCRIBE, body)
    assert response.status_code == 400, case
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_member_has_at_most_the_configured_number_of_devices(
    member_client: Client, member: Member, settings: Any
) -> None:
    settings.PARLEY_PUSH_MAX_DEVICES = 2
    for name in ("a", "b"):
        assert post_json(member_client, SUBSCRIBE, fcm_browser(name).to_json()).status_code == 201
    response = post_json(member_client, SUBSCRIBE, fcm_browser("c").to_json())
    assert response.status_code == 400
    assert (
        response.json()["error"]
        == "You already receive notifications on 2 devices; remove one first."
    )
    assert PushSubscription.objects.filter(member=member).count() == 2
    # Refreshing a device already there is still fine at the limit.
    assert post_json(member_client, SUBSCRIBE, fcm_browser("a").to_json()).status_code == 200


def test_subscribe_query_count(member_client: Client) -> None:
    post_json(member_client, SUBSCRIBE, fcm_browser("warm").to_json())
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(member_client, SUBSCRIBE, fcm_browser("new").to_json())
    assert response.status_code == 201
    assert len(ctx.captured_queries) == QUERIES["subscribe"], [
        q["sql"] for q in ctx.captured_queries
    ]


# --- unsubscribe (the page's script, for this browser) -------------------------------------


def test_unsubscribe_forgets_this_browser(member: Member) -> None:
    device = subscribed(member)
    response = post_json(client_for(member), UNSUBSCRIBE, {"endpoint": device.endpoint})
    assert response.status_code == 200 and response.json() == {"removed": True}
    assert not PushSubscription.objects.exists()


def test_unsubscribing_someone_elses_browser_is_a_404_and_keeps_it(
    member: Member, other: Member
) -> None:
    device = subscribed(member)
    response = post_json(client_for(other), UNSUBSCRIBE, {"endpoint": device.endpoint})
    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_guest_cannot_unsubscribe(anon_client: Client, member: Member) -> None:
    device = subscribed(member)
    response = post_json(anon_client, UNSUBSCRIBE, {"endpoint": device.endpoint})
    assert response.status_code == 403
    assert PushSubscription.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize("body", [b"nope", b'{"endpoint": 5}', b"{}", b'{"endpoint": ""}'])
def test_unsubscribe_with_bad_input_is_a_400(member: Member, body: bytes) -> None:
    device = subscribed(member)
    response = post_json(client_for(member), UNSUBSCRIBE, body)
    assert response.status_code == 400 and response.json()["error"]
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_unsubscribe_query_count(member: Member) -> None:
    subscribed(member, "warm")
    device = subscribed(member, "gone")
    client = client_for(member)
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(client, UNSUBSCRIBE, {"endpoint": device.endpoint})
    assert response.status_code == 200
    assert len(ctx.captured_queries) == QUERIES["unsubscribe"], [
        q["sql"] for q in ctx.captured_queries
    ]


# --- the page and removing a device ---------------------------------------------------------


def main_of(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_page_lists_only_the_members_devices(member: Member, other: Member) -> None:
    mine = subscribed(member, "mine")
    PushSubscription.objects.filter(pk=mine.pk).update(user_agent=FIREFOX)
    theirs = subscribed(other, "theirs")
    response = client_for(member).get(DEVICES)
    assert response.status_code == 200
    html = main_of(response)
    assert "Firefox on Android" in html
    assert mine.endpoint in html and theirs.endpoint not in html
    assert f'action="{remove_url(mine)}"' in html
    assert f'data-key="{keys.current().public_key}"' in html
    assert 'class="button push-toggle"' in html
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_page_without_devices_says_so(member_client: Client) -> None:
    response = member_client.get(DEVICES)
    assert "No device receives your notifications." in main_of(response)


def test_guest_is_sent_to_sign_in_from_the_page(anon_client: Client) -> None:
    response = anon_client.get(DEVICES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:signin"))


def test_the_page_answers_get_only(member_client: Client) -> None:
    assert member_client.post(DEVICES).status_code == 405


def test_page_query_count_does_not_grow_with_devices(member: Member) -> None:
    client = client_for(member)
    subscribed(member, "one")
    client.get(DEVICES)  # warm the caches (permissions, the key pair)
    with CaptureQueriesContext(connection) as one:
        client.get(DEVICES)
    for n in range(5):
        subscribed(member, f"more{n}")
    with CaptureQueriesContext(connection) as six:
        response = client.get(DEVICES)
    assert main_of(response).count('class="push-device"') == 6
    assert len(one.captured_queries) == len(six.captured_queries) == QUERIES["page"], [
        q["sql"] for q in six.captured_queries
    ]


def test_remove_a_device(member: Member) -> None:
    device = subscribed(member)
    client = client_for(member)
    response = client.post(remove_url(device), follow=True)
    assert response.redirect_chain == [(DEVICES, 302)]
    assert "Device removed" in main_of(response)
    assert not PushSubscription.objects.exists()


def test_removing_someone_elses_device_is_a_404_and_keeps_it(member: Member, other: Member) -> None:
    device = subscribed(member)
    response = client_for(other).post(remove_url(device))
    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_removing_a_device_that_does_not_exist_is_a_404(member_client: Client) -> None:
    response = member_client.post(reverse("webpush:remove_device", args=[999999]))
    assert response.status_code == 404


def test_guest_cannot_remove_a_device(anon_client: Client, member: Member) -> None:
    device = subscribed(member)
    response = anon_client.post(remove_url(device))
    assert response.status_code == 302
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_removing_needs_post(member: Member) -> None:
    device = subscribed(member)
    assert client_for(member).get(remove_url(device)).status_code == 405
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_remove_query_count(member: Member) -> None:
    client = client_for(member)
    subscribed(member, "warm")
    device = subscribed(member, "gone")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(remove_url(device))
    assert response.status_code == 302
    assert len(ctx.captured_queries) == QUERIES["remove"], [q["sql"] for q in ctx.captured_queries]


# --- the key and the service worker -------------------------------------------------------


def test_public_key_endpoint(anon_client: Client) -> None:
    response = anon_client.get(reverse("webpush:public_key"))
    assert response.status_code == 200
    assert response.json() == {"publicKey": keys.current().public_key}


def test_public_key_and_service_worker_cost_no_query_once_warm(anon_client: Client) -> None:
    anon_client.get(reverse("webpush:public_key"))
    anon_client.get("/sw.js")
    with CaptureQueriesContext(connection) as ctx:
        assert anon_client.get(reverse("webpush:public_key")).status_code == 200
        assert anon_client.get("/sw.js").status_code == 200
    assert ctx.captured_queries == []


def test_public_key_and_service_worker_answer_get_only(anon_client: Client) -> None:
    assert anon_client.post(reverse("webpush:public_key")).status_code == 405
    assert anon_client.post("/sw.js").status_code == 405


def test_service_worker_is_served_from_the_root_as_javascript(anon_client: Client) -> None:
    response = anon_client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert 'addEventListener("push"' in source and 'addEventListener("notificationclick"' in source


# session + member + savepoint + the endpoint (FOR UPDATE) + device count + insert + release
# page: session + member + devices + permission version (the header's staff check)
# unsubscribe: session + member + one DELETE of the member's device with that endpoint
# remove: session + member + the device + delete
QUERIES = {"subscribe": 7, "page": 4, "unsubscribe": 3, "remove": 4}
