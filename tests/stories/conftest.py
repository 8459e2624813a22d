"""Helpers for story tests: linked pages written as the fetcher would have left them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from parley.forums.models import Forum, Post, Thread
from parley.links.canonical import canonicalize
from parley.links.models import LinkedPage
from parley.members.models import Member
from parley.stories.services import place_page
from tests.factories import make_thread
from tests.links.conftest import NewsSite, running_news_site
from tests.stories.labelled import ARTICLES, Article


def host_of(outlet: str) -> str:
    return outlet.lower().replace(" ", "") + ".test"


def fetched_page(article: Article, slug: str, *, place: bool = True) -> LinkedPage:
    url = f"https://{host_of(article.outlet)}/news/{slug}"
    page = LinkedPage.objects.create(
        key=canonicalize(url),
        url=url,
        resolved_key=canonicalize(url),
        status=LinkedPage.Status.OK,
        fetched_at=article.at,
        checked_at=article.at,
        page_title=f"{article.headline} | {article.outlet}",
        headline=article.headline,
        site_name=article.outlet,
        description=article.description,
        published=article.at.isoformat(),
        article_text=article.text,
    )
    if place:
        place_page(page_id=page.pk)
    return page


def story_articles(story: str) -> list[Article]:
    return [a for a in ARTICLES if a.story == story]


def thread_linking(
    forum: Forum, author: Member, page: LinkedPage, title: str, capture
) -> tuple[Thread, Post]:
    """A thread whose first post is the page's link alone on its line (a card)."""
    with capture(execute=True):
        thread = make_thread(forum, author, title=title, body=f"Read this:\n\n{page.url}\n\nHmm.")
    return thread, Post.objects.get(pk=thread.first_post_id)


def at(article: Article) -> datetime:
    return article.at


@pytest.fixture
def news_site(settings: Any) -> Iterator[NewsSite]:
    with running_news_site(settings) as site:
        yield site
