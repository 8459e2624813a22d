"""Shapes shared by several routers. Each is built from rows the route already loaded:
no schema reads the database (the query counts in tests/api pin that)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as ?cursor= for the next page; null on the last page."
    )


class MemberBrief(Schema):
    id: int
    username: str
    url: str

    @staticmethod
    def of(member: Any) -> MemberBrief:
        return MemberBrief(
            id=member.pk, username=member.username, url=f"/members/{member.username}/"
        )


class Ok(Schema):
    ok: bool = True


class Created(Schema):
    id: int
    url: str
    state: str = Field(description="visible, or pending when it awaits a moderator's approval")
    notice: str = Field(
        default="",
        description="Why it waits, when a linked source's policy in the forum is the reason",
    )
