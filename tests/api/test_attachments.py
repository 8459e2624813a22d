"""Attachments through the API: a script uploads a photo and a PDF with an upload key, and
the post written with that key shows them; guests, other members, bad input, the limits
(413 before the body, the group's per-file, per-post and total limits) and the exact
query counts of the upload and of a reply taking 2 or 5 files."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.attachments.models import Attachment, AttachmentQuota
from parley.forums.models import Post, Thread
from parley.permissions.models import Group
from tests.attachments import pictures

pytestmark = pytest.mark.django_db

JSON = "application/json"
UPLOAD = "/api/v1/attachments"


@pytest.fixture(autouse=True)
def media_folder(settings: Any, tmp_path: Path) -> Path:
    """Each test stores its uploads in its own folder (the local storage backend)."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder)
    return folder


def new_key() -> str:
    return uuid.uuid4().hex


def upload(client: Any, data: bytes, name: str, key: str, **extra: Any) -> Any:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "upload_key": key}, **extra)


def uploaded(client: Any, data: bytes, name: str, key: str) -> dict[str, Any]:
    response = upload(client, data, name, key)
    assert response.status_code == 201, response.content
    return response.json()


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


def set_quota(**limits: int) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    AttachmentQuota.objects.create(group=registered, **limits)


# --- uploading and posting --------------------------------------------------------------


def test_an_uploaded_photo_is_answered_with_its_insert_snippet_and_thumbnail(
    token_client: Any, member: Any, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    key = new_key()
    # the token with its member, the quota, the count waiting under the key, the sum used,
    # and the insert in its savepoint (3)
    with django_assert_num_queries(7):
        response = upload(client, pictures.jpeg(gps=True), "holiday photo.jpg", key)
    assert response.status_code == 201, response.content
    body = response.json()
    attachment = Attachment.objects.get(pk=body["id"])
    assert body["insert"] == f"[attach={attachment.pk}]"
    assert body["upload_key"] == key
    assert (body["name"], body["kind"], body["content_type"]) == (
        "holiday photo.jpg",
        "image",
        "image/jpeg",
    )
    assert (body["width"], body["height"]) == (200, 100)
    assert body["size"] == attachment.size > 0
    assert body["url"] == reverse("attachments:file", args=[attachment.pk])
    assert body["thumb_url"] == reverse("attachments:thumb", args=[attachment.pk])
    assert attachment.uploader == member and attachment.form_key == key
    assert attachment.post is None


def test_a_script_posts_a_reply_with_a_photo_inline_and_a_pdf_listed(
    token_client: Any, member: Any, thread: Any
) -> None:
    client = token_client(member)
    key = new_key()
    photo = uploaded(client, pictures.jpeg(), "map.jpg", key)
    pdf = uploaded(client, pictures.pdf(), "report.pdf", key)
    assert (pdf["kind"], pdf["content_type"], pdf["thumb_url"]) == (
        "file",
        "application/pdf",
        None,
    )
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": f"The map: {photo['insert']} done", "upload_key": key},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert set(post.attachments.values_list("pk", flat=True)) == {photo["id"], pdf["id"]}
    assert post.idempotency_key == key  # the one key is both, as the form's token
    html = client.get(f"/api/v1/posts/{post.pk}").json()["html"]
    head, listed = html.split('<div class="attachments">')
    assert f'<img src="{photo["thumb_url"]}" alt="map.jpg" width="200" height="100"' in head
    assert pdf["url"] in listed and "report.pdf" in listed
    assert client.get(photo["url"]).status_code == 200


def test_the_same_key_as_idempotency_key_binds_and_a_retry_is_the_same_post(
    token_client: Any, member: Any, thread: Any
) -> None:
    client = token_client(member)
    key = new_key()
    photo = uploaded(client, pictures.png(), "a.png", key)
    payload = {"source": f"Look {photo['insert']}", "idempotency_key": key, "upload_key": key}
    first = client.post(f"/api/v1/threads/{thread.pk}/posts", payload, content_type=JSON)
    again = client.post(f"/api/v1/threads/{thread.pk}/posts", payload, content_type=JSON)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Attachment.objects.get(pk=photo["id"]).post_id == first.json()["id"]


def test_an_upload_key_different_from_the_idempotency_key_is_refused(
    token_client: Any, member: Any, thread: Any
) -> None:
    client = token_client(member)
    key = new_key()
    uploaded(client, pictures.png(), "a.png", key)
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": "x", "idempotency_key": new_key(), "upload_key": key},
        content_type=JSON,
    )
    error = assert_error(response, 422, "invalid")
    assert "upload_key" in error["fields"]
    assert not Post.objects.filter(source="x").exists()
    assert Attachment.objects.get().post is None


