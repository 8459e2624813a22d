"""Links fetched per post and per member per hour, against a real local news site: beyond
the caps links stay plain (and the site sees no request for them)."""

from __future__ import annotations

import pytest
from django.db.models import F

from parley.forums.models import Forum, Post
from parley.links.models import PostLink
from parley.members.models import Member
from tests.factories import make_thread
from tests.links.conftest import NewsSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def regular(member: Member) -> Member:
    """A member past the newcomers' link limit."""
    Member.objects.filter(pk=member.pk).update(message_count=F("message_count") + 50)
    member.refresh_from_db()
    return member


def body_linking(site: NewsSite, paths: range) -> str:
    return "\n".join(site.add(f"/story/{i}", f"<title>Story {i}</title>") for i in paths)


def test_a_post_of_many_links_fetches_only_the_cap(
    news_site: NewsSite, forum: Forum, regular: Member, settings, django_capture_on_commit_callbacks
) -> None:
    cap = settings.PARLEY_LINKS_FETCHED_PER_POST
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(forum, regular, title="Links", body=body_linking(news_site, range(60)))
    assert len(news_site.hits) == cap
    post = Post.objects.get(pk=thread.first_post_id)
    assert PostLink.objects.filter(post=post).count() == cap
    # The links beyond the cap are still links, just plain ones.
    assert f'href="{news_site.url("/story/59")}"' in post.cooked_html


def test_link_fetches_per_member_per_hour_stop_at_the_limit(
    news_site: NewsSite, forum: Forum, regular: Member, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "link_fetch": (5, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, regular, title="One", body=body_linking(news_site, range(3)))
        make_thread(forum, regular, title="Two", body=body_linking(news_site, range(3, 6)))
    assert sorted(news_site.hits) == [f"/story/{i}" for i in range(5)]


def test_staff_link_fetches_are_not_limited(
    news_site: NewsSite,
    forum: Forum,
    moderator: Member,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "link_fetch": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, moderator, title="Staff", body=body_linking(news_site, range(4)))
    assert len(news_site.hits) == 4
