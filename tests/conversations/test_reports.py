"""Reporting a message: participants report one message; super moderators and admins see
that message (a copy) in the reports page, and still get the 404 from the conversation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parley.conversations import services
from parley.conversations.models import Message, MessageReport, Participant
from parley.members.models import Member
from parley.permissions.models import Group
from tests.conftest import client_for
from tests.factories import MemberFactory


@pytest.fixture
def supermod(db) -> Member:
    person = MemberFactory(username="supermod")
    Group.objects.get(key=Group.MODERATORS).members.add(person)
    return person


def messages_of(talk) -> list[Message]:
    return list(Message.objects.filter(conversation=talk).order_by("id"))


@pytest.fixture
def two_messages(talk, other) -> list[Message]:
    place = Participant.objects.select_related("conversation", "member").get(
        conversation=talk, member=other
    )
    services.reply_to_conversation(place=place, source="Bob's own secret", fmt="bbcode")
    return messages_of(talk)


def report_url(message: Message) -> str:
    return reverse("conversations:report", args=[message.pk])


def test_participant_reports_and_staff_see_only_that_message(talk, two_messages, other, supermod):
    reported, _unreported = two_messages
    response = client_for(other).post(report_url(reported), {"reason": "Threatening"})
    assert response.status_code == 302
    staff = client_for(supermod)
    page = staff.get(reverse("conversations:reports")).content.decode()
    assert "<strong>hello</strong>" in page and "Threatening" in page
    assert "Bob's own secret" not in page
    assert staff.get(reverse("conversations:detail", args=[talk.pk])).status_code == 404
    assert staff.get(reverse("conversations:message", args=[reported.pk])).status_code == 404


def test_staff_resolve_a_report(talk, two_messages, other, supermod):
    services.report_message(message=two_messages[0], reporter=other, reason="spam")
    report = MessageReport.objects.get()
    response = client_for(supermod).post(reverse("conversations:resolve_report", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_by_id == supermod.pk


def test_members_get_404_from_the_reports_pages(talk, two_messages, other, member, carol):
    services.report_message(message=two_messages[0], reporter=other, reason="spam")
    report = MessageReport.objects.get()
    for person in (member, carol):
        client = client_for(person)
        assert client.get(reverse("conversations:reports")).status_code == 404
        url = reverse("conversations:resolve_report", args=[report.pk])
        assert client.post(url).status_code == 404
    report.refresh_from_db()
    assert report.resolved_at is None


def test_non_participant_cannot_report(talk, two_messages, carol):
    response = client_for(carol).post(report_url(two_messages[0]), {"reason": "x"})
    assert response.status_code == 404
    assert not MessageReport.objects.exists()


def test_guest_is_sent_to_sign_in(talk, anon_client):
    response = anon_client.post(report_url(messages_of(talk)[0]), {"reason": "x"})
    assert response.status_code == 302
    assert not MessageReport.objects.exists()


@pytest.mark.parametrize("reason, error", [("   ", "Say what is wrong"), ("x" * 1001, "1,000")])
def test_bad_reason_is_refused(talk, other, reason, error):
    response = client_for(other).post(report_url(messages_of(talk)[0]), {"reason": reason})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not MessageReport.objects.exists()


def test_own_message_cannot_be_reported(talk, member):
    response = client_for(member).post(report_url(messages_of(talk)[0]), {"reason": "mine"})
    assert response.status_code == 400
    assert not MessageReport.objects.exists()


def test_reporting_twice_keeps_one_open_report(talk, other):
    client = client_for(other)
    for _ in range(2):
        client.post(report_url(messages_of(talk)[0]), {"reason": "spam"})
    assert MessageReport.objects.count() == 1


def test_report_page_costs_exact_queries(talk, other):
    from tests.conversations.test_views import queries_for

    # session + user + permission version + the message (joined to the viewer's place)
    assert queries_for(client_for(other), report_url(messages_of(talk)[0])) == 4
