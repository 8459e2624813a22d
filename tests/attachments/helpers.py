from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parley.attachments.models import Attachment


def form_key() -> str:
    return uuid.uuid4().hex


def upload(client: Client, data: bytes, name: str, key: str, **extra: Any) -> Any:
    return client.post(
        reverse("attachments:upload"),
        {"file": SimpleUploadedFile(name, data), "form_key": key},
        **extra,
    )


def uploaded(client: Client, data: bytes, name: str, key: str) -> Attachment:
    response = upload(client, data, name, key)
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=response.json()["id"])


def reply_with(client: Client, thread_id: int, source: str, key: str) -> Any:
    return client.post(
        reverse("forums:reply", args=[thread_id]),
        {"source": source, "format": "bbcode", "token": key},
    )
