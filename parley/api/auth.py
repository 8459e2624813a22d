"""Who is calling: a personal API token (`Authorization: Bearer parley_…`), the browser
session (CSRF checked on writes, as on the pages), or a guest where guests may read.

A token names its scopes; an operation asks for one (read, write or moderate). A token
that is wrong or revoked is a 401 even where guests may read, so a script never quietly
carries on as a guest; a token without the scope an operation needs is a 403. What the
caller may see or do is then the Guardian's to say, exactly as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from . import tokens
from .models import Scope


class TokenAuth(HttpBearer):
    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.token_for_secret(token.strip())
        if found is None:
            raise AuthenticationError(message="That API token is not valid, or it was revoked.")
        if not found.allows(self.scope):
            raise PermissionDenied(f"This API token does not have the {self.scope} scope.")
        request.user = found.member
        request.api_token = found  # type: ignore[attr-defined]
        tokens.note_use(found)
        return found


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked for unsafe methods (ninja's cookie
    auth does it). A request that carries a token is the token's, never the session's."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "authorization" in request.headers:
            return None
        user: Any = request.user
        return user if user.is_authenticated else None


class Guest:
    """Anyone, for operations guests may use; the Guardian still filters what they see.
    Not a security scheme: the OpenAPI document shows it as the empty requirement `{}`
    (site.ParleyAPI adds it)."""

    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers:
            return None  # TokenAuth already refused it, or it is not a Bearer token
        request.user = getattr(request, "user", None) or AnonymousUser()
        return "guest"


session = SessionAuth()


def readers() -> list[Any]:
    return [TokenAuth(Scope.READ), session, Guest()]


def members(scope: str) -> list[Any]:
    return [TokenAuth(scope), session]
