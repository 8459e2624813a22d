"""Where media files go (settings.STORAGES["default"]), from the environment: a local folder
(MEDIA_ROOT) by default, or S3-compatible storage through django-storages when
PARLEY_S3_BUCKET is set (docs/servers.md). Pure: no Django imports, so settings can use it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "parley.core.s3.S3MediaStorage"


class StorageConfigError(ValueError):
    pass


def media_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    bucket = environ.get("PARLEY_S3_BUCKET", "").strip()
    if not bucket:
        return dict(LOCAL)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Objects stay private: Parley serves them at /media/ (parley.core.media).
        "default_acl": None,
        "querystring_auth": False,
        "file_overwrite": True,
    }
    named = {
        "PARLEY_S3_ENDPOINT_URL": "endpoint_url",  # MinIO, Ceph, R2, …; unset: AWS
        "PARLEY_S3_REGION": "region_name",
        "PARLEY_S3_ACCESS_KEY_ID": "access_key",
        "PARLEY_S3_SECRET_ACCESS_KEY": "secret_key",
        "PARLEY_S3_PREFIX": "location",  # a folder inside the bucket
    }
    for variable, option in named.items():
        if value := environ.get(variable, "").strip():
            options[option] = value
    if ("access_key" in options) != ("secret_key" in options):
        raise StorageConfigError(
            "Set both PARLEY_S3_ACCESS_KEY_ID and PARLEY_S3_SECRET_ACCESS_KEY, or neither "
            "(then the usual AWS credential chain is used)."
        )
    endpoint = options.get("endpoint_url", "")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise StorageConfigError(
            f"PARLEY_S3_ENDPOINT_URL must be an http(s) URL, not {endpoint!r}."
        )
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
