"""The API from a member's side, in a real Chromium: create a token on the account page at
360 px, use it from a script (list, post, react), revoke it; and the documentation page
Parley serves itself renders its operations under the site's Content-Security-Policy."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from parley.forums.models import Post, Reaction
from tests.browser.steps import NARROW, sign_in
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_creates_a_token_a_script_uses_it_and_revoking_stops_it(
    browser, live_server
) -> None:
    forum = ForumFactory(title="Defence")
    member = MemberFactory(username="alice")
    thread = make_thread(forum, MemberFactory(username="bob"), title="Frigate order", body="Six")
    context = browser.new_context(viewport=NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    base = live_server.url
    try:
        sign_in(page, base, member.username)
        page.goto(f"{base}/account/profile/")
        page.click("a:has-text('API tokens')")
        page.wait_for_url("**/account/api-tokens/")
        page.fill("input[name=name]", "news bot")
        page.check("input[name=scopes][value=write]")
        page.click("button:has-text('Create token')")
        secret = (page.locator("#new-token").text_content() or "").strip()
        assert secret.startswith("parley_")
        expect(page.locator("table.tokens")).to_contain_text("news bot")
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"the tokens page is {width[0]} px wide"
        # On a phone the token rows stack: the Revoke button keeps its word on one line
        # (squeezed into a table column it stood one letter a line, 160 px tall).
        revoke = page.locator("button:has-text('Revoke')").bounding_box()
        assert revoke is not None and revoke["height"] < 60, revoke
        scope_box = page.locator("input[name=scopes][value=write]").bounding_box()
        scope_label = page.locator("label.check:has-text('Write')").bounding_box()
        assert scope_box and scope_label and abs(scope_box["y"] - scope_label["y"]) < 20
        assert scope_box["x"] - scope_label["x"] < 20, "the box stands at the start of its label"

        script = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"})
        forums = script.get("/api/v1/forums").json()
        assert [f["title"] for f in forums] == ["Defence"]
        posted = script.post(f"/api/v1/threads/{thread.pk}/posts", json={"source": "Seven now."})
        assert posted.status_code == 201
        like = script.get("/api/v1/reaction-types").json()[0]["id"]
        reacted = script.put(
            f"/api/v1/posts/{thread.first_post_id}/reaction", json={"type_id": like}
        )
        assert reacted.status_code == 200
        assert Post.objects.get(pk=posted.json()["id"]).author == member
        assert Reaction.objects.filter(post_id=thread.first_post_id, member=member).exists()

        page.click("button:has-text('Revoke')")
        expect(page.locator(".messages")).to_contain_text("Token revoked")
        refused = script.get("/api/v1/forums")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthenticated"
    finally:
        context.close()


def test_the_documentation_page_lists_the_operations_at_phone_width(browser, live_server):
    context = browser.new_context(viewport=NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(live_server.url + "/api/v1/docs/")
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator("body")).to_contain_text("/api/v1/threads/{thread_id}/posts")
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"the documentation page is {width[0]} px wide"
        assert not [p for p in problems if "Content Security Policy" in p], problems
    finally:
        context.close()
