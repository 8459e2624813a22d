"""Starting a thread through the API with tags, a prefix and a poll (the same forms and
writers as the start-thread page), and voting in a poll."""

from __future__ import annotations

import pytest

from parley.forums.models import Thread
from parley.polls.models import Poll, PollOption
from parley.tags.models import ForumTagging, TagMode, ThreadPrefix, ThreadPrefixChoice, ThreadTag

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _start(client, forum, **extra):
    body = {"title": "Strait closed", "source": "Shipping halted.", **extra}
    return client.post(f"/api/v1/forums/{forum.pk}/threads", body, content_type=JSON)


def test_a_thread_starts_with_tags_a_prefix_and_a_poll(token_client, member, forum) -> None:
    prefix = ThreadPrefix.objects.create(forum=forum, label="Breaking")
    response = _start(
        token_client(member),
        forum,
        tags=["shipping", "Gulf"],
        prefix_id=prefix.pk,
        poll={"question": "Will it reopen this week?", "options": ["Yes", "No"]},
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    names = sorted(t.tag.name.lower() for t in ThreadTag.objects.filter(thread=thread))
    assert names == ["gulf", "shipping"]
    assert ThreadPrefixChoice.objects.get(thread=thread).prefix == prefix
    poll = Poll.objects.get(thread=thread)
    assert [o.text for o in PollOption.objects.filter(poll=poll).order_by("position")] == [
        "Yes",
        "No",
    ]


def test_a_poll_with_one_option_is_refused_and_nothing_is_written(token_client, member, forum):
    response = _start(token_client(member), forum, poll={"question": "Q?", "options": ["Only"]})
    assert response.status_code == 400
    assert "poll" in response.json()["error"]["fields"]
    assert not Thread.objects.filter(forum=forum).exists()


def test_tags_where_the_forum_uses_none_are_refused(token_client, member, forum) -> None:
    ForumTagging.objects.create(forum=forum, mode=TagMode.LIST, max_tags=1)
    response = _start(token_client(member), forum, tags=["a", "b", "c"])
    assert response.status_code == 400
    assert "tags" in response.json()["error"]["fields"]
    assert not Thread.objects.filter(forum=forum).exists()


def test_an_unknown_prefix_is_refused(token_client, member, forum) -> None:
    ThreadPrefix.objects.create(forum=forum, label="Analysis")
    response = _start(token_client(member), forum, prefix_id=99999)
    assert response.status_code == 400
    assert "prefix_id" in response.json()["error"]["fields"]


@pytest.fixture
def polled(token_client, member, forum) -> Thread:
    response = _start(
        token_client(member),
        forum,
        poll={"question": "Reopen?", "options": ["Yes", "No", "Unsure"]},
    )
    return Thread.objects.get(pk=response.json()["id"])


def test_a_member_votes_and_sees_the_results(token_client, other, polled) -> None:
    client = token_client(other)
    poll = client.get(f"/api/v1/threads/{polled.pk}/poll").json()
    assert poll["can_vote"] is True
    yes = poll["options"][0]["id"]
    voted = client.post(
        f"/api/v1/threads/{polled.pk}/poll/vote", {"option_ids": [yes]}, content_type=JSON
    )
    assert voted.status_code == 200
    body = voted.json()
    assert body["voted"] is True and body["voter_count"] == 1
    assert body["options"][0]["votes"] == 1 and body["options"][0]["chosen"] is True


def test_changing_a_vote_where_the_poll_forbids_it_is_a_409(token_client, other, polled):
    client = token_client(other)
    first, second = [
        o["id"] for o in client.get(f"/api/v1/threads/{polled.pk}/poll").json()["options"]
    ][:2]
    client.post(
        f"/api/v1/threads/{polled.pk}/poll/vote", {"option_ids": [first]}, content_type=JSON
    )
    again = client.post(
        f"/api/v1/threads/{polled.pk}/poll/vote", {"option_ids": [second]}, content_type=JSON
    )
    assert again.status_code == 409
    assert PollOption.objects.get(pk=first).vote_count == 1
    assert PollOption.objects.get(pk=second).vote_count == 0


def test_an_option_of_another_poll_is_a_400(token_client, other, polled) -> None:
    response = token_client(other).post(
        f"/api/v1/threads/{polled.pk}/poll/vote", {"option_ids": [999999]}, content_type=JSON
    )
    assert response.status_code == 400
    assert not PollOption.objects.filter(vote_count__gt=0).exists()


def test_a_guest_reads_the_poll_but_may_not_vote(anon_client, polled) -> None:
    assert anon_client.get(f"/api/v1/threads/{polled.pk}/poll").status_code == 200
    response = anon_client.post(
        f"/api/v1/threads/{polled.pk}/poll/vote", {"option_ids": [1]}, content_type=JSON
    )
    assert response.status_code == 401


def test_a_thread_without_a_poll_is_a_404(anon_client, thread) -> None:
    assert anon_client.get(f"/api/v1/threads/{thread.pk}/poll").status_code == 404


def test_reading_a_poll_costs_fixed_queries(anon_client, polled, django_assert_num_queries):
    anon_client.get(f"/api/v1/threads/{polled.pk}/poll")
    with django_assert_num_queries(4):
        anon_client.get(f"/api/v1/threads/{polled.pk}/poll")


def test_a_vote_costs_fixed_queries_and_loads_the_thread_once(
    token_client, other, polled, django_assert_num_queries
) -> None:
    client = token_client(other)
    options = [o["id"] for o in client.get(f"/api/v1/threads/{polled.pk}/poll").json()["options"]]
    with django_assert_num_queries(18) as ctx:
        client.post(
            f"/api/v1/threads/{polled.pk}/poll/vote",
            {"option_ids": [options[0]]},
            content_type=JSON,
        )
    # The route's own load (with its forum and author); the service locks the row apart.
    thread_loads = [
        q
        for q in ctx.captured_queries
        if 'FROM "forums_thread" INNER JOIN "forums_forum"' in q["sql"]
    ]
    assert len(thread_loads) == 1
