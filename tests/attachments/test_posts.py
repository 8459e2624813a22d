"""Attachments in posts: placed inline or listed, served exactly when the post may be read."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parley.attachments.models import Attachment
from parley.forums import moderation
from parley.forums import services as forum_services
from parley.forums.models import Post
from parley.forums.rebake import rebake_post
from tests.conftest import client_for
from tests.factories import make_thread

from . import pictures
from .helpers import form_key, reply_with, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(thread: Any, member: Any, member_client: Any) -> tuple[Post, Attachment, Attachment]:
    """A reply with a picture placed inline and a PDF left to the list."""
    key = form_key()
    picture = uploaded(member_client, pictures.jpeg(), "map.jpg", key)
    pdf = uploaded(member_client, pictures.pdf(), "report.pdf", key)
    response = reply_with(member_client, thread.pk, f"The map: [attach={picture.pk}] done", key)
    assert response.status_code == 302
    post = Post.objects.get(idempotency_key=key)
    return post, picture, pdf


def test_the_post_written_with_the_form_takes_its_uploads(posted: Any) -> None:
    post, picture, pdf = posted
    picture.refresh_from_db()
    pdf.refresh_from_db()
    assert picture.post == post and pdf.post == post


def test_a_placed_picture_shows_inline_and_the_rest_are_listed_under_the_post(posted: Any) -> None:
    post, picture, pdf = posted
    thumb = reverse("attachments:thumb", args=[picture.pk])
    assert f'<img src="{thumb}" alt="map.jpg" width="200" height="100"' in post.cooked_html
    head, listed = post.cooked_html.split('<div class="attachments">')
    assert thumb in head and thumb not in listed
    assert (
        f'href="{reverse("attachments:file", args=[pdf.pk])}" rel="nofollow ugc noopener">report.pdf</a>'
        in listed
    )


def test_someone_elses_attachment_id_stays_text(thread: Any, other: Any, posted: Any) -> None:
    _post, picture, _pdf = posted
    reply = forum_services.reply_to_thread(
        author=other, thread=thread, source=f"Mine now [attach={picture.pk}]", fmt="markdown"
    )
    assert f"[attach={picture.pk}]" in reply.cooked_html
    assert "<img" not in reply.cooked_html


def test_a_guest_sees_the_attachment_of_a_visible_post_with_safe_headers(
    posted: Any, anon_client: Any, django_assert_num_queries: Any
) -> None:
    _post, picture, pdf = posted
    url = reverse("attachments:file", args=[picture.pk])
    anon_client.get(url)  # the guests' permission set is computed once, then cached
    # the attachment with its post, thread and forum; the permission version
    with django_assert_num_queries(2):
        response = anon_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'inline; filename="map.jpg"'
    assert "Set-Cookie" not in response
    document = anon_client.get(reverse("attachments:file", args=[pdf.pk]))
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert b"".join(document.streaming_content) == pictures.pdf()
    thumb = anon_client.get(reverse("attachments:thumb", args=[picture.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"


def test_an_attachment_of_a_deleted_post_is_404_for_readers(
    posted: Any, moderator: Any, anon_client: Any, other_client: Any
) -> None:
    post, picture, _pdf = posted
    moderation.soft_delete_post(actor=moderator, post=post, reason="off topic")
    for client in (anon_client, other_client):
        assert client.get(reverse("attachments:file", args=[picture.pk])).status_code == 404
        assert client.get(reverse("attachments:thumb", args=[picture.pk])).status_code == 404


def test_an_attachment_in_a_staff_forum_is_404_for_members(
    staff_forum: Any, moderator: Any, other_client: Any
) -> None:
    key = form_key()
    picture = uploaded(client_for(moderator), pictures.png(), "plan.png", key)
    forum_services.start_thread(
        author=moderator,
        forum=staff_forum,
        title="Plans",
        source="see",
        fmt="bbcode",
        idempotency_key=key,
    )
    assert other_client.get(reverse("attachments:file", args=[picture.pk])).status_code == 404
    assert (
        client_for(moderator).get(reverse("attachments:file", args=[picture.pk])).status_code == 200
    )


def test_an_upload_not_in_a_post_is_seen_by_its_uploader_only(
    member_client: Any, other_client: Any, anon_client: Any
) -> None:
    picture = uploaded(member_client, pictures.png(), "draft.png", form_key())
    url = reverse("attachments:file", args=[picture.pk])
    assert member_client.get(url).status_code == 200
    assert other_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404


def test_an_unknown_attachment_is_404_and_post_is_not_allowed(anon_client: Any) -> None:
    assert anon_client.get(reverse("attachments:file", args=[999])).status_code == 404
    assert anon_client.post(reverse("attachments:file", args=[999])).status_code == 405


def test_an_edit_adds_files_uploaded_in_the_edit_form(
    posted: Any, member: Any, member_client: Any
) -> None:
    post, _picture, _pdf = posted
    key = form_key()
    extra = uploaded(member_client, pictures.png(), "extra.png", key)
    edited = forum_services.edit_post(
        editor=member, post=post, source=post.source, fmt="bbcode", attachment_key=key
    )
    extra.refresh_from_db()
    assert extra.post == edited
    assert reverse("attachments:thumb", args=[extra.pk]) in edited.cooked_html


def test_a_rebake_keeps_the_attachments(posted: Any) -> None:
    post, picture, pdf = posted
    Post.objects.filter(pk=post.pk).update(cooked_html="", render_version=0)
    assert rebake_post(post.pk)
    post.refresh_from_db()
    assert reverse("attachments:thumb", args=[picture.pk]) in post.cooked_html
    assert reverse("attachments:file", args=[pdf.pk]) in post.cooked_html


def test_the_thread_page_shows_the_attachments(posted: Any, anon_client: Any, thread: Any) -> None:
    _post, picture, _pdf = posted
    page = anon_client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert reverse("attachments:thumb", args=[picture.pk]) in page


def test_a_new_thread_takes_its_uploads(forum: Any, member: Any, member_client: Any) -> None:
    key = form_key()
    picture = uploaded(member_client, pictures.png(), "chart.png", key)
    response = member_client.post(
        reverse("forums:start_thread", args=[forum.pk]),
        {"title": "Chart", "source": f"[attach={picture.pk}]", "format": "markdown", "token": key},
    )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.post is not None and picture.post.thread.title == "Chart"


def test_a_thread_made_without_uploads_has_no_attachment_list(forum: Any, member: Any) -> None:
    thread = make_thread(forum, member, body="plain")
    assert "attachments" not in Post.objects.get(pk=thread.first_post_id).cooked_html
