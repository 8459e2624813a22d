"""What a member does in the browser, step by step, shared by the browser tests."""

from __future__ import annotations

import re
from typing import Any

from tests.factories import PASSWORD


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/signin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")
    # text_content, not inner_text: on a phone the account links are folded into the menu.
    assert (page.locator(".account").text_content() or "").strip().startswith(username)


def compose_thread(
    page: Any, forum_title: str, title: str, source: str, fmt: str = "bbcode"
) -> None:
    """From the forum index: open the forum, open "Post thread", fill in the form (not sent)."""
    page.click(f"a.forum-link:has-text('{forum_title}')")
    page.click("a.button:has-text('Post thread')")
    page.wait_for_url(re.compile(r"/forums/\d+/new/$"))
    page.fill("input[name=title]", title)
    page.fill("textarea[name=source]", source)
    page.select_option("select[name=format]", fmt)


NARROW = {"width": 360, "height": 740}  # a small phone
WIDE = {"width": 1366, "height": 900}  # a common laptop


def check_narrow(page: Any, url: str) -> None:
    """Open `url` 360 px wide and check that nothing makes the page scroll sideways."""
    page.set_viewport_size(NARROW)
    page.goto(url)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{url} is {width[0]} px wide in a {width[1]} px window"
    page.set_viewport_size(WIDE)
