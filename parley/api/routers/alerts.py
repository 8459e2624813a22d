"""Your alerts: the list the /alerts/ page shows (same titles, excerpts and links, and
never about content you may no longer see), the bell's count, reading them, and the
preferences of /account/alerts/."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from parley.alerts import kinds, listing, preferences, services, unread

from .. import auth, pagination
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import MemberBrief, Ok, Page
from .forums import PageQuery

router = Router(tags=["alerts"])


class AlertOut(Schema):
    id: int
    kind: str
    title: str = Field(description="What the alert says, as on the /alerts/ page.")
    excerpt: str
    url: str = Field(description="What it is about (a post, a message, your warnings).")
    actor: MemberBrief | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def of(row: listing.Row) -> AlertOut:
        a = row.alert
        return AlertOut(
            id=a.pk,
            kind=a.kind,
            title=row.title,
            excerpt=row.excerpt,
            url=row.url,
            actor=MemberBrief.of(a.actor) if a.actor_id and a.actor else None,
            created_at=a.created_at,
            read_at=a.read_at,
        )


@router.get(
    "",
    response={200: Page[AlertOut], **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Your alerts, newest first",
    description="A page may hold fewer than `limit` items: alerts about content you may "
    "no longer see are left out, as on the page. Follow `next_cursor` until it is null.",
)
def list_alerts(request: HttpRequest, q: Query[PageQuery]) -> Page[AlertOut]:
    rows = listing.listed(request.user)
    items, cursor = pagination.page(
        rows, order=["-created_at", "-id"], cursor=q.cursor, limit=q.limit
    )
    shown = listing.rows(listing.visible(guardian(request), items))
    return Page[AlertOut](items=[AlertOut.of(r) for r in shown], next_cursor=cursor)


class CountOut(Schema):
    count: int


@router.get(
    "/unread-count",
    response={200: CountOut, **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="How many of your alerts are unread (the bell)",
)
def unread_count(request: HttpRequest) -> CountOut:
    member: Any = request.user
    return CountOut(count=unread.unread_count(member.pk))


@router.post(
    "/{alert_id}/read",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark one of your alerts read",
)
def mark_read(request: HttpRequest, alert_id: int) -> Ok:
    alert = listing.own_alert(guardian(request), alert_id)
    if alert is None:
        raise Http404("No such alert.")
    services.mark_read(member=request.user, alert=alert)
    return Ok()


class MarkedOut(Schema):
    marked: int = Field(description="How many alerts were unread and are now read.")


@router.post(
    "/read-all",
    response={200: MarkedOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark all your alerts read",
)
def mark_all_read(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=services.mark_all_read(member=request.user))


# --- preferences ------------------------------------------------------------------------

DigestChoice = Literal["off", "daily", "weekly"]


class KindChoice(Schema):
    kind: str
    label: str = ""
    in_app: bool
    email: bool
    push: bool


class PreferencesOut(Schema):
    kinds: list[KindChoice]
    digest: DigestChoice = Field(description="E-mail digest of watched threads.")


class KindChoiceIn(Schema):
    kind: str = Field(max_length=20)
    in_app: bool
    email: bool
    push: bool


class PreferencesIn(Schema):
    """The kinds you list get exactly these channels; kinds you leave out keep theirs."""

    kinds: list[KindChoiceIn] = Field(default_factory=list, max_length=len(kinds.ALL))
    digest: DigestChoice | None = None


def _preferences(member: Any) -> PreferencesOut:
    choices = preferences.member_choices(member.pk)
    return PreferencesOut(
        kinds=[
            KindChoice(
                kind=k,
                label=kinds.LABELS[k],
                in_app=choices[k].in_app,
                email=choices[k].email,
                push=choices[k].push,
            )
            for k in kinds.ALL
        ],
        digest=preferences.digest_of(member.pk),  # type: ignore[arg-type]
    )


@router.get(
    "/preferences",
    response={200: PreferencesOut, **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="How you hear about each kind of alert",
)
def get_preferences(request: HttpRequest) -> PreferencesOut:
    return _preferences(request.user)


@router.put(
    "/preferences",
    response={200: PreferencesOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Change how you hear about alerts",
)
def set_preferences(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    unknown = [c.kind for c in payload.kinds if c.kind not in kinds.ALL]
    names = [c.kind for c in payload.kinds]
    if unknown or len(set(names)) != len(names):
        raise ApiError(
            400,
            "invalid",
            "Those choices were not understood; nothing was changed.",
            fields={"kinds": [f"Each kind once, of: {', '.join(kinds.ALL)}."]},
        )
    with transaction.atomic():
        preferences.set_preferences(
            member=request.user,
            choices={
                c.kind: preferences.Choice(in_app=c.in_app, email=c.email, push=c.push)
                for c in payload.kinds
            },
        )
        if payload.digest is not None:
            preferences.set_digest(member=request.user, digest=payload.digest)
    return _preferences(request.user)
