"""Voting, and adding a poll to a thread after it started. Both work without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from parley.core.params import ascii_int
from parley.forums.models import Thread
from parley.permissions.guardian import Guardian

from . import services
from .forms import PollForm
from .models import Poll


def _back(thread_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("forums:thread", args=[thread_id]) + "#poll")


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A ballot from the thread page's form; every outcome goes back to the poll with a
    message that says what happened."""
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
    guardian = Guardian.for_request(request)
    guardian.ensure_see_thread(thread)
    poll = get_object_or_404(Poll, thread=thread)
    poll.thread = thread
    raw = request.POST.getlist("option")
    ids = [ascii_int(value) for value in raw]
    if any(i is None for i in ids):
        messages.error(request, "That option is not part of this poll.")
        return _back(thread.pk)
    try:
        services.vote(member=request.user, poll=poll, option_ids=[i for i in ids if i is not None])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (services.VoteRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your vote is counted.")
    return _back(thread.pk)


@login_required
@require_http_methods(["GET", "POST"])
def add_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """The starter (or a moderator who may edit) adds a poll to a thread that has none."""
    thread = get_object_or_404(Thread.objects.select_related("forum", "author"), pk=pk)
    Guardian.for_request(request).ensure_label_thread(thread)
    if Poll.objects.filter(thread=thread).exists():
        messages.info(request, "This thread already has a poll.")
        return _back(thread.pk)
    form = PollForm(request.POST or None, required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_poll(actor=request.user, thread=thread, draft=form.cleaned_data["draft"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Poll added.")
            return _back(thread.pk)
    status = 400 if form.is_bound else 200
    return render(request, "polls/add_poll.html", {"thread": thread, "form": form}, status=status)


def compose_form(forum: Any, guardian: Guardian, data: Any) -> PollForm:
    return PollForm(data, prefix="poll") if data is not None else PollForm(prefix="poll")


def apply_poll(form: PollForm, thread: Any, actor: Any) -> None:
    """The start-thread extension's writer: inside the transaction creating the thread."""
    draft = form.cleaned_data.get("draft")
    if draft is not None:
        services.add_poll(actor=actor, thread=thread, draft=draft, at=thread.created_at)
