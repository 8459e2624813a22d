"""`/media/<name>`: files of the media storage (link-card pictures, proxied images, the demo
photograph), read through Django's storage API whatever the storage is — a local folder by
default, an S3-compatible bucket when PARLEY_S3_BUCKET is set (docs/servers.md). Readers'
browsers only ever load them from Parley's own address, as the image proxy promises."""

from __future__ import annotations

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

# Only what Parley itself writes there: re-encoded pictures.
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


@require_safe
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    name = posixpath.normpath(path).lstrip("/")
    if name != path or name.startswith("..") or "\\" in name or "\x00" in name:
        raise Http404("No such file.")
    extension = posixpath.splitext(name)[1].lower()
    content_type = CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0]
    if content_type is None or not content_type.startswith("image/"):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("No such file.") from exc
    return FileResponse(handle, content_type=content_type)
