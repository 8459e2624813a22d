"""News feeds in, against a real local outlet: each new item becomes a thread through the
forums services, an article already under discussion starts none, failures back off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parley.feeds import services, tasks
from parley.feeds.models import NewsFeed, NewsItem
from parley.forums.models import Forum, Post, Thread
from parley.links.models import PostLink
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_thread

from .conftest import Outlet
from .shapes import atom, rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def bot(db) -> Member:
    return MemberFactory(username="newsdesk")


def attach(forum: Forum, bot: Member, url: str, **kwargs: Any) -> NewsFeed:
    values = {"name": "The Harbour Times", "template": "What do you make of “{title}”?"}
    return services.attach_news_feed(url=url, forum=forum, poster=bot, **(values | kwargs))


_capture: list[Any] = []


@pytest.fixture(autouse=True)
def after_commit(django_capture_on_commit_callbacks: Any) -> None:
    """Run what waits for a commit (the links subscriber, as in production)."""
    _capture[:] = [django_capture_on_commit_callbacks]


def poll(feed: NewsFeed) -> services.PollReport:
    feed.refresh_from_db()
    with _capture[0](execute=True):
        return services.poll_news_feed(feed=feed)


def discussed_by(forum: Forum, member: Member, body: str) -> None:
    with _capture[0](execute=True):
        make_thread(forum, member, title="Seen this?", body=body)


def first_post(thread_id: int) -> Post:
    return Post.objects.get(pk=Thread.objects.get(pk=thread_id).first_post_id)


def test_rss_items_become_threads_oldest_first_with_link_quote_and_template(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", rss({"title": "Ports close"}, {"title": "Ports reopen"}))
    report = poll(attach(forum, bot, url))
    assert report.status == "ok"
    threads = [Thread.objects.get(pk=pk) for pk in report.started]
    assert [t.title for t in threads] == ["Ports close", "Ports reopen"]
    assert all(t.author_id == bot.pk and t.forum_id == forum.pk for t in threads)
    post = first_post(threads[0].pk)
    assert post.source.startswith("https://harbourtimes.test/world/story-0\n")
    assert '[quote source="The Harbour Times"' in post.source
    assert 'author="Ines Moreau" date="2026-11-24"]Summary of story 0.[/quote]' in post.source
    assert post.source.endswith("What do you make of “Ports close”?")
    assert "article-quote" in post.cooked_html
    # The links pipeline recorded the article, so its card and "already discussed" follow.
    assert PostLink.objects.filter(
        post=post, page__key="https://harbourtimes.test/world/story-0"
    ).exists()


def test_refetch_sends_validators_and_a_304_starts_nothing(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add(
        "/world.rss",
        rss({}),
        etag='"v1"',
        last_modified="Tue, 24 Nov 2026 10:00:00 GMT",
    )
    feed = attach(forum, bot, url)
    assert len(poll(feed).started) == 1
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    NewsFeed.objects.filter(pk=feed.pk).update(next_fetch_at=None)
    report = poll(feed)
    assert report.status == "not_modified"
    _, headers = outlet.requests[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert Thread.objects.count() == 1
    feed.refresh_from_db()
    assert feed.last_status == "not modified" and feed.failures == 0


def test_items_seen_before_start_no_second_thread(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", rss({}, {}))
    feed = attach(forum, bot, url)
    poll(feed)
    outlet.add("/world.rss", rss({}, {}, {"title": "Fresh one"}))
    report = poll(feed)
    assert [Thread.objects.get(pk=pk).title for pk in report.started] == ["Fresh one"]
    assert Thread.objects.count() == 3


def test_duplicate_items_in_one_feed_start_one_thread(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    same = {"guid": "ht-dup", "title": "Twice listed"}
    url = outlet.add("/world.rss", rss(same, same))
    report = poll(attach(forum, bot, url))
    assert len(report.started) == 1
    assert NewsItem.objects.count() == 1


def test_same_article_under_two_guids_starts_one_thread(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    link = "https://harbourtimes.test/world/story-x"
    url = outlet.add(
        "/world.rss",
        rss({"guid": "a", "link": link}, {"guid": "b", "link": link + "?utm_source=rss"}),
    )
    report = poll(attach(forum, bot, url))
    assert len(report.started) == 1 and report.discussed == 1


def test_an_article_members_already_discuss_starts_no_thread(
    outlet: Outlet, forum: Forum, bot: Member, member: Member
) -> None:
    link = "https://harbourtimes.test/world/story-0"
    discussed_by(forum, member, "https://www.harbourtimes.test/world/story-0/?utm_campaign=x")
    url = outlet.add("/world.rss", rss({"link": link}, {}))
    report = poll(attach(forum, bot, url))
    assert report.discussed == 1 and len(report.started) == 1
    item = NewsItem.objects.get(url=link)
    assert item.outcome == NewsItem.Outcome.DISCUSSED and item.thread is None


def test_an_article_in_another_forum_is_still_already_discussed(
    outlet: Outlet, forum: Forum, bot: Member, member: Member
) -> None:
    elsewhere = ForumFactory(title="Europe")
    discussed_by(elsewhere, member, "https://harbourtimes.test/world/story-0")
    url = outlet.add("/world.rss", rss({}))
    assert poll(attach(forum, bot, url)).discussed == 1


def test_atom_with_full_content_and_no_summary_quotes_the_start_of_the_content(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    long_text = " ".join(["The convoy crossed the border before dawn."] * 40)
    body = atom({"content": f'<content type="html">&lt;p&gt;{long_text}&lt;/p&gt;</content>'})
    url = outlet.add("/feed.atom", body, content_type="application/atom+xml")
    report = poll(attach(forum, bot, url, name="Steppe Courier"))
    source = first_post(report.started[0]).source
    assert '[quote source="Steppe Courier"' in source
    assert 'author="Daniyar Sultanov"' in source
    quoted = source.split("]", 1)[1].split("[/quote]")[0]
    assert quoted.startswith("The convoy crossed the border before dawn.")
    assert quoted.endswith("…") and len(quoted) <= 610


def test_atom_with_summary_and_content_quotes_the_summary(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    body = atom(
        {
            "summary": "<summary>Talks resume next week.</summary>",
            "content": '<content type="html">Long article text here.</content>',
        }
    )
    url = outlet.add("/feed.atom", body, content_type="application/atom+xml")
    report = poll(attach(forum, bot, url))
    assert "]Talks resume next week.[/quote]" in first_post(report.started[0]).source


def test_broken_and_missing_dates_still_post_without_a_date(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add(
        "/world.rss", rss({"date": "yesterday-ish"}, {"date": "Tue, 31 Feb 2026 25:61:00 XYZ"})
    )
    report = poll(attach(forum, bot, url))
    assert len(report.started) == 2
    assert all(" date=" not in first_post(pk).source for pk in report.started)


def test_markup_in_a_summary_cannot_break_out_of_the_quote(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    summary = "&lt;b&gt;Bold&lt;/b&gt; [/quote][url=https://evil.test]click[/url]"
    url = outlet.add("/world.rss", rss({"summary": summary, "title": 'A "quoted" ] title'}))
    report = poll(attach(forum, bot, url))
    post = first_post(report.started[0])
    assert "evil.test" not in post.cooked_html.split("</blockquote>")[-1]
    assert post.source.count("[/quote]") == 1


def test_a_feed_that_redirects_is_followed(outlet: Outlet, forum: Forum, bot: Member) -> None:
    outlet.add("/world.rss", rss({}))
    old = outlet.add("/old-feed", b"", status=301, location=outlet.url("/world.rss"))
    report = poll(attach(forum, bot, old))
    assert len(report.started) == 1


def test_a_feed_that_times_out_is_recorded_and_backs_off(
    outlet: Outlet, forum: Forum, bot: Member, settings: Any
) -> None:
    settings.PARLEY_NEWS_FEED_DEADLINE = 0.5
    url = outlet.add("/slow.rss", rss({}), delay=5)
    feed = attach(forum, bot, url, interval_minutes=30)
    before = timezone.now()
    report = poll(feed)
    assert report.status == "failed"
    feed.refresh_from_db()
    assert feed.failures == 1 and "time" in feed.last_error.lower()
    assert feed.next_fetch_at is not None
    assert feed.next_fetch_at - before >= timedelta(minutes=60)
    poll(feed)
    feed.refresh_from_db()
    assert feed.failures == 2
    assert feed.next_fetch_at - timezone.now() >= timedelta(minutes=119)
    assert Thread.objects.count() == 0


def test_a_failing_feed_recovers_and_its_failures_reset(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", b"oops", status=500, content_type="text/plain")
    feed = attach(forum, bot, url)
    assert poll(feed).status == "failed"
    feed.refresh_from_db()
    assert "500" in feed.last_error
    outlet.add("/world.rss", rss({}))
    assert poll(feed).status == "ok"
    feed.refresh_from_db()
    assert feed.failures == 0 and feed.last_error == ""


def test_a_page_that_is_not_a_feed_is_a_failure(outlet: Outlet, forum: Forum, bot: Member) -> None:
    url = outlet.add("/index.html", "<html><body>Hello</body></html>", content_type="text/html")
    feed = attach(forum, bot, url)
    assert poll(feed).status == "failed"
    feed.refresh_from_db()
    assert feed.last_error == "The answer is not an RSS or Atom feed."


def test_a_first_fetch_posts_only_the_newest_items(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", rss(*[{} for _ in range(8)]))
    report = poll(attach(forum, bot, url, max_new_items=3))
    titles = [Thread.objects.get(pk=pk).title for pk in report.started]
    assert titles == ["Story 5", "Story 6", "Story 7"]
    assert NewsItem.objects.filter(outcome=NewsItem.Outcome.REFUSED).count() == 5


def test_a_forum_that_refuses_the_bot_records_the_items_as_not_posted(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", rss({}))
    feed = attach(forum, bot, url)
    Forum.objects.filter(pk=forum.pk).update(is_locked=True)
    feed.refresh_from_db()
    report = poll(feed)
    assert report.status == "ok" and report.refused == 1 and not report.started
    assert NewsItem.objects.get().note


def test_attach_refuses_bad_addresses_and_a_poster_who_may_not_post(
    forum: Forum, bot: Member, staff_forum: Forum
) -> None:
    with pytest.raises(ValidationError):
        attach(forum, bot, "ftp://harbourtimes.test/feed")
    with pytest.raises(ValidationError):
        attach(staff_forum, bot, "https://harbourtimes.test/feed")
    with pytest.raises(ValidationError):
        attach(forum, bot, "https://harbourtimes.test/feed", interval_minutes=1)
    attach(forum, bot, "https://harbourtimes.test/feed")
    with pytest.raises(ValidationError):
        attach(forum, bot, "https://harbourtimes.test/feed")
    assert NewsFeed.objects.count() == 1


def test_periodic_task_fetches_only_due_active_feeds(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    url = outlet.add("/world.rss", rss({}))
    due = attach(forum, bot, url, name="Due")
    later = attach(forum, bot, outlet.add("/later.rss", rss({})), name="Later")
    off = attach(forum, bot, outlet.add("/off.rss", rss({})), name="Off", is_active=False)
    NewsFeed.objects.filter(pk=later.pk).update(next_fetch_at=timezone.now() + timedelta(hours=1))
    with _capture[0](execute=True):
        tasks.poll_news_feeds.enqueue()
    assert outlet.hits("/world.rss") == 1
    assert outlet.hits("/later.rss") == 0 and outlet.hits("/off.rss") == 0
    due.refresh_from_db()
    assert due.next_fetch_at is not None and due.next_fetch_at > timezone.now()
    assert off.last_fetched_at is None


def test_fetch_news_feeds_command_fetches_due_feeds_and_reports(
    outlet: Outlet, forum: Forum, bot: Member
) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    attach(forum, bot, outlet.add("/world.rss", rss({}, {})))
    out = StringIO()
    with _capture[0](execute=True):
        call_command("fetch_news_feeds", stdout=out)
    assert "The Harbour Times: ok, 2 started, 0 already discussed, 0 not posted" in out.getvalue()
    out = StringIO()
    call_command("fetch_news_feeds", stdout=out)
    assert out.getvalue().strip() == "No feed is due."
    with pytest.raises(CommandError):
        call_command("fetch_news_feeds", "--feed", "999")


def test_a_due_feed_is_claimed_once_and_due_again_after_the_lease(
    forum: Forum, bot: Member, settings: Any
) -> None:
    feed = attach(forum, bot, "https://harbourtimes.test/world.rss")
    now = timezone.now()
    assert services.claim_due_feeds(now=now) == [feed.pk]
    assert services.claim_due_feeds(now=now) == []  # a second scheduler run queues nothing
    lease = timedelta(seconds=settings.PARLEY_NEWS_FEED_DEADLINE + 301)
    assert services.claim_due_feeds(now=now + lease) == [feed.pk]  # its worker died


def test_feeds_and_webhook_retries_are_on_the_periodic_schedule(settings: Any) -> None:
    assert "parley.feeds.tasks.poll_news_feeds" in settings.PARLEY_PERIODIC_TASKS
    assert "parley.webhooks.tasks.webhooks_sweep" in settings.PARLEY_PERIODIC_TASKS
