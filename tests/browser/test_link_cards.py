"""Link cards in a real browser, with the real database task queue and worker: posting a
thread that links an article returns at once, the card appears on the open thread page
without a reload once the background fetch is done; a second member sharing the same article
(with tracking parameters) is told where it is already discussed, posts anyway, and the two
threads point at each other; search by link finds both."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from parley.forums.models import Post, Thread
from parley.links.models import LinkedPage
from tests.browser.steps import compose_thread, sign_in
from tests.browser.worker import (  # noqa: F401
    BackgroundWorker,
    db_worker_fixture,
    slow_news_site_fixture,
)
from tests.factories import ForumFactory, MemberFactory, make_thread
from tests.links.conftest import NewsSite, article_html, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD_WAIT = 20_000  # ms: the fetch runs in the background worker
ARTICLE = "/world/insurers"
FIRST_TITLE = "Insurers are pricing ships out of the strait"
SECOND_TITLE = "Strait shipping: who pays the premiums?"


def test_link_card_arrives_without_reload_and_second_share_is_told(
    page,
    browser,
    live_server,
    slow_news_site: NewsSite,
    db_worker: BackgroundWorker,
) -> None:
    from django_tasks_db.models import DBTaskResult

    base = live_server.url
    ForumFactory(title="World affairs")
    MemberFactory(username="reporter")
    MemberFactory(username="skeptic")
    slow_news_site.add("/lead.png", png_bytes(), content_type="image/png")
    url = slow_news_site.add(ARTICLE, article_html())

    # 1. The first member shares the article; the newspaper is slow, so the post is on the
    #    page before its card is.
    sign_in(page, base, "reporter")
    compose_thread(
        page,
        "World affairs",
        FIRST_TITLE,
        f"Premiums tripled in a week.\n\n{url}\n\nPatrols alone will not bring them down.",
    )
    with slow_news_site.held(ARTICLE):
        page.click("button:has-text('Post thread')")
        page.wait_for_url(re.compile(r"/threads/\d+/$"))
        page.evaluate("window.__marker = 1")
        thread = Thread.objects.get(title=FIRST_TITLE)
        post_id = thread.first_post_id
        posts = page.locator(".posts")
        assert str(post_id) in (posts.get_attribute("data-pending-previews") or "").split()
        body = page.locator(f"#post-{post_id} .post-body")
        assert body.locator(".link-card").count() == 0
        assert f'href="{url}"' in body.inner_html()  # meanwhile a plain, working link
        # The worker records the link from the post's event right after the commit.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not LinkedPage.objects.exists():
            time.sleep(0.1)
        assert LinkedPage.objects.get().status == LinkedPage.Status.PENDING
        assert DBTaskResult.objects.filter(task_path="parley.links.tasks.fetch_page").exists()
    # The newspaper answers; the worker stores the snapshot and re-cooks the post; the page's
    # poller swaps the post body in place.
    card = body.locator(".link-card")
    expect(card).to_be_visible(timeout=CARD_WAIT)
    expect(body).to_have_class(re.compile(r"\bpreviews-ready\b"))
    assert page.evaluate("window.__marker") == 1, "the thread page was reloaded"
    expect(card.locator(".link-card-site")).to_have_text("The Harbour Times")
    expect(card.locator(".link-card-title a")).to_contain_text(
        "Insurers turn ships away from the strait"
    )
    assert card.locator(".link-card-title a").get_attribute("href") == url
    image = card.locator(".link-card-image img")
    src = image.get_attribute("src") or ""
    assert re.fullmatch(r"/media/links/[0-9a-f]+\.(jpg|webp)", src), src
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    served = page.request.get(f"{base}{src}")
    assert served.ok and served.headers["content-type"].startswith("image/")
    assert "Premiums tripled in a week." in body.inner_text()
    assert "Patrols alone will not bring them down." in body.inner_text()
    page_row = LinkedPage.objects.get()
    assert page_row.status == LinkedPage.Status.OK
    failed = list(DBTaskResult.objects.failed().values_list("task_path", "traceback"))
    assert failed == []
    assert DBTaskResult.objects.successful().count() >= 1
    assert db_worker.thread.is_alive()

    # 2. A second member shares the same article with tracking parameters.
    other = browser.new_context()
    other.set_default_timeout(15_000)
    page2 = other.new_page()
    sign_in(page2, base, "skeptic")
    compose_thread(
        page2,
        "World affairs",
        SECOND_TITLE,
        f"Another take on this:\n\n{url}?utm_source=x&fbclid=y\n\nThe insurers are right.",
    )
    notices = page2.locator(".compose-notices .notice.already-discussed")
    # While typing: the live check says where the article is already discussed.
    expect(notices.first).to_contain_text(f"Discussed in {FIRST_TITLE} by reporter")
    expect(notices.first).to_contain_text("reply there instead?")
    expect(notices.first.locator("a")).to_have_attribute("href", f"/threads/{thread.pk}/")
    # On submit the server says it too, and asks for a second, deliberate submit.
    page2.click("#start-thread-form button.primary[type=submit]")
    expect(page2.locator("#start-thread-form button.primary[type=submit]")).to_have_text(
        "Post thread anyway"
    )
    assert Thread.objects.filter(title=SECOND_TITLE).count() == 0
    expect(notices.first).to_contain_text(f"Discussed in {FIRST_TITLE} by reporter")
    expect(notices.first.locator("a")).to_have_attribute("href", f"/threads/{thread.pk}/")
    page2.click("button:has-text('Post thread anyway')")
    page2.wait_for_url(re.compile(r"/threads/\d+/$"))
    second = Thread.objects.get(title=SECOND_TITLE)
    assert second.author.username == "skeptic"
    also = page2.locator(".also-discussed")
    expect(also).to_contain_text("Also discussed in")
    expect(also.locator(f"a[href='/threads/{thread.pk}/']")).to_have_text(FIRST_TITLE)
    expect(also).to_contain_text("by reporter")
    # The article is known now: the second post has its card at once, nothing pending.
    second_body = page2.locator(f"#post-{second.first_post_id} .post-body")
    expect(second_body.locator(".link-card .link-card-site")).to_have_text("The Harbour Times")
    assert (page2.locator(".posts").get_attribute("data-pending-previews") or "").strip() == ""
    assert Post.objects.filter(thread=second).count() == 1
    other.close()

    # The first thread now points at the second one as well.
    page.reload()
    expect(page.locator(f".also-discussed a[href='/threads/{second.pk}/']")).to_have_text(
        SECOND_TITLE
    )

    # 3. Search by link, with the address written differently, lists both threads.
    written_differently = url.replace("127.0.0.1", "www.127.0.0.1") + "/?utm_campaign=z#top"
    page.goto(f"{base}/links/search/?url={quote(written_differently, safe='')}")
    expect(page.locator("h2")).to_have_text("2 threads linked it")
    results = page.locator(".link-results")
    expect(results.locator(f"a[href='/threads/{thread.pk}/']")).to_have_text(FIRST_TITLE)
    expect(results.locator(f"a[href='/threads/{second.pk}/']")).to_have_text(SECOND_TITLE)


def test_compose_page_shown_again_lists_each_notice_once(page, live_server) -> None:
    base = live_server.url
    forum = ForumFactory(title="World affairs")
    reporter = MemberFactory(username="reporter")
    MemberFactory(username="skeptic")
    # A reserved .example address: recorded as a link, never fetched.
    url = "https://news.example/world/insurers"
    first = make_thread(forum, reporter, title=FIRST_TITLE, body=f"Read this:\n\n{url}")

    sign_in(page, base, "skeptic")
    page.goto(f"{base}/forums/{forum.pk}/new/")
    page.fill("input[name=title]", SECOND_TITLE)
    page.fill("textarea[name=source]", f"{url}?utm_source=x")
    page.click("#start-thread-form button.primary[type=submit]")
    expect(page.locator("#start-thread-form button.primary[type=submit]")).to_have_text(
        "Post thread anyway"
    )
    page.wait_for_load_state("networkidle")  # the page's own live check has answered
    notices = page.locator(".compose-notices .notice.already-discussed")
    expect(notices.first.locator("a")).to_have_attribute("href", f"/threads/{first.pk}/")
    assert notices.count() == 1, notices.all_inner_texts()
