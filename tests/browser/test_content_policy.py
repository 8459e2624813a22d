"""The Content-Security-Policy in a real browser: Parley's own pages (forum, thread, reply,
admin) raise no violation, the script runs, coloured BBCode keeps its colour (style
attributes are allowed on purpose), and an inline script is refused."""

from __future__ import annotations

import pytest

from tests.browser.steps import sign_in
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_raise_no_policy_violation_and_inline_script_is_refused(page, live_server) -> None:
    base = live_server.url
    member = MemberFactory(username="painter", is_staff=True, is_superuser=True)
    thread = make_thread(
        ForumFactory(title="Colours"), member, title="Red", body="[color=red]Warm[/color] words"
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, base, "painter")
    for path in ("/", f"/threads/{thread.pk}/", f"/threads/{thread.pk}/reply/", "/admin/"):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(f"{base}/threads/{thread.pk}/")
    colour = page.locator(".post-body span").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(255, 0, 0)"
    assert violations == []

    # The double-submit guard in parley.js marks a form as it is sent: the script ran.
    # (A listener on window hears the submit after parley.js's listener on document.)
    page.goto(f"{base}/threads/{thread.pk}/reply/")
    page.fill("textarea[name=source]", "A reply")
    page.evaluate(
        "window.addEventListener('submit', e => {"
        " window.__marked = e.target.dataset.submitting; e.preventDefault(); })"
    )
    page.click("button:has-text('Post reply')")
    assert page.evaluate("window.__marked") == "1"

    from playwright.sync_api import Error as PlaywrightError

    with pytest.raises(PlaywrightError, match="violates the following Content Security Policy"):
        page.add_script_tag(content="window.__inline_ran = true;")
    assert page.evaluate("window.__inline_ran === undefined")
