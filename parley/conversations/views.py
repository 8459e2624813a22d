"""Conversation pages. Every view reaches a conversation or message through the policy
(`ensure_participant` / `ensure_message`): a non-participant — staff included — gets the
same 404 as for something that does not exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.core import ratelimit
from parley.core.params import ascii_int
from parley.forums.forms import EditForm, PostForm, new_token
from parley.forums.models import ReactionType

from . import services
from .forms import InviteForm, PreferenceForm, StartForm
from .models import (
    AcceptFrom,
    ConversationPreference,
    Message,
    MessageReaction,
    MessageReport,
    Participant,
)
from .policy import MAX_ID, ConversationPolicy


def _policy(request: HttpRequest) -> ConversationPolicy:
    return ConversationPolicy.for_request(request)


def _errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _detail_url(conversation_id: int, message_id: int | None = None) -> str:
    url = reverse("conversations:detail", args=[conversation_id])
    return f"{url}#message-{message_id}" if message_id else url


@login_required
@require_safe
def conversation_list(request: HttpRequest) -> HttpResponse:
    starred = request.GET.get("starred") == "1"
    places = (
        Participant.objects.filter(member_id=request.user.pk or 0, left_at__isnull=True)
        .select_related("conversation__last_message__author")
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    if starred:
        places = places.filter(is_starred=True)
    page = Paginator(places, settings.PARLEY_THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "conversations/list.html", {"page": page, "places": page, "starred": starred}
    )


def _recipients_initial(request: HttpRequest) -> dict[str, str]:
    to = request.GET.get("to", "")
    # Only a plausible username is put back into the form.
    plausible = to.isascii() and to.replace("_", "").replace(".", "").replace("-", "").isalnum()
    return {"recipients": to[:100]} if plausible else {}


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    policy = _policy(request)
    block = policy.write_block_reason
    if request.method != "POST":
        form = StartForm(initial=_recipients_initial(request))
        return render(request, "conversations/start.html", {"form": form, "write_block": block})
    form = StartForm(request.POST)
    if block:
        form.is_valid()
        form.add_error(None, block)
        return render(request, "conversations/start.html", {"form": form}, status=403)
    if form.is_valid():
        is_staff = policy.guardian.is_staff
        if not is_staff:
            verdict = ratelimit.hit("conversation", str(request.user.pk))
            if not verdict.allowed:
                plural = "s" if verdict.minutes != 1 else ""
                form.add_error(
                    None,
                    f"You are starting conversations too fast; wait {verdict.minutes} minute"
                    f"{plural} and try again. Your text is kept below.",
                )
                return render(request, "conversations/start.html", {"form": form}, status=429)
        try:
            conversation = services.start_conversation(
                starter=request.user,
                recipients=form.cleaned_data["recipients"],
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"],
                fmt=form.cleaned_data["format"],
                open_invite=form.cleaned_data["open_invite"],
                token=form.cleaned_data["token"],
                starter_is_staff=is_staff,
            )
        except ValidationError as exc:
            _errors(form, exc)
        except services.DuplicateSubmission:
            form = _with_new_token(StartForm, request)
            form.add_error(None, SENT_ALREADY)
            return render(request, "conversations/start.html", {"form": form}, status=409)
        else:
            return HttpResponseRedirect(_detail_url(conversation.pk))
    return render(request, "conversations/start.html", {"form": form}, status=400)


SENT_ALREADY = (
    "This form was already used to send a different message. Your text is kept below: "
    "send it again to post it as a new message."
)


def _with_new_token(form_class: Any, request: HttpRequest) -> Any:
    """The member's text in a form with a fresh token (after DuplicateSubmission)."""
    data = request.POST.copy()
    data["token"] = new_token()
    form = form_class(data)
    form.is_valid()
    return form


def _quote_prefill(request: HttpRequest, conversation_id: int) -> dict[str, str]:
    """`?quote=<message id>`: only a message of this same conversation is quoted."""
    quoted_id = ascii_int(request.GET.get("quote", ""))
    if quoted_id is None:
        return {}
    message = (
        Message.objects.select_related("author")
        .filter(pk=quoted_id, conversation_id=conversation_id)
        .first()
    )
    if message is None:
        return {}
    return {
        "source": f'[quote="{message.author.username}" post={message.pk}]\n'
        f"{message.source.strip()}\n[/quote]\n\n",
        "format": message.format,
    }


