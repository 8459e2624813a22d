"""Members: the member list and name search, public profiles, your own account and its
edits, follow and ignore, a member's recent posts. The same queries and services as the
/members/ pages (members.views, people.views)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django_countries import countries
from ninja import Query, Router, Schema
from pydantic import Field

from parley.attachments.templatetags.avatars import avatar_url
from parley.engagement import queries as engagement_queries
from parley.engagement import services as engagement_services
from parley.forums.models import Post
from parley.members import services
from parley.members.models import Member
from parley.members.titles import Ladder, rank_title
from parley.people import queries as people_queries
from parley.people import services as people_services
from parley.people.models import FieldValue

from .. import auth, pagination
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import Ok, Page
from .forums import PageQuery

router = Router(tags=["members"])
me_router = Router(tags=["members"])

MAX_NAME_PREFIX = 30
EXCERPT_CHARS = 200

# ?sort= -> keyset order over plain columns (the last field unique). "name" orders by the
# name as stored, which differs from the page's case-blind order only for capital letters.
SORTS: dict[str, list[str]] = {
    "messages": ["-message_count", "id"],
    "reactions": ["-reaction_score", "id"],
    "joined": ["-date_joined", "-id"],
    "name": ["username", "id"],
}


def _member(username: str) -> Member:
    """An active member by name (any case), or 404, as the profile page finds them."""
    return get_object_or_404(Member, username__iexact=username, is_active=True)


class MemberOut(Schema):
    id: int
    username: str
    url: str
    title: str = Field(description="The custom title, else the rank title of the ladder.")
    joined: datetime
    message_count: int
    reaction_score: int
    country: str | None = Field(None, description="ISO 3166 code, or null.")
    is_banned: bool | None = Field(
        None, description="Only for those who may ban members (the list marks them)."
    )

    @staticmethod
    def of(member: Any, ladder: Ladder, *, marks_banned: bool) -> MemberOut:
        return MemberOut(
            id=member.pk,
            username=member.username,
            url=f"/members/{member.username}/",
            title=rank_title(member, ladder),
            joined=member.date_joined,
            message_count=member.message_count,
            reaction_score=member.reaction_score,
            country=member.country.code or None,
            is_banned=member.is_banned if marks_banned else None,
        )


class MemberListQuery(PageQuery):
    q: str = Field(
        "", max_length=MAX_NAME_PREFIX, description="Names starting with this (any case)."
    )
    sort: Literal["messages", "reactions", "joined", "name"] = "messages"


@router.get(
    "",
    response={200: Page[MemberOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Members, or those whose name starts with ?q=",
)
def list_members(request: HttpRequest, q: Query[MemberListQuery]) -> Page[MemberOut]:
    g = guardian(request)
    rows = people_queries.member_list(
        sort=q.sort,
        name_prefix=q.q.strip(),
        guardian=g,
    )
    items, cursor = pagination.page(rows, order=SORTS[q.sort], cursor=q.cursor, limit=q.limit)
    ladder = Ladder.load()
    marks_banned = g.can_ban_members()
    return Page[MemberOut](
        items=[MemberOut.of(m, ladder, marks_banned=marks_banned) for m in items],
        next_cursor=cursor,
    )


class FieldOut(Schema):
    label: str
    value: str


class StaffFacts(Schema):
    """What the profile's staff panel shows to those who may ban."""

    is_banned: bool
    banned_until: datetime | None
    ban_reason: str
    warning_points: int
    warning_action: str
    signup_ip: str | None


class ProfileOut(MemberOut):
    avatar_url: str
    country_name: str | None
    location: str
    about: str
    signature_html: str | None = Field(
        None, description="Null where signatures are not shown to you (guests, by setting)."
    )
    card_fields: list[FieldOut] = Field(description="The custom fields the member card shows.")
    fields: list[FieldOut] = Field(description="Every custom field the profile shows.")
    followers: int
    following: int
    last_seen: datetime | None = Field(
        None, description="Null when the member hides it (they and admins still see it)."
    )
    hidden_online: bool
    you_follow: bool
    you_ignore: bool
    can_follow: bool
    can_ignore: bool
    staff: StaffFacts | None = None


