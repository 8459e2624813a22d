"""The links pipeline end to end against a real HTTP server on 127.0.0.1: posting records the
link, the fetch task (run at once by the test task backend) snapshots the page, stores its
image and re-cooks the post with a card."""

from __future__ import annotations

import pytest

from parley.forums import services
from parley.forums.models import Forum, Post
from parley.links.models import LinkedPage, PostLink
from parley.links.tasks import recheck_pages
from parley.members.models import Member
from tests.factories import ForumFactory, make_reply, make_thread
from tests.links.conftest import ARTICLE_PARAGRAPHS, NewsSite, article_html, png_bytes

pytestmark = pytest.mark.django_db


def post_with(forum: Forum, author: Member, body: str, django_capture_on_commit_callbacks) -> Post:
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(forum, author, title="Shipping", body=body)
    return Post.objects.get(pk=thread.first_post_id)


def test_link_alone_on_its_line_becomes_a_card(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks, settings
) -> None:
    news_site.add("/lead.png", png_bytes(), content_type="image/png")
    url = news_site.add("/world/insurers", article_html())
    post = post_with(
        forum, member, f"Worth reading:\n\n{url}\n\nThoughts?", django_capture_on_commit_callbacks
    )
    page = LinkedPage.objects.get()
    assert page.status == "ok"
    assert page.page_title.startswith("Insurers turn ships away from the strait | World news")
    assert (page.site_name, page.section, page.author) == (
        "The Harbour Times",
        "World news",
        "Ines Moreau",
    )
    assert page.image_credit == "Photograph: Harbour Times"
    assert page.image and (settings.MEDIA_ROOT / page.image).exists()
    assert PostLink.objects.get().post_id == post.pk
    post.refresh_from_db()
    assert 'class="link-card"' in post.cooked_html
    assert "The Harbour Times" in post.cooked_html
    assert f'src="/media/{page.image}"' in post.cooked_html  # served by Parley, not hot-linked
    assert "127.0.0.1" not in post.cooked_html.split("link-card-image")[1].split("</figure>")[0]


