"""Every write to attachments and avatars goes through these functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from parley.core import stamps
from parley.members.models import Member
from parley.permissions.guardian import Guardian

from . import storing
from .documents import DocumentRefused, sniff_document
from .imaging import ImageLimits, ImageRefused, process_image, square_avatar
from .models import Attachment, Avatar
from .quotas import Quota, quota_for

_FORM_KEY_RE = re.compile(r"^[0-9A-Za-z_-]{16,64}$")
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_UNSAFE_NAME_RE = re.compile(r"[\x00-\x1f\x7f/\\\"<>|:*?]+")


class UploadTooLarge(Exception):
    """Over the member's per-file limit: answered with 413."""


def image_limits() -> ImageLimits:
    return ImageLimits(**settings.PARLEY_ATTACHMENT_IMAGE_LIMITS)


def clean_filename(name: str, fallback: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME_RE.sub("_", name).strip(" .")
    return name[:120] or fallback


def _looks_like_image(upload: UploadedFile) -> bool:
    """Whether the bytes start as one of the picture formats do (then a picture that Pillow
    cannot read is a damaged picture, not a document)."""
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    return (
        head.startswith(_IMAGE_MAGIC)
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"))
    )


def _check_quota(member: Any, quota: Quota, size: int, form_key: str) -> None:
    if size > quota.max_file_bytes:
        raise UploadTooLarge(
            f"This file is {size / 1e6:.1f} MB; the limit is {quota.max_file_bytes / 1e6:.0f} MB."
        )
    waiting = Attachment.objects.filter(uploader=member, form_key=form_key, post__isnull=True)
    if waiting.count() >= quota.max_per_post:
        raise ValidationError(f"A post may carry at most {quota.max_per_post} files.")
    used = Attachment.objects.filter(uploader=member).aggregate(total=Sum("size"))["total"] or 0
    if used + size > quota.max_total_bytes:
        raise ValidationError(
            f"Your files take {used / 1e6:.0f} MB of your {quota.max_total_bytes / 1e6:.0f} MB; "
            "this one does not fit."
        )


def upload_attachment(*, member: Any, upload: UploadedFile, form_key: str) -> Attachment:
    """Check, re-encode (pictures) and store one upload from an editor form. Raises
    PermissionDenied (may not write), UploadTooLarge (413) or ValidationError (anything
    else wrong, with a message for the member); nothing is stored then."""
    guardian = Guardian(member)
    if not guardian.may_write:
        raise PermissionDenied(guardian.write_block_reason or "You may not upload files.")
    if not _FORM_KEY_RE.match(form_key or ""):
        raise ValidationError("The upload did not come from a post form; reload the page.")
    if upload.size is None or upload.size == 0:
        raise ValidationError("The file is empty.")
    _check_quota(member, quota_for(member), upload.size, form_key)

    stored: list[str] = []
    try:
        if _looks_like_image(upload):
            picture = process_image(cast(BinaryIO, upload), image_limits())
            stored.append(storing.save_bytes("attachments", picture.extension, picture.data))
            stored.append(storing.save_bytes("attachments/thumbs", "webp", picture.thumb))
            fields: dict[str, Any] = {
                "kind": Attachment.Kind.IMAGE,
                "content_type": picture.content_type,
                "size": len(picture.data),
                "width": picture.width,
                "height": picture.height,
                "thumb_name": stored[1],
            }
            extension = picture.extension
        else:
            document = sniff_document(
                cast(BinaryIO, upload), tuple(settings.PARLEY_ATTACHMENT_DOCUMENT_TYPES)
            )
            stored.append(storing.save_file("attachments", document.extension, upload))
            fields = {
                "kind": Attachment.Kind.FILE,
                "content_type": document.content_type,
                "size": upload.size,
            }
            extension = document.extension
        name = clean_filename(upload.name or "", f"file.{extension}")
        if fields["kind"] == Attachment.Kind.IMAGE:  # the name tells the truth about the bytes
            name = name.rsplit(".", 1)[0] + "." + extension if "." in name else name
        with transaction.atomic():
            return Attachment.objects.create(
                uploader=member,
                form_key=form_key,
                filename=name,
                stored_name=stored[0],
                created_at=timezone.now(),
                **fields,
            )
    except (ImageRefused, DocumentRefused) as exc:
        storing.delete_files(stored)
        raise ValidationError(str(exc)) from None
    except BaseException:
        storing.delete_files(stored)
        raise


class UploadInPost(Exception):
    """The upload is already part of a post: it goes with the post, not on its own."""


def remove_upload(*, member: Any, attachment_id: int) -> None:
    """Take back one of the member's own uploads that no post has taken yet: the row now,
    the files after commit. Raises Attachment.DoesNotExist when it is not the member's (the
    caller answers 404, as for anyone else's file) and UploadInPost when a post has it."""
    with transaction.atomic():
        row = (
            Attachment.objects.select_for_update()
            .filter(pk=attachment_id, uploader_id=member.pk)
            .values_list("post_id", "stored_name", "thumb_name")
            .first()
        )
        if row is None:
            raise Attachment.DoesNotExist("No such file.")
        if row[0] is not None:
            raise UploadInPost("That file is part of a post; edit or delete the post instead.")
        Attachment.objects.filter(pk=attachment_id).delete()
        storing.delete_files_on_commit(row[1:])


# Form tokens whose uploads are still wanted though no post took them yet: the editor
# registers its drafts' tokens (a draft keeps its form's uploads; docs/editor.md).
# Each keeper returns a values("token")-style query of form keys.
FormKeys = Callable[[], Any]
orphan_keepers: list[FormKeys] = []


def register_orphan_keeper(keeper: FormKeys) -> None:
    if keeper not in orphan_keepers:
        orphan_keepers.append(keeper)


def remove_orphans(*, older_than_hours: float | None = None) -> int:
    """Uploads no post took within the window (or whose post was deleted for good), unless
    a keeper (a saved draft) still holds their form: rows and files go. Returns how many."""
    hours = older_than_hours
    if hours is None:
        hours = settings.PARLEY_ATTACHMENT_ORPHAN_HOURS
    cutoff = timezone.now() - timedelta(hours=hours)
    orphans = Attachment.objects.filter(post__isnull=True, created_at__lt=cutoff)
    for keeper in orphan_keepers:
        orphans = orphans.exclude(form_key__in=keeper())
    removed = 0
    while True:
        with transaction.atomic():
            batch = list(
                orphans.select_for_update().values_list("pk", "stored_name", "thumb_name")[:500]
            )
            if not batch:
                return removed
            Attachment.objects.filter(pk__in=[b[0] for b in batch]).delete()
            storing.delete_files_on_commit([n for b in batch for n in b[1:]])
        removed += len(batch)


# --- avatars ----------------------------------------------------------------------------------


def set_avatar(*, member: Any, upload: UploadedFile) -> Avatar:
    """Crop an uploaded picture square, store it at every avatar size, and move the
    member's avatar version on (their cards' keys and avatar URLs change with it)."""
    if not Guardian(member).is_member:
        raise PermissionDenied("Sign in to change your avatar.")
    limit = settings.PARLEY_AVATAR_MAX_BYTES
    if (upload.size or 0) > limit:
        raise UploadTooLarge(f"An avatar may be at most {limit / 1e6:.0f} MB.")
    try:
        sizes = square_avatar(
            cast(BinaryIO, upload), tuple(settings.PARLEY_AVATAR_SIZES), image_limits()
        )
    except ImageRefused as exc:
        raise ValidationError(str(exc)) from None
    names = {str(size): storing.save_bytes("avatars", "webp", data) for size, data in sizes.items()}
    try:
        with transaction.atomic():
            old = Avatar.objects.select_for_update().filter(member=member).first()
            if old is not None:
                storing.delete_files_on_commit(old.names.values())
            avatar, _ = Avatar.objects.update_or_create(
                member=member, defaults={"names": names, "updated_at": timezone.now()}
            )
            _bump_avatar_version(member)
    except BaseException:
        storing.delete_files(names.values())
        raise
    return avatar


def remove_avatar(*, member: Any) -> bool:
    """Back to the generated picture. Returns whether there was an uploaded one."""
    with transaction.atomic():
        old = Avatar.objects.select_for_update().filter(member=member).first()
        if old is None:
            return False
        storing.delete_files_on_commit(old.names.values())
        old.delete()
        _bump_avatar_version(member)
    return True


def _bump_avatar_version(member: Any) -> None:
    Member.objects.filter(pk=member.pk).update(avatar_version=F("avatar_version") + 1)
    member.refresh_from_db(fields=["avatar_version"])
    stamps.bump_on_commit(stamps.SITE)  # guest pages show the card with the avatar
