"""A conversation between alice (starter) and bob; carol is a member outside it."""

from __future__ import annotations

import pytest

from parley.conversations import services
from parley.conversations.models import Conversation
from parley.members.models import Member
from tests.factories import MemberFactory


@pytest.fixture
def carol(db) -> Member:
    return MemberFactory(username="carol")


@pytest.fixture
def talk(member: Member, other: Member) -> Conversation:
    return services.start_conversation(
        starter=member,
        recipients=[other],
        title="Border crossing",
        source="First [b]hello[/b]",
        fmt="bbcode",
    )