def test_bare_link_in_a_sentence_gets_the_page_title(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    post = post_with(
        forum, member, f"More here: {url} — worrying.", django_capture_on_commit_callbacks
    )
    post.refresh_from_db()
    assert (
        "Insurers turn ships away from the strait | World news | harbourtimes.test</a>"
        in post.cooked_html
    )
    assert 'class="link-card"' not in post.cooked_html


def test_second_post_uses_the_cached_snapshot(
    news_site: NewsSite, forum, member, other, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    hits = len(news_site.hits)
    # Same article, different tracking parameters and www: one page, no new fetch.
    again = post_with(
        forum, other, url + "?utm_source=feed&fbclid=xyz", django_capture_on_commit_callbacks
    )
    assert len(news_site.hits) == hits
    assert LinkedPage.objects.count() == 1
    assert 'class="link-card"' in again.cooked_html  # cooked with the card at once


def test_failed_fetch_leaves_a_working_link_and_a_reason(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.url("/missing")
    post = post_with(forum, member, f"See {url}", django_capture_on_commit_callbacks)
    page = LinkedPage.objects.get()
    assert page.status == "failed" and "404" in page.fail_reason
    post.refresh_from_db()
    assert f'href="{url}"' in post.cooked_html


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/admin/", "blocked_address"),
        ("http://2130706433/", "blocked_address"),
        ("http://[::ffff:127.0.0.1]/", "blocked_address"),
        ("http://10.0.0.1/", "blocked_address"),
        ("http://169.254.169.254/latest/meta-data/", "blocked_address"),
    ],
)
def test_private_addresses_are_never_fetched(
    forum, member, django_capture_on_commit_callbacks, url: str, reason: str
) -> None:
    post = post_with(forum, member, f"look [url]{url}[/url]", django_capture_on_commit_callbacks)
    page = LinkedPage.objects.first()
    # Either the formatter already refused to make it a link, or the fetcher refused it.
    assert page is None or (page.status == "failed" and page.fail_reason.startswith(reason))
    assert 'class="link-card"' not in post.cooked_html


def test_local_server_off_the_allow_list_is_refused(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = set()
    url = news_site.add("/world/insurers", article_html())
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    assert news_site.hits == []
    assert LinkedPage.objects.get().status == "failed"


def test_pasted_article_becomes_an_attributed_quote(
    news_site: NewsSite, forum, member, other, django_capture_on_commit_callbacks
) -> None:
    """The seed's case: article text pasted with its link, then one line of opinion."""
    url = news_site.add("/world/insurers", article_html(image=""))
    post_with(
        forum, member, url, django_capture_on_commit_callbacks
    )  # Parley now knows the article
    pasted = "\n\n".join(ARTICLE_PARAGRAPHS[:3])
    body = f"{pasted}\n\nMore here: {url}\n\nPatrols will not bring the premiums down."
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(Post.objects.get().thread, other, body)
    html = reply.cooked_html
    quote = html[
        html.index('<blockquote class="quote article-quote"') : html.index("</blockquote>")
    ]
    assert "insurers refused to cover" in quote and "The Harbour Times" in quote
    assert "Patrols will not bring the premiums down." not in quote
    assert "Patrols will not bring the premiums down." in html


def test_forum_cap_on_quoting_an_article(
    news_site: NewsSite, member, other, django_capture_on_commit_callbacks
) -> None:
    from django.core.exceptions import ValidationError

    forum = ForumFactory(max_article_quote_share=40)
    url = news_site.add("/world/insurers", article_html(image=""))
    thread = post_with(forum, member, url, django_capture_on_commit_callbacks).thread
    body = "\n\n".join(ARTICLE_PARAGRAPHS) + f"\n\n{url}\n\nMy view."
    with pytest.raises(ValidationError) as info:
        make_reply(thread, other, body)
    assert "this forum allows at most 40%" in info.value.messages[0]
    assert make_reply(thread, other, ARTICLE_PARAGRAPHS[0] + f"\n\n{url}\n\nMy view.").pk


def test_edit_made_during_a_fetch_is_kept(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        thread = make_thread(forum, member, body=url)
    post = Post.objects.get(pk=thread.first_post_id)
    services.edit_post(editor=member, post=post, source=f"Edited meanwhile.\n\n{url}", fmt="bbcode")
    for callback in callbacks:  # the fetch queued by the first version runs now
        callback()
    post.refresh_from_db()
    assert post.source.startswith("Edited meanwhile.")
    assert "Edited meanwhile." in post.cooked_html and 'class="link-card"' in post.cooked_html


def test_recheck_notices_a_changed_headline_and_a_dead_page(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    post = post_with(forum, member, url, django_capture_on_commit_callbacks)
    LinkedPage.objects.update(checked_at=post.created_at.replace(year=2020))
    news_site.add(
        "/world/insurers",
        article_html(
            image="",
            headline="Ships return as premiums ease",
            title="Ships return as premiums ease | World news | harbourtimes.test",
        ),
    )
    assert recheck_pages.call() == 1
    page = LinkedPage.objects.get()
    assert page.original_headline == "Insurers turn ships away from the strait"
    post.refresh_from_db()
    assert "Headline changed; it read: Insurers turn ships away from the strait" in post.cooked_html

    LinkedPage.objects.update(checked_at=post.created_at.replace(year=2020))
    del news_site.pages["/world/insurers"]
    recheck_pages.call()
    assert LinkedPage.objects.get().is_dead
    post.refresh_from_db()
    assert "No longer available; last seen" in post.cooked_html


def test_recheck_links_command(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    from io import StringIO

    from django.core.management import call_command

    url = news_site.add("/world/insurers", article_html(image=""))
    post = post_with(forum, member, url, django_capture_on_commit_callbacks)
    out = StringIO()
    call_command("recheck_links", stdout=out)
    assert out.getvalue().strip() == "0 page(s) checked."  # checked moments ago
    LinkedPage.objects.update(checked_at=post.created_at.replace(year=2020))
    hits = len(news_site.hits)
    call_command("recheck_links", stdout=out)
    assert out.getvalue().strip().endswith("1 page(s) checked.")
    assert len(news_site.hits) == hits + 1


def test_reserved_demo_domains_are_never_fetched(
    forum, member, django_capture_on_commit_callbacks
) -> None:
    post = post_with(
        forum,
        member,
        "https://www.dailyledger.example/world/story",
        django_capture_on_commit_callbacks,
    )
    page = LinkedPage.objects.get()
    assert page.status == "failed" and page.fail_reason.startswith("reserved_name")
    assert page.fetches.count() == 0
    assert 'href="https://www.dailyledger.example/world/story"' in post.cooked_html


VIDEO_PAGE = """<html><head><title></title>
<link rel="alternate" type="application/json+oembed" href="/oembed?url=video">
</head><body><div id="player"></div></body></html>"""
OEMBED_ANSWER = """{"type": "video", "title": "Harbour patrol, filmed from the breakwater",
 "author_name": "Coastwatch Films", "provider_name": "ClipHost",
 "thumbnail_url": "/thumb.png", "html": "<iframe src='https://evil.test/'></iframe><script>alert(1)</script>"}"""


def test_oembed_of_an_allowed_provider_fills_the_card(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PARLEY_OEMBED_PROVIDERS = {"127.0.0.1"}
    news_site.add("/oembed", OEMBED_ANSWER, content_type="application/json")
    news_site.add("/thumb.png", png_bytes(), content_type="image/png")
    url = news_site.add("/watch", VIDEO_PAGE)
    post = post_with(forum, member, url, django_capture_on_commit_callbacks)
    page = LinkedPage.objects.get()
    assert (page.headline, page.author, page.site_name) == (
        "Harbour patrol, filmed from the breakwater",
        "Coastwatch Films",
        "ClipHost",
    )
    assert page.image.startswith("links/")
    post.refresh_from_db()
    assert "Harbour patrol, filmed from the breakwater" in post.cooked_html
    assert "iframe" not in post.cooked_html and "evil.test" not in post.cooked_html


def test_oembed_of_other_providers_is_not_asked(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PARLEY_OEMBED_PROVIDERS = {"www.youtube.com"}
    news_site.add("/oembed", OEMBED_ANSWER, content_type="application/json")
    url = news_site.add("/watch", VIDEO_PAGE)
    post_with(forum, member, url, django_capture_on_commit_callbacks)
    assert not any(hit.startswith("/oembed") for hit in news_site.hits)
    assert LinkedPage.objects.get().author == ""


def test_recheck_keeps_a_reserved_pages_snapshot_and_moves_on() -> None:
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=30)
    page = LinkedPage.objects.create(
        key="https://dailyledger.example/world/story",
        url="https://dailyledger.example/world/story",
        status="ok",
        headline="Written by the demo",
        fetched_at=old,
        checked_at=old,
    )
    assert recheck_pages.call() == 1
    page.refresh_from_db()
    assert (page.status, page.headline, page.is_dead) == ("ok", "Written by the demo", False)
    assert page.checked_at > old and page.fetches.count() == 0
    assert recheck_pages.call() == 0  # not due again


def test_recheck_of_a_headline_stored_with_its_site_suffix_is_not_a_change(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    post = post_with(forum, member, url, django_capture_on_commit_callbacks)
    # Stored before headlines lost their suffixes: the page itself has not changed.
    LinkedPage.objects.update(
        headline="Insurers turn ships away from the strait | The Harbour Times",
        checked_at=post.created_at.replace(year=2020),
    )
    assert recheck_pages.call() == 1
    page = LinkedPage.objects.get()
    assert page.headline == "Insurers turn ships away from the strait"
    assert page.original_headline == "" and page.headline_changed_at is None
