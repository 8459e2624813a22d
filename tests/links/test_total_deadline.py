"""One deadline bounds everything a link fetch does: the page, its oEmbed answer and its
lead image share PARLEY_FETCH_TOTAL_DEADLINE (tests use a short one), so a server trickling
bytes cannot hold a worker for the sum of three fetches. No timing is asserted: each case
says what was cut, and a control run shows the same fetches complete when time allows."""

from __future__ import annotations

import pytest

from parley.core.fetch import Deadline, FetchError, fetch
from parley.links.models import LinkedPage
from tests.links.conftest import NewsSite, article_html, png_bytes
from tests.links.test_pipeline import post_with

pytestmark = pytest.mark.django_db

# Each trickling answer takes about 1 s (ten pieces, 0.1 s apart): either fits in 1.6 s
# alone, the two together do not.
TRICKLE = 0.1
TOTAL = 1.6


def slow_article(news_site: NewsSite) -> str:
    news_site.add("/lead.png", png_bytes(), content_type="image/png", trickle=TRICKLE)
    return news_site.add("/world/insurers", article_html(), trickle=TRICKLE)


def test_image_is_cut_when_the_page_used_up_the_shared_deadline(
    news_site: NewsSite, forum, member, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PARLEY_FETCH_TOTAL_DEADLINE = TOTAL
    url = slow_article(news_site)
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    page = LinkedPage.objects.get()
    assert page.status == "ok" and page.headline  # the page itself arrived in time
    assert "/world/insurers" in news_site.served
    assert "/lead.png" in news_site.hits  # the image was asked for …
    assert "/lead.png" not in news_site.served  # … and cut before its body was all sent
    assert page.image == ""


def test_the_same_page_and_image_complete_when_the_deadline_allows(
    news_site: NewsSite, forum, member, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PARLEY_FETCH_TOTAL_DEADLINE = 10.0
    url = slow_article(news_site)
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    page = LinkedPage.objects.get()
    assert news_site.served == ["/world/insurers", "/lead.png"]
    assert page.status == "ok" and page.image


def test_a_page_slower_than_the_deadline_fails_as_a_timeout(
    news_site: NewsSite, forum, member, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PARLEY_FETCH_TOTAL_DEADLINE = 0.5
    url = slow_article(news_site)
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    page = LinkedPage.objects.get()
    assert page.status == "failed" and page.fail_reason.startswith("timeout")
    assert "/lead.png" not in news_site.hits  # nothing else was started


def test_fetch_with_a_spent_deadline_connects_to_nothing(news_site: NewsSite) -> None:
    url = news_site.add("/quick", "<title>Quick</title>")
    with pytest.raises(FetchError) as info:
        fetch(url, deadline=10.0, total=Deadline(0))
    assert info.value.reason == "timeout"
    assert news_site.hits == []


def test_total_deadline_is_ten_seconds_by_default() -> None:
    from parley import settings as production

    assert production.PARLEY_FETCH_TOTAL_DEADLINE == 10.0
