"""Placing pages in stories, through the real fetch pipeline and directly; restory; staff
splits and merges, and that re-clustering keeps them."""

from __future__ import annotations

import pytest

from parley.events.models import Delivery
from parley.links.models import LinkedPage
from parley.stories import services
from parley.stories.models import Story, StoryPage
from tests.factories import make_thread
from tests.links.conftest import NewsSite
from tests.stories.conftest import fetched_page, story_articles
from tests.stories.labelled import ARTICLES

pytestmark = pytest.mark.django_db


def story_of(page: LinkedPage) -> int:
    return StoryPage.objects.get(page=page).story_id


def article_page(headline: str, site: str, description: str, text: str, published: str) -> str:
    return f"""<!doctype html><html><head><title>{headline} | {site}</title>
<meta property="og:title" content="{headline}"><meta property="og:site_name" content="{site}">
<meta property="og:description" content="{description}">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{headline}</h1><p>{text}</p></article></body></html>"""


def test_fetching_two_outlets_articles_on_one_story_groups_them(
    news_site: NewsSite, forum, member, other, django_capture_on_commit_callbacks
) -> None:
    first, second = story_articles("collision")[:2]
    urls = [
        news_site.add(
            f"/{i}", article_page(a.headline, a.outlet, a.description, a.text, a.at.isoformat())
        )
        for i, a in enumerate((first, second))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, member, title="Collision", body=f"{urls[0]}")
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, other, title="Ships", body=f"{urls[1]}")
    pages = list(LinkedPage.objects.order_by("pk"))
    assert [p.status for p in pages] == ["ok", "ok"]
    assert story_of(pages[0]) == story_of(pages[1])
    assert Delivery.objects.filter(subscriber="stories.cluster", status="done").count() == 2


def test_a_page_with_no_coverage_is_a_story_of_its_own() -> None:
    page = fetched_page(story_articles("museum")[0], "museum")
    entry = StoryPage.objects.get(page=page)
    assert Story.objects.get(pk=entry.story_id).title == page.headline
    assert StoryPage.objects.filter(story_id=entry.story_id).count() == 1


def test_near_misses_get_separate_stories() -> None:
    power = fetched_page(story_articles("zarivka-power")[0], "power")
    market = fetched_page(story_articles("zarivka-market")[0], "market")
    power2 = fetched_page(story_articles("zarivka-power")[1], "power2")
    assert story_of(power) == story_of(power2) != story_of(market)


def test_placing_a_page_again_changes_nothing() -> None:
    a, b = (fetched_page(x, f"q{i}") for i, x in enumerate(story_articles("quake")[:2]))
    before = list(StoryPage.objects.order_by("page_id").values_list("page_id", "story_id"))
    services.place_page(page_id=b.pk)
    services.place_page(page_id=a.pk)
    assert list(StoryPage.objects.order_by("page_id").values_list("page_id", "story_id")) == before
    assert Story.objects.count() == 1


def test_a_page_that_is_hidden_leaves_its_story() -> None:
    a, b = (fetched_page(x, f"q{i}") for i, x in enumerate(story_articles("quake")[:2]))
    LinkedPage.objects.filter(pk=b.pk).update(hidden=True)
    services.place_page(page_id=b.pk)
    assert not StoryPage.objects.filter(page=b).exists()
    assert StoryPage.objects.filter(page=a).exists()


def test_restory_rebuilds_the_labelled_set_and_a_second_run_moves_nothing() -> None:
    pages = [fetched_page(a, f"a{i}", place=False) for i, a in enumerate(ARTICLES)]
    done = services.restory_all()
    assert (done.pages, done.stories) == (len(ARTICLES), len({a.story for a in ARTICLES}))
    for page, article in zip(pages, ARTICLES, strict=True):
        for other, other_article in zip(pages, ARTICLES, strict=True):
            same = story_of(page) == story_of(other)
            assert same == (article.story == other_article.story), (article, other_article)
    snapshot = list(StoryPage.objects.order_by("page_id").values_list("page_id", "story_id"))
    again = services.restory_all()
    assert again.moved == 0
    assert list(StoryPage.objects.order_by("page_id").values_list("page_id", "story_id")) == (
        snapshot
    )


