"""Live updates in a real browser: two members have the same thread's last page open (one
on a 360 px phone screen) and a guest its first page; a reply posted by one member appears
on the other's page without a reload, the guest is told "1 new reply" with a link to it, and
the reaction the reader then gives shows on the writer's page without a reload. The pages talk
to a real uvicorn serving parley.live beside the app server, cross-origin (another port),
with the session cookie sent along."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parley.forums.models import Post
from tests.browser.steps import sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.live.conftest import ThreadedLiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 900}
LIVE_WAIT = 10_000  # ms


def test_a_reply_appears_for_the_other_reader_without_reload(
    browser, live_server, live_updates: ThreadedLiveServer, settings
) -> None:
    settings.PARLEY_POSTS_PER_PAGE = 2
    base = live_server.url
    writer_name, reader_name = "dispatches", "nightdesk"
    MemberFactory(username=writer_name)
    MemberFactory(username=reader_name)
    thread = make_thread(
        ForumFactory(title="World affairs"),
        MemberFactory(),
        title="Strait reopens to shipping",
        body="Insurers are watching.",
    )
    for body in ("Not yet, say the insurers.", "Premiums are still high."):
        make_reply(thread, MemberFactory(), body=body)  # three posts: page 2 is the last
    errors: list[str] = []
    pages = []
    # Two members on the last page; a guest, on a phone too, on the first page.
    for name, size, number in ((writer_name, WIDE, 2), (reader_name, NARROW, 2), (None, NARROW, 1)):
        context = browser.new_context(viewport=size)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        if name:
            sign_in(page, base, name)
        page.goto(f"{base}/threads/{thread.pk}/?page={number}")
        expect(page.locator("html")).to_have_attribute("data-live", "open", timeout=LIVE_WAIT)
        pages.append(page)
    writer, reader, guest = pages
    reader.evaluate("window.__notReloaded = true")

    # The writer replies through the form (the page reloads for them, as always).
    writer.fill("textarea[name=source]", "Two tankers went through this morning.")
    writer.click("button:has-text('Post reply')")
    writer.wait_for_url(re.compile(rf"/threads/{thread.pk}/\?page=2#post-\d+$"))
    reply = Post.objects.filter(thread=thread).latest("id")
    expect(writer.locator("html")).to_have_attribute("data-live", "open", timeout=LIVE_WAIT)

    # The reader's page, 360 px wide, shows it without a reload, fetched as they may see it.
    arrived = reader.locator(f"#post-{reply.pk}")
    expect(arrived).to_be_visible(timeout=LIVE_WAIT)
    expect(arrived.locator(".post-body")).to_contain_text("Two tankers went through")
    expect(arrived.locator(".member-name")).to_contain_text(writer_name)
    assert reader.evaluate("window.__notReloaded") is True
    size = reader.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1], f"the thread page is {size[0]} px wide in a {size[1]} px window"

    # The guest on the first page is told, with a link to the new reply.
    told = guest.locator(".live-notice a")
    expect(told).to_have_text("1 new reply", timeout=LIVE_WAIT)
    assert guest.locator(f"#post-{reply.pk}").count() == 0
    told.click()
    guest.wait_for_url(re.compile(rf"/threads/{thread.pk}/\?page=2#post-{reply.pk}$"))

    # The reader reacts to it (their page reloads); the writer's count updates in place.
    writer.evaluate("window.__notReloaded = true")
    arrived.locator("button.react-main[title^='Like ']").click()
    counts = writer.locator(f"#post-{reply.pk} .reaction-summary .count")
    expect(counts).to_have_text("1", timeout=LIVE_WAIT)
    assert writer.evaluate("window.__notReloaded") is True
    assert [e for e in errors if "Content Security Policy" in e] == []
    for page in pages:
        page.context.close()
