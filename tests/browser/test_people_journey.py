"""People in a real browser on a 360 px phone: alice finds bob in the member list, follows
and ignores him, finds his post folded away in a thread and opens it, and sees who is
online. Every people page fits the narrow screen."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from parley.core import writebuffer
from parley.members.services import set_signature
from parley.people.models import Follow, Ignore
from tests.browser.steps import NARROW, check_narrow, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PARLEY_SCREENSHOTS", "")


def test_follow_ignore_find_and_see_who_is_online_on_a_phone(browser, live_server) -> None:
    base = live_server.url
    forum = ForumFactory(title="Middle East")
    alice = MemberFactory(username="alice")
    bob = MemberFactory(username="bob", message_count=0)
    MemberFactory(username="bobcat")
    set_signature(member=bob, source="[i]Notes from Kano[/i]", fmt="bbcode")
    talks = make_thread(forum, alice, title="Water talks stall", body="Talks slip again.")
    make_reply(talks, bob, body="A very long take on the dam and the river downstream.")

    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, base, "alice")

        # Find bob: the search is a case-insensitive prefix.
        page.goto(f"{base}/members/")
        page.fill("#member-q", "BOB")
        page.click("button:has-text('Find')")
        page.wait_for_url(re.compile(r"/members/\?q=BOB"))
        rows = page.locator(".member-list .member-name")
        expect(rows).to_have_count(2)
        page.click(".member-list a.member-name:text-is('bob')")
        page.wait_for_url(f"{base}/members/bob/")

        page.click("button.follow-button:has-text('Follow')")
        expect(page.locator("button.follow-button")).to_have_text("Unfollow")
        expect(page.locator(".followers-count")).to_have_text("1 follower")
        page.click("button.ignore-button:has-text('Ignore')")
        expect(page.locator("button.ignore-button")).to_have_text("Stop ignoring")
        assert Follow.objects.filter(follower=alice, followed=bob).exists()
        assert Ignore.objects.filter(member=alice, ignored=bob).exists()

        # bob's post is folded; opening it shows it, signature and all.
        page.goto(f"{base}/threads/{talks.pk}/")
        folded = page.locator("details.ignored-post")
        expect(folded).to_have_count(1)
        expect(folded.locator(".post-body")).to_be_hidden()
        folded.locator("> summary").click()  # the reaction picker inside is a <details> too
        expect(folded.locator(".post-body")).to_contain_text("A very long take")
        expect(folded.locator(".signature")).to_have_text("Notes from Kano")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/thread-ignored-360.png", full_page=True)

        # Who's online: what the page views noted, once flushed.
        writebuffer.flush_all()
        page.goto(f"{base}/online/")
        expect(page.locator(".online-list")).to_contain_text("alice")
        page.goto(f"{base}/")
        expect(page.locator(".online-block")).to_contain_text("alice")
        if SHOTS:
            page.goto(f"{base}/members/")
            page.screenshot(path=f"{SHOTS}/members-360.png", full_page=True)

        for path in (
            "/members/",
            "/members/?q=bo&sort=name",
            "/online/",
            "/members/bob/",
            f"/threads/{talks.pk}/",
            "/account/ignored/",
            "/account/fields/",
            "/account/profile/",
        ):
            check_narrow(page, base + path)
    finally:
        context.close()
