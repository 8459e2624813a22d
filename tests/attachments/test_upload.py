"""Uploading from the editor: success, guests, bad input, quotas, 413 before the body."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from parley.attachments.models import Attachment, AttachmentQuota
from parley.attachments.uploads import CappedUploadHandler
from parley.permissions.models import Group
from tests.conftest import client_for

from . import pictures
from .helpers import form_key, upload, uploaded

pytestmark = pytest.mark.django_db


def test_an_uploaded_photo_is_stored_reencoded_under_a_random_name(
    member_client: Any, member: Any, django_assert_num_queries: Any
) -> None:
    key = form_key()
    # session, member, permission version, quota, count waiting, sum used, and the insert
    # in its savepoint (3)
    with django_assert_num_queries(8):
        response = upload(member_client, pictures.jpeg(gps=True), "holiday photo.jpg", key)
    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get(pk=body["id"])
    assert body["insert"] == f"[attach={attachment.pk}]"
    assert body["thumb_url"] == reverse("attachments:thumb", args=[attachment.pk])
    assert attachment.uploader == member and attachment.form_key == key
    assert attachment.post is None
    assert attachment.content_type == "image/jpeg" and attachment.filename == "holiday photo.jpg"
    assert "holiday" not in attachment.stored_name
    with default_storage.open(attachment.stored_name) as handle:
        assert not Image.open(handle).getexif()


def test_a_png_named_jpg_is_stored_and_named_as_the_png_it_is(member_client: Any) -> None:
    attachment = uploaded(member_client, pictures.png(), "screenshot.jpg", form_key())
    assert attachment.content_type == "image/png"
    assert attachment.filename == "screenshot.png"
    assert attachment.stored_name.endswith(".png")


def test_an_html_file_disguised_as_a_picture_is_refused(member_client: Any) -> None:
    response = upload(
        member_client, b"<!DOCTYPE html><script>alert(1)</script>", "cat.jpg", form_key()
    )
    assert response.status_code == 400
    assert "neither a picture nor a document" in response.json()["error"]
    assert not Attachment.objects.exists()


def test_a_text_file_starting_with_markup_is_refused(member_client: Any) -> None:
    response = upload(member_client, b"  <svg onload=alert(1)>", "notes.txt", form_key())
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_pdf_and_a_plain_text_file_are_stored_as_they_are(member_client: Any) -> None:
    key = form_key()
    pdf = uploaded(member_client, pictures.pdf(), "report.pdf", key)
    text = uploaded(member_client, "Notes – café\n".encode(), "notes.txt", key)
    assert (pdf.kind, pdf.content_type) == ("file", "application/pdf")
    assert text.content_type == "text/plain; charset=utf-8"
    with default_storage.open(pdf.stored_name) as handle:
        assert handle.read() == pictures.pdf()


def test_a_guest_cannot_upload(anon_client: Any) -> None:
    response = upload(anon_client, pictures.png(), "a.png", form_key())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_banned_member_cannot_upload(banned: Any) -> None:
    response = upload(client_for(banned), pictures.png(), "a.png", form_key())
    assert response.status_code == 403
    assert "banned" in response.json()["error"]


def test_an_upload_without_a_file_or_form_key_is_refused_with_a_message(member_client: Any) -> None:
    no_file = member_client.post(reverse("attachments:upload"), {"form_key": form_key()})
    assert no_file.status_code == 400 and no_file.json()["error"] == "Choose a file to attach."
    bad_key = upload(member_client, pictures.png(), "a.png", "x")
    assert bad_key.status_code == 400 and "reload the page" in bad_key.json()["error"]
    assert not Attachment.objects.exists()


def test_a_damaged_picture_is_refused(member_client: Any) -> None:
    data = pictures.jpeg()[:300]
    response = upload(member_client, data, "broken.jpg", form_key())
    assert response.status_code == 400
    assert "damaged" in response.json()["error"]


def test_a_body_declared_over_the_cap_is_refused_with_413_before_it_is_read(
    member_client: Any, settings: Any
) -> None:
    settings.PARLEY_ATTACHMENT_MAX_BODY_BYTES = 10_000
    response = upload(member_client, pictures.png(), "a.png", form_key(), CONTENT_LENGTH="5000000")
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert not Attachment.objects.exists()


def test_the_streaming_handler_stops_reading_one_byte_past_the_cap() -> None:
    handler = CappedUploadHandler(None, cap=100)
    assert handler.receive_data_chunk(b"a" * 100, 0) == b"a" * 100
    with pytest.raises(RequestDataTooBig, match="larger than this forum accepts"):
        handler.receive_data_chunk(b"a", 100)


def test_the_groups_file_size_limit_answers_413(member_client: Any) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    AttachmentQuota.objects.create(group=registered, max_file_mb=1, max_per_post=5)
    response = upload(member_client, b"a" * 1_200_000, "long.txt", form_key())
    assert response.status_code == 413
    assert "the limit is 1 MB" in response.json()["error"]


def test_the_most_generous_group_quota_applies(member: Any, member_client: Any) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    AttachmentQuota.objects.create(group=registered, max_file_mb=1)
    trusted = Group.objects.create(name="Trusted")
    trusted.members.add(member)
    AttachmentQuota.objects.create(group=trusted, max_file_mb=3)
    response = upload(member_client, b"a" * 1_200_000, "long.txt", form_key())
    assert response.status_code == 201


def test_the_per_post_count_limit_refuses_one_file_too_many(member_client: Any) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    AttachmentQuota.objects.create(group=registered, max_per_post=2)
    key = form_key()
    uploaded(member_client, pictures.png(), "1.png", key)
    uploaded(member_client, pictures.png(), "2.png", key)
    response = upload(member_client, pictures.png(), "3.png", key)
    assert response.status_code == 400
    assert response.json()["error"] == "A post may carry at most 2 files."
    assert upload(member_client, pictures.png(), "other.png", form_key()).status_code == 201


def test_the_total_storage_quota_is_enforced(member_client: Any) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    AttachmentQuota.objects.create(group=registered, max_file_mb=2, max_total_mb=1)
    uploaded(member_client, b"a" * 600_000, "one.txt", form_key())
    response = upload(member_client, b"b" * 600_000, "two.txt", form_key())
    assert response.status_code == 400
    assert "does not fit" in response.json()["error"]


def test_get_is_not_allowed_on_the_upload_address(member_client: Any) -> None:
    assert member_client.get(reverse("attachments:upload")).status_code == 405


def test_an_avif_upload_is_accepted_when_pillow_reads_avif(member_client: Any) -> None:
    from parley.attachments.imaging import accepted_formats

    if "AVIF" not in accepted_formats():
        pytest.skip("this Pillow has no AVIF")
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(out, format="AVIF")
    attachment = uploaded(member_client, out.getvalue(), "pic.avif", form_key())
    assert attachment.content_type == "image/jpeg"
