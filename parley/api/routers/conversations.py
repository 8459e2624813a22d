"""Private conversations: list, start, read, reply, edit, react, report, invite, leave,
read/unread, star — what the /conversations/ pages let a participant do.

The one rule (parley/conversations/policy.py): only a current participant sees a
conversation or anything in it. Everyone else, staff included, and a member who left, gets
the same 404 as for a conversation or message that does not exist, from every route: each
one reaches its conversation through `ensure_participant` or its message through
`ensure_message`, as the views do, before anything else.

Reading through the API never marks a conversation read (a GET writes nothing): call
`POST /conversations/{id}/read`, as the conversation page does when it is opened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import F, FilteredRelation, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from parley.conversations import services
from parley.conversations.forms import parse_members
from parley.conversations.models import Conversation, Message, MessageReaction, Participant
from parley.conversations.policy import ConversationPolicy
from parley.forums.models import Post

from .. import auth, pagination
from ..common import ApiError, flood_check, guardian, me
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import Created, MemberBrief, Ok, Page
from .content import ComposeIn
from .forums import PageQuery

router = Router(tags=["conversations"])

# As many names as the pages' "To" and "Invite" fields take (conversations.forms).
MAX_NAMES = 50
Username = Annotated[str, Field(max_length=100)]


def _policy(request: HttpRequest) -> ConversationPolicy:
    return ConversationPolicy(guardian(request))


def _place(request: HttpRequest, conversation_id: int) -> Participant:
    """The caller's place in the conversation, or the 404 a missing one gets."""
    place = _policy(request).ensure_participant(conversation_id)
    place.member = me(request)  # the services read it; no query for it
    return place


def _message(request: HttpRequest, message_id: int) -> Message:
    message, _place = _policy(request).ensure_message(message_id)
    return message


def _members(names: list[str], field: str) -> list[Any]:
    """Usernames → members, with the pages' own parser and its messages."""
    try:
        return parse_members(" ".join(names), limit=MAX_NAMES)
    except ValidationError as exc:
        raise ApiError(
            400, "invalid", " ".join(exc.messages), fields={field: exc.messages}
        ) from None


def _ensure_may_write(request: HttpRequest) -> None:
    block = guardian(request).write_block_reason
    if block:
        raise ApiError(403, "forbidden", block)


def _count(request: HttpRequest, limit: str, what: str) -> None:
    """The pages' counter for reactions and reports, which they count for everyone."""
    flood_check(request, limit, what, exempt_staff=False)


# --- shapes --------------------------------------------------------------------------------


def conversation_url(conversation_id: int) -> str:
    return f"/conversations/{conversation_id}/"


def message_url(message_id: int) -> str:
    return f"/conversations/messages/{message_id}/"


class LastMessageOut(Schema):
    id: int
    url: str
    author: MemberBrief
    created_at: datetime


class ConversationOut(Schema):
    id: int
    title: str
    url: str
    starter: MemberBrief
    created_at: datetime
    last_message_at: datetime
    message_count: int
    last_message: LastMessageOut | None
    open_invite: bool = Field(description="Every participant may invite more members.")
    is_unread: bool
    is_starred: bool

    @staticmethod
    def of(
        conversation: Conversation,
        *,
        starter: Any,
        last_message: Message | None,
        is_unread: bool,
        is_starred: bool,
    ) -> ConversationOut:
        return ConversationOut(
            id=conversation.pk,
            title=conversation.title,
            url=conversation_url(conversation.pk),
            starter=MemberBrief.of(starter),
            created_at=conversation.created_at,
            last_message_at=conversation.last_message_at,
            message_count=conversation.message_count,
            last_message=LastMessageOut(
                id=last_message.pk,
                url=message_url(last_message.pk),
                author=MemberBrief.of(last_message.author),
                created_at=last_message.created_at,
            )
            if last_message is not None
            else None,
            open_invite=conversation.open_invite,
            is_unread=is_unread,
            is_starred=is_starred,
        )


class ParticipantOut(Schema):
    member: MemberBrief
    joined_at: datetime


