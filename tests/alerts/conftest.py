from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from parley.alerts import channels
from parley.alerts.channels import Notice


class Recorder:
    """A test channel: records the notices it is handed."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def __call__(self, notices: list[Notice]) -> None:
        self.notices.extend(notices)

    def for_member(self, member_id: int) -> list[Notice]:
        return [n for n in self.notices if n.member_id == member_id]


@pytest.fixture
def test_channel() -> Iterator[Recorder]:
    recorder = Recorder()
    channels.register_channel("test", recorder)
    yield recorder
    channels.unregister_channel("test")


@pytest.fixture
def push_channel() -> Iterator[Recorder]:
    """Stands in for the real push channel, which is put back afterwards."""
    recorder = Recorder()
    real = channels.channels().get("push")
    channels.register_channel("push", recorder)
    yield recorder
    channels.unregister_channel("push")
    if real is not None:
        channels.register_channel("push", real)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a write and let its events be delivered, as after a real commit."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


# The real SMTP listener of the password-reset tests (aiosmtpd on 127.0.0.1).
from tests.members.test_password_reset import Inbox, smtp  # noqa: E402, F401

__all__ = ["Inbox", "Recorder"]
