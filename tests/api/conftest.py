"""API fixtures: a token client (Authorization: Bearer …) for any member and scopes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from parley.api import tokens
from parley.members.models import Member


class TokenClient(Client):
    def __init__(self, secret: str) -> None:
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def token_client() -> Callable[..., TokenClient]:
    def make(member: Member, *scopes: str) -> TokenClient:
        _token, secret = tokens.create_token(
            member=member, name="test", scopes=scopes or ("read", "write")
        )
        return TokenClient(secret)

    return make
