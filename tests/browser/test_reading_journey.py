"""A member finds what is new in a real browser: the index and forum page mark the unread
thread, "New" jumps to the first unread post on the thread's second page, the member
watches the thread and finds it on /watched/, marks the forum read, and reads /whats-new/.
The new pages fit a 360 px wide phone screen."""

from __future__ import annotations

import re

import pytest

from parley.forums.models import Post
from tests.browser.steps import WIDE, check_narrow, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_jumps_to_unread_watches_and_marks_read(page, live_server, settings) -> None:
    settings.PARLEY_POSTS_PER_PAGE = 3
    base = live_server.url
    page.set_viewport_size(WIDE)
    forum = ForumFactory(title="Middle East")
    MemberFactory(username="alice")
    writer = MemberFactory(username="bob")
    talks = make_thread(forum, writer, title="Water talks stall", body="Talks slip again.")
    for i in range(2):
        make_reply(talks, writer, body=f"Early reply {i}")

    sign_in(page, base, "alice")
    assert page.locator("tr.forum-row.unread .badge.new").count() == 1
    page.click("a.forum-link:has-text('Middle East')")
    # Reading page 1 of the thread, then two more replies arrive.
    page.click("a.thread-link:has-text('Water talks stall')")
    later = [make_reply(talks, writer, body=f"Late reply {i}") for i in range(2)]
    page.goto(f"{base}/forums/{forum.pk}/")
    page.click("tr.thread-row.unread a.badge.new")
    page.wait_for_url(re.compile(rf"/threads/{talks.pk}/\?page=2#post-{later[0].pk}$"))

    page.click("form.watch-form button.watch")
    assert page.locator("form.watch-form .watching").is_visible()
    page.click("a.nav-link:has-text('Watched')")
    assert page.locator("tr.thread-row a.thread-link").all_inner_texts() == ["Water talks stall"]
    assert page.locator("td.unread-count").inner_text() == "0"

    make_reply(talks, writer, body="Newest")
    page.goto(f"{base}/whats-new/")
    assert "Water talks stall" in page.locator("section.new-activity").inner_text()
    check_narrow(page, f"{base}/whats-new/")
    check_narrow(page, f"{base}/watched/")
    check_narrow(page, f"{base}/forums/{forum.pk}/")
    check_narrow(page, f"{base}/threads/{talks.pk}/")

    page.goto(f"{base}/forums/{forum.pk}/")
    page.click("button.mark-forum-read")
    assert page.locator("tr.thread-row.unread").count() == 0
    page.goto(f"{base}/whats-new/")
    assert "Water talks stall" not in page.locator("section.new-activity").inner_text()
    assert Post.objects.filter(thread=talks).count() == 6
