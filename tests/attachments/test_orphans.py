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
