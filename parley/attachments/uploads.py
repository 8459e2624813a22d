"""Refusing an over-size upload before its body is read (413).

`UploadLimitMiddleware` sits before the first middleware that reads the body
(core.failures.RequestGuardMiddleware). For the upload addresses it refuses a declared
Content-Length over the cap at once, and otherwise puts `CappedUploadHandler` first, which
counts the bytes as they stream in and stops at the cap — a body sent without a length, or
with a false one, is cut off there too. The member's own (group) limit, usually lower, is
checked by the view from the file's size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from parley.core.failures import API_PREFIX, api_refused

from .quotas import hard_cap_bytes

# The draft addresses take files too: the compose form's no-JavaScript "Upload" button
# sends them there with the text (docs/attachments.md).
# The REST API's upload (POST /api/v1/attachments, docs/api.md) is one of them.
UPLOAD_PATHS = ("/attachments/upload/", "/account/avatar/", "/draft/", "/api/v1/attachments")


class CappedUploadHandler(FileUploadHandler):
    """Counts file bytes across the request and raises RequestDataTooBig past `cap`."""

    def __init__(self, request: Any = None, cap: int = 0) -> None:
        super().__init__(request)
        self.cap = cap
        self.received = 0

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.cap:
            raise RequestDataTooBig("The file is larger than this forum accepts.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large(api: bool = False) -> HttpResponse:
    cap = hard_cap_bytes()
    message = f"The file is larger than this forum accepts (at most {cap / 1e6:.0f} MB)."
    if api:  # the API's one JSON error shape
        response = api_refused(413, message)
        response["Connection"] = "close"
        return response
    return HttpResponse(
        message,
        status=413,
        content_type="text/plain; charset=utf-8",
        headers={"Connection": "close"},
    )


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and request.path.endswith(UPLOAD_PATHS):
            cap = hard_cap_bytes()
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > cap:
                return too_large(
                    request.path.startswith(API_PREFIX)
                )  # not one byte of the body read
            request.upload_handlers = [CappedUploadHandler(request, cap), *request.upload_handlers]
        return self.get_response(request)
