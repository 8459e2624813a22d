"""Personas (admin, moderator, member, newcomer, banned, anonymous) and a small forum."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from parley.forums.models import Forum, Post, Thread, Visibility
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_thread


@pytest.fixture(autouse=True)
def default_rows(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush the database, data migrations included: put back the
    default reaction types and title ladder a fresh install has."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from parley.forums.defaults import ensure_default_reactions
        from parley.forums.models import ReactionType
        from parley.members.defaults import ensure_default_ladder
        from parley.members.models import TitleRung

        ensure_default_reactions(ReactionType)
        ensure_default_ladder(TitleRung)
        from parley.moderation.defaults import ensure_moderation_defaults
        from parley.moderation.models import ReportReason, WarningThreshold, WarningType
        from parley.permissions.defaults import ensure_default_groups
        from parley.permissions.models import Grant, Group

        ensure_default_groups(Group, Grant)
        ensure_moderation_defaults(ReportReason, WarningType, WarningThreshold)
        from parley.sources.defaults import ensure_default_labels
        from parley.sources.models import Label

        ensure_default_labels(Label)


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache: every test starts with none counted; nor
    does it inherit guest pages, fragments or version stamps (docs/caching.md)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()
    caches["shared"].clear()


@pytest.fixture
def member(db) -> Member:
    return MemberFactory(username="alice", country="GB", location="Leeds")


@pytest.fixture
def other(db) -> Member:
    return MemberFactory(username="bob", country="IN", location="Pune")


@pytest.fixture
def newcomer(db) -> Member:
    return MemberFactory(username="newbie")


@pytest.fixture
def moderator(db) -> Member:
    return MemberFactory(username="mod", is_staff=True)


@pytest.fixture
def admin(db) -> Member:
    return MemberFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def banned(db) -> Member:
    return MemberFactory(username="troll", is_banned=True)


@pytest.fixture
def forum(db) -> Forum:
    return ForumFactory(title="Middle East")


@pytest.fixture
def staff_forum(db) -> Forum:
    return ForumFactory(title="Staff room", visibility=Visibility.STAFF)


@pytest.fixture
def thread(forum: Forum, member: Member) -> Thread:
    return make_thread(forum, member, title="Water talks stall", body="[b]Opening[/b] post")


@pytest.fixture
def first_post(thread: Thread) -> Post:
    return Post.objects.get(pk=thread.first_post_id)


def client_for(user: Member | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture
def member_client(member: Member) -> Client:
    return client_for(member)


@pytest.fixture
def other_client(other: Member) -> Client:
    return client_for(other)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache: permission sets are cached under a version
    row that rolls back with the test's transaction, so a later test could meet an entry
    stored under the same version by an earlier one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def empty_write_buffers() -> Iterator[None]:
    """Buffered views and read positions belong to the test that made them (and are never
    written after it, into a database that is gone)."""
    from parley.core import writebuffer

    writebuffer.discard_all()
    yield
    writebuffer.discard_all()
