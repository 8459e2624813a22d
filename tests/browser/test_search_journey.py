"""Search in a real Chromium on a 360 px phone: the header's search box (folded into the
menu), results with marked words, more options without JavaScript needed, and a phrase left
open getting a message, never an error page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.steps import NARROW
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_on_a_phone_finds_an_old_discussion_from_the_header(browser, live_server) -> None:
    forum = ForumFactory(title="Middle East")
    member = MemberFactory(username="alice")
    thread = make_thread(forum, member, title="Water rationing in Şanlıurfa", body="Reservoirs low")
    make_reply(thread, MemberFactory(username="bob"), body="Farmers near Sanliurfa agree.")
    context = browser.new_context(viewport=NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.click("summary.menu-button")
        page.fill("#site-search-q", "SANLIURFA")
        page.press("#site-search-q", "Enter")
        page.wait_for_url("**/search/?q=SANLIURFA")
        expect(page.locator(".search-hit")).to_have_count(2)
        expect(page.locator(".search-hit mark").first).to_be_visible()
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"the results page is {width[0]} px wide"

        page.click(".search-options > summary")
        page.check("input[name=sort][value=date]")
        page.check("input[name=show][value=threads]")
        page.click("button:has-text('Search')")
        expect(page.locator(".search-hit")).to_have_count(1)
        expect(page.locator(".search-meta")).to_contain_text("2 matching posts")

        page.fill("#id_search_q", '"water rationing')
        page.click("button:has-text('Search')")
        expect(page.locator("#search-q-error")).to_contain_text("A phrase is not closed")
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"the form with its options open is {width[0]} px wide"
    finally:
        context.close()
