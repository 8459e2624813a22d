"""Alerts through the API: the list (as /alerts/ shows it), the bell's count, reading,
and the preferences of /account/alerts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from parley.alerts import kinds, preferences
from parley.alerts.models import Alert
from parley.conversations import services as conversations
from parley.conversations.models import Participant
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.moderation import content
from tests.factories import MemberFactory, make_reply, reaction

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a write and let its events be delivered, as after a real commit."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


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


# --- the list ----------------------------------------------------------------------------


def test_alerts_list_says_what_the_page_says(
    mentioned: Alert, token_client: Any, other: Member, thread: Thread
) -> None:
    body = token_client(other, "read").get("/api/v1/alerts").json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["id"] == mentioned.pk and item["kind"] == "mention"
    assert item["title"] == f"alice mentioned you in “{thread.title}”"
    assert item["excerpt"] == "Over to you, @bob"
    assert item["url"] == f"/posts/{mentioned.post_id}/"
    assert item["actor"]["username"] == "alice" and item["read_at"] is None


def test_alerts_are_listed_newest_first_and_paged_by_cursor(
    committed: Any, token_client: Any, thread: Thread, first_post: Post, member: Member
) -> None:
    some_of_each(committed, thread, first_post, member, 2)  # 2 mentions, 1 reaction row, 2
    client = token_client(member, "read")
    first = client.get("/api/v1/alerts", {"limit": 3}).json()
    second = client.get("/api/v1/alerts", {"limit": 3, "cursor": first["next_cursor"]}).json()
    ids = [a["id"] for a in first["items"] + second["items"]]
    expected = Alert.objects.filter(recipient=member).order_by("-created_at", "-id")
    assert ids == list(expected.values_list("id", flat=True))
    assert len(ids) == 5 and second["next_cursor"] is None


def test_alerts_need_a_member(anon_client: Client) -> None:
    for url in ["/api/v1/alerts", "/api/v1/alerts/unread-count", "/api/v1/alerts/preferences"]:
        response = anon_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthenticated"


def test_someone_elses_alerts_are_neither_listed_nor_readable(
    mentioned: Alert, token_client: Any, member: Member
) -> None:
    client = token_client(member)
    assert client.get("/api/v1/alerts").json()["items"] == []
    response = client.post(f"/api/v1/alerts/{mentioned.pk}/read")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    mentioned.refresh_from_db()
    assert mentioned.read_at is None


def test_alerts_about_content_moved_out_of_sight_are_not_listed_or_readable(
    committed: Any,
    mentioned: Alert,
    token_client: Any,
    other: Member,
    moderator: Member,
    staff_forum: Forum,
) -> None:
    thread = Post.objects.get(pk=mentioned.post_id).thread
    committed(content.move_threads, actor=moderator, threads=[thread], forum=staff_forum)
    client = token_client(other)
    assert client.get("/api/v1/alerts").json()["items"] == []
    assert client.post(f"/api/v1/alerts/{mentioned.pk}/read").status_code == 404


def test_alerts_of_a_conversation_left_are_not_listed(
    committed: Any, token_client: Any, member: Member, other: Member
) -> None:
    talk = committed(
        conversations.start_conversation,
        starter=member,
        recipients=[other],
        title="Private",
        source="Hello",
        fmt="bbcode",
    )
    client = token_client(other)
    assert [a["kind"] for a in client.get("/api/v1/alerts").json()["items"]] == ["invitation"]
    place = Participant.objects.get(member=other, conversation=talk)
    committed(conversations.leave_conversation, place=place)
    assert client.get("/api/v1/alerts").json()["items"] == []


@pytest.mark.parametrize("count", [1, 4])
def test_alerts_list_costs_the_same_queries_for_few_and_many(
    committed: Any,
    token_client: Any,
    thread: Thread,
    first_post: Post,
    member: Member,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    some_of_each(committed, thread, first_post, member, count)
    client = token_client(member, "read")
    client.get("/api/v1/alerts")
    # the token, the page of alerts (with actor, post, thread, forum, message,
    # conversation), the permissions version, current conversations, the reactors' names
    with django_assert_num_queries(5):
        body = client.get("/api/v1/alerts").json()
    assert len(body["items"]) == 2 * count + 1


# --- count and reading -------------------------------------------------------------------


def test_unread_count_drops_as_alerts_are_read(
    committed: Any, mentioned: Alert, token_client: Any, other: Member, thread: Thread
) -> None:
    committed(make_reply, thread, MemberFactory(), "And @bob again")
    client = token_client(other)
    assert client.get("/api/v1/alerts/unread-count").json() == {"count": 2}
    assert client.post(f"/api/v1/alerts/{mentioned.pk}/read").json() == {"ok": True}
    mentioned.refresh_from_db()
    assert mentioned.read_at is not None
    assert client.get("/api/v1/alerts/unread-count").json() == {"count": 1}
    assert client.post("/api/v1/alerts/read-all").json() == {"marked": 1}
    assert client.get("/api/v1/alerts/unread-count").json() == {"count": 0}
    assert not Alert.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_reading_alerts_needs_the_write_scope(
    mentioned: Alert, token_client: Any, other: Member
) -> None:
    client = token_client(other, "read")
    assert client.post(f"/api/v1/alerts/{mentioned.pk}/read").status_code == 403
    assert client.post("/api/v1/alerts/read-all").status_code == 403
    mentioned.refresh_from_db()
    assert mentioned.read_at is None


def test_marking_an_unknown_alert_read_is_a_404(token_client: Any, other: Member) -> None:
    assert token_client(other).post("/api/v1/alerts/999999/read").status_code == 404


def test_mark_read_costs_a_fixed_number_of_queries(
    mentioned: Alert, token_client: Any, other: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(other)
    client.get("/api/v1/alerts")
    # the token, the alert (with post, thread, forum), the permissions version, the update
    with django_assert_num_queries(4):
        assert client.post(f"/api/v1/alerts/{mentioned.pk}/read").status_code == 200


# --- preferences -------------------------------------------------------------------------


def test_preferences_show_the_defaults(token_client: Any, other: Member) -> None:
    body = token_client(other, "read").get("/api/v1/alerts/preferences").json()
    assert [k["kind"] for k in body["kinds"]] == list(kinds.ALL)
    by_kind = {k["kind"]: k for k in body["kinds"]}
    assert by_kind["mention"] == {
        "kind": "mention",
        "label": "Someone @mentions you",
        "in_app": True,
        "email": True,
        "push": True,
    }
    assert by_kind["reaction"]["email"] is False and body["digest"] == "off"


def test_preferences_change_only_the_kinds_sent(token_client: Any, other: Member) -> None:
    response = token_client(other).put(
        "/api/v1/alerts/preferences",
        {
            "kinds": [{"kind": "reaction", "in_app": False, "email": False, "push": True}],
            "digest": "weekly",
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    choices = preferences.member_choices(other.pk)
    assert choices[kinds.REACTION] == preferences.Choice(False, False, True)
    assert choices[kinds.MENTION] == preferences.default_choice(kinds.MENTION)
    assert preferences.digest_of(other.pk) == "weekly"
    assert response.json()["digest"] == "weekly"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kinds": [{"kind": "rockets", "in_app": True, "email": True, "push": True}]}, 400),
        (
            {
                "kinds": [
                    {"kind": "reaction", "in_app": True, "email": True, "push": True},
                    {"kind": "reaction", "in_app": False, "email": False, "push": False},
                ]
            },
            400,
        ),
        ({"digest": "hourly"}, 422),
        ({"kinds": [{"kind": "reaction", "in_app": True}]}, 422),
    ],
)
def test_preferences_bad_input_changes_nothing(
    token_client: Any, other: Member, body: dict[str, Any], status: int
) -> None:
    response = token_client(other).put("/api/v1/alerts/preferences", body, content_type=JSON)
    assert response.status_code == status
    assert response.json()["error"]["fields"]
    assert other.alert_preferences.count() == 0
    assert preferences.digest_of(other.pk) == "off"


def test_preferences_need_the_write_scope_to_change(token_client: Any, other: Member) -> None:
    response = token_client(other, "read").put(
        "/api/v1/alerts/preferences", {"digest": "daily"}, content_type=JSON
    )
    assert response.status_code == 403
    assert preferences.digest_of(other.pk) == "off"
