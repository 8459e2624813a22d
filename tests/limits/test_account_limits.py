"""Bursts at the sign-in, sign-up and password-reset limits, through the real views, on
local memory and on Redis: the request after the limit is refused with its message, and
nothing beyond the limit is written or sent."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from parley.core import ratelimit
from parley.members.models import Member
from tests.factories import PASSWORD, MemberFactory, signup_data

pytestmark = pytest.mark.django_db

TOO_MANY = re.compile(r"Too many sign-in attempts; try again in \d+ minutes?\.")


def signed_in(client: Client) -> bool:
    # The session, not a page: a guest's "/" may come from the page cache, unrendered.
    return SESSION_KEY in client.session


def test_signin_burst_locks_the_account_even_for_the_right_password(
    any_cache: str, member: Member
) -> None:
    limit, _ = ratelimit.limit_of("signin_account")
    client = Client()
    for _ in range(limit):
        wrong = client.post("/signin/", {"username": "alice", "password": "wrong guess"})
        assert wrong.status_code == 400
    right = client.post("/signin/", {"username": "ALICE", "password": PASSWORD})
    assert right.status_code == 429
    assert TOO_MANY.search(right.content.decode())
    assert not signed_in(client)
    # From another address the account is still locked: the limit is per account.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post("/signin/", {"username": "alice", "password": PASSWORD}).status_code == 429


def test_signin_limit_answers_the_same_for_an_unknown_account(member: Member) -> None:
    limit, _ = ratelimit.limit_of("signin_account")
    answers = {}
    for name in ("alice", "nobody-here"):
        client = Client()
        for _ in range(limit):
            client.post("/signin/", {"username": name, "password": "wrong guess"})
        response = client.post("/signin/", {"username": name, "password": PASSWORD})
        body = response.content.decode()
        alerts = re.findall(r'role="alert"><p>([^<]*)<', body)
        # The wait left may cross a minute between the two names (1 minute, 2 minutes).
        answers[name] = (
            response.status_code,
            [re.sub(r"\d+ minutes?", "N minutes", a) for a in alerts],
        )
    expected = (429, ["Too many sign-in attempts; try again in N minutes."])
    assert answers["alice"] == answers["nobody-here"] == expected


def test_signin_burst_from_one_address_over_many_names_is_refused(any_cache: str) -> None:
    limit, _ = ratelimit.limit_of("signin_address")
    MemberFactory(username="target")
    client = Client(REMOTE_ADDR="203.0.113.50")
    codes = [
        client.post("/signin/", {"username": f"name{i}", "password": "x"}).status_code
        for i in range(limit)
    ]
    assert codes == [400] * limit
    refused = client.post("/signin/", {"username": "target", "password": PASSWORD})
    assert refused.status_code == 429 and not signed_in(client)
    # Another address is not affected.
    fresh = Client(REMOTE_ADDR="203.0.113.51")
    assert fresh.post("/signin/", {"username": "target", "password": PASSWORD}).status_code == 302


def test_signup_burst_from_one_address_creates_only_the_limit(any_cache: str) -> None:
    limit, _ = ratelimit.limit_of("signup_address")
    client = Client(REMOTE_ADDR="203.0.113.60")
    codes = [
        client.post(
            "/signup/",
            signup_data(username=f"bot{i}", email=f"bot{i}@example.org", password=PASSWORD),
        ).status_code
        for i in range(limit + 3)
    ]
    assert codes == [302] * limit + [429] * 3
    refused = client.post(
        "/signup/", signup_data(username="late", email="late@example.org", password=PASSWORD)
    )
    assert "Too many sign-ups from your address; try again in" in refused.content.decode()
    assert Member.objects.count() == limit
    assert len(mail.outbox) == limit  # one confirmation mail per account made


def test_reset_burst_for_one_email_sends_only_the_limit(any_cache: str, member: Member) -> None:
    limit, _ = ratelimit.limit_of("reset_email")
    client = Client()
    answers = [client.post("/account/reset/", {"email": member.email}) for _ in range(limit + 4)]
    # The page answers the same every time; only the mail stops.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/account/reset/sent/")}
    assert len(mail.outbox) == limit


def test_reset_burst_from_one_address_over_many_emails_sends_only_the_limit() -> None:
    limit, _ = ratelimit.limit_of("reset_address")
    members = [MemberFactory() for _ in range(limit + 2)]
    client = Client(REMOTE_ADDR="203.0.113.70")
    for m in members:
        assert client.post("/account/reset/", {"email": m.email}).status_code == 302
    assert len(mail.outbox) == limit
    # Someone else, from elsewhere, still gets their mail.
    Client(REMOTE_ADDR="203.0.113.71").post("/account/reset/", {"email": members[-1].email})
    assert len(mail.outbox) == limit + 1


def test_limits_follow_the_forwarded_address_only_behind_trusted_proxies(settings) -> None:
    limit, _ = ratelimit.limit_of("signup_address")
    # No trusted proxy: a bot rotating X-Forwarded-For is still one address.
    client = Client(REMOTE_ADDR="203.0.113.80")
    for i in range(limit + 1):
        client.post(
            "/signup/",
            signup_data(username=f"spoof{i}", email=f"s{i}@example.org", password=PASSWORD),
            HTTP_X_FORWARDED_FOR=f"10.9.0.{i}",
        )
    assert Member.objects.count() == limit
    # Behind one trusted proxy, the proxy's address is shared and the forwarded one counts.
    settings.PARLEY_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    response = proxy.post(
        "/signup/",
        signup_data(username="real", email="real@example.org", password=PASSWORD),
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert response.status_code == 302 and Member.objects.filter(username="real").exists()
