"""A participant searches their own conversations; nobody else ever sees them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from parley.conversations.models import Participant
from parley.conversations.services import leave_conversation, start_conversation
from parley.search.conversations import search_conversations
from parley.search.matching import matches
from parley.search.parser import parse_query
from tests.conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(member, other):
    return start_conversation(
        starter=member,
        recipients=[other],
        title="Meeting in İzmir",
        source="Bring the ferry timetable",
        fmt="bbcode",
    )


def test_matching_follows_the_query_syntax() -> None:
    text = "The ferry timetable for Izmir"
    assert matches(parse_query('"ferry timetable" izm*'), text)
    assert not matches(parse_query("ferry -izmir"), text)
    assert not matches(parse_query('"timetable ferry"'), text)


def test_participants_find_their_conversation_by_title_and_text(conversation, member, other):
    for who in (member, other):
        hits = search_conversations(who, parse_query("izmir ferry"))
        assert [h.conversation_id for h in hits] == [conversation.pk]
    assert "<mark>İzmir</mark>" in hits[0].title


def test_nobody_else_finds_it(conversation):
    outsider = MemberFactory()
    assert search_conversations(outsider, parse_query("ferry")) == []
    assert search_conversations(AnonymousUser(), parse_query("ferry")) == []


def test_a_member_who_left_no_longer_finds_it(conversation, other):
    place = Participant.objects.get(conversation=conversation, member=other)
    leave_conversation(place=place)
    assert search_conversations(other, parse_query("ferry")) == []


def test_the_page_shows_them_to_participants_only(conversation, other):
    html = client_for(other).get("/search/", {"q": "ferry"}).content.decode()
    assert "In your conversations" in html
    assert f"/conversations/messages/{conversation.last_message_id}/" in html
    outsider_html = client_for(MemberFactory()).get("/search/", {"q": "ferry"}).content.decode()
    assert "In your conversations" not in outsider_html
    assert "timetable" not in outsider_html
