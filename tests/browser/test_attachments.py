"""Attaching pictures in a real browser, on a 360 px phone: one pasted into the message, one
chosen with the "Attach files" button; both show in the posted reply."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from parley.attachments.models import Attachment
from tests.attachments import pictures
from tests.browser.steps import NARROW, sign_in
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE = """([data, name]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/png" }));
  const textarea = document.querySelector("textarea[name=source]");
  textarea.focus();
  textarea.dispatchEvent(new ClipboardEvent("paste", {
    clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


def test_a_pasted_and_a_chosen_picture_show_in_the_reply_on_a_phone(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    base = live_server.url
    forum = ForumFactory(title="World")
    reporter = MemberFactory(username="reporter")
    thread = make_thread(forum, MemberFactory(username="editor"), title="Flood pictures")
    page.set_viewport_size(NARROW)
    sign_in(page, base, reporter.username)
    page.goto(f"{base}/threads/{thread.pk}/")
    page.fill("textarea[name=source]", "Before and after:\n")

    page.evaluate(PASTE, [base64.b64encode(pictures.png(120, 80)).decode(), "image.png"])
    page.wait_for_selector(".attach-list li.attached")
    page.set_input_files(
        ".attach-input",
        files=[{"name": "street.jpg", "mimeType": "image/jpeg", "buffer": pictures.jpeg(640, 480)}],
    )
    page.wait_for_selector(".attach-list li.attached >> nth=1")
    source = page.input_value("textarea[name=source]")
    ids = [a.pk for a in Attachment.objects.order_by("pk")]
    assert source.startswith("Before and after:\n")
    assert f"[attach={ids[0]}]" in source and f"[attach={ids[1]}]" in source

    page.click("button:has-text('Post reply')")
    page.wait_for_url(re.compile(r"/threads/\d+/"))
    pictures_in_post = page.locator(".post-body a.attachment img")
    assert pictures_in_post.count() == 2
    # The thumbnails load lazily: bring each into view, then every one must have decoded.
    for picture in pictures_in_post.all():
        picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('.post-body a.attachment img')].every(img => img.complete)"
    )
    loaded = page.evaluate(
        "[...document.querySelectorAll('.post-body a.attachment img')]"
        ".map(img => img.complete && img.naturalWidth > 0)"
    )
    assert loaded == [True, True]
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    page.screenshot(path=str(tmp_path / "reply-360.png"), full_page=True)
    assert Attachment.objects.filter(post__isnull=False).count() == 2
