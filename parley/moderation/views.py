"""Moderation pages: the queue, the log, report cases, and every moderator action. Views
parse input, ask the Guardian, call a service and redirect. What a person may not see is 404;
a moderator tool used on a post or thread they do see is 403 when they may not use it (the
thing exists for them, so the 403 reveals nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.core.clientip import client_ip
from parley.forums.models import Forum, Post, State, Thread
from parley.forums.views import post_location
from parley.members.models import Member
from parley.permissions.guardian import Guardian
from parley.permissions.models import Power

from . import bans, content, reports, warnings
from .forms import (
    BanForm,
    CaseForm,
    PostBulkForm,
    ReasonForm,
    ReportForm,
    ThreadActionForm,
    WarnForm,
)
from .models import AuditEntry, CaseState, ReportCase, Warning


def _guardian(request: HttpRequest) -> Guardian:
    return Guardian.for_request(request)


def _ids(values: list[str]) -> list[int]:
    """Positive ASCII integers only (a Unicode digit passes isdigit() but is no id)."""
    out = []
    for value in values:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            out.append(int(value))
    return out


def _post(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    _guardian(request).ensure_read_post(post)
    return post


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("forum", "author"), pk=pk)
    _guardian(request).ensure_see_thread(thread)
    return thread


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (`request.POST or None` would treat an
    empty POST as a first visit: a 200 page instead of the 400 a missing field deserves)."""
    return request.POST if request.method == "POST" else None


def _fail(request: HttpRequest, exc: Exception) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or "That action is not allowed.")


# --- the queue and the log ----------------------------------------------------------------


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    guardian.ensure_staff()
    report_forums = guardian.forum_ids_with_power(Power.REPORTS)
    approve_forums = guardian.forum_ids_with_power(Power.APPROVE)
    cases = list(
        ReportCase.objects.filter(state=CaseState.OPEN, post__thread__forum_id__in=report_forums)
        .select_related("post__author", "post__thread", "assignee")
        .order_by("-updated_at")[:100]
    )
    pending = list(
        Post.objects.filter(state=State.PENDING, thread__forum_id__in=approve_forums)
        .select_related("author", "thread__forum")
        .order_by("id")[:100]
    )
    return render(request, "moderation/queue.html", {"cases": cases, "pending": pending})


