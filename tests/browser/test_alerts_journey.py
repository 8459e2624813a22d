"""Alerts in a real browser: alice mentions bob in a reply; bob, in another browser
context, sees the bell count change on the page he has open, without a reload (live
updates through a real uvicorn), opens /alerts/, follows the alert and lands on the post.
/alerts/ and the preferences page fit a 360 px wide screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parley.alerts.models import Alert
from parley.forums.models import Post
from tests.browser.steps import NARROW, WIDE, check_narrow, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.live.conftest import ThreadedLiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mention_reaches_the_open_page_bell_and_the_alert_leads_to_the_post(
    browser, live_server, live_updates: ThreadedLiveServer, settings
) -> None:
    settings.PARLEY_POSTS_PER_PAGE = 3
    base = live_server.url
    forum = ForumFactory(title="Middle East")
    alice = MemberFactory(username="alice")
    MemberFactory(username="bob")
    talks = make_thread(forum, alice, title="Water talks stall", body="Talks slip again.")
    for i in range(4):  # the mention lands on the thread's second page
        make_reply(talks, alice, body=f"Earlier reply {i}")

    contexts = [browser.new_context(viewport=WIDE) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        for page in (a, b):
            page.set_default_timeout(15_000)
        sign_in(b, base, "bob")
        b.goto(f"{base}/")
        bell = b.locator(".alerts-link .count")
        expect(bell).to_be_hidden()
        expect(b.locator("html")).to_have_attribute("data-live", "open", timeout=10_000)
        b.evaluate("window.__notReloaded = true")

        sign_in(a, base, "alice")
        a.goto(f"{base}/threads/{talks.pk}/?page=2")
        a.fill("textarea[name=source]", "What do you make of it, @bob?")
        a.click("button:has-text('Post reply')")
        a.wait_for_url(re.compile(rf"/threads/{talks.pk}/"))
        mention = Post.objects.filter(thread=talks).latest("id")
        assert Alert.objects.filter(recipient__username="bob", post=mention).exists()

        # bob's open page counts it without a reload.
        expect(bell).to_have_text("1", timeout=10_000)
        expect(bell).to_be_visible()
        assert b.evaluate("window.__notReloaded") is True
        b.click(".alerts-link")
        b.wait_for_url(f"{base}/alerts/")
        item = b.locator(".alert-row.unread .alert-title")
        assert item.inner_text() == "alice mentioned you in “Water talks stall”"
        item.click()
        b.wait_for_url(re.compile(rf"/threads/{talks.pk}/\?page=2#post-{mention.pk}$"))
        post = b.locator(f"#post-{mention.pk}")
        assert "@bob" in post.inner_text()
        assert post.evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return r.top < window.innerHeight && r.bottom > 0; }"
        )
        expect(b.locator(".alerts-link .count")).to_be_hidden()  # read by following it

        check_narrow(b, f"{base}/alerts/")
        check_narrow(b, f"{base}/account/alerts/")
        b.set_viewport_size(NARROW)
        b.goto(f"{base}/account/alerts/")
        b.uncheck("input[value='mention:email']")
        b.click("button:has-text('Save')")
        assert b.locator(".message.success").inner_text() == "Alert preferences saved."
        assert not b.locator("input[value='mention:email']").is_checked()
    finally:
        for context in contexts:
            context.close()
