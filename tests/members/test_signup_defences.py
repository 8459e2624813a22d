"""A safer sign-up: honeypot, minimum fill time, the same answer for new and registered
addresses, and e-mail confirmation before the first post, end to end through a real SMTP
listener (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
import time
from email.message import Message

import pytest
from django.test import Client

from parley.core import ratelimit
from parley.forums.models import Forum, Post, Reaction, Thread
from parley.members.forms import signup_started_token
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import PASSWORD, MemberFactory, signup_data
from tests.members.test_password_reset import Inbox

pytestmark = pytest.mark.django_db

CHECK_MAIL = "Check your mail to confirm your address"


def body_of(message: Message) -> str:
    return message.get_payload(decode=True).decode()


def confirm_path(message: Message) -> str:
    return re.search(r"http://testserver(/account/confirm/\S+/)", body_of(message)).group(1)


def sign_up(client: Client, **fields: str):
    return client.post("/signup/", signup_data(**fields), follow=True)


def test_signup_mails_a_link_that_confirms_the_address_then_the_member_posts(
    smtp: Inbox, forum: Forum, anon_client: Client
) -> None:
    page = sign_up(anon_client, username="zara", email="zara@example.org", password=PASSWORD)
    assert CHECK_MAIL in page.content.decode()
    zara = Member.objects.get(username="zara")
    assert zara.email_confirmed_at is None
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "zara@example.org"
    assert mail["Subject"] == "Confirm your address on Parley"

    # Before confirming: can sign in and read, cannot start a thread; the page says why.
    assert (
        anon_client.post("/signin/", {"username": "zara", "password": PASSWORD}).status_code == 302
    )
    index = anon_client.get("/").content.decode()
    assert "Confirm your e-mail address to post" in index and "Resend the mail" in index
    new = anon_client.post(
        f"/forums/{forum.pk}/new/", {"title": "Hi", "source": "Hello", "format": "bbcode"}
    )
    assert new.status_code == 403 and Thread.objects.count() == 0

    confirmed = anon_client.get(confirm_path(mail))
    assert (
        confirmed.status_code == 200 and "Your address is confirmed" in confirmed.content.decode()
    )
    zara.refresh_from_db()
    assert zara.email_confirmed_at is not None
    posted = anon_client.post(
        f"/forums/{forum.pk}/new/", {"title": "Hi", "source": "Hello", "format": "bbcode"}
    )
    assert posted.status_code == 302 and Thread.objects.filter(author=zara).count() == 1
    assert "Confirm your e-mail address" not in anon_client.get("/").content.decode()


def test_registered_address_gets_the_same_answer_and_its_owner_a_notice(
    smtp: Inbox, member: Member
) -> None:
    new = sign_up(Client(), username="fresh", email="fresh@example.org", password=PASSWORD)
    taken = sign_up(Client(), username="impostor", email="ALICE@example.org", password=PASSWORD)
    assert new.status_code == taken.status_code == 200
    assert new.redirect_chain == taken.redirect_chain == [("/signup/sent/", 302)]
    assert CHECK_MAIL in taken.content.decode()
    assert not Member.objects.filter(username="impostor").exists()
    notice = next(m for m in smtp.messages if m["To"] == member.email)
    assert notice["Subject"] == "Someone tried to sign up on Parley with your address"
    text = body_of(notice)
    assert "http://testserver/signin/" in text and "http://testserver/account/reset/" in text
    assert "/account/confirm/" not in text


def test_honeypot_filled_answers_like_success_but_creates_nothing(smtp: Inbox) -> None:
    data = signup_data(username="botty", email="bot@example.org", password=PASSWORD)
    data["website"] = "http://cheap-pills.example"
    response = Client().post("/signup/", data, follow=True)
    assert response.redirect_chain == [("/signup/sent/", 302)]
    assert CHECK_MAIL in response.content.decode()
    assert Member.objects.count() == 0 and smtp.messages == []


def test_honeypot_is_hidden_by_css_not_by_type_hidden(anon_client: Client) -> None:
    page = anon_client.get("/signup/").content.decode()
    field = re.search(r'<div class="hp" aria-hidden="true">.*?</div>\s*</div>', page, re.S).group(0)
    assert 'name="website"' in field and 'type="text"' in field


def test_a_form_sent_back_too_fast_is_refused_with_a_clear_message(smtp: Inbox) -> None:
    data = signup_data(username="quick", email="quick@example.org", password=PASSWORD)
    data["started"] = signup_started_token()  # served this very second
    response = Client().post("/signup/", data)
    assert response.status_code == 400
    assert "Please take a moment" in response.content.decode()
    assert Member.objects.count() == 0 and smtp.messages == []


@pytest.mark.parametrize("started", ["", "forged:token", signup_started_token()[:-3] + "abc"])
def test_a_missing_or_forged_timestamp_is_refused(started: str) -> None:
    data = signup_data(username="forger", email="f@example.org", password=PASSWORD)
    data["started"] = started
    response = Client().post("/signup/", data)
    assert response.status_code == 400 and "reload the page" in response.content.decode()
    assert Member.objects.count() == 0


def test_a_served_form_carries_a_fresh_signed_timestamp(anon_client: Client) -> None:
    page = anon_client.get("/signup/").content.decode()
    token = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = signup_data(username="slow", email="slow@example.org", password=PASSWORD)
    data["started"] = token
    assert anon_client.post("/signup/", data).status_code == 400  # sent back at once
    data["started"] = signup_started_token(time.time() - 10)
    assert anon_client.post("/signup/", data).status_code == 302


def test_bad_and_stale_confirmation_links_change_nothing(settings, smtp: Inbox) -> None:
    sign_up(Client(), username="zara", email="zara@example.org", password=PASSWORD)
    path = confirm_path(smtp.messages[0])
    assert Client().get("/account/confirm/not-a-token/").status_code == 400
    settings.PARLEY_CONFIRM_EMAIL_MAX_AGE = -1
    stale = Client().get(path)
    assert stale.status_code == 400 and "no longer works" in stale.content.decode()
    assert Member.objects.get(username="zara").email_confirmed_at is None


def test_a_link_for_an_address_since_changed_does_not_confirm(smtp: Inbox) -> None:
    sign_up(Client(), username="zara", email="zara@example.org", password=PASSWORD)
    Member.objects.filter(username="zara").update(email="other@example.org")
    assert Client().get(confirm_path(smtp.messages[0])).status_code == 400
    assert Member.objects.get(username="zara").email_confirmed_at is None


def test_unconfirmed_member_cannot_reply_or_react(first_post: Post, thread: Thread) -> None:
    pending = MemberFactory(username="pending", email_confirmed_at=None)
    client = client_for(pending)
    page = client.get(f"/threads/{thread.pk}/").content.decode()
    assert "Confirm your e-mail address to post" in page and 'class="quick-reply"' not in page
    reply = client.post(f"/threads/{thread.pk}/reply/", {"source": "Hi", "format": "bbcode"})
    react = client.post(f"/posts/{first_post.pk}/react/", {"type": "1"})
    assert reply.status_code == react.status_code == 403
    assert Post.objects.filter(author=pending).count() == 0
    assert Reaction.objects.filter(member=pending).count() == 0


def test_resend_the_mail_is_rate_limited(smtp: Inbox) -> None:
    limit, _ = ratelimit.limit_of("confirm_mail")
    pending = MemberFactory(username="pending", email_confirmed_at=None)
    client = client_for(pending)
    codes = [client.post("/account/confirm/resend/").status_code for _ in range(limit)]
    assert codes == [302] * limit and len(smtp.messages) == limit
    refused = client.post("/account/confirm/resend/")
    assert refused.status_code == 429 and "try again in" in refused.content.decode()
    assert len(smtp.messages) == limit
    # The resent link works.
    assert client.get(confirm_path(smtp.messages[-1])).status_code == 200


def test_resend_needs_a_signed_in_unconfirmed_member_and_post(
    smtp: Inbox, member: Member, anon_client: Client
) -> None:
    assert anon_client.post("/account/confirm/resend/").status_code == 302  # to sign-in
    assert client_for(member).get("/account/confirm/resend/").status_code == 405
    done = client_for(member).post("/account/confirm/resend/", follow=True)
    assert "already confirmed" in done.content.decode() and smtp.messages == []


def test_admins_and_factories_count_as_confirmed(member: Member) -> None:
    from django.core.management import call_command

    call_command("createadmin", username="boss", email="b@example.org", password=PASSWORD)
    assert Member.objects.get(username="boss").email_confirmed_at is not None
    assert member.email_confirmed_at is not None
