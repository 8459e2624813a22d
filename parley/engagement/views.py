"""Watching, unread and what's new. Views check input, ask the Guardian, call a service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from parley.core import stamps
from parley.core.pagecache import guest_page
from parley.forums.models import Forum, Thread
from parley.forums.queries import paginate
from parley.forums.views import post_location
from parley.permissions.guardian import Guardian

from . import queries, services


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
    Guardian.for_request(request).ensure_see_thread(thread)
    return thread


def _forum(request: HttpRequest, pk: int) -> Forum:
    forum = get_object_or_404(Forum, pk=pk)
    Guardian.for_request(request).ensure_see_forum(forum)
    return forum


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the button was on (same site only), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _watch_choice(request: HttpRequest) -> str | None:
    """ "watch", "watch-email" or "unwatch"; None for anything else."""
    action = request.POST.get("action", "")
    return action if action in {"watch", "watch-email", "unwatch"} else None


@login_required
@require_POST
def watch_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    back = _back(request, reverse("forums:thread", args=[thread.pk]))
    action = _watch_choice(request)
    if action is None:
        messages.error(request, "Choose to watch or to stop watching.")
    elif action == "unwatch":
        services.unwatch_thread(member=request.user, thread=thread)
        messages.success(request, "You no longer watch this thread.")
    else:
        services.watch_thread(member=request.user, thread=thread, email=action == "watch-email")
        messages.success(request, "You are watching this thread.")
    return back


@login_required
@require_POST
def watch_forum(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    back = _back(request, reverse("forums:forum", args=[forum.pk]))
    action = _watch_choice(request)
    if action is None:
        messages.error(request, "Choose to watch or to stop watching.")
    elif action == "unwatch":
        services.unwatch_forum(member=request.user, forum=forum)
        messages.success(request, "You no longer watch this forum.")
    else:
        services.watch_forum(member=request.user, forum=forum, email=action == "watch-email")
        messages.success(request, "You are watching this forum.")
    return back


@require_safe
def first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """Jump to the first post this member has not read; to the last post when all is read,
    and for guests (who have no read state)."""
    thread = _thread(request, pk)
    guardian = Guardian.for_request(request)
    post = queries.first_unread_post(request.user, thread, guardian) if guardian.is_member else None
    if post is None:
        if thread.last_post_id is None:
            return HttpResponseRedirect(reverse("forums:thread", args=[thread.pk]))
        return HttpResponseRedirect(reverse("forums:post", args=[thread.last_post_id]))
    post.thread = thread
    return HttpResponseRedirect(post_location(post, guardian))


@login_required
@require_POST
def mark_forum_read(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    services.mark_forum_read(member=request.user, forum=forum)
    messages.success(request, f"Everything in {forum.title} is marked read.")
    return _back(request, reverse("forums:forum", args=[forum.pk]))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(member=request.user)
    messages.success(request, "Everything is marked read.")
    return _back(request, reverse("forums:index"))


@login_required
@require_safe
def watched(request: HttpRequest) -> HttpResponse:
    guardian = Guardian.for_request(request)
    page = paginate(
        queries.watched_threads(request.user, guardian),
        settings.PARLEY_THREADS_PER_PAGE,
        request.GET.get("page"),
    )
    page.object_list = queries.apply_pending_reads(request.user, list(page.object_list))
    return render(
        request,
        "engagement/watched.html",
        {"page": page, "auto_watch": queries.auto_watch_enabled(request.user)},
    )


@login_required
@require_POST
def auto_watch(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("auto_watch", "")
    if value not in {"on", "off"}:
        messages.error(request, "Choose on or off.")
    else:
        services.set_auto_watch(member=request.user, enabled=value == "on")
        messages.success(
            request,
            "Threads you start or reply to are watched."
            if value == "on"
            else "Threads you start or reply to are no longer watched automatically.",
        )
    return HttpResponseRedirect(reverse("engagement:watched"))


@require_safe
@guest_page(lambda request: [stamps.CONTENT])
def whats_new(request: HttpRequest) -> HttpResponse:
    data = queries.whats_new(Guardian.for_request(request))
    return render(request, "engagement/whats_new.html", {"data": data})
