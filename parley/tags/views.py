"""The tag page and the thread's labels form (tags and prefix)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from parley.core import stamps
from parley.core.pagecache import guest_page
from parley.forums.models import Thread
from parley.permissions.guardian import Guardian

from . import queries, services
from .forms import LabelsForm
from .models import Tag


@require_safe
# Tags change with content (every tagging is a content event): the content stamp keys it.
@guest_page(lambda request, slug: [stamps.CONTENT])
def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    guardian = Guardian.for_request(request)
    page = queries.tag_threads(
        tag, request.GET.get("page"), settings.PARLEY_THREADS_PER_PAGE, guardian
    )
    return render(request, "tags/tag.html", {"tag": tag, "page": page})


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("forum", "author"), pk=pk)
    Guardian.for_request(request).ensure_label_thread(thread)
    return thread


def _initial(thread: Thread) -> dict[str, Any]:
    labels = queries.labels_for([thread])[thread.pk]
    return {
        "prefix_id": labels.prefix.pk if labels.prefix else None,
        "tags": ", ".join(t.name for t in labels.tags),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a thread's tags and prefix (its starter, or a moderator who may edit)."""
    thread = _thread(request, pk)
    if request.method == "POST":
        form = LabelsForm(thread.forum, request.POST)
        if form.is_valid():
            try:
                apply_labels(form, thread, request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Thread details saved.")
                return redirect("forums:thread", pk=thread.pk)
    else:
        form = LabelsForm(thread.forum, initial=_initial(thread))
    status = 400 if form.is_bound else 200
    return render(request, "tags/edit_labels.html", {"thread": thread, "form": form}, status=status)


def apply_labels(form: LabelsForm, thread: Any, actor: Any) -> None:
    """What a valid LabelsForm asks for, through the services (also the start-thread
    extension's writer, inside the transaction that creates the thread)."""
    if "tags" in form.fields:
        services.set_thread_tags(actor=actor, thread=thread, names=form.cleaned_data["tags"])
    if "prefix_id" in form.fields:
        services.set_thread_prefix(
            actor=actor, thread=thread, prefix_id=form.cleaned_data["prefix_id"]
        )


def compose_form(forum: Any, guardian: Guardian, data: Any) -> LabelsForm:
    return (
        LabelsForm(forum, data, prefix="labels")
        if data is not None
        else LabelsForm(forum, prefix="labels")
    )
