"""What forums asks through its hooks: the uploads a post shows, and tying them to it."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.urls import reverse

from parley.formatting import AttachmentRef

from .models import Attachment

THUMB_SIDE = 400


def _thumb_size(width: int, height: int) -> tuple[int, int]:
    if not width or not height:
        return 0, 0
    scale = min(1.0, THUMB_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def ref_of(attachment: Attachment) -> AttachmentRef:
    thumb_w, thumb_h = _thumb_size(attachment.width, attachment.height)
    return AttachmentRef(
        id=attachment.pk,
        url=reverse("attachments:file", args=[attachment.pk]),
        name=attachment.filename,
        is_image=attachment.is_image,
        thumb_url=reverse("attachments:thumb", args=[attachment.pk]) if attachment.is_image else "",
        thumb_width=thumb_w,
        thumb_height=thumb_h,
        size=attachment.size,
    )


def attachments_for_post(
    author_id: int, form_key: str | None, post_id: int | None
) -> dict[int, AttachmentRef]:
    """The post's own attachments, and the author's uploads from this editor form that no
    post has taken yet. One query."""
    wanted = Q(post_id=post_id) if post_id is not None else Q(pk__in=[])
    if form_key:
        wanted |= Q(uploader_id=author_id, form_key=form_key, post__isnull=True)
    if post_id is None and not form_key:
        return {}
    return {a.pk: ref_of(a) for a in Attachment.objects.filter(wanted).order_by("pk")}


def bind_attachments(post: object, refs: Mapping[int, AttachmentRef]) -> None:
    """Inside the post's transaction: the uploads it was cooked with become its own."""
    post_id = getattr(post, "pk", None)
    Attachment.objects.filter(pk__in=list(refs), post__isnull=True).update(post_id=post_id)
