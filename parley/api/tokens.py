"""Token services: create, revoke, and find the token a request presents. The one write path
for ApiToken rows (the account page, the admin and the API itself call these)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parley.core import writebuffer

from .models import ApiToken, Scope

SECRET_PREFIX = "parley_"
MAX_ACTIVE_TOKENS = 20


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_tokens(member: Any) -> Any:
    return ApiToken.objects.filter(member=member, revoked_at__isnull=True)


def create_token(*, member: Any, name: str, scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is shown once and never stored."""
    name = name.strip()
    wanted = sorted(set(scopes))
    if not name:
        raise ValidationError("Give the token a name, so you can tell it from the others.")
    if len(name) > 100:
        raise ValidationError("A token's name is at most 100 characters.")
    if not wanted:
        raise ValidationError("Choose at least one scope.")
    if unknown := [s for s in wanted if s not in Scope.values]:
        raise ValidationError(f"Unknown scope: {', '.join(unknown)}.")
    if Scope.WRITE in wanted and Scope.READ not in wanted:
        wanted = sorted({*wanted, Scope.READ})  # writing needs reading what you write to
    with transaction.atomic():
        # Lock the member's row so two requests cannot both take the last free place.
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        if active_tokens(member).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                f"You have {MAX_ACTIVE_TOKENS} tokens already; revoke one you no longer use."
            )
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            member=member,
            name=name,
            prefix=secret[: len(SECRET_PREFIX) + 6],
            digest=digest_of(secret),
            scopes=wanted,
            created_at=timezone.now(),
        )
    return token, secret


def revoke_token(*, member: Any, token_id: int) -> bool:
    """Revoke one of the member's own tokens; False when there is no such active token."""
    changed = active_tokens(member).filter(pk=token_id).update(revoked_at=timezone.now())
    return bool(changed)


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret and its (active) member, or None. One query."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("member")
        .filter(digest=digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.member.is_active:
        return None
    return token


def _flush_last_used(items: dict[int, datetime]) -> None:
    for token_id, moment in items.items():
        ApiToken.objects.filter(pk=token_id).update(last_used_at=moment)


# "Last used" is noted in memory and written in batches: reading through the API is a GET
# and no GET writes to the database (docs/caching.md); it may lag by the flush interval.
last_used = writebuffer.register(
    writebuffer.Buffer("api_token_last_used", merge=max, flush=_flush_last_used)
)


def note_use(token: ApiToken) -> None:
    last_used.add(token.pk, timezone.now())
