"""People pages: the member list, who's online, follow and ignore, profile fields."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.core import stamps
from parley.core.pagecache import guest_page
from parley.forums.queries import paginate
from parley.permissions.guardian import Guardian

from . import queries, services
from .forms import FieldValuesForm

MAX_NAME_PREFIX = 30


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "people/bad_request.html", {"message": message}, status=400)


@require_safe
@guest_page(lambda request: [stamps.CONTENT])
def member_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort") or queries.DEFAULT_SORT
    if sort not in queries.SORTS:
        return _bad_request(request, "Sort by messages, reactions, joined or name.")
    prefix = (request.GET.get("q") or "").strip()
    if len(prefix) > MAX_NAME_PREFIX:
        return _bad_request(request, f"Names have at most {MAX_NAME_PREFIX} characters.")
    guardian = Guardian.for_request(request)
    rows = queries.member_list(sort=sort, name_prefix=prefix, guardian=guardian)
    page = paginate(rows, settings.PARLEY_MEMBERS_PER_PAGE, request.GET.get("page"))
    return render(
        request,
        "people/member_list.html",
        {
            "page": page,
            "sort": sort,
            "sorts": queries.SORT_LABELS.items(),
            "q": prefix,
            "marks_banned": guardian.can_ban_members(),
        },
    )


@require_safe
@guest_page(lambda request: [stamps.ONLINE])
def online(request: HttpRequest) -> HttpResponse:
    summary = queries.online_summary(Guardian.for_request(request), limit=200)
    return render(request, "people/online.html", {"summary": summary})


def _member(username: str) -> Any:
    return get_object_or_404(get_user_model(), username__iexact=username, is_active=True)


def _back(request: HttpRequest, member: Any) -> HttpResponseRedirect:
    """Back where the button was (a safe local address), else the member's profile."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("members:profile", args=[member.username])
    return HttpResponseRedirect(target)


def _change(request: HttpRequest, username: str, action: str) -> HttpResponse:
    member = _member(username)
    me = request.user
    try:
        if action == "follow":
            services.follow_member(member=me, target=member)
            messages.success(request, f"You follow {member.username}.")
        elif action == "unfollow":
            services.unfollow_member(member=me, target=member)
            messages.success(request, f"You no longer follow {member.username}.")
        elif action == "ignore":
            services.ignore_member(member=me, target=member)
            messages.success(request, f"You ignore {member.username}.")
        else:
            services.unignore_member(member=me, target=member)
            messages.success(request, f"You no longer ignore {member.username}.")
    except services.Refused as exc:
        messages.error(request, str(exc))
        return render(
            request, "people/refused.html", {"message": str(exc), "member": member}, status=400
        )
    return _back(request, member)


@login_required
@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "follow")


@login_required
@require_POST
def unfollow(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "unfollow")


@login_required
@require_POST
def ignore(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "ignore")


@login_required
@require_POST
def unignore(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "unignore")


@login_required
@require_safe
def ignored(request: HttpRequest) -> HttpResponse:
    return render(
        request, "people/ignored.html", {"members": queries.ignored_members(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_fields(request: HttpRequest) -> HttpResponse:
    member = request.user
    form = FieldValuesForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_field_values(member=member, values=form.cleaned_data)
        except services.FieldErrors as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, "Saved.")
            return redirect("members:profile", username=member.get_username())
    status = 400 if form.is_bound else 200
    return render(request, "people/edit_fields.html", {"form": form}, status=status)
