"""Clean failures: what a client gets when its request is malformed or the database is away.

* `RequestGuardMiddleware` refuses, in one place and before any view or database sees them,
  requests a view cannot use: NUL characters in the path, query or form (PostgreSQL refuses
  NUL in text, so they would end as a 500), bodies over the size limits (413), too many
  fields, bodies that do not decode (bad charset, invalid UTF-8, truncated). The answer is a
  short page saying what was wrong, and nothing changes. A cookie holding NUL is dropped.
* `csrf_failure` is the CSRF failure page, in Parley's words.
* `server_error` is Django's handler500: when the exception is the database being
  unreachable (`OperationalError`/`InterfaceError`, from any view or middleware) the member
  gets a 503 page with `Retry-After` instead of a 500.

Both pages are rendered without the request, so no context processor, session or user
look-up runs: they work while the database is down.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.template import loader

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Long enough for a database restart or a fail-over, short enough that a reader retrying by
# hand is not told to wait for nothing.
RETRY_AFTER_SECONDS = 10
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _page(template: str, status: int, context: dict[str, str] | None = None) -> HttpResponse:
    body = loader.get_template(template).render(context or {})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def refused(status: int, title: str, message: str) -> HttpResponse:
    return _page("refused.html", status, {"title": title, "message": message})


# The REST API's addresses answer in its one JSON error shape (docs/api.md), even when the
# request never reaches it; core builds the shape itself (it imports no app).
API_PREFIX = "/api/"
_API_CODES = {400: "bad_request", 413: "too_large", 500: "server_error", 503: "unavailable"}


def api_refused(status: int, message: str) -> HttpResponse:
    body = {"error": {"code": _API_CODES.get(status, "error"), "message": message, "fields": {}}}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_refused(status, message)
    return refused(status, title, message)


def service_unavailable() -> HttpResponse:
    response = _page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is styled inline (which the CSP blocks) and
    speaks to developers; members mostly meet this with a form left open across a sign-in."""
    return refused(
        403,
        "Form expired",
        "This form was opened before you signed in or out, or came from another site. "
        "Go back, reload the page and send it again.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside its `except`, so sys.exc_info() is the error."""
    api = request.path.startswith(API_PREFIX)
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        if not api:
            return service_unavailable()
        response = api_refused(503, "The database cannot be reached; try again shortly.")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return api_refused(500, "Something went wrong on our side; it has been logged.")
    return _page("500.html", 500)


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in pairs)


def _json_has_nul(body: bytes) -> bool:
    """A JSON body (the API's) with NUL raw or escaped: PostgreSQL refuses it in text."""
    return b"\x00" in body or b"\\u0000" in body


def _uploaded_names_have_nul(request: HttpRequest) -> bool:
    return any("\x00" in (f.name or "") for _, files in request.FILES.lists() for f in files)


def _body_is_short(request: HttpRequest) -> bool:
    """Did the body end before the Content-Length it announced (a dropped connection)?
    Django would parse what arrived and a post would lose its end without a word. Uploads
    (multipart) are streamed, not buffered, so only other bodies are measured."""
    if request.content_type == "multipart/form-data":
        return False
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return len(request.body) < announced


class RequestGuardMiddleware:
    """Refuses malformed requests with a clear 400/413 page (see the module docstring).

    It sits before the session and CSRF middleware, so it is the first to read the body:
    Django's own errors while parsing it become this module's pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        problem = self._problem(request)
        if problem is not None:
            return problem
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> HttpResponse | None:
        # A cookie with NUL in it is damaged, not an attack worth a page: forget it (the
        # session lookup would fail on PostgreSQL) and carry on as if it was not sent.
        for name, value in list(request.COOKIES.items()):
            if "\x00" in name or "\x00" in value:
                del request.COOKIES[name]
        if "\x00" in request.path:
            return _refusal(request, 400, "Bad address", "The address contains a NUL character.")
        try:
            if _has_nul(request.GET.lists()):
                return _refusal(
                    request, 400, "Bad address", "The address contains a NUL character."
                )
            if request.method in _BODY_METHODS:
                if _body_is_short(request):
                    return _refusal(
                        request, 400, "Bad form", "The form arrived incomplete; send it again."
                    )
                # (The site's other JSON endpoints refuse NUL in their own words.)
                api_json = request.path.startswith(API_PREFIX)
                if (
                    api_json
                    and request.content_type == "application/json"
                    and _json_has_nul(request.body)
                ):
                    return _refusal(
                        request, 400, "Bad request", "The request contains a NUL character."
                    )
                if _has_nul(request.POST.lists()) or _uploaded_names_have_nul(request):
                    return _refusal(request, 400, "Bad form", "The form contains a NUL character.")
        except RequestDataTooBig:
            return _refusal(
                request, 413, "Too large", "The form you sent is larger than this forum accepts."
            )
        except (TooManyFieldsSent, TooManyFilesSent):
            return _refusal(request, 400, "Bad form", "The form you sent has too many fields.")
        except (BadRequest, SuspiciousOperation, MultiPartParserError):
            return _refusal(
                request,
                400,
                "Bad form",
                "The form could not be read (send it as UTF-8 from the page itself).",
            )
        except (UnicodeError, ValueError, LookupError, OSError):
            # A body that ends early, does not decode, or names an encoding Python lacks.
            return _refusal(
                request, 400, "Bad form", "The form could not be read; it may be incomplete."
            )
        return None
