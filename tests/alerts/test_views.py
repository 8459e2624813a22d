"""/alerts/, opening and reading alerts, the preferences page and the bell."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.alerts import kinds, preferences
from parley.alerts.models import Alert
from parley.conversations import services as conversations
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.moderation import content
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, reaction

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm the permission cache and the bell
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def mentioned(committed: Any, thread: Thread, member: Member, other: Member) -> Alert:
    committed(make_reply, thread, member, "Over to you, @bob")
    return Alert.objects.get(recipient=other)


def some_of_each(committed: Any, thread: Thread, first_post: Post, to: Member, n: int) -> None:
    """n mentions, n reactions to `to`'s post and n conversation messages for `to`."""
    for i in range(n):
        who = MemberFactory()
        committed(make_reply, thread, who, f"Number {i}, @{to.username}?")
        committed(
            services.react_to_post, member=who, post=first_post, reaction_type=reaction("Like")
        )
        committed(
            conversations.start_conversation,
            starter=who,
            recipients=[to],
            title=f"Talk {i}",
            source="Hello",
            fmt="bbcode",
        )


def test_alerts_page_lists_newest_first_with_links_and_actor_names(
    mentioned: Alert, other_client: Client, thread: Thread
) -> None:
    body = other_client.get("/alerts/").content.decode()
    assert f"alice mentioned you in “{thread.title}”" in body
    assert f'href="/alerts/{mentioned.pk}/"' in body and "Over to you" in body


def test_alerts_page_guest_is_sent_to_sign_in(anon_client: Client) -> None:
    response = anon_client.get("/alerts/")
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_alerts_page_bad_page_number_is_404_and_post_is_405(other_client: Client) -> None:
    assert other_client.get("/alerts/?page=zz").status_code == 404
    assert other_client.get("/alerts/?page=99").status_code == 404
    assert other_client.post("/alerts/").status_code == 405


