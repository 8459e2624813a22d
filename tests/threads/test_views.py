"""Request tests: starting a thread with tags, a prefix and a poll; voting; the labels
page; the forum's prefix filter and the tag page (success, guest, wrong person, bad input,
query counts)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.forums.models import Forum, Thread, Visibility
from parley.members.models import Member
from parley.polls import services as polls
from parley.polls.models import Poll, PollOption
from parley.tags import services as tags
from parley.tags.models import ForumTagging, ThreadPrefix, ThreadPrefixChoice
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(settings: Any) -> None:
    """Guests' pages rendered every time (not from the page cache), to count their queries."""
    settings.PARLEY_GUEST_CACHE = False


def thread_form(**extra: str) -> dict[str, Any]:
    return {
        "title": "Reservoir levels fall",
        "source": "The [b]dam[/b] is at a record low.",
        "format": "bbcode",
        "token": "a" * 32,
        **extra,
    }


POLL = {
    "poll-question": "Will rationing start before summer?",
    "poll-options": "Yes\nNo\n",
    "poll-max_choices": "1",
    "poll-results": "always",
}


# --- starting a thread ---


def test_start_thread_with_tags_prefix_and_poll(
    member_client: Client, forum: Forum, breaking: ThreadPrefix
) -> None:
    form = member_client.get(f"/forums/{forum.pk}/new/").content.decode()
    assert 'name="labels-tags"' in form and "Breaking" in form and 'name="poll-question"' in form
    data = thread_form(**{"labels-tags": "Water, Drought", "labels-prefix_id": str(breaking.pk)})
    response = member_client.post(f"/forums/{forum.pk}/new/", data | POLL)
    thread = Thread.objects.get(title="Reservoir levels fall")
    assert response.status_code == 302
    assert sorted(thread.tag_links.values_list("tag__name", flat=True)) == ["drought", "water"]
    assert ThreadPrefixChoice.objects.get(thread=thread).prefix == breaking
    poll = Poll.objects.get(thread=thread)
    assert list(poll.options.values_list("text", flat=True)) == ["Yes", "No"]
    page = member_client.get(f"/threads/{thread.pk}/").content.decode()
    assert 'class="prefix prefix-red">Breaking</span>' in page
    assert 'href="/tags/drought/"' in page and "Will rationing start before summer?" in page


def test_start_thread_resubmitted_adds_no_second_poll(member_client: Client, forum: Forum) -> None:
    for _ in range(2):
        member_client.post(f"/forums/{forum.pk}/new/", thread_form() | POLL)
    assert Thread.objects.count() == 1 and Poll.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"labels-tags": "a, b, c, d, e, f"}, "at most 5 tags"),
        ({"labels-tags": "???"}, "not a usable tag"),
        ({"labels-prefix_id": "999999"}, "Select a valid choice"),
        ({"poll-question": "Rationing?", "poll-options": "Only one"}, "at least 2 different"),
        (
            {"poll-question": "Rationing?", "poll-options": "a\nb", "poll-max_choices": "3"},
            "between 1 and",
        ),
        (
            {"poll-question": "Rationing?", "poll-options": "a\nb", "poll-closes_at": "2001-01-01"},
            "in the future",
        ),
    ],
)
def test_start_thread_bad_details_change_nothing_and_keep_the_text(
    member_client: Client, forum: Forum, breaking: ThreadPrefix, extra: dict[str, str], message: str
) -> None:
    response = member_client.post(f"/forums/{forum.pk}/new/", thread_form(**extra))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body and "record low" in body
    assert not Thread.objects.exists() and not Poll.objects.exists()


def test_start_thread_in_a_forum_without_tags_shows_no_tag_field(
    member_client: Client, forum: Forum
) -> None:
    ForumTagging.objects.create(forum=forum, mode="off")
    body = member_client.get(f"/forums/{forum.pk}/new/").content.decode()
    assert 'name="labels-tags"' not in body and 'name="labels-prefix_id"' not in body


# --- voting ---


def vote_url(thread: Thread) -> str:
    return f"/threads/{thread.pk}/poll/vote/"