class ConversationDetailOut(ConversationOut):
    participants: list[ParticipantOut] = Field(description="Who takes part now.")
    can_reply: bool
    can_invite: bool


class ReactionCount(Schema):
    type_id: int
    count: int


class MessageFlags(Schema):
    can_edit: bool
    can_react: bool
    can_report: bool


class MessageOut(Schema):
    id: int
    conversation_id: int
    url: str
    author: MemberBrief
    created_at: datetime
    edited_at: datetime | None
    revision: int
    format: str
    html: str
    text: str
    source: str | None = Field(description="Only when you may edit the message.")
    reactions: list[ReactionCount]
    my_reaction: int | None = Field(description="The type_id of your reaction, if any.")
    flags: MessageFlags


def _messages_out(request: HttpRequest, messages: list[Message]) -> list[MessageOut]:
    """The messages with their reactions: one query for the reactions of all of them."""
    policy = _policy(request)
    my_id = request.user.pk
    summary: dict[int, dict[int, int]] = {}
    own: dict[int, int] = {}
    for message_id, type_id, member_id, active in MessageReaction.objects.filter(
        message_id__in=[m.pk for m in messages]
    ).values_list("message_id", "type_id", "member_id", "type__is_active"):
        if active:
            counts = summary.setdefault(message_id, {})
            counts[type_id] = counts.get(type_id, 0) + 1
        if member_id == my_id:
            own[message_id] = type_id
    may_write = policy.guardian.may_write
    out = []
    for m in messages:
        can_edit = policy.can_edit_message(m)
        mine = m.author_id == my_id
        out.append(
            MessageOut(
                id=m.pk,
                conversation_id=m.conversation_id,
                url=message_url(m.pk),
                author=MemberBrief.of(m.author),
                created_at=m.created_at,
                edited_at=m.edited_at,
                revision=m.revision,
                format=m.format,
                html=m.cooked_html,
                text=m.plain_text,
                source=m.source if can_edit else None,
                reactions=[
                    ReactionCount(type_id=t, count=n)
                    for t, n in sorted(summary.get(m.pk, {}).items())
                ],
                my_reaction=own.get(m.pk),
                flags=MessageFlags(
                    can_edit=can_edit, can_react=may_write and not mine, can_report=not mine
                ),
            )
        )
    return out


# --- the caller's conversations ------------------------------------------------------------


class ListQuery(PageQuery):
    starred: bool = Field(False, description="Only the conversations you starred.")


