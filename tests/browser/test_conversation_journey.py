"""Private conversations in a real browser: bob starts a conversation with alice and carol;
alice sees the unread count in the header, opens it, quotes and replies; carol leaves and
can no longer open it; an outsider gets the not-found page. Every conversation page fits a
360 px wide phone screen."""

from __future__ import annotations

import re

import pytest

from parley.conversations.models import Conversation, Message
from tests.browser.steps import WIDE, check_narrow, sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser):
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_members_talk_privately_and_one_leaves(browser, live_server) -> None:
    for name in ("alice", "bob", "carol", "dave"):
        MemberFactory(username=name)
    base = live_server.url

    bob_ctx, bob = new_page(browser)
    sign_in(bob, base, "bob")
    bob.click("a.conversations-link")
    bob.click("a.button:has-text('Start a conversation')")
    bob.fill("input[name=recipients]", "alice, carol")
    bob.fill("input[name=title]", "Meeting notes")
    bob.fill("textarea[name=source]", "Only for [b]the three of us[/b].")
    bob.click("button:has-text('Start conversation')")
    bob.wait_for_url(re.compile(r"/conversations/\d+/$"))
    assert "the three of us" in bob.locator(".post-body").first.inner_text()
    conversation = Conversation.objects.get()
    url = f"{base}/conversations/{conversation.pk}/"
    message = Message.objects.get()
    for path in (
        "/conversations/",
        "/conversations/new/",
        f"/conversations/{conversation.pk}/",
        f"/conversations/messages/{message.pk}/edit/",
        f"/conversations/messages/{message.pk}/history/",
        f"/conversations/messages/{message.pk}/report/",
        "/conversations/preferences/",
    ):
        check_narrow(bob, base + path)

    alice_ctx, alice = new_page(browser)
    sign_in(alice, base, "alice")
    assert alice.locator("a.conversations-link .count").inner_text() == "1"
    alice.click("a.conversations-link")
    alice.click("a.conversation-title:has-text('Meeting notes')")
    alice.click("a.quote-link")
    assert '[quote="bob"' in alice.locator("#reply textarea[name=source]").input_value()
    alice.fill("#reply textarea[name=source]", "Agreed.")
    alice.click("button:has-text('Send reply')")
    alice.wait_for_url(re.compile(r"#message-\d+$"))
    assert alice.locator("a.conversations-link .count").count() == 0
    assert "Agreed." in alice.locator(".posts").inner_text()

    carol_ctx, carol = new_page(browser)
    sign_in(carol, base, "carol")
    carol.goto(url)
    carol.click("button.leave-button")
    carol.wait_for_url(f"{base}/conversations/")
    assert carol.locator("a.conversation-title").count() == 0
    assert carol.goto(url).status == 404

    dave_ctx, dave = new_page(browser)
    sign_in(dave, base, "dave")
    assert dave.goto(url).status == 404
    for ctx in (bob_ctx, alice_ctx, carol_ctx, dave_ctx):
        ctx.close()
