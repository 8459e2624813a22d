"""One error shape for every API failure (docs/api.md):

    {"error": {"code": "not_found", "message": "No such thread.", "fields": {}}}

`code` is stable and meant for programs; `message` is the same sentence the pages show;
`fields` names the input fields at fault, each with its messages, when there are any.
A 429 also says Retry-After. Nothing here decides anything: the services and the Guardian
raise, this only translates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """An answer other than success, raised from a route: `ApiError(409, "conflict", …)`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after


# Every operation documents these, so a client (and schemathesis) knows their shape.
COMMON_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    # The database out of reach (core.failures): try again after Retry-After.
    503: ErrorOut,
}
WRITE_ERRORS: dict[int, Any] = {**COMMON_ERRORS, 409: ErrorOut}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = api.create_response(request, body, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(max(1, retry_after))
    return response


_LOCATIONS = ("body", "query", "path", "header", "form", "file", "cookie")


def _field_name(loc: Any) -> str:
    # ninja's locations look like ("body", "payload", "source") or, for an upload,
    # ("file", "file"): the first part says where, the rest name the field.
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    parts = [p for p in parts if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "body"


def _message(exc: Exception, default: str) -> str:
    text = str(exc.args[0]) if exc.args and exc.args[0] else ""
    return text or default


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn each failure into the one shape."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            api, request, exc.status, exc.code, exc.message, exc.fields, exc.retry_after
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _message(exc, "Not found."))

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", _message(exc, "You may not do that."))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message
        if message == "Unauthorized":
            message = "Sign in, or send a personal API token: Authorization: Bearer <token>."
        response = error_response(api, request, 401, "unauthenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="parley"'
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            fields.setdefault(_field_name(item.get("loc", ())), []).append(
                str(item.get("msg", "Invalid value."))
            )
        return error_response(
            api, request, 422, "invalid", "Some of the input is not valid; see fields.", fields
        )

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                fields[name] = [m for error in errors for m in error.messages]
        message = " ".join(exc.messages) or "That was not accepted."
        return error_response(api, request, 400, "invalid", message, fields)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and "CSRF" in str(exc.message):
            return error_response(
                api,
                request,
                403,
                "csrf_failed",
                "A write through the browser session needs the CSRF token (X-CSRFToken); "
                "scripts should use an API token instead.",
            )
        code = {400: "bad_request", 405: "method_not_allowed", 415: "unsupported_media_type"}
        return error_response(
            api, request, exc.status_code, code.get(exc.status_code, "error"), str(exc.message)
        )
