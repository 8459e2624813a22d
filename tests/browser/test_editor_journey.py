"""The editor in a real browser: the toolbar writes the chosen format, the preview shows the
server-cooked text while typing, a draft left behind comes back on another device,
quotes collected on two pages are inserted at once (one of them a selected part), and
Ctrl+Enter posts. The compose pages fit a 360 px wide phone screen."""

from __future__ import annotations

import re
import time

import pytest

from parley.editor.models import Draft
from parley.forums.models import Post
from tests.browser.steps import NARROW, WIDE, check_narrow, sign_in
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "data/test/screens"


def wait_for(check, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_editor_journey(page, browser, live_server, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARLEY_POSTS_PER_PAGE = 3
    base = live_server.url
    forum = ForumFactory(title="Middle East")
    alice = MemberFactory(username="alice")
    bob = MemberFactory(username="bob")
    talks = make_thread(forum, bob, title="Water talks stall", body="Talks slip again.")
    make_reply(talks, bob, body="The delegations left early. Nobody signed anything.")
    make_reply(talks, bob, body="A third view")
    later = make_reply(talks, bob, body="Page two opinion, quoted whole")
    page.set_viewport_size(WIDE)
    sign_in(page, base, "alice")
    page.goto(f"{base}/threads/{talks.pk}/")
    box = page.locator(".quick-reply textarea[name=source]")

    # Toolbar: the syntax of the chosen format around the selection.
    box.fill("urgent")
    box.evaluate("t => t.setSelectionRange(0, 6)")
    page.click(".quick-reply .editor-toolbar button[aria-label=Bold]")
    assert box.input_value() == "[b]urgent[/b]"
    page.select_option(".quick-reply select[name=format]", "markdown")
    box.fill("calm")
    box.evaluate("t => t.setSelectionRange(0, 4)")
    page.click(".quick-reply .editor-toolbar button[aria-label=Italic]")
    assert box.input_value() == "_calm_"
    page.select_option(".quick-reply select[name=format]", "bbcode")

    # Live preview, cooked by the server while typing.
    box.fill("")
    box.type("[b]Bold claim[/b] from @bob")
    preview = page.locator(".quick-reply [data-preview-body]")
    preview.locator("strong:has-text('Bold claim')").wait_for()
    assert preview.locator("a.mention").inner_text() == "@bob"

    # Leave the page: the draft is saved on the way out and is there on another device.
    box.fill("A draft that survives")
    page.goto(f"{base}/")
    wait_for(lambda: Draft.objects.filter(member=alice, source="A draft that survives").exists())
    phone = browser.new_context(viewport=NARROW)
    other_device = phone.new_page()
    sign_in(other_device, base, "alice")
    other_device.goto(f"{base}/threads/{talks.pk}/")
    assert other_device.locator(".quick-reply textarea").input_value() == "A draft that survives"
    assert "saved draft is back" in other_device.locator(".quick-reply .editor-status").inner_text()
    phone.close()

    # Multi-quote: a selected part of a post on page 1, a whole post on page 2.
    page.goto(f"{base}/threads/{talks.pk}/")
    second = Post.objects.filter(thread=talks).order_by("id")[1]
    page.locator(f"#post-{second.pk} .post-body").evaluate(
        """body => {
            const text = body.querySelector('p').firstChild;
            const start = text.data.indexOf('Nobody signed');
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + 'Nobody signed'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.click(f"#post-{second.pk} button.multi-quote")
    assert (
        page.locator(f"#post-{second.pk} button.multi-quote").get_attribute("aria-pressed")
        == "true"
    )
    page.goto(f"{base}/threads/{talks.pk}/?page=2")
    page.click(f"#post-{later.pk} button.multi-quote")
    insert = page.locator(".quick-reply [data-insert-quotes]")
    assert insert.inner_text() == "Insert 2 quotes"
    box = page.locator(".quick-reply textarea[name=source]")
    assert box.input_value() == "A draft that survives"
    box.evaluate("t => t.setSelectionRange(t.value.length, t.value.length)")
    insert.click()
    page.wait_for_function(
        "() => document.querySelector('.quick-reply textarea').value.includes('[/quote]\\n\\n[quote')"
    )
    text = box.input_value()
    assert text == (
        "A draft that survives\n\n"
        f'[quote="bob" post={second.pk}]\nNobody signed\n[/quote]\n\n'
        f'[quote="bob" post={later.pk}]\nPage two opinion, quoted whole\n[/quote]\n\n'
    )
    assert insert.is_hidden()
    page.screenshot(path=f"{SHOTS}/editor-wide.png", full_page=True)

    # Ctrl+Enter posts; the draft goes with the post.
    box.press("Control+Enter")
    page.wait_for_url(re.compile(rf"/threads/{talks.pk}/\?page=2#post-\d+$"))
    mine = Post.objects.filter(author=alice).get()
    assert "Nobody signed" in mine.plain_text and "A draft that survives" in mine.plain_text
    assert page.locator(f"#post-{mine.pk} blockquote").count() == 2
    assert not Draft.objects.filter(member=alice).exists()

    # The compose pages fit a phone.
    for url in (
        f"{base}/threads/{talks.pk}/",
        f"{base}/threads/{talks.pk}/reply/",
        f"{base}/forums/{forum.pk}/new/",
        f"{base}/posts/{mine.pk}/edit/",
    ):
        check_narrow(page, url)
    page.set_viewport_size(NARROW)
    page.goto(f"{base}/threads/{talks.pk}/reply/")
    page.fill(
        "textarea[name=source]", "[quote]A long line without spaces: " + "x" * 80 + "[/quote]"
    )
    page.locator("[data-preview-body] blockquote").wait_for()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    page.screenshot(path=f"{SHOTS}/editor-narrow.png", full_page=True)


def test_editor_without_javascript(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    """No toolbar or quote toggles that would do nothing; Preview and Save draft still work."""
    base = live_server.url
    forum = ForumFactory(title="Middle East")
    alice = MemberFactory(username="alice")
    talks = make_thread(forum, MemberFactory(username="bob"), title="Water talks stall")
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    sign_in(page, base, "alice")
    page.goto(f"{base}/threads/{talks.pk}/")
    assert page.locator(".quick-reply .editor-toolbar").is_hidden()
    assert page.locator("button.multi-quote").is_hidden()
    page.fill(".quick-reply textarea[name=source]", "[i]Plain[/i] browser")
    page.click(".quick-reply button[name=preview]")
    page.wait_for_url(f"{base}/threads/{talks.pk}/reply/")
    assert page.locator("[data-preview-body] em").inner_text() == "Plain"
    page.click("button:has-text('Save draft')")
    page.wait_for_url(f"{base}/threads/{talks.pk}/reply/")
    assert "Draft saved." in page.locator(".messages").inner_text()
    assert page.locator("textarea[name=source]").input_value() == "[i]Plain[/i] browser"
    assert Draft.objects.get(member=alice).source == "[i]Plain[/i] browser"
    assert not Post.objects.filter(author=alice).exists()

    # Attaching without JavaScript: the Upload button sends the file with the text.
    assert page.locator(".attach-box").is_hidden()
    page.set_input_files("input[name=files]", files=[_png_file()])
    page.click("button[name=upload]")
    page.wait_for_url(f"{base}/threads/{talks.pk}/reply/")
    source = page.locator("textarea[name=source]").input_value()
    assert re.fullmatch(r"\[i\]Plain\[/i\] browser\n\n\[attach=\d+\]", source), source
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(rf"/threads/{talks.pk}/(\?page=\d+)?#post-\d+$"))
    mine = Post.objects.get(author=alice)
    assert page.locator(f"#post-{mine.pk} .post-body img").count() == 1
    assert mine.attachments.count() == 1
    context.close()


def _png_file() -> dict[str, object]:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(buffer, "PNG")
    return {"name": "map.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