def test_opening_an_alert_marks_it_read_and_leads_to_the_post(
    mentioned: Alert, other_client: Client
) -> None:
    response = other_client.get(f"/alerts/{mentioned.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/posts/{mentioned.post_id}/"
    mentioned.refresh_from_db()
    assert mentioned.read_at is not None


def test_someone_elses_alert_is_a_404_and_stays_unread(
    mentioned: Alert, member_client: Client, anon_client: Client
) -> None:
    assert member_client.get(f"/alerts/{mentioned.pk}/").status_code == 404
    assert member_client.post(f"/alerts/{mentioned.pk}/read/").status_code == 404
    assert anon_client.post(f"/alerts/{mentioned.pk}/read/").status_code == 302
    mentioned.refresh_from_db()
    assert mentioned.read_at is None


def test_mark_one_and_mark_all_read(
    committed: Any, mentioned: Alert, other_client: Client, thread: Thread, member: Member
) -> None:
    assert other_client.get(f"/alerts/{mentioned.pk}/read/").status_code == 405
    assert other_client.post(f"/alerts/{mentioned.pk}/read/").status_code == 302
    mentioned.refresh_from_db()
    assert mentioned.read_at is not None
    committed(make_reply, thread, member, "Again, @bob")
    assert other_client.get("/alerts/read-all/").status_code == 405
    assert other_client.post("/alerts/read-all/").status_code == 302
    assert not Alert.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read_needs_csrf(mentioned: Alert, other: Member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    assert client.post("/alerts/read-all/").status_code == 403
    mentioned.refresh_from_db()
    assert mentioned.read_at is None


def test_alerts_about_content_hidden_from_the_member_are_not_shown(
    committed: Any, mentioned: Alert, other_client: Client, moderator: Member, staff_forum: Forum
) -> None:
    thread = Post.objects.get(pk=mentioned.post_id).thread
    committed(content.move_threads, actor=moderator, threads=[thread], forum=staff_forum)
    body = other_client.get("/alerts/").content.decode()
    assert "mentioned you" not in body
    assert "data-alert-count hidden>0<" in body  # nor counted
    assert other_client.get(f"/alerts/{mentioned.pk}/").status_code == 404


def test_bell_shows_the_unread_count_and_drops_after_reading(
    mentioned: Alert, other_client: Client
) -> None:
    body = other_client.get("/").content.decode()
    assert 'title="unread alerts" data-alert-count>1<' in body
    other_client.post("/alerts/read-all/")
    assert "data-alert-count hidden>0<" in other_client.get("/").content.decode()


def test_guests_get_no_bell_and_no_query_for_it(anon_client: Client, forum: Forum) -> None:
    anon_client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        body = anon_client.get("/").content.decode()
    assert "alerts-link" not in body
    assert not any("alerts_alert" in q["sql"] for q in ctx.captured_queries)


def test_bell_costs_no_query_in_steady_state(mentioned: Alert, other: Member) -> None:
    client = client_for(other)  # signing in primes the count
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert not any("alerts_alert" in q["sql"] for q in ctx.captured_queries)


def test_alerts_page_queries_do_not_grow_with_alerts(
    committed: Any, thread: Thread, first_post: Post, member: Member
) -> None:
    """session + user + count + the page of alerts (with actor, post, thread, forum, message,
    conversation) + reactors' names + current conversations + permission version = 7."""
    some_of_each(committed, thread, first_post, member, 1)
    client = client_for(member)
    small = queries_for(client, "/alerts/")
    some_of_each(committed, thread, first_post, member, 4)
    assert Alert.objects.filter(recipient=member).count() == 1 + 5 + 5
    assert queries_for(client, "/alerts/") == small == 7


def test_preferences_page_shows_defaults_and_saves_choices(
    other_client: Client, other: Member
) -> None:
    body = other_client.get("/account/alerts/").content.decode()
    assert 'value="mention:email" aria-label="Someone @mentions you: e-mail" checked' in body
    assert 'value="reaction:email" aria-label="Reactions to your posts: e-mail">' in body
    on = [f"{k}:in_app" for k in kinds.ALL if k != kinds.REACTION] + ["reaction:push"]
    response = other_client.post("/account/alerts/", {"on": on, "digest": "weekly"})
    assert response.status_code == 302
    choices = preferences.member_choices(other.pk)
    assert choices[kinds.REACTION] == preferences.Choice(False, False, True)
    assert choices[kinds.MENTION] == preferences.Choice(True, False, False)
    assert preferences.digest_of(other.pk) == "weekly"


def test_preferences_bad_input_changes_nothing(other_client: Client, other: Member) -> None:
    for data in [{"on": ["rockets:email"], "digest": "off"}, {"on": [], "digest": "hourly"}]:
        response = other_client.post("/account/alerts/", data)
        assert response.status_code == 400
        assert b"nothing was changed" in response.content
    assert other.alert_preferences.count() == 0


def test_preferences_guest_and_wrong_method(anon_client: Client, other_client: Client) -> None:
    assert anon_client.get("/account/alerts/").status_code == 302
    assert anon_client.post("/account/alerts/", {"digest": "off"}).status_code == 302
    assert other_client.put("/account/alerts/").status_code == 405


def test_preferences_page_queries(other: Member) -> None:
    """session + user + preference rows + digest setting + permission version (the header's
    staff check) = 5."""
    assert queries_for(client_for(other), "/account/alerts/") == 5


def test_alerts_page_queries_for_a_member_with_one_mention(mentioned: Alert, other: Member) -> None:
    """session + user + count + page + permission version = 5 (no reactions, no messages)."""
    assert queries_for(client_for(other), "/alerts/") == 5


def count_queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_opening_and_marking_cost_exact_queries(
    committed: Any, mentioned: Alert, other: Member, thread: Thread, member: Member
) -> None:
    """Open: session + user + the alert with its post, thread and forum + permission version
    + mark read = 5. Mark all read: session + user + the update = 3 (its message travels in
    the cookie)."""
    client = client_for(other)
    client.get("/")
    assert count_queries(lambda: client.get(f"/alerts/{mentioned.pk}/")) == 5
    committed(make_reply, thread, member, "More, @bob")
    assert count_queries(lambda: client.post("/alerts/read-all/")) == 3


def test_unsubscribe_costs_exact_queries(other: Member, anon_client: Client) -> None:
    """GET: the member + their preference rows (is the mail already off?) = 2. POST: the
    member + their preference rows + update_or_create of
    the one that changes (select, insert) = 4 statements, inside the service's transaction
    and update_or_create's own (three savepoints, each created and released: 6) = 10."""
    from parley.alerts.mail import unsubscribe_token

    url = f"/unsubscribe/{unsubscribe_token(other.pk, kinds.MENTION)}/"
    assert count_queries(lambda: anon_client.get(url)) == 2
    assert count_queries(lambda: anon_client.post(url)) == 10
