"""A fake push service on 127.0.0.1 that the forum may send to (only in these tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from parley.webpush import keys

from .pushservice import FakePushService, running_push_service


@pytest.fixture(autouse=True)
def fresh_vapid_keys() -> Iterator[None]:
    """The generated key pair lives in a table that rolls back with each test."""
    keys.forget()
    yield
    keys.forget()


@pytest.fixture
def push_service(settings: Any, db: None) -> Iterator[FakePushService]:
    with running_push_service() as service:
        # The test-only hatches: the fetcher may reach this port on 127.0.0.1, and
        # 127.0.0.1 counts as a push service. Production settings never hold either.
        settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {service.port}
        settings.PARLEY_PUSH_SERVICE_HOSTS = [*settings.PARLEY_PUSH_SERVICE_HOSTS, "127.0.0.1"]
        service.forum_public_key = keys.current().public_key
        yield service
