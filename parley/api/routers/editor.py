"""The editor's live preview: a message cooked exactly as posting it would cook it (the same
form, cooker and rate limit as /editor/preview/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from parley.core import ratelimit
from parley.editor.forms import PreviewForm
from parley.forums import hooks
from parley.forums.cooking import cook_post
from parley.forums.models import Post

from .. import auth
from ..common import ApiError
from ..errors import WRITE_ERRORS
from ..models import Scope

router = Router(tags=["editor"])


class PreviewIn(Schema):
    source: str = Field(description="The message, in BBCode or Markdown (`format`).")
    format: Post.Format = Post.Format.BBCODE
    token: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{32}$",
        description="The compose form's upload token: its attachments show as in the post.",
    )


class PreviewOut(Schema):
    html: str = Field(description="Sanitized HTML, as the post would show.")


@router.post(
    "/preview",
    response={200: PreviewOut, **WRITE_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Preview a message: the HTML it would be posted as (writes nothing)",
)
def preview(request: HttpRequest, payload: PreviewIn) -> PreviewOut:
    # The editor's own limit, counted as the page counts it (no one is exempt).
    verdict = ratelimit.hit("preview", str(request.user.pk))
    if not verdict.allowed:
        minutes = verdict.minutes
        raise ApiError(
            429,
            "rate_limited",
            f"You are previewing too fast; wait {minutes} minute{'s' if minutes != 1 else ''} "
            "and try again.",
            retry_after=verdict.retry_after,
        )
    form = PreviewForm(
        {"source": payload.source, "format": payload.format, "token": payload.token or ""}
    )
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        raise ApiError(400, "invalid", "The preview was not made; see fields.", fields=fields)
    source = form.cleaned_data["source"]
    if not source.strip():
        return PreviewOut(html="")
    token = form.cleaned_data["token"] or None
    member: Any = request.user
    attachments = hooks.attachments_for(member.pk, token, None) if token else None
    cooked, _ = cook_post(source, form.cleaned_data["format"], attachments=attachments)
    return PreviewOut(html=cooked.html)
