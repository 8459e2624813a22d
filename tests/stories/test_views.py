"""Request tests for the staff pages of stories: list, one story, take an article out,
merge two stories. Success, guest, wrong person, wrong method, bad input, exact queries."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.stories.models import Story, StoryPage
from tests.conftest import client_for
from tests.modworld import make_forum_moderator
from tests.stories.conftest import fetched_page, story_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def jets(db) -> list:
    return [fetched_page(a, f"j{i}") for i, a in enumerate(story_articles("jets"))]


@pytest.fixture
def staff(moderator) -> Client:
    return client_for(moderator)


def story_of(page) -> int:
    return StoryPage.objects.get(page=page).story_id


def test_list_shows_stories_of_several_articles(
    jets, staff: Client, django_assert_num_queries
) -> None:
    fetched_page(story_articles("museum")[0], "museum")  # alone: not listed without a search
    with django_assert_num_queries(6):
        response = staff.get("/stories/")
    body = response.content.decode()
    assert response.status_code == 200
    assert jets[0].headline in body and "3 articles" in body
    assert "museum" not in body.lower()


def test_list_search_finds_a_story_of_one(jets, staff: Client) -> None:
    fetched_page(story_articles("museum")[0], "museum")
    body = staff.get("/stories/?q=Museum").content.decode()
    assert "Kessarin museum reopens" in body and jets[0].headline not in body


def test_list_refuses_a_search_too_long(staff: Client) -> None:
    response = staff.get("/stories/?q=" + "x" * 201)
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


def test_guest_is_sent_to_sign_in(jets, anon_client: Client) -> None:
    story = story_of(jets[0])
    for url in ("/stories/", f"/stories/{story}/"):
        response = anon_client.get(url)
        assert response.status_code == 302 and "/signin" in response["Location"]
    response = anon_client.post(f"/stories/{story}/split/", {"page_id": jets[0].pk})
    assert response.status_code == 302
    assert story_of(jets[0]) == story


def test_members_without_the_power_get_404_and_change_nothing(
    jets, member_client: Client, member, forum
) -> None:
    story = story_of(jets[0])
    assert member_client.get("/stories/").status_code == 404
    assert member_client.get(f"/stories/{story}/").status_code == 404
    assert (
        member_client.post(f"/stories/{story}/split/", {"page_id": jets[0].pk}).status_code == 404
    )
    # A forum moderator without the move power is still a wrong person.
    make_forum_moderator(member, forum, powers=["lock", "delete"])
    assert member_client.get("/stories/").status_code == 404
    assert story_of(jets[0]) == story


def test_a_forum_moderator_with_the_move_power_may_manage_stories(
    jets, member_client: Client, member, forum
) -> None:
    make_forum_moderator(member, forum, powers=["move"])
    assert member_client.get(f"/stories/{story_of(jets[0])}/").status_code == 200


def test_detail_lists_articles_with_take_out_buttons(
    jets, staff: Client, django_assert_num_queries
) -> None:
    story = story_of(jets[0])
    with django_assert_num_queries(7):
        response = staff.get(f"/stories/{story}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Take out of this story") == 3
    assert all(p.site_name in body for p in jets)


def test_detail_of_a_missing_story_is_404(staff: Client) -> None:
    assert staff.get("/stories/424242/").status_code == 404
    assert staff.get(f"/stories/{2**64}/").status_code == 404


def test_split_takes_the_article_out(jets, staff: Client, django_assert_num_queries) -> None:
    story = story_of(jets[1])
    with django_assert_num_queries(17):
        response = staff.post(f"/stories/{story}/split/", {"page_id": jets[1].pk})
    assert response.status_code == 302 and response["Location"] == f"/stories/{story}/"
    assert story_of(jets[1]) != story and story_of(jets[0]) == story
    assert "is now a story of its own" in staff.get(f"/stories/{story}/").content.decode()


def test_split_with_bad_input_changes_nothing(jets, staff: Client) -> None:
    story = story_of(jets[0])
    other = fetched_page(story_articles("museum")[0], "museum")
    for data in ({}, {"page_id": "abc"}, {"page_id": other.pk}):
        response = staff.post(f"/stories/{story}/split/", data, follow=True)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Choose an article" in body or "not in this story" in body
    assert {story_of(p) for p in jets} == {story}
    assert not StoryPage.objects.filter(fixed_by_staff=True).exists()


def test_split_only_by_post(jets, staff: Client) -> None:
    assert staff.get(f"/stories/{story_of(jets[0])}/split/").status_code == 405


def test_merge_moves_the_other_storys_articles(
    jets, staff: Client, django_assert_num_queries
) -> None:
    story = story_of(jets[0])
    conscription = fetched_page(story_articles("conscription")[0], "cons")
    gone = story_of(conscription)
    with django_assert_num_queries(17):
        response = staff.post(f"/stories/{story}/merge/", {"other": gone})
    assert response.status_code == 302
    assert story_of(conscription) == story
    assert not Story.objects.filter(pk=gone).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "This field is required"), ("seven", "digits only"), ("999999", "no such story")],
)
def test_merge_with_bad_input_says_why_and_changes_nothing(
    jets, staff: Client, value: str, message: str
) -> None:
    story = story_of(jets[0])
    response = staff.post(f"/stories/{story}/merge/", {"other": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Story.objects.count() == 1 and not StoryPage.objects.filter(fixed_by_staff=True).exists()


def test_merging_a_story_into_itself_is_refused(jets, staff: Client) -> None:
    story = story_of(jets[0])
    response = staff.post(f"/stories/{story}/merge/", {"other": story})
    assert response.status_code == 400 and "two different stories" in response.content.decode()
