"""Personal API tokens: the account page (create, list, revoke), storage as hashes only,
scopes, and "last used" written in batches rather than on a GET."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from parley.api import tokens
from parley.api.models import ApiToken
from parley.core import writebuffer
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/account/api-tokens/"


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_hash(member_client, member):
    response = member_client.post(URL, {"name": "news bot", "scopes": ["read", "write"]})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("parley_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(member=member)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.digest}
    assert token.scopes == ["read", "write"]
    again = member_client.get(URL).content.decode()
    assert "news bot" in again and secret not in again


def test_write_scope_brings_read_with_it(member) -> None:
    token, _secret = tokens.create_token(member=member, name="w", scopes=["write"])
    assert token.scopes == ["read", "write"]


def test_a_guest_is_sent_to_sign_in(anon_client: Client) -> None:
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scopes": ["read"]}, "This field is required"),
        ({"name": "bot"}, "This field is required"),
        ({"name": "bot", "scopes": ["root"]}, "Select a valid choice"),
    ],
)
def test_bad_input_says_what_is_wrong_and_creates_nothing(member_client, data, message):
    response = member_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_twenty_first_token_is_refused(member_client, member) -> None:
    for i in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.create_token(member=member, name=f"t{i}", scopes=["read"])
    response = member_client.post(URL, {"name": "one more", "scopes": ["read"]})
    assert response.status_code == 400
    assert "revoke one you no longer use" in response.content.decode()
    assert ApiToken.objects.filter(member=member).count() == tokens.MAX_ACTIVE_TOKENS


def test_revoking_stops_the_token_at_once(member_client, member) -> None:
    token, secret = tokens.create_token(member=member, name="bot", scopes=["read"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/forums").status_code == 200
    response = member_client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert api.get("/api/v1/forums").status_code == 401


def test_another_members_token_cannot_be_revoked(member, other) -> None:
    token, secret = tokens.create_token(member=other, name="theirs", scopes=["read"])
    response = client_for(member).post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)
    assert "There is no such token" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/forums").status_code == 200


def test_a_guest_cannot_revoke(anon_client, member) -> None:
    token, _secret = tokens.create_token(member=member, name="bot", scopes=["read"])
    assert anon_client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_deactivated_members_token_stops_working(member) -> None:
    _token, secret = tokens.create_token(member=member, name="bot", scopes=["read"])
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/forums").status_code == 401


def test_last_used_is_buffered_not_written_on_the_get(member) -> None:
    token, secret = tokens.create_token(member=member, name="bot", scopes=["read"])
    Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/forums")
    token.refresh_from_db()
    assert token.last_used_at is None
    writebuffer.flush_all()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_tokens_page_costs_a_fixed_number_of_queries(
    member_client, member, django_assert_num_queries
) -> None:
    for i in range(3):
        tokens.create_token(member=member, name=f"t{i}", scopes=["read"])
    member_client.get(URL)
    with django_assert_num_queries(4):
        member_client.get(URL)
    for i in range(3):
        tokens.create_token(member=member, name=f"more{i}", scopes=["read"])
    with django_assert_num_queries(4):
        member_client.get(URL)


def test_staff_revoke_a_token_in_the_admin_and_it_stops_working(admin, member) -> None:
    token, secret = tokens.create_token(member=member, name="bot", scopes=["read"])
    client = client_for(admin)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and "bot" in listing.content.decode()
    assert secret not in listing.content.decode()
    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/forums").status_code == 401


def test_a_member_without_staff_rights_cannot_open_the_token_admin(member_client) -> None:
    assert member_client.get("/admin/api/apitoken/").status_code == 302
