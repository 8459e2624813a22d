"""The push page (/account/push/), its JSON endpoints, and the service worker at /sw.js.

The JSON endpoints answer JSON in every case, errors included ({"error": "…"}), because
the page's script shows the message; the device list works without JavaScript.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from parley.members.models import Member

from . import keys, services
from .devices import devices_of, own_device
from .validation import (
    SubscriptionError,
    clean_user_agent,
    parse_subscription,
    parse_unsubscription,
)

SERVICE_WORKER = "webpush/sw.js"


def _member_json(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Signed-in members only; a guest gets a JSON 403 the script can show (not a redirect
    to the sign-in page, which a script cannot follow)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Sign in to receive notifications."}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _member(request: HttpRequest) -> Member:
    assert isinstance(request.user, Member)
    return request.user


@login_required
@require_safe
def devices(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "webpush/devices.html",
        {
            "devices": devices_of(request.user.pk or 0),
            "public_key": keys.current().public_key,
        },
    )


@require_POST
@_member_json
def subscribe(request: HttpRequest) -> JsonResponse:
    try:
        data = parse_subscription(request.body)
        subscription, created = services.subscribe(
            member=_member(request),
            data=data,
            user_agent=clean_user_agent(request.headers.get("User-Agent", "")),
        )
    except SubscriptionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"id": subscription.pk, "created": created}, status=201 if created else 200)


@require_POST
@_member_json
def unsubscribe(request: HttpRequest) -> JsonResponse:
    try:
        endpoint = parse_unsubscription(request.body)
    except SubscriptionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if not services.unsubscribe(member=_member(request), endpoint=endpoint):
        return JsonResponse({"error": "This browser is not among your devices."}, status=404)
    return JsonResponse({"removed": True})


@login_required
@require_POST
def remove_device(request: HttpRequest, pk: int) -> HttpResponse:
    device = own_device(request.user.pk or 0, pk)
    services.remove_device(subscription=device)
    messages.success(request, "Device removed: it receives no more notifications.")
    return HttpResponseRedirect(reverse("webpush:devices"))


@require_safe
def public_key(request: HttpRequest) -> JsonResponse:
    """The VAPID public key browsers subscribe with (the same for everyone)."""
    return JsonResponse({"publicKey": keys.current().public_key})


@functools.cache
def _service_worker_source() -> bytes:
    found = finders.find(SERVICE_WORKER)
    if not found:
        raise Http404("No service worker.")
    return Path(str(found)).read_bytes()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root, so the worker's scope is the whole site."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers re-check a worker at most daily anyway; this keeps an update from waiting.
    response["Cache-Control"] = "no-cache"
    return response
