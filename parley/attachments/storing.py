"""Files in the media storage (Django's storage API: a local folder, or S3 through
django-storages): random names, never derived from what the member uploaded."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def random_name(folder: str, extension: str) -> str:
    today = timezone.now()
    return f"{folder}/{today:%Y/%m}/{secrets.token_urlsafe(18)}.{extension}"


def save_bytes(folder: str, extension: str, data: bytes) -> str:
    return default_storage.save(random_name(folder, extension), ContentFile(data))


def save_file(folder: str, extension: str, handle: File) -> str:
    handle.seek(0)
    return default_storage.save(random_name(folder, extension), handle)


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files; a file already gone is not an error."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:  # kept for the next sweep's log rather than failing the caller
            log.warning("could not delete %s from the media storage", name, exc_info=True)


def delete_files_on_commit(names: Iterable[str]) -> None:
    wanted = [n for n in names if n]
    transaction.on_commit(lambda: delete_files(wanted))