@router.get(
    "",
    response={200: Page[ConversationOut], **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Your conversations, newest activity first",
)
def list_conversations(request: HttpRequest, q: Query[ListQuery]) -> Page[ConversationOut]:
    my_id = request.user.pk
    mine = Q(mine__member_id=my_id, mine__left_at__isnull=True)
    if q.starred:
        mine &= Q(mine__is_starred=True)
    rows = (
        Conversation.objects.annotate(
            mine=FilteredRelation("participants", condition=Q(participants__member_id=my_id))
        )
        .filter(mine)
        .annotate(my_unread=F("mine__is_unread"), my_star=F("mine__is_starred"))
        .select_related("starter", "last_message__author")
    )
    items, cursor = pagination.page(
        rows, order=["-last_message_at", "-id"], cursor=q.cursor, limit=q.limit
    )
    return Page[ConversationOut](
        items=[
            ConversationOut.of(
                c,
                starter=c.starter,
                last_message=c.last_message,
                is_unread=c.my_unread,
                is_starred=c.my_star,
            )
            for c in items
        ],
        next_cursor=cursor,
    )


class StartIn(ComposeIn):
    title: str = Field(max_length=500)
    recipients: list[Username] = Field(
        max_length=MAX_NAMES, description="Usernames of the members to write to."
    )
    open_invite: bool = Field(False, description="Every participant may invite more members.")


@router.post(
    "",
    response={201: Created, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Start a conversation",
)
def start(request: HttpRequest, payload: StartIn) -> Status[Created]:
    _ensure_may_write(request)
    recipients = _members(payload.recipients, "recipients")
    flood_check(request, "conversation", "starting conversations")
    try:
        conversation = services.start_conversation(
            starter=request.user,
            recipients=recipients,
            title=payload.title,
            source=payload.source,
            fmt=payload.format,
            open_invite=payload.open_invite,
            token=payload.idempotency_key,
            starter_is_staff=guardian(request).is_staff,
        )
    except services.DuplicateSubmission as exc:
        raise _duplicate(exc) from None
    return Status(
        201, Created(id=conversation.pk, url=conversation_url(conversation.pk), state="visible")
    )


def _duplicate(exc: services.DuplicateSubmission) -> ApiError:
    return ApiError(
        409,
        "duplicate",
        "That idempotency key was already used for a different message; use a new key.",
    )


# --- one conversation ------------------------------------------------------------------------


@router.get(
    "/{conversation_id}",
    response={200: ConversationDetailOut, **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="One conversation, who takes part, and what you may do",
)
def get_conversation(request: HttpRequest, conversation_id: int) -> ConversationDetailOut:
    place = _place(request, conversation_id)
    conversation = place.conversation
    # Every place ever held (a starter who left still names the conversation's starter).
    places = list(
        Participant.objects.filter(conversation=conversation)
        .select_related("member")
        .order_by("joined_at", "id")
    )
    starter = (
        next((p.member for p in places if p.member_id == conversation.starter_id), None)
        or Conversation.objects.select_related("starter").get(pk=conversation.pk).starter
    )
    last = (
        Message.objects.select_related("author").filter(pk=conversation.last_message_id).first()
        if conversation.last_message_id
        else None
    )
    policy = _policy(request)
    return ConversationDetailOut(
        **ConversationOut.of(
            conversation,
            starter=starter,
            last_message=last,
            is_unread=place.is_unread,
            is_starred=place.is_starred,
        ).dict(),
        participants=[
            ParticipantOut(member=MemberBrief.of(p.member), joined_at=p.joined_at)
            for p in places
            if p.left_at is None
        ],
        can_reply=policy.guardian.may_write,
        can_invite=policy.can_invite(place),
    )


@router.get(
    "/{conversation_id}/messages",
    response={200: Page[MessageOut], **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Messages of a conversation, oldest first",
)
def list_messages(
    request: HttpRequest, conversation_id: int, q: Query[PageQuery]
) -> Page[MessageOut]:
    place = _place(request, conversation_id)
    rows = Message.objects.filter(conversation=place.conversation).select_related("author")
    items, cursor = pagination.page(rows, order=["id"], cursor=q.cursor, limit=q.limit)
    return Page[MessageOut](items=_messages_out(request, items), next_cursor=cursor)


@router.post(
    "/{conversation_id}/messages",
    response={201: Created, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Reply in a conversation",
)
def reply(request: HttpRequest, conversation_id: int, payload: ComposeIn) -> Status[Created]:
    place = _place(request, conversation_id)
    _ensure_may_write(request)
    flood_check(request, "conversation_reply", "replying")
    try:
        message = services.reply_to_conversation(
            place=place, source=payload.source, fmt=payload.format, token=payload.idempotency_key
        )
    except services.DuplicateSubmission as exc:
        raise _duplicate(exc) from None
    return Status(201, Created(id=message.pk, url=message_url(message.pk), state="visible"))


class InviteIn(Schema):
    usernames: list[Username] = Field(max_length=MAX_NAMES)


class InvitedOut(Schema):
    invited: list[MemberBrief]


@router.post(
    "/{conversation_id}/invite",
    response={200: InvitedOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Invite members (the starter, or anyone when the conversation is open)",
)
def invite(request: HttpRequest, conversation_id: int, payload: InviteIn) -> InvitedOut:
    place = _place(request, conversation_id)
    policy = _policy(request)
    if not policy.can_invite(place):
        raise ApiError(
            403,
            "forbidden",
            policy.write_block_reason
            or "Only the starter of this conversation may invite members.",
        )
    members = _members(payload.usernames, "usernames")
    services.invite_to_conversation(
        place=place, members=members, inviter_is_staff=policy.guardian.is_staff
    )
    return InvitedOut(invited=[MemberBrief.of(m) for m in members])


@router.post(
    "/{conversation_id}/leave",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Leave the conversation (an invitation brings you back)",
)
def leave(request: HttpRequest, conversation_id: int) -> Ok:
    services.leave_conversation(place=_place(request, conversation_id))
    return Ok()


@router.post(
    "/{conversation_id}/read",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark the conversation read",
)
def mark_read(request: HttpRequest, conversation_id: int) -> Ok:
    services.mark_read(place=_place(request, conversation_id))
    return Ok()


@router.post(
    "/{conversation_id}/unread",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark the conversation unread",
)
def mark_unread(request: HttpRequest, conversation_id: int) -> Ok:
    services.mark_unread(place=_place(request, conversation_id))
    return Ok()


@router.put(
    "/{conversation_id}/star",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Star the conversation",
)
def star(request: HttpRequest, conversation_id: int) -> Ok:
    services.set_star(place=_place(request, conversation_id), starred=True)
    return Ok()


@router.delete(
    "/{conversation_id}/star",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Take the star off the conversation",
)
def unstar(request: HttpRequest, conversation_id: int) -> Ok:
    services.set_star(place=_place(request, conversation_id), starred=False)
    return Ok()


# --- one message -------------------------------------------------------------------------------


class MessageEditIn(Schema):
    source: str
    format: Post.Format | None = None
    reason: str = Field("", max_length=300, description="Shown in the message's history.")
    base_revision: int | None = Field(
        None, ge=1, description="The revision you edited; 409 if the message changed since."
    )


@router.patch(
    "/messages/{message_id}",
    response={200: MessageOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Edit your message",
)
def edit_message(request: HttpRequest, message_id: int, payload: MessageEditIn) -> MessageOut:
    message = _message(request, message_id)
    policy = _policy(request)
    if not policy.can_edit_message(message):
        raise ApiError(
            403, "forbidden", policy.write_block_reason or "Only its author can edit a message."
        )
    try:
        edited = services.edit_message(
            message=message,
            editor=request.user,
            source=payload.source,
            fmt=payload.format or message.format,
            reason=payload.reason,
            base_revision=payload.base_revision,
        )
    except services.EditConflict:
        raise ApiError(
            409,
            "edit_conflict",
            "The message changed since you opened the editor; compare your text with the "
            "current message and save again.",
        ) from None
    edited.author = message.author
    return _messages_out(request, [edited])[0]


class MessageReactionIn(Schema):
    type_id: int = Field(description="One of /api/v1/reaction-types")


def _react(request: HttpRequest, message_id: int, type_id: int | None) -> Ok:
    message = _message(request, message_id)
    _ensure_may_write(request)
    _count(request, "reaction", "reacting")
    services.react_to_message(message=message, member=request.user, type_id=type_id)
    return Ok()


@router.put(
    "/messages/{message_id}/reaction",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Set your reaction to a message",
)
def react(request: HttpRequest, message_id: int, payload: MessageReactionIn) -> Ok:
    return _react(request, message_id, payload.type_id)


@router.delete(
    "/messages/{message_id}/reaction",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Take back your reaction to a message",
)
def unreact(request: HttpRequest, message_id: int) -> Ok:
    return _react(request, message_id, None)


class MessageReportIn(Schema):
    reason: str = Field(max_length=2000, description="What is wrong with this message.")


class MessageReportOut(Schema):
    report_id: int


@router.post(
    "/messages/{message_id}/reports",
    response={201: MessageReportOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Report a message to the moderators (they see this message only)",
)
def report(
    request: HttpRequest, message_id: int, payload: MessageReportIn
) -> Status[MessageReportOut]:
    message = _message(request, message_id)
    _count(request, "report", "reporting")
    found = services.report_message(message=message, reporter=request.user, reason=payload.reason)
    return Status(201, MessageReportOut(report_id=found.pk))
