"""Tags, a prefix and a poll in a real browser at phone width: start a thread with all
three, vote as another member, see the results with bars, follow a tag and the prefix
filter — and no page scrolls sideways at 360 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.forums.models import Thread
from parley.polls.models import Poll, PollOption
from parley.tags.models import ThreadPrefix
from tests.browser.steps import NARROW, WIDE, check_narrow, compose_thread, sign_in
from tests.factories import ForumFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/parley-threads-shots")


def test_thread_with_tags_prefix_and_poll_at_phone_width(page, live_server) -> None:
    base = live_server.url
    forum = ForumFactory(title="Middle East")
    ThreadPrefix.objects.create(forum=forum, label="Breaking", style="red")
    analysis = ThreadPrefix.objects.create(forum=forum, label="Analysis", style="blue")
    MemberFactory(username="reporter")
    MemberFactory(username="reader")
    SHOTS.mkdir(exist_ok=True)

    page.set_viewport_size(NARROW)
    sign_in(page, base, "reporter")
    compose_thread(page, "Middle East", "Reservoirs at a record low", "The dam is nearly empty.")
    page.select_option("select[name='labels-prefix_id']", label="Analysis")
    page.fill("input[name='labels-tags']", "Water, Côte d'Ivoire, water ")
    page.click("summary:has-text('Add a poll')")
    page.fill("input[name='poll-question']", "Will rationing start before summer?")
    page.fill("textarea[name='poll-options']", "Yes\nNo\nIt already has")
    page.fill("input[name='poll-max_choices']", "2")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the start-thread form is {width[0]} px wide"
    page.click("button:has-text('Post thread')")
    page.wait_for_url(re.compile(r"/threads/\d+/$"))
    thread = Thread.objects.get(title="Reservoirs at a record low")
    assert page.locator("h1 .prefix").inner_text() == "Analysis"
    assert page.locator(".thread-tags .tag").all_inner_texts() == ["côte d'ivoire", "water"]
    assert page.locator(".poll-question").inner_text() == "Will rationing start before summer?"

    # Another member votes for two options; the results show with bars.
    page.context.clear_cookies()
    sign_in(page, base, "reader")
    page.goto(f"{base}/threads/{thread.pk}/")
    page.check(".poll-option:has-text('Yes') input")
    page.check(".poll-option:has-text('It already has') input")
    page.click(".poll-ballot button:has-text('Vote')")
    page.wait_for_url(re.compile(r"/threads/\d+/#poll$"))
    assert "Your vote is counted." in page.locator(".messages").inner_text()
    assert page.locator(".poll-count").all_inner_texts() == ["1 (100%)", "0 (0%)", "1 (100%)"]
    first_bar = page.locator(".poll-bar").first
    assert first_bar.evaluate("e => [e.value, e.max]") == [100, 100]
    assert first_bar.evaluate("e => e.offsetWidth") > 100
    page.screenshot(path=str(SHOTS / "thread-360.png"), full_page=True)
    poll = Poll.objects.get(thread=thread)
    assert poll.voter_count == 1
    assert sorted(PollOption.objects.filter(poll=poll).values_list("vote_count", flat=True)) == [
        0,
        1,
        1,
    ]

    # The tag page and the prefix filter list the thread.
    page.click(".thread-tags a.tag:has-text('water')")
    page.wait_for_url(f"{base}/tags/water/")
    assert page.locator(".tagged-thread .thread-link").inner_text() == thread.title
    page.goto(f"{base}/forums/{forum.pk}/")
    page.click(f".prefix-filter a[href$='?prefix={analysis.pk}']")
    assert page.locator(".thread-row .prefix").inner_text() == "Analysis"
    page.screenshot(path=str(SHOTS / "forum-360.png"), full_page=True)

    for url in (
        f"{base}/threads/{thread.pk}/",
        f"{base}/forums/{forum.pk}/?prefix={analysis.pk}",
        f"{base}/tags/water/",
        f"{base}/threads/{thread.pk}/labels/",
    ):
        check_narrow(page, url)
    page.set_viewport_size(WIDE)
    page.goto(f"{base}/threads/{thread.pk}/")
    page.screenshot(path=str(SHOTS / "thread-1366.png"), full_page=True)
