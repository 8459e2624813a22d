"""Live-event pages: mark a thread live and set its slow mode and post limit, pin posts to
its timeline, edit and unpin entries. Views check input, ask the Guardian, call a service."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from parley.core.params import ascii_int
from parley.forums.models import Post, Thread
from parley.permissions.guardian import Guardian

from . import queries, services
from .forms import EntryForm, LiveEventForm, PinForm
from .models import TimelineEntry

# "/posts/123/", "https://host/posts/123/", "…/threads/4/#post-123", "#post-123" or "123".
_POST_REF = re.compile(r"(?:/posts/|#post-)(\d{1,18})\b|^\s*(\d{1,18})\s*$")


def _guardian(request: HttpRequest) -> Guardian:
    return Guardian.for_request(request)


def _managed_thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("forum__category", "author", "live_event"), pk=pk
    )
    _guardian(request).ensure_manage_live_event(thread)
    return thread


def _errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _thread_url(thread_id: int) -> str:
    return reverse("forums:thread", args=[thread_id])


@login_required
@require_http_methods(["GET", "POST"])
def live_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the thread as a live event (or change its options, or unmark it)."""
    thread = _managed_thread(request, pk)
    live = queries.live_event_of(thread)
    is_live = live is not None and live.is_active
    if request.method == "POST" and request.POST.get("action") == "unmark":
        services.unmark_live_event(actor=request.user, thread=thread)
        messages.success(request, "This thread is no longer a live event.")
        return redirect(_thread_url(thread.pk))
    if request.method == "POST":
        form = LiveEventForm(request.POST)
        if form.is_valid():
            options = {
                "slow_mode_seconds": form.cleaned_data["slow_mode_seconds"],
                "post_limit": form.cleaned_data["post_limit"],
            }
            try:
                if is_live:
                    services.set_live_event_options(actor=request.user, thread=thread, **options)
                else:
                    services.mark_live_event(actor=request.user, thread=thread, **options)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request, "Live event saved." if is_live else "This thread is now a live event."
                )
                return redirect(_thread_url(thread.pk))
    else:
        initial = {}
        if live is not None:
            initial = {"slow_mode_seconds": live.slow_mode_seconds, "post_limit": live.post_limit}
        form = LiveEventForm(initial=initial)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "liveevents/settings.html",
        {"thread": thread, "form": form, "is_live": is_live},
        status=status,
    )


def _post_from(ref: str, thread: Thread, guardian: Guardian) -> Post | None:
    """The post a pin form names, if it is one this reader may read in this thread (a post
    of a part this thread continues counts too: its entries were carried over)."""
    match = _POST_REF.search(ref or "")
    if not match:
        return None
    post_id = ascii_int(match.group(1) or match.group(2), max_digits=18)
    if post_id is None:
        return None
    post = Post.objects.select_related("thread__forum").filter(pk=post_id).first()
    if post is None or post.thread_id != thread.pk or not guardian.can_read_post(post):
        return None
    return post


@login_required
@require_http_methods(["GET", "POST"])
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin a post of this thread to its timeline (`?post=<id>` fills the form in)."""
    thread = _managed_thread(request, pk)
    live = queries.live_event_of(thread)
    if live is None or not live.is_active:
        messages.error(request, services.NOT_LIVE)
        return redirect("liveevents:settings", pk=thread.pk)
    guardian = _guardian(request)
    if request.method == "POST":
        form = PinForm(request.POST)
        if form.is_valid():
            post = _post_from(form.cleaned_data["post"], thread, guardian)
            if post is None:
                form.add_error("post", "Name a post of this thread: paste its link or its id.")
            else:
                post.thread = thread  # the thread as loaded, with its live event
                try:
                    entry = services.pin_post(
                        actor=request.user,
                        post=post,
                        summary=form.cleaned_data["summary"],
                        happened_at=form.cleaned_data["happened_at"],
                    )
                except ValidationError as exc:
                    _errors(form, exc)
                else:
                    messages.success(request, "Pinned to the timeline.")
                    return redirect(f"{_thread_url(thread.pk)}#timeline-{entry.pk}")
    else:
        form = PinForm(initial={"post": request.GET.get("post", "")[:30]})
    status = 400 if form.is_bound else 200
    return render(request, "liveevents/pin.html", {"thread": thread, "form": form}, status=status)


def _entry(request: HttpRequest, pk: int) -> TimelineEntry:
    guardian = _guardian(request)
    entry = queries.entry_for(pk, guardian)
    if entry is None:
        raise Http404("No such timeline entry.")
    guardian.ensure_manage_live_event(entry.live_event.thread)
    return entry  # type: ignore[no-any-return]


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    thread = entry.live_event.thread
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.edit_timeline_entry(
                    actor=request.user,
                    entry=entry,
                    summary=form.cleaned_data["summary"],
                    happened_at=form.cleaned_data["happened_at"],
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "Timeline entry saved.")
                return redirect(f"{_thread_url(thread.pk)}#timeline-{entry.pk}")
    else:
        form = EntryForm(initial={"summary": entry.summary, "happened_at": entry.happened_at})
    status = 400 if form.is_bound else 200
    return render(
        request,
        "liveevents/edit_entry.html",
        {"thread": thread, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_POST
def unpin(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    services.unpin_timeline_entry(actor=request.user, entry=entry)
    messages.success(request, "Taken off the timeline.")
    return redirect(f"{_thread_url(entry.live_event.thread_id)}#timeline")
