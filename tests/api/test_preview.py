"""The editor's live preview through the API: the posting cooker, members only, the same
form checks and the same "preview" rate limit as /editor/preview/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from parley.forums.models import Post
from parley.members.models import Member

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/preview"


def test_preview_cooks_bbcode_with_mentions_as_posting_does(
    token_client: Any, member: Member, other: Member
) -> None:
    response = token_client(member, "read").post(
        URL, {"source": "[b]Ceasefire[/b] holds, says @bob", "format": "bbcode"}, content_type=JSON
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Ceasefire</strong>" in html and 'href="/members/bob/"' in html
    assert Post.objects.count() == 0  # a preview writes nothing


def test_preview_cooks_markdown_and_sanitizes(token_client: Any, member: Member) -> None:
    client = token_client(member, "read")
    html = client.post(
        URL,
        {"source": "**bold** <script>alert(1)</script>", "format": "markdown"},
        content_type=JSON,
    ).json()["html"]
    assert "<strong>bold</strong>" in html and "<script>" not in html


def test_an_empty_source_previews_as_nothing(token_client: Any, member: Member) -> None:
    response = token_client(member, "read").post(
        URL, {"source": "   ", "format": "bbcode"}, content_type=JSON
    )
    assert response.json() == {"html": ""}


def test_guests_cannot_preview(anon_client: Client) -> None:
    response = anon_client.post(URL, {"source": "x", "format": "bbcode"}, content_type=JSON)
    assert response.status_code == 401


@override_settings(PARLEY_MAX_POST_LENGTH=10)
def test_a_source_past_the_post_limit_or_a_bad_format_is_refused(
    token_client: Any, member: Member
) -> None:
    client = token_client(member, "read")
    long = client.post(URL, {"source": "x" * 11, "format": "bbcode"}, content_type=JSON)
    assert long.status_code == 400
    assert "Keep the post to 10 characters" in long.json()["error"]["fields"]["source"][0]
    bad = client.post(URL, {"source": "x", "format": "html"}, content_type=JSON)
    assert bad.status_code == 422 and "format" in bad.json()["error"]["fields"]
    token = client.post(URL, {"source": "x", "token": "../../etc"}, content_type=JSON)
    assert token.status_code == 422 and "token" in token.json()["error"]["fields"]


def test_preview_shares_the_editors_rate_limit(
    token_client: Any, member_client: Client, member: Member, settings: Any
) -> None:
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "preview": (2, 60)}
    client = token_client(member, "read")
    body = {"source": "x", "format": "bbcode"}
    assert member_client.post("/editor/preview/", body).status_code == 200  # the page's
    assert client.post(URL, body, content_type=JSON).status_code == 200
    response = client.post(URL, body, content_type=JSON)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited" and response["Retry-After"]


def test_preview_costs_a_fixed_number_of_queries(
    token_client: Any, member: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(member, "read")
    body = {"source": "[b]x[/b] and [i]y[/i]", "format": "bbcode"}
    client.post(URL, body, content_type=JSON)
    # the token only: cooking without mentions or attachments reads nothing
    with django_assert_num_queries(1):
        assert client.post(URL, body, content_type=JSON).status_code == 200
