"""The live-preview endpoint: cooked by the posting cooker, members only, POST only, bounded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from parley.members.models import Member
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/editor/preview/"


def test_preview_returns_the_source_cooked_as_a_post(member_client: Client, other: Member) -> None:
    response = member_client.post(
        URL, {"source": "[b]Ceasefire[/b] holds, says @bob", "format": "bbcode"}
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Ceasefire</strong>" in html
    assert 'href="/members/bob/"' in html  # mentions resolved as posting resolves them


def test_preview_cooks_markdown_when_markdown_is_chosen(member_client: Client) -> None:
    html = member_client.post(URL, {"source": "**bold** and _it_", "format": "markdown"}).json()[
        "html"
    ]
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html


def test_preview_sanitizes_what_the_member_typed(member_client: Client) -> None:
    html = member_client.post(
        URL, {"source": "<script>alert(1)</script>", "format": "markdown"}
    ).json()["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_preview_of_nothing_is_empty(member_client: Client) -> None:
    assert member_client.post(URL, {"source": "  \n", "format": "bbcode"}).json() == {"html": ""}


def test_guest_gets_403_and_no_preview(anon_client: Client) -> None:
    response = anon_client.post(URL, {"source": "[b]x[/b]", "format": "bbcode"})
    assert response.status_code == 403
    assert "html" not in response.json()


def test_preview_refuses_get(member_client: Client) -> None:
    assert member_client.get(URL, {"source": "x", "format": "bbcode"}).status_code == 405


def test_preview_refuses_a_post_without_the_csrf_token(member: Member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(URL, {"source": "x", "format": "bbcode"}).status_code == 403


@pytest.mark.parametrize("fmt", ["", "html", "BBCODE"])
def test_preview_refuses_an_unknown_format_with_a_message(member_client: Client, fmt: str) -> None:
    response = member_client.post(URL, {"source": "x", "format": fmt})
    assert response.status_code == 400
    assert response.json()["error"]


@override_settings(PARLEY_MAX_POST_LENGTH=100)
def test_preview_refuses_a_source_over_the_post_limit(member_client: Client) -> None:
    assert member_client.post(URL, {"source": "a" * 100, "format": "bbcode"}).status_code == 200
    response = member_client.post(URL, {"source": "a" * 101, "format": "bbcode"})
    assert response.status_code == 400
    assert "100 characters" in response.json()["error"]


@override_settings(PARLEY_RATE_LIMITS={"preview": (2, 60)})
def test_preview_is_rate_limited_per_member(member_client: Client, other: Member) -> None:
    for _ in range(2):
        assert member_client.post(URL, {"source": "x", "format": "bbcode"}).status_code == 200
    refused = member_client.post(URL, {"source": "x", "format": "bbcode"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client_for(other).post(URL, {"source": "x", "format": "bbcode"}).status_code == 200


def test_preview_query_count(member_client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    member_client.post(URL, {"source": "warm", "format": "bbcode"})
    # session, member; nothing else without mentions (the cooker asks only for @names).
    with django_assert_num_queries(2):
        member_client.post(URL, {"source": "[i]no mentions[/i]", "format": "bbcode"})
    with django_assert_num_queries(3):
        member_client.post(URL, {"source": "hello @bob and @carol", "format": "bbcode"})