def test_a_new_thread_takes_the_files_uploaded_with_its_key(
    token_client: Any, member: Any, forum: Any
) -> None:
    client = token_client(member)
    key = new_key()
    photo = uploaded(client, pictures.jpeg(), "front.jpg", key)
    response = client.post(
        f"/api/v1/forums/{forum.pk}/threads",
        {"title": "News with a photo", "source": f"{photo['insert']} Story", "upload_key": key},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    first = Post.objects.get(pk=thread.first_post_id)
    assert Attachment.objects.get(pk=photo["id"]).post == first
    assert photo["thumb_url"] in first.cooked_html


def test_an_edit_with_an_upload_key_adds_the_files_to_the_post(
    token_client: Any, member: Any, first_post: Any
) -> None:
    client = token_client(member)
    key = new_key()
    photo = uploaded(client, pictures.jpeg(), "later.jpg", key)
    response = client.patch(
        f"/api/v1/posts/{first_post.pk}",
        {"source": f"Now with {photo['insert']}", "upload_key": key},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert photo["thumb_url"] in response.json()["html"]
    assert Attachment.objects.get(pk=photo["id"]).post_id == first_post.pk


def test_a_reply_taking_two_or_five_files_costs_the_same_queries(
    token_client: Any, member: Any, thread: Any, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    counts = []
    for files in (2, 5):
        key = new_key()
        ids = [uploaded(client, pictures.png(), f"{i}.png", key)["id"] for i in range(files)]
        source = " ".join(f"[attach={i}]" for i in ids)
        # token, thread, permission version, banned addresses, the idempotency look-up; in
        # the savepoint: thread, slow mode, forum, the uploads (one query for all), the
        # insert, the binding (one update for all), thread, forum, member, event, reply
        # count, the draft
        with django_assert_num_queries(19) as captured:
            response = client.post(
                f"/api/v1/threads/{thread.pk}/posts",
                {"source": source, "upload_key": key},
                content_type=JSON,
            )
        assert response.status_code == 201, response.content
        assert Attachment.objects.filter(post_id=response.json()["id"]).count() == files
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- who may ----------------------------------------------------------------------------


def test_a_guest_may_neither_upload_nor_delete(anon_client: Any, token_client: Any, member) -> None:
    assert_error(upload(anon_client, pictures.png(), "a.png", new_key()), 401, "unauthenticated")
    mine = uploaded(token_client(member), pictures.png(), "a.png", new_key())
    assert_error(anon_client.delete(f"{UPLOAD}/{mine['id']}"), 401, "unauthenticated")
    assert Attachment.objects.filter(pk=mine["id"]).exists()


def test_a_token_without_the_write_scope_may_not_upload(token_client: Any, member: Any) -> None:
    response = upload(token_client(member, "read"), pictures.png(), "a.png", new_key())
    assert_error(response, 403, "forbidden")
    assert not Attachment.objects.exists()


def test_a_banned_member_may_not_upload(token_client: Any, banned: Any) -> None:
    response = upload(token_client(banned), pictures.png(), "a.png", new_key())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_another_member_cannot_use_my_upload_in_their_post(
    token_client: Any, member: Any, other: Any, thread: Any
) -> None:
    key = new_key()
    mine = uploaded(token_client(member), pictures.png(), "mine.png", key)
    response = token_client(other).post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": f"Taken {mine['insert']}", "upload_key": key},
        content_type=JSON,
    )
    assert response.status_code == 201
    post = Post.objects.get(pk=response.json()["id"])
    assert mine["insert"] in post.cooked_html  # stays text
    assert mine["thumb_url"] not in post.cooked_html
    assert Attachment.objects.get(pk=mine["id"]).post is None


def test_another_member_cannot_see_or_delete_my_upload(
    token_client: Any, member: Any, other: Any
) -> None:
    mine = uploaded(token_client(member), pictures.png(), "mine.png", new_key())
    theirs = token_client(other)
    assert theirs.get(mine["url"]).status_code == 404
    assert_error(theirs.delete(f"{UPLOAD}/{mine['id']}"), 404, "not_found")
    assert Attachment.objects.filter(pk=mine["id"]).exists()


def test_i_delete_my_unbound_upload_and_its_files_go(
    token_client: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = token_client(member)
    mine = uploaded(client, pictures.jpeg(), "oops.jpg", new_key())
    attachment = Attachment.objects.get(pk=mine["id"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{UPLOAD}/{mine['id']}")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert not Attachment.objects.filter(pk=mine["id"]).exists()
    assert not default_storage.exists(attachment.stored_name)
    assert not default_storage.exists(attachment.thumb_name)
    assert_error(client.delete(f"{UPLOAD}/{mine['id']}"), 404, "not_found")


def test_an_upload_in_a_post_cannot_be_deleted_on_its_own(
    token_client: Any, member: Any, thread: Any
) -> None:
    client = token_client(member)
    key = new_key()
    mine = uploaded(client, pictures.png(), "a.png", key)
    client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": mine["insert"], "upload_key": key},
        content_type=JSON,
    )
    assert_error(client.delete(f"{UPLOAD}/{mine['id']}"), 409, "in_post")
    assert Attachment.objects.get(pk=mine["id"]).post is not None


# --- bad input and limits ---------------------------------------------------------------


def test_an_html_file_disguised_as_a_picture_is_a_400(token_client: Any, member: Any) -> None:
    response = upload(
        token_client(member), b"<!DOCTYPE html><script>alert(1)</script>", "cat.jpg", new_key()
    )
    error = assert_error(response, 400, "invalid")
    assert "neither a picture nor a document" in error["message"]
    assert not Attachment.objects.exists()


def test_a_picture_over_50_megapixels_is_refused_without_decoding(
    token_client: Any, member: Any
) -> None:
    data = pictures.png_header_only(20_000, 20_000)
    assert_error(upload(token_client(member), data, "huge.png", new_key()), 400, "invalid")
    assert not Attachment.objects.exists()


def test_a_missing_file_or_a_bad_upload_key_is_a_422(token_client: Any, member: Any) -> None:
    client = token_client(member)
    no_file = client.post(UPLOAD, {"upload_key": new_key()})
    assert "file" in assert_error(no_file, 422, "invalid")["fields"]
    short = upload(client, pictures.png(), "a.png", "short")
    assert "upload_key" in assert_error(short, 422, "invalid")["fields"]
    assert not Attachment.objects.exists()


def test_a_body_declared_over_the_cap_is_a_413_in_the_api_shape_before_it_is_read(
    token_client: Any, member: Any, settings: Any
) -> None:
    settings.PARLEY_ATTACHMENT_MAX_BODY_BYTES = 10_000
    response = upload(
        token_client(member), pictures.png(), "a.png", new_key(), CONTENT_LENGTH="5000000"
    )
    error = assert_error(response, 413, "too_large")
    assert "at most" in error["message"]
    assert response["Connection"] == "close"
    assert not Attachment.objects.exists()


def test_a_body_streamed_past_the_cap_is_a_413_in_the_api_shape(
    token_client: Any, member: Any, settings: Any
) -> None:
    settings.PARLEY_ATTACHMENT_MAX_BODY_BYTES = 10_000
    response = upload(token_client(member), b"a" * 20_000, "long.txt", new_key())
    assert_error(response, 413, "too_large")
    assert not Attachment.objects.exists()


def test_a_file_over_the_groups_limit_is_a_413(token_client: Any, member: Any) -> None:
    set_quota(max_file_mb=1, max_per_post=5)
    response = upload(token_client(member), b"a" * 1_200_000, "long.txt", new_key())
    error = assert_error(response, 413, "too_large")
    assert "the limit is 1 MB" in error["message"]
    assert not Attachment.objects.exists()


def test_one_file_too_many_for_a_post_is_a_400(token_client: Any, member: Any) -> None:
    set_quota(max_per_post=2)
    client = token_client(member)
    key = new_key()
    uploaded(client, pictures.png(), "1.png", key)
    uploaded(client, pictures.png(), "2.png", key)
    error = assert_error(upload(client, pictures.png(), "3.png", key), 400, "invalid")
    assert error["message"] == "A post may carry at most 2 files."
    assert Attachment.objects.count() == 2
    assert upload(client, pictures.png(), "other.png", new_key()).status_code == 201


def test_a_file_over_the_members_total_is_a_400(token_client: Any, member: Any) -> None:
    set_quota(max_file_mb=2, max_total_mb=1)
    client = token_client(member)
    uploaded(client, b"a" * 600_000, "one.txt", new_key())
    error = assert_error(upload(client, b"b" * 600_000, "two.txt", new_key()), 400, "invalid")
    assert "does not fit" in error["message"]
    assert Attachment.objects.count() == 1
