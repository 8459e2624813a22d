"""A live-event thread in a real browser at phone width: the starter makes the thread live
with slow mode, pins a post from its "Pin to timeline" link with a summary, edits the entry;
a reader sees the timeline, jumps from an entry to its post, and is told to wait when posting
again too soon — and no page scrolls sideways at 360 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.liveevents.models import LiveEvent, TimelineEntry
from tests.browser.steps import NARROW, check_narrow, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/parley-liveevents-shots")


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide in a {width[1]} px window"


def test_live_thread_timeline_and_slow_mode_at_phone_width(page, live_server) -> None:
    base = live_server.url
    forum = ForumFactory(title="South Asia")
    starter = MemberFactory(username="reporter")
    MemberFactory(username="reader")
    stringer = MemberFactory(username="stringer")
    thread = make_thread(forum, starter, title="Cyclone landfall", body="Following the storm.")
    update = make_reply(thread, stringer, "The met office confirms landfall south of the delta.")
    SHOTS.mkdir(exist_ok=True)

    page.set_viewport_size(NARROW)
    sign_in(page, base, "reporter")
    page.goto(f"{base}/threads/{thread.pk}/")
    page.click("a:has-text('Make this a live event')")
    page.wait_for_url(f"{base}/threads/{thread.pk}/live/")
    _no_sideways_scroll(page)
    page.select_option("select[name=slow_mode_seconds]", label="2 minutes")
    page.click("button:has-text('Make it live')")
    page.wait_for_url(f"{base}/threads/{thread.pk}/")
    assert "once every 2 minutes" in page.locator(".live-event").inner_text()

    # The script adds "Pin to timeline" to each post; it opens the form filled in.
    page.click(f"#post-{update.pk} a.pin-link")
    page.wait_for_url(re.compile(r"/timeline/pin/\?post=\d+$"))
    assert page.input_value("input[name=post]") == str(update.pk)
    page.fill("input[name=summary]", "Landfall confirmed south of the delta")
    _no_sideways_scroll(page)
    page.click("button:has-text('Pin')")
    page.wait_for_url(re.compile(r"/threads/\d+/#timeline-\d+$"))
    entry = TimelineEntry.objects.get()
    assert page.locator(f"#timeline-{entry.pk} a").first.inner_text() == (
        "Landfall confirmed south of the delta"
    )
    page.click(f"#timeline-{entry.pk} a:has-text('Edit')")
    page.fill("input[name=summary]", "Landfall confirmed; winds near 180 km/h")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/threads/\d+/#timeline-\d+$"))
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "starter-360.png"), full_page=True)

    # A reader jumps from the entry to the post, then posts twice too soon.
    page.context.clear_cookies()
    sign_in(page, base, "reader")
    page.goto(f"{base}/threads/{thread.pk}/")
    assert page.locator(".pin-link").count() == 0
    page.click(".timeline a:has-text('Landfall confirmed')")
    page.wait_for_url(re.compile(rf"/threads/{thread.pk}/#post-{update.pk}$"))
    page.fill(".quick-reply textarea[name=source]", "Power is out across the coast.")
    page.click(".quick-reply button:has-text('Post reply')")
    page.wait_for_url(re.compile(r"#post-\d+$"))
    page.fill(".quick-reply textarea[name=source]", "And the surge was lower than feared.")
    page.click(".quick-reply button:has-text('Post reply')")
    assert "You can post again in 2 minutes" in page.locator(".form-errors").inner_text()
    assert page.input_value("textarea[name=source]") == "And the surge was lower than feared."
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "slow-mode-360.png"), full_page=True)
    assert LiveEvent.objects.get(thread=thread).slow_mode_seconds == 120
    check_narrow(page, f"{base}/threads/{thread.pk}/")


def test_a_new_timeline_entry_is_announced_on_an_open_page(
    browser, live_server, live_updates, settings
) -> None:
    """A reader has the live thread open on a phone; the starter pins a post: the reader's
    page says the timeline changed (through parley.live, without a reload), and the reload
    shows it. (A guest's browser may keep its copy for a reload: guest pages are public with
    stale-while-revalidate, docs/caching.md.)"""
    from playwright.sync_api import expect

    from parley.liveevents import services

    base = live_server.url
    starter = MemberFactory(username="reporter")
    thread = make_thread(ForumFactory(), starter, title="Quake", body="Tremors felt downtown.")
    update = make_reply(thread, MemberFactory(), "The survey measured magnitude 6.1.")
    services.mark_live_event(actor=starter, thread=thread)
    context = browser.new_context(viewport=NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    MemberFactory(username="reader")
    sign_in(page, base, "reader")
    page.goto(f"{base}/threads/{thread.pk}/")
    expect(page.locator("html")).to_have_attribute("data-live", "open", timeout=10_000)
    services.pin_post(actor=starter, post=update, summary="Magnitude 6.1 measured")
    notice = page.locator(".live-notice")
    expect(notice).to_contain_text("The timeline of key developments changed", timeout=10_000)
    notice.locator("a").click()
    expect(page.locator(".timeline")).to_contain_text("Magnitude 6.1 measured")
    context.close()
