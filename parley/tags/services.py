"""Every write to tags and prefixes. Keyword-only and atomic; each change is announced by a
`thread.labelled` event in its transaction, which moves the guest-page stamps of the thread
and its forum (and the content stamp the tag pages key on) after the commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parley.events import kinds
from parley.events.outbox import emit
from parley.permissions.guardian import Guardian

from .models import ForumTagging, Tag, TagMode, ThreadPrefix, ThreadPrefixChoice, ThreadTag
from .normalise import checked_tag

DEFAULT_MAX_TAGS = 5


def tagging_for(forum: Any) -> ForumTagging:
    """The forum's rule (an unsaved default when the admin set none)."""
    found = ForumTagging.objects.filter(forum_id=forum.pk).first()
    return found or ForumTagging(forum_id=forum.pk, mode=TagMode.FREE, max_tags=DEFAULT_MAX_TAGS)


def check_tags(forum: Any, names: Iterable[str]) -> list[tuple[str, str]]:
    """(slug, name) of each distinct tag, held to the forum's rule; ValidationError (every
    problem, worded for the member) otherwise. Reads, never writes."""
    rule = tagging_for(forum)
    errors: list[ValidationError] = []
    wanted: dict[str, str] = {}
    for raw in names:
        try:
            slug, name = checked_tag(raw)
        except ValidationError as exc:
            errors.append(exc)
            continue
        wanted.setdefault(slug, name)
    if errors:
        raise ValidationError(errors)
    if not wanted:
        return []
    if rule.mode == TagMode.OFF:
        raise ValidationError("Threads in this forum are not tagged.", code="tags_off")
    if len(wanted) > rule.max_tags:
        raise ValidationError(
            f"A thread here may have at most {rule.max_tags} tag"
            f"{'s' if rule.max_tags != 1 else ''}; you gave {len(wanted)}.",
            code="too_many_tags",
        )
    if rule.mode == TagMode.LIST:
        allowed = set(rule.allowed.values_list("slug", flat=True)) if rule.pk else set()
        if unknown := [wanted[s] for s in wanted if s not in allowed]:
            raise ValidationError(
                "This forum only takes the tags it lists; not: " + ", ".join(unknown) + ".",
                code="tag_not_listed",
            )
    return list(wanted.items())


def _tags_for(pairs: list[tuple[str, str]]) -> list[Tag]:
    """The Tag rows for these (slug, name) pairs, creating the missing ones. Two members
    creating one new tag at once both end with the same row."""
    found = {t.slug: t for t in Tag.objects.filter(slug__in=[s for s, _ in pairs])}
    for slug, name in pairs:
        if slug not in found:
            try:
                with transaction.atomic():
                    found[slug] = Tag.objects.create(slug=slug, name=name)
            except IntegrityError:
                found[slug] = Tag.objects.get(slug=slug)
    return [found[slug] for slug, _ in pairs]


def _announce(thread: Any, actor: Any, what: str) -> None:
    emit(
        kinds.THREAD_LABELLED,
        actor_id=getattr(actor, "pk", None),
        thread_id=thread.pk,
        forum_id=thread.forum_id,
        post_id=thread.first_post_id,
        member_id=thread.author_id,
        payload={"changed": what},
    )


def set_thread_tags(*, actor: Any, thread: Any, names: Iterable[str]) -> list[Tag]:
    """Make the thread's tags exactly these (normalised; duplicates merge). Repeating the
    same call changes nothing and announces nothing."""
    Guardian(actor).ensure_label_thread(thread)
    pairs = check_tags(thread.forum, names)
    with transaction.atomic():
        tags = _tags_for(pairs)
        want = {t.pk for t in tags}
        have = set(ThreadTag.objects.filter(thread=thread).values_list("tag_id", flat=True))
        if want == have:
            return tags
        ThreadTag.objects.filter(thread=thread, tag_id__in=have - want).delete()
        ThreadTag.objects.bulk_create(
            [ThreadTag(thread=thread, tag_id=pk) for pk in want - have], ignore_conflicts=True
        )
        _announce(thread, actor, "tags")
    return tags


def check_prefix(forum: Any, prefix_id: int | None) -> ThreadPrefix | None:
    """The forum's prefix with this id (None for none); ValidationError for any other."""
    if prefix_id is None:
        return None
    prefix = ThreadPrefix.objects.filter(pk=prefix_id, forum_id=forum.pk).first()
    if prefix is None:
        raise ValidationError("Choose one of this forum's prefixes.", code="bad_prefix")
    return prefix


def set_thread_prefix(*, actor: Any, thread: Any, prefix_id: int | None) -> ThreadPrefix | None:
    """Give the thread this prefix of its forum, or none."""
    Guardian(actor).ensure_label_thread(thread)
    prefix = check_prefix(thread.forum, prefix_id)
    with transaction.atomic():
        current = (
            ThreadPrefixChoice.objects.select_for_update()
            .filter(thread_id=thread.pk)
            .values_list("prefix_id", flat=True)
            .first()
        )
        if current == prefix_id:
            return prefix
        if prefix is None:
            ThreadPrefixChoice.objects.filter(thread_id=thread.pk).delete()
        else:
            ThreadPrefixChoice.objects.update_or_create(
                thread_id=thread.pk, defaults={"prefix": prefix}
            )
        _announce(thread, actor, "prefix")
    return prefix
