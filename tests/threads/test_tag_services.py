"""Tags and prefixes through their services: normalisation, forum rules, permissions, and
the stamps guests' pages are keyed on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parley.core import stamps
from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.tags import services
from parley.tags.models import ForumTagging, Tag, TagMode, ThreadPrefix, ThreadPrefixChoice
from parley.tags.normalise import checked_tag, split_tags, tag_slug
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = pytest.mark.django_db


def tag_names(thread: Thread) -> list[str]:
    return sorted(thread.tag_links.values_list("tag__name", flat=True))


def test_spellings_differing_in_case_space_and_accents_are_one_tag() -> None:
    assert tag_slug("Côte d'Ivoire") == tag_slug("  COTE   d'ivoire ") == "cote-divoire"
    assert tag_slug("Україна") == "україна"
    assert split_tags(" Sanctions,, OIL ,") == ["sanctions", "oil"]


def test_a_tag_of_only_punctuation_is_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError, match="not a usable tag"):
        checked_tag("!!!")
    with pytest.raises(ValidationError, match="too long"):
        checked_tag("x" * 31)


def test_starter_sets_tags_and_duplicate_spellings_merge(thread: Thread, member: Member) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["Sanctions", "sanctions ", "Oil"])
    assert tag_names(thread) == ["oil", "sanctions"]
    assert Tag.objects.count() == 2


def test_setting_the_same_tags_again_writes_and_announces_nothing(
    thread: Thread, member: Member
) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["oil"])
    before = stamps.read([stamps.thread(thread.pk)])
    services.set_thread_tags(actor=member, thread=thread, names=["OIL"])
    assert stamps.read([stamps.thread(thread.pk)]) == before


def test_changing_tags_replaces_them_and_moves_the_thread_and_forum_stamps(
    thread: Thread, member: Member
) -> None:
    services.set_thread_tags(actor=member, thread=thread, names=["oil", "gas"])
    names = [stamps.thread(thread.pk), stamps.forum(thread.forum_id), stamps.CONTENT]
    before = stamps.read(names).split(".")
    services.set_thread_tags(actor=member, thread=thread, names=["gas", "water"])
    after = stamps.read(names).split(".")
    assert tag_names(thread) == ["gas", "water"]
    assert all(b != a for b, a in zip(before, after, strict=True))


def test_more_tags_than_the_forum_allows_are_refused_and_nothing_changes(
    thread: Thread, member: Member, forum: Forum
) -> None:
    ForumTagging.objects.create(forum=forum, max_tags=2)
    services.set_thread_tags(actor=member, thread=thread, names=["oil"])
    with pytest.raises(ValidationError, match="at most 2 tags"):
        services.set_thread_tags(actor=member, thread=thread, names=["a", "b", "c"])
    assert tag_names(thread) == ["oil"]


def test_a_fixed_list_forum_refuses_unlisted_tags_and_takes_listed_ones(
    thread: Thread, member: Member, forum: Forum
) -> None:
    rule = ForumTagging.objects.create(forum=forum, mode=TagMode.LIST)
    rule.allowed.add(Tag.objects.create(name="ceasefire", slug="ceasefire"))
    with pytest.raises(ValidationError, match="only takes the tags it lists; not: rumours"):
        services.set_thread_tags(actor=member, thread=thread, names=["Ceasefire", "rumours"])
    services.set_thread_tags(actor=member, thread=thread, names=["CEASEFIRE"])
    assert tag_names(thread) == ["ceasefire"]


def test_a_forum_with_tags_off_refuses_any_tag(
    thread: Thread, member: Member, forum: Forum
) -> None:
    ForumTagging.objects.create(forum=forum, mode=TagMode.OFF)
    with pytest.raises(ValidationError, match="not tagged"):
        services.set_thread_tags(actor=member, thread=thread, names=["oil"])
    services.set_thread_tags(actor=member, thread=thread, names=[])  # none is fine


def test_another_member_may_not_tag_someone_elses_thread(thread: Thread, other: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.set_thread_tags(actor=other, thread=thread, names=["oil"])
    assert tag_names(thread) == []


def test_staff_may_tag_any_thread(thread: Thread, moderator: Member) -> None:
    services.set_thread_tags(actor=moderator, thread=thread, names=["oil"])
    assert tag_names(thread) == ["oil"]


def test_prefix_of_another_forum_is_refused(
    thread: Thread, member: Member, breaking: ThreadPrefix
) -> None:
    elsewhere = ThreadPrefix.objects.create(forum=ForumFactory(), label="Rumour")
    with pytest.raises(ValidationError, match="this forum's prefixes"):
        services.set_thread_prefix(actor=member, thread=thread, prefix_id=elsewhere.pk)
    assert not ThreadPrefixChoice.objects.exists()


def test_prefix_set_changed_and_removed(
    thread: Thread, member: Member, breaking: ThreadPrefix, analysis: ThreadPrefix
) -> None:
    services.set_thread_prefix(actor=member, thread=thread, prefix_id=breaking.pk)
    services.set_thread_prefix(actor=member, thread=thread, prefix_id=analysis.pk)
    assert ThreadPrefixChoice.objects.get(thread=thread).prefix == analysis
    services.set_thread_prefix(actor=member, thread=thread, prefix_id=None)
    assert not ThreadPrefixChoice.objects.filter(thread=thread).exists()


def test_editing_a_prefix_in_the_admin_moves_the_site_stamp(breaking: ThreadPrefix) -> None:
    before = stamps.read([stamps.SITE])
    breaking.label = "Breaking news"
    breaking.save()
    assert stamps.read([stamps.SITE]) != before


def test_a_new_tag_alone_does_not_empty_the_guest_cache(thread: Thread, member: Member) -> None:
    before = stamps.read([stamps.SITE])
    services.set_thread_tags(actor=member, thread=thread, names=["brand new"])
    assert stamps.read([stamps.SITE]) == before


def test_two_members_creating_one_new_tag_share_the_row(forum: Forum) -> None:
    first = make_thread(forum, MemberFactory())
    second = make_thread(forum, MemberFactory())
    services.set_thread_tags(actor=first.author, thread=first, names=["Drones"])
    services.set_thread_tags(actor=second.author, thread=second, names=["drones"])
    assert Tag.objects.filter(slug="drones").count() == 1
