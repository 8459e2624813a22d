"""Tags and prefixes: the threads of a tag (the tag page) and changing a thread's tags and
prefix afterwards (the thread's "Edit tags" page), through the same query, form and
services as parley.tags."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from parley.forums.models import Thread
from parley.tags import queries
from parley.tags.forms import LabelsForm
from parley.tags.models import Tag
from parley.tags.views import apply_labels

from .. import auth, pagination
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import Page
from .content import ThreadOut
from .forums import PageQuery

router = Router(tags=["tags"])


class TagOut(Schema):
    name: str
    slug: str
    url: str


class PrefixOut(Schema):
    id: int
    label: str
    style: str


class LabelsOut(Schema):
    prefix: PrefixOut | None
    tags: list[TagOut]

    @staticmethod
    def of(labels: queries.Labels) -> LabelsOut:
        prefix = labels.prefix
        return LabelsOut(
            prefix=PrefixOut(id=prefix.pk, label=prefix.label, style=prefix.style)
            if prefix is not None
            else None,
            tags=[TagOut(name=t.name, slug=t.slug, url=f"/tags/{t.slug}/") for t in labels.tags],
        )


def labels_of(threads: list[Any]) -> dict[int, LabelsOut]:
    """The labels of a page of threads, as the lists show them: two queries."""
    found = queries.labels_for(threads)
    return {t.pk: LabelsOut.of(found[t.pk]) for t in threads}


class LabelledThreadOut(ThreadOut):
    forum_title: str
    labels: LabelsOut


@router.get(
    "/tags/{slug}/threads",
    response={200: Page[LabelledThreadOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Threads with this tag that you can see, newest activity first",
)
def tag_threads(request: HttpRequest, slug: str, q: Query[PageQuery]) -> Page[LabelledThreadOut]:
    tag = get_object_or_404(Tag, slug=slug)
    rows = queries.tagged_threads(tag, guardian(request))
    items, cursor = pagination.page(
        rows, order=["-last_post_at", "-id"], cursor=q.cursor, limit=q.limit
    )
    labels = labels_of(items)
    return Page[LabelledThreadOut](
        items=[
            LabelledThreadOut(
                **ThreadOut.of(t).dict(), forum_title=t.forum.title, labels=labels[t.pk]
            )
            for t in items
        ],
        next_cursor=cursor,
    )


class LabelsIn(Schema):
    tags: list[str] = Field(
        [],
        max_length=50,
        description="The thread's tags from now on (the forum's tag rules apply); [] for none.",
    )
    prefix_id: int | None = Field(
        None, description="One of the forum's thread prefixes; null for none."
    )


@router.put(
    "/threads/{thread_id}/labels",
    response={200: LabelsOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Set a thread's tags and prefix (its starter, or a moderator who may edit)",
)
def set_labels(request: HttpRequest, thread_id: int, payload: LabelsIn) -> LabelsOut:
    thread = get_object_or_404(Thread.objects.select_related("forum", "author"), pk=thread_id)
    guardian(request).ensure_label_thread(thread)
    data = {
        "tags": ", ".join(payload.tags),
        "prefix_id": "" if payload.prefix_id is None else payload.prefix_id,
    }
    form = LabelsForm(thread.forum, data)
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        raise ApiError(400, "invalid", "The thread's tags or prefix need a look.", fields=fields)
    apply_labels(form, thread, request.user)  # a refusal (ValidationError) is a 400
    return labels_of([thread])[thread.pk]
