"""/alerts/ (the list, open one, mark read), /account/alerts/ (preferences) and the
one-click unsubscribe. Views check input and call the services; what a member may not see
(someone else's alert, content hidden from them since) is a 404 or simply not listed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.forums.queries import paginate
from parley.permissions.guardian import Guardian

from . import kinds, listing, preferences, services, texts
from .mail import DIGEST, read_token
from .models import Alert, Digest

PER_PAGE = 25


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    member: Any = request.user
    page = paginate(listing.listed(member), PER_PAGE, request.GET.get("page"))
    guardian = Guardian.for_request(request)
    rows = listing.rows(listing.visible(guardian, list(page.object_list)))
    return render(request, "alerts/list.html", {"page": page, "rows": rows})


def _own_alert(request: HttpRequest, pk: int) -> Alert:
    alert = listing.own_alert(Guardian.for_request(request), pk)
    if alert is None:
        raise Http404("No such alert.")
    return alert


@login_required
@require_safe
def open_alert(request: HttpRequest, pk: int) -> HttpResponse:
    """Following an alert marks it read and leads to what it is about."""
    alert = _own_alert(request, pk)
    services.mark_read(member=request.user, alert=alert)
    return HttpResponseRedirect(
        texts.url(alert.kind, post_id=alert.post_id, message_id=alert.message_id)
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _own_alert(request, pk)
    services.mark_read(member=request.user, alert=alert)
    return HttpResponseRedirect(reverse("alerts:list"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = services.mark_all_read(member=request.user)
    messages.success(request, f"Marked {n} alert{'s' if n != 1 else ''} read.")
    return HttpResponseRedirect(reverse("alerts:list"))


def _pref_rows(choices: dict[str, preferences.Choice]) -> list[dict[str, Any]]:
    return [{"kind": k, "label": kinds.LABELS[k], "choice": choices[k]} for k in kinds.ALL]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preference_page(request: HttpRequest) -> HttpResponse:
    member: Any = request.user
    if request.method == "POST":
        digest = request.POST.get("digest", "")
        posted = set(request.POST.getlist("on"))
        valid = {f"{k}:{c}" for k in kinds.ALL for c in kinds.CHANNELS}
        if digest not in Digest.values or posted - valid:
            messages.error(request, "Those choices were not understood; nothing was changed.")
            status = 400
        else:
            choices = {
                k: preferences.Choice(*(f"{k}:{c}" in posted for c in kinds.CHANNELS))
                for k in kinds.ALL
            }
            preferences.set_preferences(member=member, choices=choices)
            preferences.set_digest(member=member, digest=digest)
            messages.success(request, "Alert preferences saved.")
            return HttpResponseRedirect(reverse("alerts:preferences"))
    else:
        status = 200
    context = {
        "rows": _pref_rows(preferences.member_choices(member.pk)),
        "digest": preferences.digest_of(member.pk),
        "digests": Digest.choices,
    }
    return render(request, "alerts/preferences.html", context, status=status)


def _mail_label(mail_type: str) -> str:
    """The preference row's own label, quoted as it stands on the preferences page: "Someone
    @mentions you" reads wrongly after "e-mail about" once lower-cased."""
    return "Digests of watched threads" if mail_type == DIGEST else kinds.LABELS[mail_type]


@csrf_exempt  # RFC 8058: mail clients POST here without a session or a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button; POST: that mail type is off. The signed token is the only
    credential; it names the member and the mail type and changes nothing else."""
    found = read_token(token)
    member = None
    if found is not None:
        member = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if found is None or member is None:
        return render(request, "alerts/unsubscribe_bad.html", status=400)
    mail_type = found[1]
    if mail_type != DIGEST and mail_type not in kinds.LABELS:
        return render(request, "alerts/unsubscribe_bad.html", status=400)
    if request.method == "POST":
        try:
            if mail_type == DIGEST:
                preferences.set_digest(member=member, digest=Digest.OFF)
            else:
                preferences.set_channel(member=member, kind=mail_type, channel="email", on=False)
        except ValidationError:
            return render(request, "alerts/unsubscribe_bad.html", status=400)
        return render(
            request, "alerts/unsubscribe.html", {"done": True, "label": _mail_label(mail_type)}
        )
    if mail_type == DIGEST:
        already_off = preferences.digest_of(member.pk) == Digest.OFF
    else:
        already_off = not preferences.member_choices(member.pk)[mail_type].email
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "done": False,
            "already_off": already_off,
            "label": _mail_label(mail_type),
            "token": token,
        },
    )
