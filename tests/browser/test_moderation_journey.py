"""A moderator handles a report end to end in a real browser: a member reports a post; the
moderator sees the count in the header, opens the case, deletes the post (readers see the
placeholder), restores it, warns its author (who sees the warning and the public notice),
bans them (they see the reason where the reply box was), moves, merges and splits threads,
and finds every one of those actions in the moderator log. Then a member posts in a forum
that needs approval, sees it waiting, and the moderator approves it from the queue. The
moderation pages must fit a 360 px wide phone screen."""

from __future__ import annotations

import re

import pytest

from parley.forums.models import Approval, Post, State, Thread
from parley.moderation.models import AuditEntry
from parley.permissions.models import Group
from tests.browser.steps import compose_thread, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 900}


def fits_width(page) -> bool:
    """Nothing on the page pushes it wider than the window (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check_narrow(page, url: str) -> None:
    page.set_viewport_size(NARROW)
    page.goto(url)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert fits_width(page), f"{url} is {width[0]} px wide in a {width[1]} px window"
    page.set_viewport_size(WIDE)


def new_page(browser):
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def log_actions(page, base: str, action: str) -> list[str]:
    """Filter the moderator log by one action and read the action column."""
    page.goto(f"{base}/moderation/log/")
    page.select_option("form.filters select[name=action]", action)
    page.click("form.filters button:has-text('Filter')")
    page.wait_for_url(re.compile(rf"action={re.escape(action)}"))
    return page.locator("tr.log-entry td.action").all_inner_texts()


def test_moderator_handles_a_report_end_to_end(page, browser, live_server) -> None:
    base = live_server.url
    page.set_viewport_size(WIDE)
    middle_east = ForumFactory(title="Middle East")
    europe = ForumFactory(title="Europe")
    newsroom = ForumFactory(title="Newsroom", approval=Approval.ALL)
    moderator = MemberFactory(username="moderator")
    Group.objects.get(key=Group.MODERATORS).members.add(moderator)
    reader = MemberFactory(username="alice")
    offender = MemberFactory(username="troll")
    writer = MemberFactory(username="bob")

    talks = make_thread(middle_east, writer, title="Water talks stall", body="Talks slip again.")
    bad = make_reply(talks, offender, body="Anyone who believes this is an idiot.")
    make_reply(talks, writer, body="Pumps matter more than dams.")
    make_reply(talks, reader, body="The pump stations were never repaired.")
    stray = make_thread(middle_east, writer, title="Baltic cables cut", body="Anchors again.")
    duplicate = make_thread(
        middle_east, reader, title="Water talks stall (again)", body="Same story, day two."
    )

    # A member reports the post from the thread page.
    sign_in(page, base, "alice")
    page.goto(f"{base}/threads/{talks.pk}/")
    page.click(f"#post-{bad.pk} a.report-link")
    page.select_option("select[name=reason]", label="Abuse or harassment")
    page.fill("textarea[name=text]", "Insults instead of arguments.")
    page.click("button:has-text('Send report')")
    page.wait_for_url(re.compile(rf"/threads/{talks.pk}/#post-{bad.pk}$"))
    assert "the moderators will look" in page.locator(".messages").inner_text()

    # The moderator sees it counted in the header and opens the case from the queue.
    mod_context, mod = new_page(browser)
    sign_in(mod, base, "moderator")
    assert mod.locator(".staff-queue .count").inner_text() == "1"
    mod.click(".staff-queue")
    mod.wait_for_url(f"{base}/moderation/")
    mod.click("li.case a")
    mod.wait_for_url(re.compile(r"/moderation/reports/\d+/$"))
    case_url = mod.url
    assert "Insults instead of arguments." in mod.locator("ul.reports").inner_text()

    # Soft delete with a reason: readers see the placeholder, the moderator can expand it.
    mod.click("a:has-text('Delete the post')")
    mod.fill("input[name=reason]", "Personal attack")
    mod.click("button:has-text('Delete')")
    mod.wait_for_url(re.compile(rf"/threads/{talks.pk}/#post-{bad.pk}$"))
    placeholder = mod.locator(f"#post-{bad.pk} .deleted-placeholder")
    assert placeholder.inner_text() == "Deleted by a moderator: Personal attack"
    hidden = mod.locator(f"#post-{bad.pk} .deleted-content .post-body")
    assert not hidden.is_visible()
    mod.click(f"#post-{bad.pk} .deleted-content summary")
    assert hidden.inner_text() == "Anyone who believes this is an idiot."

    page.reload()
    assert page.locator(f"#post-{bad.pk} .deleted-placeholder").is_visible()
    assert "idiot" not in page.locator(f"#post-{bad.pk}").inner_text()

    # Restore it: everyone reads it again.
    with mod.expect_navigation():  # back to the same address
        mod.click(f"#post-{bad.pk} button.restore")
    assert mod.locator(f"#post-{bad.pk} .deleted-placeholder").count() == 0
    page.reload()
    assert "idiot" in page.locator(f"#post-{bad.pk} .post-body").inner_text()

    # Warn the author with a public notice under the post.
    mod.click(f"#post-{bad.pk} a.warn-link")
    mod.select_option("select[name=warning_type]", label="Incivility (2 pt)")
    mod.fill("input[name=reason]", "Calling people idiots")
    mod.fill("input[name=public_notice]", "Warned: argue with the point, not the person.")
    mod.click("button:has-text('Warn')")
    mod.wait_for_url(re.compile(rf"#post-{bad.pk}$"))

    troll_context, troll = new_page(browser)
    sign_in(troll, base, "troll")
    troll.goto(f"{base}/account/warnings/")
    assert troll.locator(".warning-points").inner_text() == "2"
    warning = troll.locator("li.warning").inner_text()
    assert "Incivility" in warning and "Calling people idiots" in warning
    troll.goto(f"{base}/threads/{talks.pk}/")
    notice = troll.locator(f"#post-{bad.pk} .staff-notice").inner_text()
    assert notice == "Warned: argue with the point, not the person."
    assert troll.locator("textarea[name=source]").count() == 1  # may still reply

    # Ban them: the reason shows where the reply box was.
    mod.goto(f"{base}/members/troll/")
    mod.click("a:has-text('Ban or lift a ban')")
    mod.fill("input[name=days]", "7")
    mod.fill("input[name=reason]", "Repeated insults after a warning")
    mod.click("form.narrow-form button:has-text('Ban')")
    mod.wait_for_url(f"{base}/members/troll/")
    troll.reload()
    assert troll.locator("textarea[name=source]").count() == 0
    block = troll.locator(".write-block").inner_text()
    assert "You are banned" in block and "Repeated insults after a warning" in block

    # Move a thread to another forum with the thread tools.
    mod.goto(f"{base}/threads/{stray.pk}/")
    mod.click(".thread-tools summary")
    tools = mod.locator(".thread-tools form")
    tools.locator("select[name=action]").select_option("move")
    tools.locator("select[name=forum]").select_option(label="Europe")
    tools.locator("input[name=reason]").fill("Belongs in Europe")
    with mod.expect_navigation():
        tools.locator("button:has-text('Apply')").click()
    assert mod.locator(".crumbs").inner_text().endswith("Europe")
    assert Thread.objects.get(pk=stray.pk).forum_id == europe.pk

    # Merge the duplicate thread into the first one.
    mod.goto(f"{base}/threads/{talks.pk}/")
    mod.click(".thread-tools summary")
    tools.locator("select[name=action]").select_option("merge")
    tools.locator("input[name=merge_with]").fill(str(duplicate.pk))
    with mod.expect_navigation():
        tools.locator("button:has-text('Apply')").click()
    assert mod.locator(".post").count() == 5
    assert "Same story, day two." in mod.locator(".posts").inner_text()
    assert not Thread.objects.filter(pk=duplicate.pk).exists()

    # Split two replies into a new thread: tick them, choose the action, apply.
    pumps = list(Post.objects.filter(thread=talks, source__icontains="pump").order_by("id"))
    assert len(pumps) == 2
    for post in pumps:
        mod.check(f"#post-{post.pk} input[name=posts]")
    bulk = mod.locator("#bulk-posts")
    bulk.locator("select[name=action]").select_option("split")
    bulk.locator("input[name=title]").fill("Who repairs the pump stations?")
    bulk.locator("select[name=forum]").select_option(label="Middle East")
    with mod.expect_navigation():
        bulk.locator("button:has-text('Apply to selected')").click()
    assert mod.locator("h1.thread-title").inner_text() == "Who repairs the pump stations?"
    assert mod.locator(".post").count() == 2
    split = Thread.objects.get(title="Who repairs the pump stations?")
    assert sorted(Post.objects.filter(thread=split).values_list("pk", flat=True)) == [
        p.pk for p in pumps
    ]

    # Every action is in the log, found by filtering on it.
    for action in (
        "post.delete",
        "post.restore",
        "member.warn",
        "member.ban",
        "thread.move",
        "thread.merge",
        "thread.split",
    ):
        assert log_actions(mod, base, action) == [action], action
    assert AuditEntry.objects.filter(action="post.delete", reason="Personal attack").exists()
    log_actions(mod, base, "post.delete")
    assert mod.locator("tr.log-entry td.change").inner_text() == "state: visible → deleted"

    # The moderation pages fit a phone screen.
    for url in (
        f"{base}/moderation/",
        f"{base}/moderation/log/",
        case_url,
        f"{base}/threads/{talks.pk}/",
    ):
        check_narrow(mod, url)
    check_narrow(troll, f"{base}/account/warnings/")
    troll_context.close()

    # A member posts in a forum that needs approval and sees it waiting.
    page.goto(f"{base}/")
    compose_thread(page, "Newsroom", "Ferry strike ends", "The unions accepted the offer.")
    page.click("button:has-text('Post thread')")
    page.wait_for_url(re.compile(r"/threads/\d+/$"))
    assert "awaiting approval" in page.locator(".messages").inner_text()
    assert page.locator(".post .badge.pending").inner_text() == "Awaiting approval"
    waiting = Thread.objects.get(title="Ferry strike ends")
    assert waiting.state == State.PENDING and waiting.forum_id == newsroom.pk

    # The moderator now counts it in the header, and approves it from the queue.
    mod.goto(f"{base}/")
    assert mod.locator(".staff-queue .count").inner_text() == "2"
    mod.click(".staff-queue")
    mod.click("li.pending-post button:has-text('Approve')")
    mod.wait_for_url(re.compile(rf"/threads/{waiting.pk}/#post-\d+$"))
    assert mod.locator(".staff-queue .count").inner_text() == "1"
    mod_context.close()
    page.reload()
    assert page.locator(".post .badge.pending").count() == 0
    assert Thread.objects.get(pk=waiting.pk).state == State.VISIBLE