def test_restory_keeps_the_story_numbers_that_pages_placed_on_fetch_already_have() -> None:
    pages = [fetched_page(a, f"r{i}") for i, a in enumerate(story_articles("runoff"))]
    number = story_of(pages[0])
    assert services.restory_all().moved == 0
    assert {story_of(p) for p in pages} == {number}


def test_staff_split_takes_a_page_out_for_good() -> None:
    pages = [fetched_page(a, f"j{i}") for i, a in enumerate(story_articles("jets"))]
    old = story_of(pages[0])
    new = services.split_page(page_id=pages[2].pk)
    assert story_of(pages[2]) == new.pk != old
    assert story_of(pages[1]) == old
    services.restory_all()
    assert story_of(pages[2]) == new.pk
    assert story_of(pages[0]) == story_of(pages[1]) == old
    # A later article on the same story joins the others, not the page split off.
    late = fetched_page(story_articles("jets")[1], "late-copy")
    assert story_of(late) == old


def test_splitting_a_page_alone_in_its_story_is_refused_and_changes_nothing() -> None:
    page = fetched_page(story_articles("museum")[0], "m")
    before = story_of(page)
    with pytest.raises(services.StoryError, match="alone"):
        services.split_page(page_id=page.pk)
    assert story_of(page) == before
    assert StoryPage.objects.get(page=page).fixed_by_staff is False


def test_staff_merge_joins_two_stories_and_restory_keeps_them_merged() -> None:
    talks = fetched_page(story_articles("talks")[0], "t")
    rates = fetched_page(story_articles("rates")[0], "r")
    into, gone = story_of(talks), story_of(rates)
    services.merge_stories(into_id=into, from_id=gone)
    assert story_of(rates) == into
    assert not Story.objects.filter(pk=gone).exists()
    services.restory_all()
    assert story_of(talks) == story_of(rates) == into


def test_merging_with_a_missing_or_the_same_story_is_refused() -> None:
    page = fetched_page(story_articles("museum")[0], "m")
    with pytest.raises(services.StoryError, match="no such story"):
        services.merge_stories(into_id=story_of(page), from_id=999_999)
    with pytest.raises(services.StoryError, match="two different"):
        services.merge_stories(into_id=story_of(page), from_id=story_of(page))


def test_published_time_falls_back_to_the_date_then_the_fetch_time() -> None:
    page = fetched_page(ARTICLES[0], "x", place=False)
    page.published = "2026-10-03"
    assert services.published_at(page).isoformat() == "2026-10-03T12:00:00+00:00"
    page.published = "not a date"
    assert services.published_at(page) == page.fetched_at


def test_restory_command_reports_and_is_idempotent() -> None:
    from io import StringIO

    from django.core.management import call_command

    for i, a in enumerate(story_articles("tariffs")):
        fetched_page(a, f"t{i}", place=False)
    out = StringIO()
    call_command("restory", stdout=out)
    assert out.getvalue().strip() == "3 article(s) in 1 story(ies); 3 moved."
    out = StringIO()
    call_command("restory", stdout=out)
    assert out.getvalue().strip() == "3 article(s) in 1 story(ies); 0 moved."


def test_admin_actions_split_and_merge_through_the_services(admin) -> None:
    from django.test import Client

    tariffs = [fetched_page(a, f"t{i}") for i, a in enumerate(story_articles("tariffs"))]
    museum = fetched_page(story_articles("museum")[0], "m")
    client = Client()
    client.force_login(admin)
    entry = StoryPage.objects.get(page=tariffs[2])
    response = client.post(
        "/admin/stories/storypage/",
        {"action": "split_selected", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    assert story_of(tariffs[2]) != story_of(tariffs[0])
    assert StoryPage.objects.get(page=tariffs[2]).fixed_by_staff
    ids = [story_of(tariffs[0]), story_of(museum)]
    response = client.post(
        "/admin/stories/story/", {"action": "merge_selected", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert story_of(museum) == story_of(tariffs[0]) == min(ids)
    assert client.get(f"/admin/stories/story/{min(ids)}/change/").status_code == 200
