"""Uploads stay with the text they were made for: a draft restored later (another visit,
another device) brings its form's uploads back, and previews show them as the post will."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parley.forums.models import Post
from tests.conftest import client_for

from . import pictures
from .helpers import form_key, reply_with, uploaded

pytestmark = pytest.mark.django_db


def _save_draft(client: Any, thread_id: int, source: str, key: str) -> None:
    response = client.post(
        f"/threads/{thread_id}/draft/",
        {"source": source, "format": "bbcode", "token": key, "js": "1"},
    )
    assert response.status_code == 200, response.content


def test_a_restored_draft_comes_back_with_its_forms_token(
    thread: Any, member: Any, member_client: Any
) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    _save_draft(member_client, thread.pk, f"See [attach={picture.pk}]", key)
    # Another visit (a fresh client: another device) gets the same form back.
    page = client_for(member).get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert f'name="token" value="{key}"' in page
    assert f"See [attach={picture.pk}]" in page


def test_posting_a_restored_draft_takes_the_uploads_made_before_leaving(
    thread: Any, member: Any, member_client: Any
) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    _save_draft(member_client, thread.pk, f"See [attach={picture.pk}]", key)
    later = client_for(member)
    page = later.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    restored_key = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert (
        reply_with(later, thread.pk, f"See [attach={picture.pk}]", restored_key).status_code == 302
    )
    post = Post.objects.get(idempotency_key=restored_key)
    picture.refresh_from_db()
    assert picture.post == post
    assert reverse("attachments:thumb", args=[picture.pk]) in post.cooked_html


def test_a_draft_saved_without_a_token_restores_with_a_fresh_one(
    thread: Any, member: Any, member_client: Any
) -> None:
    response = member_client.post(
        f"/threads/{thread.pk}/draft/", {"source": "Half a thought", "format": "bbcode", "js": "1"}
    )
    assert response.status_code == 200
    page = client_for(member).get(reverse("forums:thread", args=[thread.pk])).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 32 and "Half a thought" in page


def test_the_live_preview_shows_the_forms_uploads(member_client: Any) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    html = member_client.post(
        "/editor/preview/",
        {"source": f"[attach={picture.pk}]", "format": "bbcode", "token": key},
    ).json()["html"]
    assert reverse("attachments:thumb", args=[picture.pk]) in html


def test_the_live_preview_never_shows_someone_elses_upload(member_client: Any, other: Any) -> None:
    key = form_key()
    theirs = uploaded(client_for(other), pictures.png(), "chart.png", key)
    html = member_client.post(
        "/editor/preview/",
        {"source": f"[attach={theirs.pk}]", "format": "bbcode", "token": key},
    ).json()["html"]
    assert reverse("attachments:thumb", args=[theirs.pk]) not in html
    assert f"[attach={theirs.pk}]" in html


def test_the_live_preview_refuses_a_damaged_token(member_client: Any) -> None:
    response = member_client.post(
        "/editor/preview/", {"source": "x", "format": "bbcode", "token": "not-a-token"}
    )
    assert response.status_code == 400 and "error" in response.json()


def test_the_preview_with_a_token_costs_one_query_more(
    member_client: Any, django_assert_num_queries: Any
) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    # session, member, the form's uploads.
    with django_assert_num_queries(3):
        member_client.post(
            "/editor/preview/",
            {"source": f"[attach={picture.pk}]", "format": "bbcode", "token": key},
        )


def test_the_no_javascript_preview_shows_the_forms_uploads(thread: Any, member_client: Any) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    page = member_client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"source": f"[attach={picture.pk}]", "format": "bbcode", "token": key, "preview": "1"},
    ).content.decode()
    assert reverse("attachments:thumb", args=[picture.pk]) in page
    assert not Post.objects.filter(idempotency_key=key).exists()
