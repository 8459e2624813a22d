"""The account page where a member creates, names, scopes and revokes API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = tokens.create_token(
                    member=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenForm()
        if not secret:
            status = 400
    context = {
        "form": form,
        "secret": secret,
        "tokens": list(tokens.active_tokens(request.user)),
    }
    # The new secret is in this one answer only: no cache may keep it.
    response = render(request, "api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if tokens.revoke_token(member=request.user, token_id=pk):
        messages.success(request, "Token revoked: it no longer works.")
    else:
        messages.error(request, "There is no such token to revoke.")
    return redirect("api:tokens")
