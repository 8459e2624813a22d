"""Password reset by e-mail, through a real SMTP listener (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from parley.members.models import Member
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase 7"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


def reset_link(message: Message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://testserver(/account/reset/\S+/)", body).group(1)


def test_reset_by_mail_then_sign_in(smtp: Inbox, member: Member, anon_client: Client) -> None:
    response = anon_client.post("/account/reset/", {"email": member.email.upper()})
    assert response.status_code == 302 and response["Location"] == "/account/reset/sent/"
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == member.email and mail["Subject"] == "Reset your Parley password"
    link = reset_link(mail)
    form = anon_client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = anon_client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/account/reset/done/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and not member.check_password(PASSWORD)
    # The link works once.
    assert b"This link no longer works" in anon_client.get(link, follow=True).content


def test_unknown_address_gets_the_same_answer_and_no_mail(
    smtp: Inbox, member: Member, anon_client: Client
) -> None:
    response = anon_client.post("/account/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/account/reset/sent/"
    assert smtp.messages == []


def test_weak_new_password_is_refused(smtp: Inbox, member: Member, anon_client: Client) -> None:
    anon_client.post("/account/reset/", {"email": member.email})
    form = anon_client.get(reset_link(smtp.messages[0]), follow=True)
    response = anon_client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200 and b"too short" in response.content
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_mail_server_down_is_logged_not_revealed(
    settings: Any, member: Member, anon_client: Client, caplog
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    response = anon_client.post("/account/reset/", {"email": member.email})
    # Same answer as for an unknown address: the page must not reveal who has an account.
    assert response.status_code == 302 and response["Location"] == "/account/reset/sent/"
    assert "Failed to send password reset email" in caplog.text


def test_bad_input_and_wrong_method(anon_client: Client) -> None:
    response = anon_client.post("/account/reset/", {"email": "not an address"})
    assert response.status_code == 200 and b"valid email" in response.content
    assert anon_client.get("/account/reset/bad/link-token/").status_code == 200
    assert b"This link no longer works" in anon_client.get("/account/reset/bad/link-token/").content
    assert anon_client.put("/account/reset/").status_code == 405
