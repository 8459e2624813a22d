"""Your settings pages through the API: the members you ignore, and who may start
conversations with you (the same query and service as the pages)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.conversations.models import ConversationPreference
from parley.members.models import Member
from parley.people import services as people_services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
PREFS = "/api/v1/me/conversation-preferences"


# --- GET /me/ignored -----------------------------------------------------------------------


def test_ignored_lists_whom_you_ignore_by_name(
    token_client: Any, member: Member, other: Member
) -> None:
    zed = MemberFactory(username="Zed")
    carol = MemberFactory(username="carol")
    for target in (zed, other, carol):
        people_services.ignore_member(member=member, target=target)
    people_services.ignore_member(member=other, target=member)  # someone else's list
    body = token_client(member, "read").get("/api/v1/me/ignored").json()
    assert [m["username"] for m in body] == ["bob", "carol", "Zed"]
    assert body[0] == {"id": other.pk, "username": "bob", "url": "/members/bob/"}


def test_ignored_is_empty_when_you_ignore_nobody(token_client: Any, member: Member) -> None:
    assert token_client(member, "read").get("/api/v1/me/ignored").json() == []


def test_guests_have_no_ignored_list(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/me/ignored")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("count", [2, 5])
def test_ignored_costs_the_same_queries_for_2_or_5(
    token_client: Any, member: Member, count: int, django_assert_num_queries: Any
) -> None:
    for i in range(count):
        people_services.ignore_member(member=member, target=MemberFactory(username=f"m{i}"))
    client = token_client(member, "read")
    client.get("/api/v1/me/ignored")
    # the token, the ignored members with their rows
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/me/ignored").json()) == count


# --- /me/conversation-preferences ----------------------------------------------------------


def test_conversation_preferences_default_to_everyone_and_change(
    token_client: Any, member: Member, other: Member
) -> None:
    client = token_client(member)
    assert client.get(PREFS).json() == {"accept_from": "everyone"}
    response = client.put(PREFS, {"accept_from": "nobody"}, content_type=JSON)
    assert response.status_code == 200 and response.json() == {"accept_from": "nobody"}
    assert ConversationPreference.objects.get(member=member).accept_from == "nobody"
    assert client.get(PREFS).json() == {"accept_from": "nobody"}
    assert token_client(other).get(PREFS).json() == {"accept_from": "everyone"}  # their own
    client.put(PREFS, {"accept_from": "everyone"}, content_type=JSON)
    assert ConversationPreference.objects.get(member=member).accept_from == "everyone"


def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(
    token_client: Any, member: Member
) -> None:
    client = token_client(member)
    for body in ({"accept_from": "friends"}, {}, {"accept_from": 1}):
        response = client.put(PREFS, body, content_type=JSON)
        assert response.status_code == 422, body
        assert "accept_from" in response.json()["error"]["fields"]
    assert not ConversationPreference.objects.exists()


def test_guests_and_read_only_tokens_cannot_change_preferences(
    anon_client: Client, token_client: Any, member: Member
) -> None:
    assert anon_client.get(PREFS).status_code == 401
    assert anon_client.put(PREFS, {"accept_from": "nobody"}, content_type=JSON).status_code == 401
    read_only = token_client(member, "read")
    assert read_only.get(PREFS).status_code == 200
    response = read_only.put(PREFS, {"accept_from": "nobody"}, content_type=JSON)
    assert response.status_code == 403
    assert not ConversationPreference.objects.exists()


def test_changing_preferences_costs_a_fixed_number_of_queries(
    token_client: Any, member: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    client.put(PREFS, {"accept_from": "everyone"}, content_type=JSON)
    # the token; the service's transaction and update_or_create (savepoints, the row, the
    # update)
    with django_assert_num_queries(7):
        assert client.put(PREFS, {"accept_from": "nobody"}, content_type=JSON).status_code == 200