@login_required
@require_safe
def log(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    guardian.ensure_staff()
    entries = AuditEntry.objects.select_related("actor", "member", "forum")
    if not guardian.is_super_moderator:
        # Forum moderators read the log of the forums they moderate.
        entries = entries.filter(forum_id__in=list(guardian.permissions.powers))
    filters = {
        "moderator": request.GET.get("moderator", "").strip()[:30],
        "member": request.GET.get("member", "").strip()[:30],
        "forum": request.GET.get("forum", "").strip()[:18],
        "action": request.GET.get("action", "").strip()[:40],
    }
    if filters["moderator"]:
        entries = entries.filter(actor__username__iexact=filters["moderator"])
    if filters["member"]:
        entries = entries.filter(member__username__iexact=filters["member"])
    if forum_ids := _ids([filters["forum"]]):
        entries = entries.filter(forum_id=forum_ids[0])
    if filters["action"]:
        entries = entries.filter(action=filters["action"])
    paginator = Paginator(entries.order_by("-created_at", "-id"), 50)
    number = _ids([request.GET.get("page", "1")]) or [1]
    if number[0] < 1 or number[0] > paginator.num_pages:
        raise Http404("No such page.")
    forums = Forum.objects.filter(pk__in=guardian.visible_forum_ids()).order_by("title")
    actions = AuditEntry.objects.values_list("action", flat=True).distinct().order_by("action")
    return render(
        request,
        "moderation/log.html",
        {
            "page": paginator.page(number[0]),
            "filters": filters,
            "forums": forums,
            "actions": list(actions),
        },
    )


# --- reports -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _guardian(request).ensure_report(post)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reports.file_report(
                reporter=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except reports.TooManyReports as exc:
            form.add_error(None, str(exc))
            return render(
                request, "moderation/report.html", {"post": post, "form": form}, status=429
            )
        else:
            messages.success(request, "Thank you: the moderators will look at this post.")
            return HttpResponseRedirect(post_location(post, _guardian(request)))
    status = 400 if form.is_bound else 200
    return render(request, "moderation/report.html", {"post": post, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        ReportCase.objects.select_related("post__thread__forum", "post__author", "assignee"), pk=pk
    )
    reports.ensure_handle(request.user, case)
    form = CaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        action, text = form.cleaned_data["action"], form.cleaned_data["text"]
        ip = client_ip(request)
        try:
            if action == "comment":
                reports.comment_on_case(actor=request.user, case=case, text=text)
            elif action == "assign_me":
                reports.assign_case(actor=request.user, case=case, assignee=request.user, ip=ip)
            else:
                reports.close_case(
                    actor=request.user, case=case, resolved=action == "resolve", note=text, ip=ip
                )
                messages.success(request, f"Case {action}d.")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("moderation:case", pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/case.html",
        {
            "case": case,
            "reports": case.reports.select_related("reporter", "reason"),
            "comments": case.comments.select_related("author"),
            "form": form,
            "flags": _guardian(request).post_flags(case.post),
        },
        status=status,
    )


# --- posts ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def delete_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    guardian = _guardian(request)
    guardian.ensure_delete_post(post)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            content.delete_posts(
                actor=request.user,
                posts=[post],
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Post deleted.")
        post.refresh_from_db()
        if guardian.can_see_thread(post.thread):
            return HttpResponseRedirect(post_location(post, guardian))
        return redirect("forums:forum", pk=post.thread.forum_id)
    status = 400 if form.is_bound else 200
    return render(
        request, "moderation/delete_post.html", {"post": post, "form": form}, status=status
    )


NOT_YOURS = "You do not have that moderator power in this forum."


def _one_post_action(
    request: HttpRequest, pk: int, service: Any, done: str, power: str
) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    guardian = _guardian(request)
    guardian.ensure_read_post(post)
    if not guardian.has_power(power, post.thread.forum_id):
        raise PermissionDenied(NOT_YOURS)
    try:
        service(actor=request.user, posts=[post], ip=client_ip(request))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, done)
    post.refresh_from_db()
    post.thread.refresh_from_db()
    if guardian.can_see_post(post):
        return HttpResponseRedirect(post_location(post, guardian))
    return redirect("moderation:queue")


@login_required
@require_POST
def restore_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_post_action(request, pk, content.restore_posts, "Post restored.", Power.DELETE)


@login_required
@require_POST
def approve_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_post_action(request, pk, content.approve_posts, "Post approved.", Power.APPROVE)


@login_required
@require_POST
def reject_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_post_action(request, pk, content.reject_posts, "Post rejected.", Power.APPROVE)


@login_required
@require_POST
def bulk_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Several posts of thread `pk` at once: delete, restore, approve, reject, split, move."""
    thread = _thread(request, pk)
    guardian = _guardian(request)
    if not guardian.moderates(thread.forum_id):
        raise PermissionDenied(NOT_YOURS)
    forums = Forum.objects.filter(pk__in=guardian.forum_ids_with_power(Power.MOVE))
    form = PostBulkForm(request.POST, forums=forums)
    ids = _ids(request.POST.getlist("posts"))
    posts = list(
        Post.objects.filter(pk__in=ids, thread=thread).select_related("thread__forum", "author")
    )
    back = reverse("forums:thread", args=[thread.pk])
    if not form.is_valid() or not posts:
        messages.error(request, "Tick at least one post and choose an action.")
        return HttpResponseRedirect(back)
    data, actor, ip = form.cleaned_data, request.user, client_ip(request)
    try:
        match data["action"]:
            case "delete":
                content.delete_posts(actor=actor, posts=posts, reason=data["reason"], ip=ip)
            case "restore":
                content.restore_posts(actor=actor, posts=posts, ip=ip)
            case "approve":
                content.approve_posts(actor=actor, posts=posts, ip=ip)
            case "reject":
                content.reject_posts(actor=actor, posts=posts, reason=data["reason"], ip=ip)
            case "split":
                if data["forum"] is None:
                    raise ValidationError("Choose the forum for the new thread.")
                new = content.split_posts(
                    actor=actor,
                    posts=posts,
                    forum=data["forum"],
                    title=data["title"] or "",
                    reason=data["reason"],
                    ip=ip,
                )
                back = reverse("forums:thread", args=[new.pk])
            case "move":
                target = (
                    Thread.objects.select_related("forum")
                    .filter(pk=data["target_thread"] or 0)
                    .first()
                )
                if target is None or not guardian.can_see_thread(target):
                    raise ValidationError("There is no thread with that number.")
                content.move_posts(
                    actor=actor, posts=posts, target=target, reason=data["reason"], ip=ip
                )
                back = reverse("forums:thread", args=[target.pk])
    except (ValidationError, PermissionDenied, Http404) as exc:
        _fail(request, exc)
        return HttpResponseRedirect(reverse("forums:thread", args=[thread.pk]))
    messages.success(request, f"Done: {len(posts)} post{'s' if len(posts) != 1 else ''}.")
    if not Thread.objects.filter(pk=thread.pk).exists() and back.endswith(f"/{thread.pk}/"):
        back = reverse("forums:forum", args=[thread.forum_id])
    return HttpResponseRedirect(back)


# --- threads -------------------------------------------------------------------------------


def _thread_action(request: HttpRequest, threads: list[Thread], form: ThreadActionForm) -> str:
    """Run one thread action on `threads`; returns where to go next."""
    data, actor, ip = form.cleaned_data, request.user, client_ip(request)
    reason = data["reason"]
    first = threads[0]
    next_url = reverse("forums:thread", args=[first.pk])
    match data["action"]:
        case "lock" | "unlock":
            content.set_flags(
                actor=actor, threads=threads, locked=data["action"] == "lock", reason=reason, ip=ip
            )
        case "stick" | "unstick":
            content.set_flags(
                actor=actor, threads=threads, sticky=data["action"] == "stick", reason=reason, ip=ip
            )
        case "delete":
            content.delete_threads(actor=actor, threads=threads, reason=reason, ip=ip)
        case "restore":
            content.restore_threads(actor=actor, threads=threads, ip=ip)
        case "move":
            if data["forum"] is None:
                raise ValidationError("Choose the forum to move to.")
            content.move_threads(
                actor=actor,
                threads=threads,
                forum=data["forum"],
                leave_redirect=data["leave_redirect"],
                reason=reason,
                ip=ip,
            )
        case "merge":
            others = list(threads[1:])
            extra = _ids(data["merge_with"].replace(",", " ").split())
            others += list(
                Thread.objects.filter(pk__in=extra).exclude(pk=first.pk).select_related("forum")
            )
            guardian = _guardian(request)
            if not others or not all(guardian.can_see_thread(t) for t in others):
                raise ValidationError("Choose existing threads to merge into this one.")
            content.merge_threads(
                actor=actor,
                target=first,
                sources=others,
                leave_redirect=data["leave_redirect"],
                reason=reason,
                ip=ip,
            )
    return next_url


@login_required
@require_POST
def thread_action(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    guardian = _guardian(request)
    if not guardian.moderates(thread.forum_id):
        raise PermissionDenied(NOT_YOURS)
    forums = Forum.objects.filter(pk__in=guardian.forum_ids_with_power(Power.MOVE))
    if request.POST.get("action") == "hard_delete":
        try:
            content.hard_delete_thread(
                actor=request.user,
                thread=thread,
                reason=request.POST.get("reason", "")[:300],
                ip=client_ip(request),
            )
        except PermissionDenied as exc:
            _fail(request, exc)
            return redirect("forums:thread", pk=thread.pk)
        messages.success(request, "Thread deleted for good.")
        return redirect("forums:forum", pk=thread.forum_id)
    form = ThreadActionForm(request.POST, forums=forums)
    if not form.is_valid():
        messages.error(request, "Choose an action (and a forum to move to).")
        return redirect("forums:thread", pk=thread.pk)
    try:
        next_url = _thread_action(request, [thread], form)
    except (ValidationError, PermissionDenied, Http404) as exc:
        _fail(request, exc)
        return redirect("forums:thread", pk=thread.pk)
    messages.success(request, "Done.")
    return HttpResponseRedirect(next_url)


@login_required
@require_POST
def bulk_threads(request: HttpRequest, pk: int) -> HttpResponse:
    """Several threads of forum `pk` at once."""
    forum = get_object_or_404(Forum, pk=pk)
    guardian = _guardian(request)
    guardian.ensure_see_forum(forum)
    if not guardian.moderates(forum.pk):
        raise PermissionDenied(NOT_YOURS)
    forums = Forum.objects.filter(pk__in=guardian.forum_ids_with_power(Power.MOVE))
    form = ThreadActionForm(request.POST, forums=forums)
    ids = _ids(request.POST.getlist("threads"))
    order = {pk: i for i, pk in enumerate(ids)}
    threads = sorted(
        Thread.objects.filter(pk__in=ids, forum=forum).select_related("forum", "author"),
        key=lambda t: order[t.pk],
    )
    back = reverse("forums:forum", args=[forum.pk])
    if not form.is_valid() or not threads:
        messages.error(request, "Tick at least one thread and choose an action.")
        return HttpResponseRedirect(back)
    try:
        next_url = _thread_action(request, threads, form)
    except (ValidationError, PermissionDenied, Http404) as exc:
        _fail(request, exc)
        return HttpResponseRedirect(back)
    messages.success(request, f"Done: {len(threads)} thread{'s' if len(threads) != 1 else ''}.")
    return HttpResponseRedirect(next_url if form.cleaned_data["action"] == "merge" else back)


# --- warnings and bans --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def warn(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    guardian = _guardian(request)
    if not guardian.can_warn(post.thread.forum_id):
        raise PermissionDenied("You do not warn members in this forum.")
    form = WarnForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            warnings.warn_member(
                actor=request.user,
                member=post.author,
                post=post,
                warning_type=form.cleaned_data["warning_type"],
                reason=form.cleaned_data["reason"],
                public_notice=form.cleaned_data["public_notice"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{post.author.username} is warned.")
            return HttpResponseRedirect(post_location(post, guardian))
    status = 400 if form.is_bound else 200
    return render(request, "moderation/warn.html", {"post": post, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ban(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(Member, username__iexact=username, is_active=True)
    guardian = _guardian(request)
    if not guardian.can_ban_members():
        raise Http404("No such page.")
    form = BanForm(_posted(request))
    ip = client_ip(request)
    if request.method == "POST" and request.POST.get("lift"):
        try:
            bans.lift_ban(actor=request.user, member=member, ip=ip)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"The ban on {member.username} is lifted.")
        return redirect("members:profile", username=member.username)
    if request.method == "POST" and request.POST.get("moderated") in ("on", "off"):
        value = request.POST["moderated"] == "on"
        try:
            bans.set_needs_approval(actor=request.user, member=member, value=value, ip=ip)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            state = "now wait for approval" if value else "no longer wait for approval"
            messages.success(request, f"{member.username}'s posts {state}.")
        return redirect("members:profile", username=member.username)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        until = timezone.now() + timedelta(days=days) if days else None
        try:
            bans.ban_member(
                actor=request.user,
                member=member,
                reason=form.cleaned_data["reason"],
                until=until,
                ip=ip,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return render(
                request, "moderation/ban.html", {"member": member, "form": form}, status=403
            )
        else:
            messages.success(request, f"{member.username} is banned.")
            return redirect("members:profile", username=member.username)
    status = 400 if form.is_bound else 200
    return render(request, "moderation/ban.html", {"member": member, "form": form}, status=status)


@login_required
@require_POST
def clean_spammer(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(Member, username__iexact=username, is_active=True)
    guardian = _guardian(request)
    if not guardian.can_ban_members():
        raise Http404("No such page.")
    try:
        n = bans.clean_spammer(actor=request.user, member=member, ip=client_ip(request))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, f"{member.username} is banned and {n} of their posts and threads are deleted."
        )
    return redirect("members:profile", username=member.username)


@login_required
@require_safe
def my_warnings(request: HttpRequest) -> HttpResponse:
    member = request.user  # signed in: login_required
    items = Warning.objects.filter(member_id=member.pk or 0).select_related("post__thread")
    guardian = _guardian(request)
    return render(
        request,
        "moderation/my_warnings.html",
        {"warnings": items, "now": timezone.now(), "write_block": guardian.write_block_reason},
    )


def staff_counts(request: HttpRequest) -> dict[str, Any]:
    """Context processor: open reports and posts awaiting approval, for staff only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    guardian = Guardian.for_request(request)
    if not guardian.is_staff:
        return {}
    reports_n = ReportCase.objects.filter(
        state=CaseState.OPEN,
        post__thread__forum_id__in=guardian.forum_ids_with_power(Power.REPORTS),
    ).count()
    pending_n = Post.objects.filter(
        state=State.PENDING, thread__forum_id__in=guardian.forum_ids_with_power(Power.APPROVE)
    ).count()
    return {
        "staff_queue": {"reports": reports_n, "pending": pending_n, "total": reports_n + pending_n}
    }
