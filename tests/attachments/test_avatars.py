"""Avatars: uploaded (re-encoded, square, several sizes) or generated, and where they show."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parley.attachments.avatars import colour, initials
from parley.attachments.models import Avatar
from tests.factories import make_thread

from . import pictures

pytestmark = pytest.mark.django_db


def _avatar_url(member: Any, size: int) -> str:
    member.refresh_from_db()
    return reverse("attachments:avatar", args=[member.pk, member.avatar_version, size])


def _upload(client: Any, data: bytes, name: str = "me.jpg") -> Any:
    return client.post(
        reverse("attachments:avatar_edit"), {"picture": SimpleUploadedFile(name, data)}
    )


def test_initials_and_colour_come_from_the_name() -> None:
    assert initials("alice") == "AL"
    assert initials("mary_jane") == "MJ"
    assert initials("") == "?"
    assert colour("Alice") == colour("alice")


def test_a_member_without_an_upload_gets_a_generated_svg(
    member: Any, anon_client: Any, django_assert_num_queries: Any
) -> None:
    url = _avatar_url(member, 96)
    with django_assert_num_queries(2):  # no uploaded avatar; the member's name
        response = anon_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "public, max-age=86400"
    assert ">AL</text>" in response.content.decode()


def test_an_uploaded_avatar_is_stored_square_at_every_size(member: Any, member_client: Any) -> None:
    response = _upload(member_client, pictures.jpeg(300, 200, gps=True))
    assert response.status_code == 302
    avatar = Avatar.objects.get(member=member)
    assert sorted(avatar.names) == ["192", "48", "96"]
    with default_storage.open(avatar.names["96"]) as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        assert picture.size == (96, 96) and not picture.getexif()
    member.refresh_from_db()
    assert member.avatar_version == 1
    served = member_client.get(_avatar_url(member, 48))
    assert served["Content-Type"] == "image/webp"
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_new_avatar_replaces_the_old_files_and_removing_returns_to_the_generated_one(
    member: Any, member_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _upload(member_client, pictures.jpeg())
    first = Avatar.objects.get(member=member).names
    with django_capture_on_commit_callbacks(execute=True):
        _upload(member_client, pictures.png())
    assert not any(default_storage.exists(n) for n in first.values())
    response = member_client.post(reverse("attachments:avatar_edit"), {"remove": "1"})
    assert response.status_code == 302
    assert not Avatar.objects.filter(member=member).exists()
    member.refresh_from_db()
    assert member.avatar_version == 3
    assert member_client.get(_avatar_url(member, 48))["Content-Type"] == "image/svg+xml"


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(
    member: Any, member_client: Any
) -> None:
    response = _upload(member_client, b"%PDF-1.4 nothing", "me.pdf")
    assert response.status_code == 400
    assert "not a picture" in response.content.decode()
    assert not Avatar.objects.exists()


def test_a_guest_is_sent_to_sign_in(anon_client: Any) -> None:
    response = anon_client.get(reverse("attachments:avatar_edit"))
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_an_unknown_size_or_member_is_404(member: Any, anon_client: Any) -> None:
    assert (
        anon_client.get(reverse("attachments:avatar", args=[member.pk, 0, 50])).status_code == 404
    )
    assert anon_client.get(reverse("attachments:avatar", args=[9999, 0, 48])).status_code == 404


def test_the_member_card_thread_list_and_profile_show_the_avatar(
    member: Any, member_client: Any, forum: Any, anon_client: Any
) -> None:
    thread = make_thread(forum, member, title="Avatars")
    _upload(member_client, pictures.jpeg())
    url = _avatar_url(member, 96)
    thread_page = anon_client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert f'src="{url}"' in thread_page
    forum_page = anon_client.get(reverse("forums:forum", args=[forum.pk])).content.decode()
    assert f'src="{_avatar_url(member, 48)}"' in forum_page
    profile = anon_client.get(reverse("members:profile", args=[member.username])).content.decode()
    assert f'src="{url}"' in profile
