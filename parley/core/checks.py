"""System checks for running Parley on several app servers (docs/servers.md). Django runs
them before `parley serve`, `migrate` and the other commands, and refuses to go on when one
fails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def secret_key_from_environment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.PARLEY_MULTI_SERVER and not settings.PARLEY_SECRET_KEY_FROM_ENV:
        return [
            Error(
                "Several app servers (PARLEY_REDIS_URL or PARLEY_MULTI_SERVER is set) need one "
                "secret key shared by all of them, but PARLEY_SECRET_KEY is not set.",
                hint="Set PARLEY_SECRET_KEY to the same long random value on every server, "
                "e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="parley.E001",
            )
        ]
    return []
