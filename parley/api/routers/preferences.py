"""Your settings pages not covered elsewhere: the members you ignore (/account/ignored/) and
who may start conversations with you (/conversations/preferences/), through the same
query and service."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from parley.conversations import services as conversation_services
from parley.conversations.models import AcceptFrom, ConversationPreference
from parley.people import queries as people_queries

from .. import auth
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import MemberBrief

router = Router(tags=["members"])


@router.get(
    "/me/ignored",
    response={200: list[MemberBrief], **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="The members you ignore, by name",
)
def ignored(request: HttpRequest) -> list[MemberBrief]:
    return [MemberBrief.of(m) for m in people_queries.ignored_members(request.user)]


class ConversationPreferencesOut(Schema):
    accept_from: Literal["everyone", "nobody"] = Field(
        description="Who may start a conversation with you (staff always may)."
    )


class ConversationPreferencesIn(Schema):
    accept_from: Literal["everyone", "nobody"]


def _current(member: Any) -> ConversationPreferencesOut:
    row = ConversationPreference.objects.filter(member_id=member.pk).first()
    return ConversationPreferencesOut(
        accept_from=row.accept_from if row else AcceptFrom.EVERYONE.value  # type: ignore[arg-type]
    )


@router.get(
    "/me/conversation-preferences",
    response={200: ConversationPreferencesOut, **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Who may start conversations with you",
)
def get_conversation_preferences(request: HttpRequest) -> ConversationPreferencesOut:
    return _current(request.user)


@router.put(
    "/me/conversation-preferences",
    response={200: ConversationPreferencesOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Choose who may start conversations with you",
)
def set_conversation_preferences(
    request: HttpRequest, payload: ConversationPreferencesIn
) -> ConversationPreferencesOut:
    conversation_services.set_accept_from(member=request.user, accept_from=payload.accept_from)
    return ConversationPreferencesOut(accept_from=payload.accept_from)