def _reactions(
    message_ids: list[int], member_id: int, types: dict[int, ReactionType]
) -> tuple[dict[int, list[Any]], dict[int, int]]:
    """Reaction summaries per message and the viewer's own reaction (two queries)."""
    summary: dict[int, list[Any]] = {}
    for row in (
        MessageReaction.objects.filter(message_id__in=message_ids)
        .values("message_id", "type_id")
        .annotate(n=Count("id"))
        .order_by("message_id", "type_id")
    ):
        if row["type_id"] in types:
            summary.setdefault(row["message_id"], []).append(
                {"type": types[row["type_id"]], "count": row["n"]}
            )
    own = dict(
        MessageReaction.objects.filter(message_id__in=message_ids, member_id=member_id).values_list(
            "message_id", "type_id"
        )
    )
    return summary, own


def _detail_context(request: HttpRequest, place: Participant, reply_form: Any) -> dict[str, Any]:
    policy = _policy(request)
    conversation = place.conversation
    page = Paginator(
        Message.objects.filter(conversation=conversation).select_related("author").order_by("id"),
        settings.PARLEY_POSTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    items = list(page)
    types = list(ReactionType.objects.filter(is_active=True))
    summary, own = _reactions([m.pk for m in items], request.user.pk or 0, {t.pk: t for t in types})
    views = [
        {
            "message": m,
            "reactions": summary.get(m.pk, []),
            "my_reaction_id": own.get(m.pk),
            "can_react": m.author_id != request.user.pk and policy.guardian.may_write,
            "can_edit": policy.can_edit_message(m),
        }
        for m in items
    ]
    people = list(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .select_related("member")
        .order_by("joined_at", "id")
    )
    return {
        "conversation": conversation,
        "place": place,
        "page": page,
        "views": views,
        "types": types,
        "people": people,
        "reply_form": reply_form,
        "can_reply": policy.guardian.may_write,
        "can_invite": policy.can_invite(place),
        "invite_form": InviteForm(),
        "write_block": policy.write_block_reason,
    }


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = _policy(request).ensure_participant(pk)
    services.mark_read(place=place)
    form = PostForm(initial=_quote_prefill(request, pk))
    return render(request, "conversations/detail.html", _detail_context(request, place, form))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request)
    place = policy.ensure_participant(pk)
    form = PostForm(request.POST)
    verdict = None
    if policy.write_block_reason:
        form.is_valid()
        form.add_error(None, policy.write_block_reason)
    elif (
        form.is_valid()
        and not policy.guardian.is_staff
        and not (verdict := ratelimit.hit("conversation_reply", str(request.user.pk))).allowed
    ):
        plural = "s" if verdict.minutes != 1 else ""
        form.add_error(
            None,
            f"You are replying too fast; wait {verdict.minutes} minute{plural} and try "
            "again. Your text is kept below.",
        )
    elif form.is_valid():
        try:
            message = services.reply_to_conversation(
                place=place,
                source=form.cleaned_data["source"],
                fmt=form.cleaned_data["format"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        except services.DuplicateSubmission:
            form = _with_new_token(PostForm, request)
            form.add_error(None, SENT_ALREADY)
        else:
            return HttpResponseRedirect(message_location(message))
    status = 429 if verdict is not None and not verdict.allowed else 400
    return render(
        request, "conversations/detail.html", _detail_context(request, place, form), status=status
    )


def message_location(message: Message) -> str:
    before = Message.objects.filter(conversation_id=message.conversation_id, pk__lt=message.pk)
    page = before.count() // settings.PARLEY_POSTS_PER_PAGE + 1
    url = reverse("conversations:detail", args=[message.conversation_id])
    return f"{url}{f'?page={page}' if page > 1 else ''}#message-{message.pk}"


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request)
    place = policy.ensure_participant(pk)
    if not policy.can_invite(place):
        messages.error(request, "Only the starter of this conversation may invite members.")
        return HttpResponseRedirect(_detail_url(pk))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_to_conversation(
                place=place,
                members=form.cleaned_data["members"],
                inviter_is_staff=policy.guardian.is_staff,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Invited.")
            return HttpResponseRedirect(_detail_url(pk))
    for error in form.errors.values():
        for text in error:
            messages.error(request, str(text))
    response = HttpResponseRedirect(_detail_url(pk))
    response.status_code = 303
    return response


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    place = _policy(request).ensure_participant(pk)
    services.leave_conversation(place=place)
    messages.success(request, f"You left “{place.conversation.title}”.")
    return HttpResponseRedirect(reverse("conversations:list"))


@login_required
@require_POST
def mark_unread(request: HttpRequest, pk: int) -> HttpResponse:
    place = _policy(request).ensure_participant(pk)
    services.mark_unread(place=place)
    return HttpResponseRedirect(reverse("conversations:list"))


@login_required
@require_POST
def star(request: HttpRequest, pk: int) -> HttpResponse:
    place = _policy(request).ensure_participant(pk)
    value = request.POST.get("starred", "")
    if value not in ("0", "1"):
        messages.error(request, "That star button is damaged; reload the page.")
        return HttpResponseRedirect(_detail_url(pk))
    services.set_star(place=place, starred=value == "1")
    back = reverse("conversations:list") if request.POST.get("back") == "list" else _detail_url(pk)
    return HttpResponseRedirect(back)


@login_required
@require_safe
def message_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    message, _place = _policy(request).ensure_message(pk)
    return HttpResponseRedirect(message_location(message))


@login_required
@require_http_methods(["GET", "POST"])
def edit_message(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request)
    message, _place = policy.ensure_message(pk)
    if not policy.can_edit_message(message):
        messages.error(request, "Only its author can edit a message.")
        return HttpResponseRedirect(message_location(message))
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                message = services.edit_message(
                    message=message,
                    editor=request.user,
                    source=form.cleaned_data["source"],
                    fmt=form.cleaned_data["format"],
                    reason=form.cleaned_data.get("reason", ""),
                    base_revision=form.cleaned_data.get("revision"),
                )
            except ValidationError as exc:
                _errors(form, exc)
            except services.EditConflict:
                data = request.POST.copy()
                data["revision"] = str(Message.objects.get(pk=message.pk).revision)
                form = EditForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    "The message changed since you opened the editor. Your text is kept "
                    "below; compare it with the current message and save again.",
                )
            else:
                messages.success(request, "Message saved.")
                return HttpResponseRedirect(message_location(message))
    else:
        form = EditForm(
            initial={
                "source": message.source,
                "format": message.format,
                "revision": message.revision,
            }
        )
    return render(
        request,
        "conversations/edit.html",
        {"message": message, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    message, _place = _policy(request).ensure_message(pk)
    revisions = list(message.revisions.order_by("-number"))
    return render(
        request, "conversations/history.html", {"message": message, "revisions": revisions}
    )


@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request)
    message, _place = policy.ensure_message(pk)
    back = HttpResponseRedirect(message_location(message))
    if policy.write_block_reason:
        messages.error(request, policy.write_block_reason)
        return back
    raw = request.POST.get("type", "")
    type_id = None if raw == "" else ascii_int(raw)
    if raw != "" and type_id is None:
        messages.error(request, "Choose one of the reactions offered.")
        return back
    verdict = ratelimit.hit("reaction", str(request.user.pk))
    if not verdict.allowed:
        messages.error(request, f"You are reacting too fast; wait {verdict.minutes} minute(s).")
        return back
    try:
        services.react_to_message(message=message, member=request.user, type_id=type_id)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, str(text))
    return back


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = ConversationPreference.objects.filter(member_id=request.user.pk or 0).first()
    initial = {"accept_from": current.accept_from if current else AcceptFrom.EVERYONE}
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.set_accept_from(
                member=request.user, accept_from=form.cleaned_data["accept_from"]
            )
            messages.success(request, "Preference saved.")
            return HttpResponseRedirect(reverse("conversations:preferences"))
        return render(request, "conversations/preferences.html", {"form": form}, status=400)
    form = PreferenceForm(initial=initial)
    return render(request, "conversations/preferences.html", {"form": form})


# --- reports of messages -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    message, _place = _policy(request).ensure_message(pk)
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:2000]
        verdict = ratelimit.hit("report", str(request.user.pk))
        if not verdict.allowed:
            error = f"You are reporting too fast; wait {verdict.minutes} minute(s)."
        else:
            try:
                services.report_message(message=message, reporter=request.user, reason=reason)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request, "Thanks — the moderators will look at this message (only this one)."
                )
                return HttpResponseRedirect(message_location(message))
    return render(
        request,
        "conversations/report.html",
        {"message": message, "error": error, "reason": reason},
        status=400 if error else 200,
    )


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    _policy(request).ensure_handles_message_reports()
    reports = list(
        MessageReport.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "author")
        .order_by("created_at", "id")[:100]
    )
    return render(request, "conversations/reports.html", {"reports": reports})


@login_required
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request).ensure_handles_message_reports()
    found = MessageReport.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if found is None:
        raise Http404("No such report.")
    services.resolve_message_report(report=found, moderator=request.user)
    messages.success(request, "Report resolved.")
    return HttpResponseRedirect(reverse("conversations:reports"))
