"""Live poll results in a real browser: a poll whose results are shown only after voting is
open on two phones (360 px) — one reader who voted (sees results) and one who has not — when
another member votes through the page's form. The voter's bars, counts and voter count
change without a reload, to exactly what a reload shows; the reader who has not voted still
sees no results. A second poll, results shown to everyone, updates for a guest too. The pages
talk to a real uvicorn serving parley.live, cross-origin, like test_live_updates.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parley.polls import services
from parley.polls.models import PollOption, ResultsShown
from tests.browser.steps import sign_in
from tests.factories import ForumFactory, MemberFactory, make_thread
from tests.live.conftest import ThreadedLiveServer
from tests.threads.conftest import make_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 900}
LIVE_WAIT = 10_000  # ms


def open_page(browser, base: str, path: str, name: str | None, size: dict, errors: list[str]):
    context = browser.new_context(viewport=size)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if name:
        sign_in(page, base, name)
    page.goto(base + path)
    expect(page.locator("html")).to_have_attribute("data-live", "open", timeout=LIVE_WAIT)
    page.evaluate("window.__notReloaded = true")
    return page


def shown(page) -> tuple[str, list[str], list[str]]:
    """(voter count text, each option's count text, each bar's value) as the page shows them."""
    poll = page.locator("#poll")
    return (
        poll.locator(".poll-voters").inner_text(),
        poll.locator(".poll-count").all_inner_texts(),
        page.eval_on_selector_all("#poll progress.poll-bar", "bs => bs.map(b => String(b.value))"),
    )


def test_a_vote_updates_the_results_of_readers_who_may_see_them(
    browser, live_server, live_updates: ThreadedLiveServer
) -> None:
    base = live_server.url
    author = MemberFactory(username="deskeditor")
    voter = MemberFactory(username="nightdesk")
    MemberFactory(username="lurker")
    MemberFactory(username="dispatches")
    thread = make_thread(
        ForumFactory(title="World affairs"),
        author,
        title="Will the strait reopen this month?",
        body="Insurers are watching.",
    )
    poll = make_poll(
        thread,
        author,
        question="Reopened by the 30th?",
        options=("Yes", "No", "Too early to say"),
        results=ResultsShown.AFTER_VOTE,
    )
    yes = PollOption.objects.filter(poll=poll).values_list("pk", flat=True).first()
    services.vote(member=voter, poll=poll, option_ids=[yes])
    errors: list[str] = []
    path = f"/threads/{thread.pk}/"
    reader = open_page(browser, base, path, "nightdesk", NARROW, errors)
    lurker = open_page(browser, base, path, "lurker", NARROW, errors)
    writer = open_page(browser, base, path, "dispatches", WIDE, errors)
    assert shown(reader) == ("1 voter", ["1 (100%)", "0 (0%)", "0 (0%)"], ["100", "0", "0"])
    expect(lurker.locator("#poll .poll-hidden")).to_be_visible()

    # Another member votes through the form (their page reloads, as always).
    writer.check(".poll-option:has-text('No') input")
    writer.click(".poll-ballot button:has-text('Vote')")
    writer.wait_for_url(re.compile(rf"/threads/{thread.pk}/#poll$"))

    # The voter's page, 360 px wide, shows the new counts without a reload.
    expect(reader.locator("#poll .poll-voters")).to_have_text("2 voters", timeout=LIVE_WAIT)
    assert shown(reader) == ("2 voters", ["1 (50%)", "1 (50%)", "0 (0%)"], ["50", "50", "0"])
    assert reader.evaluate("window.__notReloaded") is True
    assert reader.locator("#poll .poll-result.chosen .poll-result-label").inner_text() == (
        "Yes (your vote)"
    )  # their own choice is still marked; nothing about the other's is
    size = reader.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1], f"the thread page is {size[0]} px wide in a {size[1]} px window"

    # Exactly what a reload shows.
    again = reader.context.new_page()
    again.goto(base + path)
    assert shown(again) == shown(reader)

    # The reader who has not voted received nothing: no results, the voter count as loaded.
    reader.wait_for_timeout(500)
    assert lurker.evaluate("window.__notReloaded") is True
    assert lurker.locator("#poll .poll-count").count() == 0
    assert lurker.locator("#poll .poll-voters").inner_text() == "1 voter"
    assert [e for e in errors if "Content Security Policy" in e] == []
    for page in (reader, lurker, writer):
        page.context.close()


def test_results_shown_to_everyone_update_for_a_guest(
    browser, live_server, live_updates: ThreadedLiveServer
) -> None:
    base = live_server.url
    author = MemberFactory(username="deskeditor")
    thread = make_thread(ForumFactory(title="World affairs"), author, title="Ceasefire vote")
    poll = make_poll(thread, author, question="Will it hold?", options=("Yes", "No"))
    yes, no = PollOption.objects.filter(poll=poll).values_list("pk", flat=True)
    errors: list[str] = []
    guest = open_page(browser, base, f"/threads/{thread.pk}/", None, NARROW, errors)
    assert shown(guest) == ("0 voters", ["0 (0%)", "0 (0%)"], ["0", "0"])
    for member, choice in ((MemberFactory(), yes), (MemberFactory(), no), (MemberFactory(), no)):
        services.vote(member=member, poll=poll, option_ids=[choice])
    expect(guest.locator("#poll .poll-voters")).to_have_text("3 voters", timeout=LIVE_WAIT)
    assert shown(guest) == ("3 voters", ["1 (33%)", "2 (67%)"], ["33", "67"])
    assert guest.evaluate("window.__notReloaded") is True
    assert [e for e in errors if "Content Security Policy" in e] == []
    guest.context.close()
