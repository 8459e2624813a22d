"""On a 360 px phone with JavaScript off: the header menu opens from the keyboard, the member
reacts through the picker and opens the list of who reacted; on a laptop the menu's links
are there without opening anything (docs/layout.md)."""

from __future__ import annotations

import pytest

from parley.forums.models import Post
from tests.browser.pages import session_cookie
from tests.browser.steps import NARROW, WIDE
from tests.factories import ForumFactory, MemberFactory, make_thread, reaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_on_a_phone_without_js_uses_the_menu_and_the_reaction_picker(
    browser, live_server
) -> None:
    base = live_server.url
    author = MemberFactory(username="lena_m")
    reader = MemberFactory(username="altiplano")
    thread = make_thread(ForumFactory(), author, title="Night shifts", body="A long rota.")
    post = Post.objects.get(pk=thread.first_post_id)

    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    context.add_cookies(session_cookie(reader, base))
    page = context.new_page()
    page.goto(f"{base}/threads/{thread.pk}/")
    alerts = page.locator(".site-menu a.alerts-link")
    assert not alerts.is_visible()  # folded away on a phone
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    assert alerts.is_visible()
    page.keyboard.press("Enter")  # and closes again
    assert not alerts.is_visible()

    article = page.locator(f"#post-{post.pk}")
    # The member card is one line above the post: name and title, no stats table.
    card = article.locator(".member-card").bounding_box()
    assert card is not None and card["height"] < 60
    assert not article.locator(".member-stats").is_visible()
    # One main button; the other types wait in the picker.
    assert article.locator("button.react:visible").count() == 1
    article.locator(".react-picker summary").click()
    article.locator(".picker-list button:has-text('Wow')").click()
    assert post.reactions.get().type == reaction("Wow")
    main = page.locator(f"#post-{post.pk} button.react-main")
    assert main.get_attribute("aria-pressed") == "true" and "Wow" in main.inner_text()

    page.click(f"#post-{post.pk} a.reaction-summary")
    page.wait_for_url(f"{base}/posts/{post.pk}/reactions/")
    assert page.locator(".who-reacted li").all_inner_texts()[0].startswith("altiplano")
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]

    page.set_viewport_size(WIDE)
    page.goto(f"{base}/")
    assert alerts.is_visible() and not page.locator(".site-menu > summary").is_visible()
    context.close()
