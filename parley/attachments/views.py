"""Uploading from the editor, serving attachments behind their post's permissions, and
avatars (uploaded or generated)."""

from __future__ import annotations

import posixpath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.members.models import Member
from parley.permissions.guardian import Guardian

from . import services
from .avatars import generated_svg
from .binding import ref_of
from .forms import AvatarForm
from .models import Attachment, Avatar

# Served files can never run as a page of this site: no sniffing, no script, a unique origin.
SANDBOX_CSP = "default-src 'none'; sandbox"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """One file from the editor (button, drag-and-drop or paste): JSON in, JSON out."""
    if not request.user.is_authenticated:
        return _error("Sign in to attach files.", 403)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return _error("Choose a file to attach.", 400)
    try:
        attachment = services.upload_attachment(
            member=request.user, upload=upload_file, form_key=request.POST.get("form_key", "")
        )
    except services.UploadTooLarge as exc:
        return _error(str(exc), 413)
    except PermissionDenied as exc:
        return _error(str(exc) or "You may not attach files.", 403)
    except ValidationError as exc:
        return _error(" ".join(exc.messages), 400)
    ref = ref_of(attachment)
    return JsonResponse(
        {
            "id": ref.id,
            "name": ref.name,
            "url": ref.url,
            "thumb_url": ref.thumb_url,
            "is_image": ref.is_image,
            "insert": f"[attach={ref.id}]",
        },
        status=201,
    )


def _visible_attachment(request: HttpRequest, pk: int) -> Attachment:
    """The attachment if this person may see it: exactly when they may read its post; an
    upload not in a post yet only by its uploader. 404 otherwise."""
    attachment = Attachment.objects.select_related("post__thread__forum").filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file.")
    if attachment.post is None:
        if request.user.is_authenticated and request.user.pk == attachment.uploader_id:
            return attachment
        raise Http404("No such file.")
    if not Guardian.for_request(request).can_read_post(attachment.post):
        raise Http404("No such file.")
    return attachment


def _serve(name: str, content_type: str, *, filename: str, download: bool) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("No such file.") from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    # Visibility can change (a post deleted): browsers keep it a short while, proxies never.
    response["Cache-Control"] = "private, max-age=300"
    # Documents are always saved, never opened in the browser's tab; pictures show inline
    # under their own name (not the random one they are stored under).
    response["Content-Disposition"] = content_disposition_header(download, filename) or ""
    return response


@require_safe
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = _visible_attachment(request, pk)
    return _serve(
        attachment.stored_name,
        attachment.content_type,
        filename=attachment.filename,
        download=not attachment.is_image,
    )


@require_safe
def attachment_thumb(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = _visible_attachment(request, pk)
    if not attachment.thumb_name:
        raise Http404("No such file.")
    stem = attachment.filename.rsplit(".", 1)[0]
    return _serve(
        attachment.thumb_name, "image/webp", filename=f"{stem}-thumb.webp", download=False
    )


@require_safe
def avatar(request: HttpRequest, member_id: int, version: int, size: int) -> HttpResponseBase:
    """A member's avatar at one of the sizes. The URL carries the avatar version, so it may
    be cached for long: a new avatar is a new URL."""
    if size not in settings.PARLEY_AVATAR_SIZES:
        raise Http404("No such size.")
    uploaded = Avatar.objects.filter(member_id=member_id).values_list("names", flat=True).first()
    if uploaded and str(size) in uploaded:
        name = uploaded[str(size)]
        if posixpath.normpath(name) != name:
            raise Http404("No such file.")
        served: HttpResponseBase = _serve(
            name, "image/webp", filename=f"avatar-{size}.webp", download=False
        )
        served["Cache-Control"] = "public, max-age=31536000, immutable"
        served.same_for_everyone = True  # type: ignore[attr-defined]
        return served
    username = (
        Member.objects.filter(pk=member_id, is_active=True)
        .values_list("username", flat=True)
        .first()
    )
    if username is None:
        raise Http404("No such member.")
    response = HttpResponse(generated_svg(username), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SVG_CSP
    # A renamed member keeps the URL: a day, not a year.
    response["Cache-Control"] = "public, max-age=86400"
    response.same_for_everyone = True  # type: ignore[attr-defined]
    return response


@login_required
@require_http_methods(["GET", "POST"])
def edit_avatar(request: HttpRequest) -> HttpResponse:
    """Upload a new avatar, or go back to the generated one."""
    member: Any = request.user
    form = AvatarForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("remove"):
            services.remove_avatar(member=member)
            messages.success(request, "Your avatar is the generated one again.")
            return redirect("attachments:avatar_edit")
        if form.is_valid():
            try:
                services.set_avatar(member=member, upload=form.cleaned_data["picture"])
            except services.UploadTooLarge as exc:
                form.add_error("picture", str(exc))
                status = 413
            except ValidationError as exc:
                form.add_error("picture", " ".join(exc.messages))
            else:
                messages.success(request, "Avatar saved.")
                return redirect("attachments:avatar_edit")
        if status == 200:
            status = 400
    has_uploaded = Avatar.objects.filter(member=member).exists()
    return render(
        request,
        "attachments/avatar.html",
        {"form": form, "member": member, "has_uploaded": has_uploaded},
        status=status,
    )
