"""The S3-compatible media storage (django-storages, optional: `pip install parley[s3]`).
Only imported when PARLEY_S3_BUCKET is set."""

from __future__ import annotations

from django.conf import settings
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]


class S3MediaStorage(S3Storage):  # type: ignore[misc]
    """Files live in the bucket; pages link them at /media/<name>, which Parley serves from
    the bucket (parley.core.media), so readers' browsers never contact another host and the
    sanitizer's rule "images are http(s) or local /media/ files" holds unchanged."""

    def url(self, name: str | None, parameters: object = None, expire: object = None) -> str:
        return f"{settings.MEDIA_URL}{name or ''}"
