"""Sources in a real Chromium, 360 px wide: a member posting a link to a source the forum
refuses is told which policy and which source, and keeps the text; a card shows its source's
labels and its history and fits a phone; the staff list leads to a source's record."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parley.links.models import LinkedPage, PageChange
from parley.links.tasks import rebake_linking_posts
from parley.sources import services
from tests.browser.steps import NARROW, check_narrow, compose_thread, sign_in
from tests.factories import ForumFactory, MemberFactory
from tests.sources.helpers import describe, linked_thread, snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RELAY = "https://www.staterelay.test/world/2026/an-official-statement-on-the-river-talks"
WIRE = "https://www.wiredesk.test/world/2026/second-round-of-river-talks-ends-with-a-plan"


def test_a_refused_source_is_named_and_the_text_kept(browser, live_server) -> None:
    forum = ForumFactory(title="Middle East")
    chief = MemberFactory(username="chief", is_staff=True)
    MemberFactory(username="carol", message_count=10)
    relay = describe(chief, "staterelay.test", name="State Relay")
    services.set_forum_policy(actor=chief, forum=forum, source=relay, action="refuse")
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "carol")
        compose_thread(page, "Middle East", "Their version", f"My own words first.\n{RELAY}")
        page.click("button.primary:has-text('Post')")
        expect(page.locator("body")).to_contain_text("does not take posts that link State Relay")
        assert "My own words first." in page.input_value("textarea[name=source]")
    finally:
        context.close()


def test_a_labelled_card_with_its_history_fits_a_phone(browser, live_server) -> None:
    forum = ForumFactory(title="Middle East")
    chief = MemberFactory(username="chief", is_staff=True)
    describe(
        chief,
        "wiredesk.test",
        name="Wire Desk",
        labels=("Press agency", "Paywall", "State-affiliated media", "Unverified"),
    )
    thread = linked_thread(forum, MemberFactory(username="carol"), WIRE)
    page_row = snapshot(WIRE, headline="Second round of river talks ends with a gauge plan")
    LinkedPage.objects.filter(pk=page_row.pk).update(is_dead=True)
    PageChange.objects.create(
        page=page_row,
        at=timezone.now(),
        kind="headline",
        before="River talks end without agreement after a long night of negotiation",
        after=page_row.headline,
    )
    rebake_linking_posts(page_row.pk)
    context = browser.new_context()
    page = context.new_page()
    try:
        check_narrow(page, f"{live_server.url}/threads/{thread.pk}/")
        page.set_viewport_size(NARROW)
        page.goto(f"{live_server.url}/threads/{thread.pk}/")
        card = page.locator(".link-card").first
        expect(card.locator(".source-label")).to_have_count(4)
        expect(card).to_contain_text("No longer available; last seen")
        card.locator("a.link-card-history-link").click()
        expect(page.locator("h1")).to_have_text("History of a shared article")
        check_narrow(page, page.url)
    finally:
        context.close()
