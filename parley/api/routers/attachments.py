"""Attachments: upload a file to put in a post, and take back an upload no post has taken.

The same service as the editor's upload button (attachments.services.upload_attachment):
the same types, re-encoding of pictures, per-file, per-post and per-member limits, and the
413 before the body (attachments.uploads.UploadLimitMiddleware covers this address). The
`upload_key` plays the compose form's token: send it again when you write the post
(`upload_key` on POST /forums/{id}/threads, POST /threads/{id}/posts, PATCH /posts/{id})
and the files become the post's, as on the pages (docs/api.md, "Uploading").
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from parley.attachments import services
from parley.attachments.binding import ref_of
from parley.attachments.models import Attachment

from .. import auth
from ..common import ApiError
from ..errors import WRITE_ERRORS, ErrorOut
from ..models import Scope
from ..schemas import Ok

router = Router(tags=["attachments"])

# The compose form's token (attachments.services._FORM_KEY_RE): what a post's upload_key is.
UPLOAD_KEY_PATTERN = r"^[0-9A-Za-z_-]{16,64}$"
UPLOAD_KEY_HELP = (
    "A key you choose (16–64 of A–Z a–z 0–9 _ -, e.g. a UUID's hex), the same for every "
    "file of one post; send it as the post's upload_key and the files become the post's."
)
# An upload over the member's own per-file limit, or over the site's cap (answered before
# the body is read).
UPLOAD_ERRORS = {**WRITE_ERRORS, 413: ErrorOut}


class UploadIn(Schema):
    upload_key: str = Field(pattern=UPLOAD_KEY_PATTERN, description=UPLOAD_KEY_HELP)


class AttachmentOut(Schema):
    id: int
    upload_key: str
    insert: str = Field(
        description="Put this in the post's text (BBCode and Markdown alike) to show the "
        "file there; files not placed are listed under the post."
    )
    name: str
    size: int = Field(description="Bytes as stored (pictures are re-encoded).")
    kind: str = Field(description="image or file")
    content_type: str
    width: int
    height: int
    url: str
    thumb_url: str | None = Field(description="A 400 px WebP; null for documents.")

    @staticmethod
    def of(attachment: Attachment) -> AttachmentOut:
        ref = ref_of(attachment)
        return AttachmentOut(
            id=attachment.pk,
            upload_key=attachment.form_key,
            insert=f"[attach={attachment.pk}]",
            name=ref.name,
            size=attachment.size,
            kind=attachment.kind,
            content_type=attachment.content_type,
            width=attachment.width,
            height=attachment.height,
            url=ref.url,
            thumb_url=ref.thumb_url or None,
        )


@router.post(
    "",
    response={201: AttachmentOut, **UPLOAD_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Upload a file for a post (multipart/form-data: file, upload_key)",
)
def upload(
    request: HttpRequest, file: File[UploadedFile], payload: Form[UploadIn]
) -> Status[AttachmentOut]:
    # The editor's upload has no rate limit of its own; the per-post count and the
    # member's total bound it (docs/attachments.md).
    try:
        attachment = services.upload_attachment(
            member=request.user, upload=file, form_key=payload.upload_key
        )
    except services.UploadTooLarge as exc:
        raise ApiError(413, "too_large", str(exc)) from None
    return Status(201, AttachmentOut.of(attachment))


@router.delete(
    "/{attachment_id}",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Take back one of your uploads that no post has taken yet",
)
def delete_upload(request: HttpRequest, attachment_id: int) -> Ok:
    try:
        services.remove_upload(member=request.user, attachment_id=attachment_id)
    except Attachment.DoesNotExist:
        raise ApiError(404, "not_found", "No such file.") from None
    except services.UploadInPost as exc:
        raise ApiError(409, "in_post", str(exc)) from None
    return Ok()
