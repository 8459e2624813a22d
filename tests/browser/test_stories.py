"""One story across outlets in a real Chromium at 360 px: the card and the thread say who
else covered the story and link the other thread; a moderator opens the story from the
thread, takes an article out, and the grouping is gone from both threads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from parley.stories.models import StoryPage
from tests.browser.pages import session_cookie
from tests.browser.steps import NARROW, check_narrow
from tests.factories import ForumFactory, MemberFactory
from tests.modworld import make_super_moderator
from tests.stories.browser_site import add_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_shows_on_a_phone_and_a_moderator_can_split_it(browser, live_server) -> None:
    base = live_server.url
    forum = ForumFactory(title="World affairs")
    first, second = add_story(forum, MemberFactory(username="ana"), MemberFactory(username="ben"))
    moderator = make_super_moderator(MemberFactory(username="moderator"))
    ctx = browser.new_context(viewport=NARROW)
    ctx.add_cookies(session_cookie(moderator, base))
    page = ctx.new_page()
    try:
        check_narrow(page, f"{base}/threads/{first.pk}/")
        page.set_viewport_size(NARROW)
        page.goto(f"{base}/threads/{first.pk}/")
        coverage = page.locator(".link-card-coverage")
        expect(coverage).to_contain_text("Also covered by: Global Desk")
        expect(page.locator(".story-coverage")).to_contain_text("The same story from other outlets")
        page.locator(".story-coverage a", has_text="Split or merge").click()
        check_narrow(page, page.url)
        page.set_viewport_size(NARROW)
        buttons = page.locator("button", has_text="Take out of this story")
        expect(buttons).to_have_count(2)
        buttons.nth(1).click()
        expect(page.locator(".messages")).to_contain_text("is now a story of its own")
        assert StoryPage.objects.values("story_id").distinct().count() == 2
        page.goto(f"{base}/threads/{second.pk}/")
        expect(page.locator(".link-card")).to_have_count(1)
        expect(page.locator(".link-card-coverage")).to_have_count(0)
    finally:
        ctx.close()
