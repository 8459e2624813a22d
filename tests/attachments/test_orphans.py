"""The periodic sweep of uploads that no post took."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from parley.attachments.models import Attachment
from parley.attachments.tasks import remove_orphan_attachments

from . import pictures
from .helpers import form_key, reply_with, uploaded

pytestmark = pytest.mark.django_db


def _age(attachment: Attachment, hours: float) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_old_uploads_no_post_took_are_removed_with_their_files(
    member_client: Any, thread: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = uploaded(member_client, pictures.png(), "old.png", form_key())
    recent = uploaded(member_client, pictures.png(), "recent.png", form_key())
    key = form_key()
    kept = uploaded(member_client, pictures.png(), "kept.png", key)
    assert reply_with(member_client, thread.pk, "with a file", key).status_code == 302
    hours = settings.PARLEY_ATTACHMENT_ORPHAN_HOURS
    _age(old, hours + 1)
    _age(kept, hours + 1)
    _age(recent, hours - 1)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows have
        assert remove_orphan_attachments.enqueue().return_value == 1

    assert set(Attachment.objects.values_list("filename", flat=True)) == {"recent.png", "kept.png"}
    assert not default_storage.exists(old.stored_name)
    assert not default_storage.exists(old.thumb_name)
    assert default_storage.exists(kept.stored_name)


def test_the_sweep_is_one_of_the_periodic_tasks() -> None:
    assert "parley.attachments.tasks.remove_orphan_attachments" in settings.PARLEY_PERIODIC_TASKS


def test_uploads_a_saved_draft_holds_are_kept_past_the_orphan_window(
    member: Any, member_client: Any, thread: Any
) -> None:
    key = form_key()
    held = uploaded(member_client, pictures.png(), "held.png", key)
    response = member_client.post(
        f"/threads/{thread.pk}/draft/",
        {"source": f"[attach={held.pk}]", "format": "bbcode", "token": key, "js": "1"},
    )
    assert response.status_code == 200
    loose = uploaded(member_client, pictures.png(), "loose.png", form_key())
    _age(held, settings.PARLEY_ATTACHMENT_ORPHAN_HOURS + 1)
    _age(loose, settings.PARLEY_ATTACHMENT_ORPHAN_HOURS + 1)
    assert remove_orphan_attachments.enqueue().return_value == 1
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["held.png"]


def test_old_drafts_are_removed_and_their_uploads_then_swept(
    member: Any, member_client: Any, thread: Any
) -> None:
    from parley.editor.models import Draft
    from parley.editor.tasks import remove_old_drafts

    key = form_key()
    held = uploaded(member_client, pictures.png(), "held.png", key)
    member_client.post(
        f"/threads/{thread.pk}/draft/",
        {"source": f"[attach={held.pk}]", "format": "bbcode", "token": key, "js": "1"},
    )
    fresh_thread_draft = member_client.post(
        f"/forums/{thread.forum_id}/draft/",
        {"source": "still writing", "format": "bbcode", "title": "Later", "js": "1"},
    )
    assert fresh_thread_draft.status_code == 200
    Draft.objects.filter(key__startswith="t").update(
        updated_at=timezone.now() - timedelta(days=settings.PARLEY_DRAFT_KEEP_DAYS + 1)
    )
    assert remove_old_drafts.enqueue().return_value == 1
    assert list(Draft.objects.values_list("source", flat=True)) == ["still writing"]
    _age(held, settings.PARLEY_ATTACHMENT_ORPHAN_HOURS + 1)
    assert remove_orphan_attachments.enqueue().return_value == 1


def test_the_draft_sweep_is_one_of_the_periodic_tasks() -> None:
    assert "parley.editor.tasks.remove_old_drafts" in settings.PARLEY_PERIODIC_TASKS