def test_vote_counts_and_shows_results_with_bars(
    other_client: Client, poll: Poll, thread: Thread
) -> None:
    yes = poll.options.first()
    assert yes is not None
    response = other_client.post(vote_url(thread), {"option": str(yes.pk)})
    assert response.status_code == 302 and response["Location"].endswith("#poll")
    page = other_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "Your vote is counted." in page
    assert 'class="poll-bar" max="100" value="100"' in page and "(your vote)" in page
    assert PollOption.objects.get(pk=yes.pk).vote_count == 1


def test_double_click_on_vote_counts_once(other_client: Client, poll: Poll, thread: Thread) -> None:
    yes = poll.options.first()
    assert yes is not None
    for _ in range(2):
        other_client.post(vote_url(thread), {"option": str(yes.pk)})
    assert PollOption.objects.get(pk=yes.pk).vote_count == 1
    assert Poll.objects.get(pk=poll.pk).voter_count == 1


def test_vote_as_guest_is_sent_to_sign_in(anon_client: Client, poll: Poll, thread: Thread) -> None:
    response = anon_client.post(vote_url(thread), {"option": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/signin/")
    assert Poll.objects.get(pk=poll.pk).voter_count == 0


def test_guest_sees_results_and_a_sign_in_link_but_no_ballot(
    anon_client: Client, poll: Poll, thread: Thread
) -> None:
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "poll-results" in body and "to vote." in body and "poll-ballot" not in body


def test_results_after_voting_are_hidden_until_the_member_votes(
    thread: Thread, member: Member, other_client: Client
) -> None:
    from tests.threads.conftest import make_poll

    poll = make_poll(thread, member, results="after_vote")
    body = other_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "poll-results" not in body and "Results are shown once you have voted" in body
    other_client.post(vote_url(thread), {"option": str(poll.options.first().pk)})  # type: ignore[union-attr]
    assert "poll-results" in other_client.get(f"/threads/{thread.pk}/").content.decode()


def test_vote_in_a_hidden_forum_is_404(member: Member, other_client: Client) -> None:
    hidden = ForumFactory(visibility=Visibility.STAFF)
    staff = MemberFactory(is_staff=True)
    thread = make_thread(hidden, staff)
    from tests.threads.conftest import make_poll

    make_poll(thread, staff)
    assert other_client.post(vote_url(thread), {"option": "1"}).status_code == 404


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_vote_bad_option_says_so_and_counts_nothing(
    other_client: Client, poll: Poll, thread: Thread, value: str
) -> None:
    data = {"option": value} if value else {}
    other_client.post(vote_url(thread), data)
    page = other_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "not part of this poll" in page or "Choose an option" in page
    assert Poll.objects.get(pk=poll.pk).voter_count == 0


def test_vote_on_locked_thread_says_it_is_locked(
    other_client: Client, poll: Poll, thread: Thread
) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    other_client.post(vote_url(thread), {"option": str(poll.options.first().pk)})  # type: ignore[union-attr]
    page = other_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "This thread is locked: its poll takes no more votes." in page


def test_vote_with_get_is_405(other_client: Client, poll: Poll, thread: Thread) -> None:
    assert other_client.get(vote_url(thread)).status_code == 405


def test_vote_query_count(
    other_client: Client, poll: Poll, thread: Thread, django_assert_num_queries: Any
) -> None:
    yes = poll.options.first()
    assert yes is not None
    other_client.get(f"/threads/{thread.pk}/")  # warm the permission cache
    with django_assert_num_queries(16):
        other_client.post(vote_url(thread), {"option": str(yes.pk)})


# --- adding a poll later, editing labels ---


def test_starter_adds_a_poll_later_and_others_may_not(
    member_client: Client, other_client: Client, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/poll/new/"
    assert other_client.get(url).status_code == 403
    assert member_client.get(url).status_code == 200
    bad = member_client.post(url, {"question": "", "options": ""})
    assert bad.status_code == 400 and "Write the poll" in bad.content.decode()
    data = {"question": "Good deal?", "options": "Yes\nNo", "max_choices": "1", "results": "always"}
    assert member_client.post(url, data).status_code == 302
    assert Poll.objects.get(thread=thread).question == "Good deal?"


def test_labels_page_changes_tags_and_prefix_for_the_starter_only(
    member_client: Client,
    other_client: Client,
    anon_client: Client,
    thread: Thread,
    breaking: ThreadPrefix,
) -> None:
    url = f"/threads/{thread.pk}/labels/"
    assert anon_client.get(url).status_code == 302
    assert other_client.post(url, {"tags": "oil"}).status_code == 403
    bad = member_client.post(url, {"tags": "x" * 40})
    assert bad.status_code == 400 and "too long" in bad.content.decode()
    ok = member_client.post(url, {"tags": "Oil, Gas", "prefix_id": str(breaking.pk)})
    assert ok.status_code == 302
    assert sorted(thread.tag_links.values_list("tag__name", flat=True)) == ["gas", "oil"]
    form = member_client.get(url).content.decode()
    assert 'value="gas, oil"' in form


# --- forum prefix filter ---


def test_forum_prefix_filter_lists_only_that_prefix(
    anon_client: Client, forum: Forum, member: Member, breaking: ThreadPrefix
) -> None:
    tagged = make_thread(forum, member, title="Dam breach reported")
    make_thread(forum, member, title="Weekly discussion")
    tags.set_thread_prefix(actor=member, thread=tagged, prefix_id=breaking.pk)
    all_threads = anon_client.get(f"/forums/{forum.pk}/").content.decode()
    assert "Weekly discussion" in all_threads and f'?prefix={breaking.pk}"' in all_threads
    only = anon_client.get(f"/forums/{forum.pk}/?prefix={breaking.pk}").content.decode()
    assert "Dam breach reported" in only and "Weekly discussion" not in only


def test_forum_prefix_filter_guest_cache_keys_on_the_prefix(
    anon_client: Client, forum: Forum, member: Member, breaking: ThreadPrefix, settings: Any
) -> None:
    settings.PARLEY_GUEST_CACHE = True
    thread = make_thread(forum, member, title="Dam breach reported")
    url = f"/forums/{forum.pk}/?prefix={breaking.pk}"
    assert "Dam breach" not in anon_client.get(url).content.decode()
    assert anon_client.get(url)["X-Parley-Cache"] == "hit"
    assert "Dam breach" in anon_client.get(f"/forums/{forum.pk}/").content.decode()
    tags.set_thread_prefix(actor=member, thread=thread, prefix_id=breaking.pk)
    fresh = anon_client.get(url)
    assert fresh["X-Parley-Cache"] == "miss" and "Dam breach" in fresh.content.decode()


@pytest.mark.parametrize("value", ["abc", "999999", "٣"])
def test_forum_prefix_filter_with_an_unknown_prefix_is_404(
    anon_client: Client, forum: Forum, value: str
) -> None:
    other_prefix = ThreadPrefix.objects.create(forum=ForumFactory(), label="Elsewhere")
    assert anon_client.get(f"/forums/{forum.pk}/?prefix={value}").status_code == 404
    assert anon_client.get(f"/forums/{forum.pk}/?prefix={other_prefix.pk}").status_code == 404


def test_forum_page_queries_do_not_grow_with_labelled_threads(
    rendered: None, anon_client: Client, forum: Forum, member: Member, breaking: ThreadPrefix
) -> None:
    from tests.forums.test_views import queries_for

    def labelled() -> None:
        thread = make_thread(forum, member)
        tags.set_thread_tags(actor=member, thread=thread, names=["oil", "gas"])
        tags.set_thread_prefix(actor=member, thread=thread, prefix_id=breaking.pk)

    labelled()
    baseline = queries_for(anon_client, f"/forums/{forum.pk}/?prefix={breaking.pk}")
    for _ in range(5):
        labelled()
    assert queries_for(anon_client, f"/forums/{forum.pk}/?prefix={breaking.pk}") == baseline


# --- tag page ---


def test_tag_page_lists_only_threads_the_reader_may_see(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    staff = MemberFactory(is_staff=True)
    public = make_thread(forum, member, title="Public water thread")
    hidden = make_thread(ForumFactory(visibility=Visibility.STAFF), staff, title="Staff water")
    tags.set_thread_tags(actor=member, thread=public, names=["Water"])
    tags.set_thread_tags(actor=staff, thread=hidden, names=["water"])
    guest = anon_client.get("/tags/water/").content.decode()
    assert "Public water thread" in guest and "Staff water" not in guest
    assert "Staff water" in client_for(staff).get("/tags/water/").content.decode()


def test_tag_page_hides_deleted_and_pending_threads(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    gone = make_thread(forum, member, title="Deleted thread")
    tags.set_thread_tags(actor=member, thread=gone, names=["water"])
    Thread.objects.filter(pk=gone.pk).update(state="deleted")
    assert "Deleted thread" not in anon_client.get("/tags/water/").content.decode()


def test_unknown_tag_and_page_are_404(anon_client: Client, thread: Thread, member: Member) -> None:
    tags.set_thread_tags(actor=member, thread=thread, names=["water"])
    assert anon_client.get("/tags/nothing/").status_code == 404
    assert anon_client.get("/tags/water/?page=9").status_code == 404


def test_tag_page_paginates_with_constant_queries(
    rendered: None, anon_client: Client, forum: Forum, member: Member, settings: Any
) -> None:
    from tests.forums.test_views import queries_for

    settings.PARLEY_THREADS_PER_PAGE = 3
    for i in range(2):
        thread = make_thread(forum, member, title=f"Water {i}")
        tags.set_thread_tags(actor=member, thread=thread, names=["water"])
    baseline = queries_for(anon_client, "/tags/water/")
    for i in range(5):
        thread = make_thread(forum, member, title=f"More water {i}")
        tags.set_thread_tags(actor=member, thread=thread, names=["water", "dams"])
    assert queries_for(anon_client, "/tags/water/") == baseline
    second = anon_client.get("/tags/water/?page=2").content.decode()
    assert second.count('class="tagged-thread"') == 3


def test_tag_page_query_count(
    rendered: None,
    anon_client: Client,
    thread: Thread,
    member: Member,
    django_assert_num_queries: Any,
) -> None:
    tags.set_thread_tags(actor=member, thread=thread, names=["water"])
    anon_client.get("/tags/water/")
    with django_assert_num_queries(6):
        anon_client.get("/tags/water/")


def test_poll_on_thread_page_adds_fixed_queries(
    other_client: Client, poll: Poll, thread: Thread
) -> None:
    from tests.forums.test_views import queries_for

    before = queries_for(other_client, f"/threads/{thread.pk}/")
    polls.vote(member=MemberFactory(), poll=poll, option_ids=[poll.options.first().pk])  # type: ignore[union-attr]
    assert queries_for(other_client, f"/threads/{thread.pk}/") == before


def test_whats_new_shows_prefix_and_tags(
    other_client: Client, thread: Thread, member: Member, breaking: ThreadPrefix
) -> None:
    tags.set_thread_prefix(actor=member, thread=thread, prefix_id=breaking.pk)
    tags.set_thread_tags(actor=member, thread=thread, names=["Water"])
    body = other_client.get("/whats-new/").content.decode()
    assert 'class="prefix prefix-red">Breaking</span>' in body
    assert 'href="/tags/water/"' in body


def test_poll_options_without_a_question_come_back_in_an_open_poll_section(
    member_client: Client, forum: Forum
) -> None:
    response = member_client.post(
        f"/forums/{forum.pk}/new/", thread_form(**{"poll-options": "A\nB"})
    )
    body = response.content.decode()
    assert response.status_code == 400 and not Thread.objects.exists()
    assert '<details class="poll-compose" open>' in body


def test_the_same_thread_sent_again_with_a_new_token_asks_before_posting_it_twice(
    member_client: Client, forum: Forum
) -> None:
    assert member_client.post(f"/forums/{forum.pk}/new/", thread_form()).status_code == 302
    first = Thread.objects.get()
    again = member_client.post(f"/forums/{forum.pk}/new/", thread_form(token="b" * 32))
    body = again.content.decode()
    assert again.status_code == 200 and Thread.objects.count() == 1
    assert (
        "with the same title and text moments ago" in body
        and f'href="/threads/{first.pk}/"' in body
    )
    assert 'name="confirmed" value="1"' in body and "Post thread anyway" in body
    confirmed = member_client.post(
        f"/forums/{forum.pk}/new/", thread_form(token="b" * 32, confirmed="1")
    )
    assert confirmed.status_code == 302 and Thread.objects.count() == 2


def test_a_different_text_in_the_same_forum_posts_at_once(
    member_client: Client, forum: Forum
) -> None:
    member_client.post(f"/forums/{forum.pk}/new/", thread_form())
    other = thread_form(token="b" * 32, source="Another story altogether.")
    assert member_client.post(f"/forums/{forum.pk}/new/", other).status_code == 302
    assert Thread.objects.count() == 2
