"""How grants resolve (never wins, categories inherit, member grants, edit windows), how a
change reaches the next Guardian without clearing the cache, and that neither the number of
groups nor of forums and grants changes what a page costs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parley.forums.models import Category, Forum, Post
from parley.members.models import Member
from parley.permissions import snapshot
from parley.permissions.guardian import Guardian
from parley.permissions.models import ForumModerator, Grant, Group, Power
from tests.conftest import client_for
from tests.factories import CategoryFactory, ForumFactory, MemberFactory, make_reply, make_thread
from tests.modworld import make_forum_moderator

pytestmark = pytest.mark.django_db


def fresh(member: Member) -> Guardian:
    """A Guardian on a newly loaded member row: nothing remembered on the object."""
    return Guardian(Member.objects.get(pk=member.pk))


@pytest.fixture
def group(member: Member) -> Group:
    g = Group.objects.create(name="Analysts")
    g.members.add(member)
    return g


# --- resolution ------------------------------------------------------------------------------


def test_never_in_one_group_beats_allow_in_another(
    member: Member, forum: Forum, group: Group
) -> None:
    thread = make_thread(forum, MemberFactory())
    assert fresh(member).can_reply(thread)
    Grant.objects.create(group=group, forum=forum, permission="reply", value="never")
    Grant.objects.create(member=member, forum=forum, permission="reply", value="allow")
    assert not fresh(member).can_reply(thread)


def test_never_everywhere_beats_allow_in_the_forum(
    member: Member, forum: Forum, group: Group
) -> None:
    Grant.objects.create(group=group, permission="start_threads", value="never")
    Grant.objects.create(group=group, forum=forum, permission="start_threads", value="allow")
    assert not fresh(member).can_start_thread(forum)
    assert not fresh(member).can_start_thread(ForumFactory())


def test_category_grant_reaches_its_forums_and_subcategories_only(
    member: Member, group: Group
) -> None:
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    inside, nested, outside = (
        ForumFactory(category=parent),
        ForumFactory(category=child),
        ForumFactory(),
    )
    Grant.objects.create(group=group, category=parent, permission="view_history", value="allow")
    g = fresh(member)
    assert g.has("view_history", inside.pk)
    assert g.has("view_history", nested.pk)
    assert not g.has("view_history", outside.pk)


def test_category_never_closes_every_forum_below(member: Member, group: Group) -> None:
    cat = CategoryFactory()
    inside, outside = ForumFactory(category=cat), ForumFactory()
    Grant.objects.create(group=group, category=cat, permission="view_forum", value="never")
    g = fresh(member)
    assert not g.can_see_forum(inside)
    assert g.can_see_forum(outside)


def test_member_grant_applies_to_that_member_only(
    member: Member, other: Member, forum: Forum
) -> None:
    Grant.objects.create(member=member, forum=forum, permission="react", value="never")
    post = Post.objects.get(pk=make_thread(forum, MemberFactory()).first_post_id)
    assert not fresh(member).can_react(post)
    assert fresh(other).can_react(post)


def test_member_grant_of_moderate_gives_every_power(member: Member, forum: Forum) -> None:
    Grant.objects.create(member=member, forum=forum, permission="moderate", value="allow")
    g = fresh(member)
    assert all(g.has_power(p, forum.pk) for p in Power.values)
    assert not g.moderates(ForumFactory().pk)


def test_group_forum_moderator_gives_only_its_powers(
    member: Member, forum: Forum, group: Group
) -> None:
    ForumModerator.objects.create(forum=forum, group=group, powers=["lock", "no-such-power"])
    g = fresh(member)
    assert g.has_power(Power.LOCK, forum.pk)
    assert not g.has_power(Power.DELETE, forum.pk)
    assert g.permissions.powers[forum.pk] == frozenset({"lock"})


def test_staff_forum_opens_to_its_moderators_only(
    member: Member, other: Member, staff_forum: Forum
) -> None:
    make_forum_moderator(member, staff_forum, ["lock"])
    assert fresh(member).can_see_forum(staff_forum)
    assert not fresh(other).can_see_forum(staff_forum)


def test_guests_never_see_members_forums_even_with_a_guest_grant(forum: Forum) -> None:
    from django.contrib.auth.models import AnonymousUser

    forum.visibility = "members"
    forum.save()
    guests = Group.objects.get(key=Group.GUESTS)
    Grant.objects.create(group=guests, forum=forum, permission="view_forum", value="allow")
    assert not Guardian(AnonymousUser()).can_see_forum(forum)


# --- edit windows ----------------------------------------------------------------------------


def _own_post(member: Member, forum: Forum) -> Post:
    thread = make_thread(forum, MemberFactory())
    # A fresh row: a user object keeps the permissions it loaded (they last one request).
    return make_reply(thread, Member.objects.get(pk=member.pk), "my words")


def _age(post: Post, minutes: int) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    return Post.objects.select_related("thread__forum").get(pk=post.pk)


def test_forum_edit_window_allows_editing_inside_it(member: Member, forum: Forum) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    Grant.objects.create(
        group=registered, forum=forum, permission="edit_own", edit_window_minutes=30
    )
    post = _age(_own_post(member, forum), 29)
    assert fresh(member).can_edit_post(post)


def test_forum_edit_window_refuses_editing_after_it(member: Member, forum: Forum) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    Grant.objects.create(
        group=registered, forum=forum, permission="edit_own", edit_window_minutes=30
    )
    post = _age(_own_post(member, forum), 31)
    assert not fresh(member).can_edit_post(post)
    # Only in that forum: elsewhere the site-wide grant has no window.
    elsewhere = _age(_own_post(member, ForumFactory()), 600)
    assert fresh(member).can_edit_post(elsewhere)


def test_edit_window_refusal_is_a_403_on_the_edit_page(member: Member, forum: Forum) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    Grant.objects.create(
        group=registered, forum=forum, permission="edit_own", edit_window_minutes=5
    )
    post = _age(_own_post(member, forum), 6)
    assert client_for(member).get(f"/posts/{post.pk}/edit/").status_code == 403


def test_longest_window_of_two_groups_in_one_forum_wins(
    member: Member, forum: Forum, group: Group
) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    Grant.objects.create(
        group=registered, forum=forum, permission="edit_own", edit_window_minutes=5
    )
    Grant.objects.create(group=group, forum=forum, permission="edit_own", edit_window_minutes=60)
    post = _age(_own_post(member, forum), 30)
    assert fresh(member).can_edit_post(post)


def test_moderator_edits_after_the_window(member: Member, forum: Forum) -> None:
    registered = Group.objects.get(key=Group.REGISTERED)
    Grant.objects.create(
        group=registered, forum=forum, permission="edit_own", edit_window_minutes=5
    )
    mod = MemberFactory()
    make_forum_moderator(mod, forum, ["edit"])
    post = _age(_own_post(member, forum), 600)
    assert fresh(mod).can_edit_post(post)


# --- the version bump -------------------------------------------------------------------------


def test_new_grant_changes_the_next_guardian_without_clearing_the_cache(
    member: Member, forum: Forum
) -> None:
    thread = make_thread(forum, MemberFactory())
    assert fresh(member).can_reply(thread)  # cached now
    Grant.objects.create(member=member, forum=forum, permission="reply", value="never")
    assert not fresh(member).can_reply(thread)


def test_edited_grant_changes_the_next_guardian(member: Member, forum: Forum) -> None:
    thread = make_thread(forum, MemberFactory())
    grant = Grant.objects.create(member=member, forum=forum, permission="reply", value="never")
    assert not fresh(member).can_reply(thread)
    grant.value = "allow"
    grant.save()
    assert fresh(member).can_reply(thread)


def test_deleted_grant_changes_the_next_guardian(member: Member, forum: Forum) -> None:
    thread = make_thread(forum, MemberFactory())
    grant = Grant.objects.create(member=member, forum=forum, permission="reply", value="never")
    assert not fresh(member).can_reply(thread)
    grant.delete()
    assert fresh(member).can_reply(thread)


def test_group_members_add_changes_the_next_guardian(member: Member, forum: Forum) -> None:
    muted = Group.objects.create(name="Muted")
    Grant.objects.create(group=muted, forum=forum, permission="reply", value="never")
    thread = make_thread(forum, MemberFactory())
    assert fresh(member).can_reply(thread)
    muted.members.add(member)
    assert not fresh(member).can_reply(thread)
    muted.members.remove(member)
    assert fresh(member).can_reply(thread)


def test_adding_through_the_members_side_changes_the_next_guardian(
    member: Member, forum: Forum
) -> None:
    supers = Group.objects.get(key=Group.MODERATORS)
    assert not fresh(member).is_super_moderator
    member.forum_groups.add(supers)
    assert fresh(member).is_super_moderator
    member.forum_groups.clear()
    assert not fresh(member).is_super_moderator


def test_new_forum_moderator_changes_the_next_guardian(member: Member, forum: Forum) -> None:
    assert not fresh(member).moderates(forum.pk)
    make_forum_moderator(member, forum, ["lock"])
    assert fresh(member).moderates(forum.pk)


def test_forum_made_staff_only_disappears_on_the_next_request(member: Member, forum: Forum) -> None:
    assert fresh(member).can_see_forum(forum)
    forum.visibility = "staff"
    forum.save()
    assert not fresh(member).can_see_forum(forum)


def test_every_change_moves_the_version(member: Member, forum: Forum, group: Group) -> None:
    seen = [snapshot.current_version()]
    Grant.objects.create(group=group, permission="react", value="never")
    seen.append(snapshot.current_version())
    group.members.remove(member)
    seen.append(snapshot.current_version())
    make_forum_moderator(member, forum, ["lock"])
    seen.append(snapshot.current_version())
    assert seen == sorted(set(seen)) and len(seen) == 4


def test_one_request_reads_the_permissions_once(member: Member, forum: Forum) -> None:
    """Several Guardians on one user object share the loaded set: one version query."""
    user = Member.objects.get(pk=member.pk)
    snapshot.load(user)  # fill the cache
    user = Member.objects.get(pk=member.pk)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            Guardian(user).can_see_forum(forum)
    assert len(ctx.captured_queries) == 1


# --- cost does not grow ------------------------------------------------------------------------


def _steady(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _page_costs(client: Client, forum: Forum, thread_pk: int) -> tuple[int, int, int]:
    return (
        _steady(client, "/"),
        _steady(client, f"/forums/{forum.pk}/"),
        _steady(client, f"/threads/{thread_pk}/"),
    )


def _crowd(member: Member, groups: int, forums: int) -> None:
    cat = Category.objects.create(title=f"Crowded {groups}")
    made = [Group.objects.create(name=f"g{groups}-{i}") for i in range(groups)]
    for g in made:
        g.members.add(member)
    new_forums = Forum.objects.bulk_create(
        [Forum(category=cat, title=f"f{i}", position=i) for i in range(forums)]
    )
    Grant.objects.bulk_create(
        Grant(group=made[i % len(made)], forum=f, permission=perm, value="allow")
        for i, f in enumerate(new_forums)
        for perm in ("view_history", "bypass_flood")
    )
    snapshot.bump_version()  # bulk_create sends no signals


def test_page_queries_equal_with_1_or_10_groups_and_200_forums(
    member: Member, forum: Forum
) -> None:
    thread = make_thread(forum, MemberFactory())
    make_reply(thread, member)
    client = client_for(member)
    _crowd(member, groups=1, forums=1)
    small = _page_costs(client, forum, thread.pk)
    _crowd(member, groups=10, forums=200)
    big = _page_costs(client, forum, thread.pk)
    assert big == small


def test_computing_permissions_costs_the_same_queries_whatever_the_size(member: Member) -> None:
    _crowd(member, groups=1, forums=1)
    with CaptureQueriesContext(connection) as ctx:
        snapshot.compute(Member.objects.get(pk=member.pk))
    small = len(ctx.captured_queries) - 1  # minus loading the member
    _crowd(member, groups=10, forums=200)
    with CaptureQueriesContext(connection) as ctx:
        perms = snapshot.compute(Member.objects.get(pk=member.pk))
    assert len(ctx.captured_queries) - 1 == small
    assert sum("view_history" in p for p in perms.perms.values()) == 201
