"""Attaching without JavaScript: the compose form's Upload button sends the files with the
text to the draft address; the files are stored with the form's token, placed at the end of
the text, and the text waits as the draft in the form the member comes back to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.attachments.models import Attachment
from parley.editor.models import Draft
from parley.forums import services as forum_services
from parley.forums.models import Post

from . import pictures
from .helpers import form_key, reply_with

pytestmark = pytest.mark.django_db


def _upload(
    client: Any, thread_id: int, token: str, *files: tuple[str, bytes], **extra: str
) -> Any:
    data: dict[str, Any] = {"source": "Look at this", "format": "bbcode", "token": token}
    data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(f"/threads/{thread_id}/draft/", data | extra)


def test_the_form_shows_a_plain_upload_button_that_javascript_hides(
    thread: Any, member_client: Any
) -> None:
    page = member_client.get(reverse("forums:reply", args=[thread.pk])).content.decode()
    assert 'name="files"' in page and 'formenctype="multipart/form-data"' in page
    assert f'formaction="/threads/{thread.pk}/draft/"' in page and "data-attach-nojs" in page


def test_uploaded_files_are_placed_in_the_draft_and_the_post_takes_them(
    thread: Any, member: Any, member_client: Any
) -> None:
    token = form_key()
    response = _upload(
        member_client, thread.pk, token, ("map.png", pictures.png()), ("notes.pdf", pictures.pdf())
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:reply", args=[thread.pk])
    picture, pdf = Attachment.objects.order_by("pk")
    assert (picture.form_key, pdf.form_key) == (token, token)
    draft = Draft.objects.get(member=member)
    assert draft.source == f"Look at this\n\n[attach={picture.pk}]\n[attach={pdf.pk}]"
    page = member_client.get(response["Location"]).content.decode()
    assert f'name="token" value="{token}"' in page and f"[attach={picture.pk}]" in page
    assert reply_with(member_client, thread.pk, draft.source, token).status_code == 302
    post = Post.objects.get(idempotency_key=token)
    assert set(post.attachments.values_list("pk", flat=True)) == {picture.pk, pdf.pk}


def test_a_refused_file_says_why_and_the_text_is_kept(
    thread: Any, member: Any, member_client: Any
) -> None:
    response = _upload(
        member_client, thread.pk, form_key(), ("page.png", b"<html><script>x</script>")
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert Draft.objects.get(member=member).source == "Look at this"
    page = member_client.get(response["Location"]).content.decode()
    assert "Not attached: page.png" in page


def test_an_upload_without_the_forms_token_is_refused_and_the_text_handed_back(
    thread: Any, member_client: Any
) -> None:
    response = _upload(member_client, thread.pk, "", ("map.png", pictures.png()))
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert "Look at this" in response.content.decode()
    assert not Attachment.objects.exists() and not Draft.objects.exists()


def test_a_guest_cannot_upload_through_the_draft_address(thread: Any, anon_client: Any) -> None:
    response = _upload(anon_client, thread.pk, form_key(), ("map.png", pictures.png()))
    assert response.status_code == 403 and not Attachment.objects.exists()


def test_someone_who_may_not_reply_cannot_upload_there(
    staff_forum: Any, moderator: Any, member_client: Any
) -> None:
    hidden = forum_services.start_thread(
        author=moderator, forum=staff_forum, title="Plans", source="see", fmt="bbcode"
    )
    response = _upload(member_client, hidden.pk, form_key(), ("map.png", pictures.png()))
    assert response.status_code == 404
    assert not Attachment.objects.exists() and not Draft.objects.exists()


def test_the_no_javascript_upload_query_count(
    thread: Any, member_client: Any, django_assert_num_queries: Any
) -> None:
    _upload(member_client, thread.pk, form_key(), ("warm.png", pictures.png()))
    with django_assert_num_queries(12):
        _upload(member_client, thread.pk, form_key(), ("map.png", pictures.png()))
