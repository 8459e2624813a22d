"""Alert mails and digests end to end through a real SMTP listener, and the one-click
unsubscribe (RFC 8058) without a session or CSRF token."""

from __future__ import annotations

from email.header import decode_header, make_header
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from parley.alerts import kinds, preferences
from parley.alerts.mail import DIGEST, unsubscribe_token
from parley.alerts.models import MailSettings
from parley.alerts.tasks_mail import send_digests
from parley.core.writebuffer import flush_all as flush_buffers
from parley.engagement.services import watch_thread
from parley.forums.models import Thread
from parley.members.models import Member
from tests.factories import MemberFactory, make_reply

pytestmark = pytest.mark.django_db

SITE = "https://forum.example.org"


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.PARLEY_SITE_URL = SITE


def header(message: Any, name: str) -> str:
    """A header as a reader sees it: decoded (RFC 2047) and unfolded."""
    return " ".join(str(make_header(decode_header(message[name]))).split())


def parts(message: Any) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }


def test_a_mention_is_mailed_in_text_and_html_with_one_click_unsubscribe(
    committed: Any, thread: Thread, member: Member, other: Member, smtp: Any
) -> None:
    post = committed(make_reply, thread, member, "What do you say, @bob?")
    (mail,) = smtp.messages
    assert mail["To"] == other.email
    assert header(mail, "Subject") == f"alice mentioned you in “{thread.title}”"
    body = parts(mail)
    assert f"{SITE}/posts/{post.pk}/" in body["text/plain"]
    assert f'href="{SITE}/posts/{post.pk}/"' in body["text/html"]
    assert header(mail, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    link = header(mail, "List-Unsubscribe").strip("<>")
    assert link.startswith(f"{SITE}/unsubscribe/")

    # The mail client's one-click POST: no session, no CSRF token.
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert preferences.member_choices(other.pk)[kinds.MENTION].email is False
    assert preferences.member_choices(other.pk)[kinds.QUOTE].email is True  # only that type

    committed(make_reply, thread, member, "Still there, @bob?")
    assert len(smtp.messages) == 1


def test_unsubscribe_get_asks_first_and_bad_tokens_get_a_clear_400(
    other: Member, anon_client: Client
) -> None:
    token = unsubscribe_token(other.pk, kinds.CONVERSATION)
    page = anon_client.get(f"/unsubscribe/{token}/")
    assert page.status_code == 200 and b"<button" in page.content
    assert "Stop e-mail for “A message in one of your conversations”?" in page.content.decode()
    assert preferences.member_choices(other.pk)[kinds.CONVERSATION].email is True
    for bad in [token[:-2] + "xx", "nonsense", unsubscribe_token(other.pk, "rockets")]:
        response = anon_client.post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert b"does not work" in response.content
    assert other.alert_preferences.count() == 0


def test_a_token_for_an_unknown_mail_type_gets_a_400_on_get_as_on_post(
    other: Member, anon_client: Client
) -> None:
    url = f"/unsubscribe/{unsubscribe_token(other.pk, 'rockets')}/"
    for response in (anon_client.get(url), anon_client.post(url)):
        assert response.status_code == 400 and b"does not work" in response.content


def test_a_second_visit_says_the_mail_is_already_off_and_offers_no_button(
    other: Member, anon_client: Client
) -> None:
    url = f"/unsubscribe/{unsubscribe_token(other.pk, kinds.MENTION)}/"
    anon_client.post(url)
    again = anon_client.get(url).content.decode()
    assert "E-mail for “Someone @mentions you” is already off." in again
    assert "<button" not in again.split("<h1>Unsubscribe</h1>")[1]


def test_digest_unsubscribe_turns_the_digest_off(other: Member, anon_client: Client) -> None:
    preferences.set_digest(member=other, digest="weekly")
    done = anon_client.post(f"/unsubscribe/{unsubscribe_token(other.pk, DIGEST)}/")
    assert preferences.digest_of(other.pk) == "off"
    assert "no more e-mail for “Digests of watched threads”" in done.content.decode()


def test_unconfirmed_addresses_are_not_mailed(
    committed: Any, thread: Thread, member: Member, smtp: Any
) -> None:
    MemberFactory(username="fresh", email_confirmed_at=None)
    committed(make_reply, thread, member, "Welcome @fresh")
    assert smtp.messages == []


def test_a_watched_thread_is_mailed_once_until_the_member_reads_it_again(
    committed: Any, thread: Thread, member: Member, other: Member, smtp: Any
) -> None:
    watch_thread(member=other, thread=thread, email=True)
    committed(make_reply, thread, member, "First news")
    committed(make_reply, thread, member, "Second news")
    assert [m["To"] for m in smtp.messages] == [other.email]
    reader = Client()
    reader.force_login(other)
    assert reader.get(f"/threads/{thread.pk}/").status_code == 200
    flush_buffers()  # read positions are buffered; a server writes them within seconds
    committed(make_reply, thread, member, "Third news")
    assert [m["To"] for m in smtp.messages] == [other.email, other.email]


def test_a_watch_without_email_sends_no_mail(
    committed: Any, thread: Thread, member: Member, other: Member, smtp: Any
) -> None:
    watch_thread(member=other, thread=thread, email=False)
    committed(make_reply, thread, member, "News")
    assert smtp.messages == []


def test_digests_go_once_per_period_with_the_watched_threads_that_have_news(
    committed: Any, thread: Thread, member: Member, other: Member, smtp: Any, settings: Any
) -> None:
    assert "parley.alerts.tasks_mail.send_digests" in settings.PARLEY_PERIODIC_TASKS
    watch_thread(member=other, thread=thread)
    preferences.set_digest(member=other, digest="daily")
    committed(make_reply, thread, member, "News for the digest")
    assert send_digests.call() == 1
    assert send_digests.call() == 0  # idempotent: recorded per member
    (mail,) = smtp.messages
    assert "daily digest" in header(mail, "Subject") and thread.title in parts(mail)["text/plain"]
    assert header(mail, "List-Unsubscribe").startswith(f"<{SITE}/unsubscribe/")
    assert MailSettings.objects.get(member=other).last_digest_at is not None
