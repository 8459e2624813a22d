"""Editor endpoints: live preview, draft saving, multi-quote. All are POSTs for signed-in
members (a GET writes nothing and shows nothing here); each is rate-limited per member."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parley.attachments.services import UploadTooLarge, upload_attachment
from parley.core import ratelimit
from parley.forums import hooks
from parley.forums.cooking import cook_post
from parley.forums.models import Forum, Thread
from parley.permissions.guardian import Guardian

from . import services
from .forms import DraftForm, PreviewForm, QuotesForm
from .quotes import build_quotes

View = Callable[..., HttpResponse]


def members_only(limit: str) -> Callable[[View], View]:
    """POST only, signed-in members only (403 with a message for guests, who have nothing
    to preview or save), and counted against the member's rate limit `limit`."""

    def decorate(view: View) -> View:
        @require_POST
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return JsonResponse({"error": "Sign in to use the editor."}, status=403)
            verdict = ratelimit.hit(limit, str(request.user.pk))
            if not verdict.allowed:
                response = JsonResponse(
                    {"error": f"Too fast; wait {verdict.minutes} minute(s)."}, status=429
                )
                response["Retry-After"] = str(verdict.retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _first_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "Check what you sent."


@members_only("preview")
def preview(request: HttpRequest) -> HttpResponse:
    """The source cooked exactly as posting would cook it (the same cooker, mentions and
    known link previews included), as sanitized HTML."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    source = form.cleaned_data["source"]
    if not source.strip():
        return JsonResponse({"html": ""})
    token = form.cleaned_data["token"] or None
    member: Any = request.user  # members_only: signed in
    attachments = hooks.attachments_for(member.pk, token, None) if token else None
    cooked, _ = cook_post(source, form.cleaned_data["format"], attachments=attachments)
    return JsonResponse({"html": cooked.html})


def _upload_files(request: HttpRequest, token: str, source: str) -> tuple[str, list[str]]:
    """The no-JavaScript Upload button: store each chosen file with the compose form's token
    (so the post takes it) and place it at the end of the text. Returns the text with the
    placements and a message per file refused; a refused file changes nothing."""
    placed: list[str] = []
    refused: list[str] = []
    for upload in request.FILES.getlist("files"):
        try:
            attachment = upload_attachment(member=request.user, upload=upload, form_key=token)
        except (ValidationError, UploadTooLarge, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            refused.append(f"{upload.name}: {reason or 'refused.'}")
        else:
            placed.append(f"[attach={attachment.pk}]")
    if placed:
        source = source.rstrip("\n") + ("\n\n" if source.strip() else "") + "\n".join(placed)
    return source, refused


def _save(
    request: HttpRequest, *, thread: Thread | None, forum: Forum | None, back: str
) -> HttpResponse:
    wants_json = request.POST.get("js") == "1"
    form = DraftForm(request.POST)
    error = "" if form.is_valid() else _first_error(form)
    saved = None
    refused: list[str] = []
    if not error and request.FILES:
        # Nothing is stored for a place this member may not write in (404 / 403 first).
        guardian = Guardian(request.user)
        if thread is not None:
            guardian.ensure_reply(thread)
        elif forum is not None:
            guardian.ensure_start_thread(forum)
        if form.cleaned_data["token"]:
            source, refused = _upload_files(
                request, form.cleaned_data["token"], form.cleaned_data["source"]
            )
            form.cleaned_data["source"] = source
        else:
            error = "The upload did not come from a post form; reload the page."
    if not error:
        try:
            saved = services.save_draft(
                member=request.user,
                thread=thread,
                forum=forum,
                source=form.cleaned_data["source"],
                fmt=form.cleaned_data["format"],
                title=form.cleaned_data["title"],
                token=form.cleaned_data["token"] or None,
            )
        except ValidationError as exc:
            error = exc.messages[0]
    if wants_json:
        if error:
            return JsonResponse({"error": error}, status=400)
        at = saved.updated_at.isoformat() if saved else None
        return JsonResponse({"saved": saved is not None, "at": at})
    if error:
        # Without JavaScript the text is only in this request: hand it back, never drop it.
        context = {"error": error, "source": request.POST.get("source", ""), "back": back}
        return render(request, "editor/draft_refused.html", context, status=400)
    for reason in refused:
        messages.error(request, f"Not attached: {reason}")
    messages.success(request, "Draft saved. It waits in this form on any device you sign in on.")
    return HttpResponseRedirect(back)


@members_only("draft")
def save_reply_draft(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
    back = reverse("forums:reply", args=[thread.pk])
    return _save(request, thread=thread, forum=None, back=back)


@members_only("draft")
def save_thread_draft(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(Forum.objects.select_related("category"), pk=pk)
    back = reverse("forums:start_thread", args=[forum.pk])
    return _save(request, thread=None, forum=forum, back=back)


@members_only("quotes")
def quotes(request: HttpRequest) -> HttpResponse:
    """The quote blocks of the collected posts, in the reply's format; posts this member
    may not read (or that are gone) are skipped and counted."""
    form = QuotesForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    result = build_quotes(
        Guardian.for_request(request), form.cleaned_data["quotes"], form.cleaned_data["format"]
    )
    return JsonResponse({"text": result.text, "quoted": result.quoted, "skipped": result.skipped})