@router.get(
    "/{username}",
    response={200: ProfileOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="A member's public profile",
)
def get_profile(request: HttpRequest, username: str) -> ProfileOut:
    member = _member(username)
    g = guardian(request)
    panel = people_queries.people_panel(member, g)
    is_self = g.is_member and request.user.pk == member.pk
    staff = None
    if g.can_ban_members() and not is_self:
        staff = StaffFacts(
            is_banned=member.is_banned,
            banned_until=member.banned_until,
            ban_reason=member.ban_reason,
            warning_points=member.warning_points,
            warning_action=member.warning_action,
            signup_ip=member.signup_ip,
        )
    card = MemberOut.of(member, Ladder.load(), marks_banned=False)
    return ProfileOut(
        **card.dict(exclude={"is_banned"}),
        avatar_url=avatar_url(member, 96),
        country_name=member.country.name or None,
        location=member.location,
        about=member.about,
        signature_html=member.signature_html if g.sees_signatures else None,
        card_fields=[FieldOut(label=label, value=value) for label, value in member.card_fields],
        fields=[FieldOut(label=label, value=value) for label, value in panel.fields],
        followers=panel.followers,
        following=panel.following,
        last_seen=panel.last_seen,
        hidden_online=panel.hidden_online,
        you_follow=panel.follows,
        you_ignore=panel.ignores,
        can_follow=panel.can_follow,
        can_ignore=panel.can_ignore,
        staff=staff,
    )


class MemberPostOut(Schema):
    id: int
    url: str
    thread_id: int
    thread_title: str
    created_at: datetime
    excerpt: str


@router.get(
    "/{username}/posts",
    response={200: Page[MemberPostOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="A member's posts that you may read, newest first",
)
def member_posts(request: HttpRequest, username: str, q: Query[PageQuery]) -> Page[MemberPostOut]:
    member = _member(username)
    rows = guardian(request).visible_posts(Post.objects.filter(author=member))
    rows = rows.select_related("thread").only(
        "pk", "thread_id", "created_at", "plain_text", "thread__title"
    )
    items, cursor = pagination.page(rows, order=["-id"], cursor=q.cursor, limit=q.limit)
    return Page[MemberPostOut](
        items=[
            MemberPostOut(
                id=p.pk,
                url=f"/posts/{p.pk}/",
                thread_id=p.thread_id,
                thread_title=p.thread.title,
                created_at=p.created_at,
                excerpt=Truncator(p.plain_text).chars(EXCERPT_CHARS),
            )
            for p in items
        ],
        next_cursor=cursor,
    )


def _change(request: HttpRequest, username: str, action: str) -> Ok:
    """Follow, unfollow, ignore or unignore, as the profile's buttons do; a refusal (you,
    or staff to ignore) is a 400 with the page's sentence. Repeating one changes nothing."""
    target = _member(username)
    changes: dict[str, Callable[..., bool]] = {
        "follow": people_services.follow_member,
        "unfollow": people_services.unfollow_member,
        "ignore": people_services.ignore_member,
        "unignore": people_services.unignore_member,
    }
    change = changes[action]
    try:
        change(member=request.user, target=target)
    except people_services.Refused as exc:
        raise ApiError(400, "refused", str(exc)) from None
    return Ok()


@router.put(
    "/{username}/follow",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Follow a member (hear of the threads they start)",
)
def follow(request: HttpRequest, username: str) -> Ok:
    return _change(request, username, "follow")


@router.delete(
    "/{username}/follow",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Stop following a member",
)
def unfollow(request: HttpRequest, username: str) -> Ok:
    return _change(request, username, "unfollow")


@router.put(
    "/{username}/ignore",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Ignore a member (their posts collapse, no alerts or conversations from them)",
)
def ignore(request: HttpRequest, username: str) -> Ok:
    return _change(request, username, "ignore")


@router.delete(
    "/{username}/ignore",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Stop ignoring a member",
)
def unignore(request: HttpRequest, username: str) -> Ok:
    return _change(request, username, "unignore")


# --- your own account -------------------------------------------------------------------


class OwnFieldOut(Schema):
    key: str
    label: str
    value: str


class AccountOut(Schema):
    id: int
    username: str
    url: str
    email: str
    email_confirmed: bool
    title: str
    joined: datetime
    message_count: int
    reaction_score: int
    country: str | None
    location: str
    about: str
    signature: str = Field(description="The signature's source, as you typed it.")
    signature_format: str
    signature_html: str
    show_online: bool = Field(description="Others see you in who's online.")
    auto_watch: bool = Field(description="Threads you start or reply to are watched.")
    post_format: str = Field(description="The format your next compose form starts in.")
    fields: list[OwnFieldOut] = Field(description="Your values of the custom profile fields.")
    warning_points: int
    write_block: str = Field(description="Why you may not write now; empty when you may.")


def _account(request: HttpRequest) -> AccountOut:
    member: Any = request.user
    values = (
        FieldValue.objects.filter(member_id=member.pk)
        .select_related("field")
        .order_by("field__position", "field__pk")
    )
    return AccountOut(
        id=member.pk,
        username=member.username,
        url=f"/members/{member.username}/",
        email=member.email,
        email_confirmed=member.email_confirmed_at is not None,
        title=rank_title(member, Ladder.load()),
        joined=member.date_joined,
        message_count=member.message_count,
        reaction_score=member.reaction_score,
        country=member.country.code or None,
        location=member.location,
        about=member.about,
        signature=member.signature_source,
        signature_format=member.signature_format,
        signature_html=member.signature_html,
        show_online=member.show_online,
        auto_watch=engagement_queries.auto_watch_enabled(member),
        post_format=member.post_format,
        fields=[OwnFieldOut(key=v.field.key, label=v.field.label, value=v.value) for v in values],
        warning_points=member.warning_points,
        write_block=guardian(request).write_block_reason,
    )


@me_router.get(
    "/me",
    response={200: AccountOut, **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Your own account and preferences",
)
def get_me(request: HttpRequest) -> AccountOut:
    return _account(request)


class AccountIn(Schema):
    """Send only what you change; what you leave out keeps its value."""

    country: str | None = Field(None, max_length=2, description="ISO 3166 code; empty: none.")
    location: str | None = Field(None, max_length=80)
    about: str | None = Field(None, max_length=2000)
    signature: str | None = Field(None, max_length=10_000)
    signature_format: Literal["bbcode", "markdown"] | None = None
    show_online: bool | None = None
    auto_watch: bool | None = None
    fields: dict[str, str] | None = Field(
        None, description="Custom profile fields by key; an empty value clears one."
    )


@me_router.patch(
    "/me",
    response={200: AccountOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Change your profile, signature, custom fields and preferences",
)
def update_me(request: HttpRequest, payload: AccountIn) -> AccountOut:
    member: Any = request.user
    sent = payload.model_fields_set
    country = (payload.country or "").upper() if "country" in sent else member.country.code or ""
    if country and country not in countries:
        raise ApiError(
            400, "invalid", "Choose a country.", fields={"country": ["Not an ISO 3166 code."]}
        )
    fmt = payload.signature_format or member.signature_format
    signature = member.signature_source if payload.signature is None else payload.signature
    try:
        # One change: a refused signature or field value leaves everything as it was.
        with transaction.atomic():
            if sent & {"country", "location", "about"}:
                services.update_profile(
                    member=member,
                    country=country,
                    location=member.location if payload.location is None else payload.location,
                    about=member.about if payload.about is None else payload.about,
                )
            if (signature.strip(), fmt) != (member.signature_source, member.signature_format):
                services.set_signature(member=member, source=signature, fmt=fmt)
            if payload.show_online is not None:
                services.set_show_online(member=member, show=payload.show_online)
            if payload.auto_watch is not None:
                engagement_services.set_auto_watch(member=member, enabled=payload.auto_watch)
            if payload.fields:
                people_services.set_field_values(member=member, values=payload.fields)
    except services.SignatureRefused as exc:
        member.refresh_from_db()
        raise ApiError(400, "invalid", str(exc), fields={"signature": [str(exc)]}) from None
    except people_services.FieldErrors as exc:
        member.refresh_from_db()
        raise ApiError(
            400,
            "invalid",
            "Some profile fields were not accepted; see fields.",
            fields={f"fields.{key}": [message] for key, message in exc.errors.items()},
        ) from None
    return _account(request)
