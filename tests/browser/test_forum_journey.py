"""What a new member does, in a real browser: sign up, start a thread in BBCode, reply quoting
it in Markdown, react with a negative reaction and watch the author's card change, then read
the thread signed out."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from parley.forums.models import Post, Thread
from parley.members.models import Member
from tests.browser.steps import compose_thread, sign_in
from tests.factories import PASSWORD, ForumFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, base: str, name: str) -> None:
    """Sign up, follow the link of the confirmation mail (the live server shares the test's
    mail outbox), then sign in."""
    page.goto(f"{base}/signup/")
    page.fill("input[name=username]", name)
    page.fill("input[name=email]", f"{name}@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign up')")
    page.wait_for_url(f"{base}/signup/sent/")
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{base}{link}")
    assert "Your address is confirmed" in page.locator("h1").inner_text()
    sign_in(page, base, name)


def card_score(page, post_id: int) -> str:
    return page.locator(f"#post-{post_id} .reaction-score").inner_text()


def test_member_journey(page, browser, live_server, settings) -> None:
    base = live_server.url
    settings.PARLEY_SIGNUP_MIN_SECONDS = 0  # a script fills the form faster than a person
    forum = ForumFactory(title="Middle East")
    MemberFactory(username="critic")

    # Sign up and start a thread in BBCode.
    sign_up(page, base, "reporter")
    compose_thread(
        page,
        "Middle East",
        "Dams hold back the river",
        '[b]Farmers[/b] wait for water.\n[quote="An engineer"]There is nothing to release.[/quote]',
    )
    page.click("button:has-text('Post thread')")
    page.wait_for_url(re.compile(r"/threads/\d+/$"))
    assert page.locator(".post-body strong").first.inner_text() == "Farmers"
    thread = Thread.objects.get(title="Dams hold back the river")
    first = Post.objects.get(pk=thread.first_post_id)
    assert card_score(page, first.pk) == "0"
    assert "Messages" in page.locator(f"#post-{first.pk} .member-card").inner_text()

    # A second member quotes it in Markdown and reacts with Dislike.
    other = browser.new_context()
    page2 = other.new_page()
    sign_in(page2, base, "critic")
    page2.goto(f"{base}/threads/{thread.pk}/")
    page2.click(f"#post-{first.pk} a.quote-link")
    page2.wait_for_url(re.compile(r"/reply/\?quote="))
    text = page2.input_value("textarea[name=source]")
    assert f'[quote="reporter" post={first.pk}]' in text
    page2.select_option("select[name=format]", "markdown")
    page2.fill("textarea[name=source]", text + "I **strongly** disagree with the framing.")
    page2.click("button:has-text('Post reply')")
    page2.wait_for_url(re.compile(r"/threads/\d+/#post-\d+$"))
    reply = Post.objects.filter(thread=thread).latest("id")
    body = page2.locator(f"#post-{reply.pk} .post-body")
    assert body.locator("strong").inner_text() == "strongly"
    assert body.locator(f"blockquote a[href='/posts/{first.pk}/']").count() == 1

    page2.click(f"#post-{first.pk} .react-picker summary")  # the picker holds every type
    page2.click(f"#post-{first.pk} .picker-list button.react:has-text('Dislike')")
    page2.wait_for_load_state()
    assert card_score(page2, first.pk) == "-1"
    assert "negative" in page2.locator(f"#post-{first.pk} .reaction-score").get_attribute("class")
    other.close()

    # The author sees their card change.
    page.reload()
    assert card_score(page, first.pk) == "-1"
    assert Member.objects.get(username="reporter").reaction_score == -1

    # Signed out, the thread still reads, without reply form or reaction buttons.
    page.click("button:has-text('Sign out')")
    page.goto(f"{base}/threads/{thread.pk}/")
    assert page.locator(".post").count() == 2
    assert page.locator("textarea").count() == 0
    assert page.locator("button.react").count() == 0
    assert page.locator(".sign-in-to-reply").is_visible()
    assert page.locator(".crumbs").inner_text().endswith(forum.title)
