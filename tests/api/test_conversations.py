"""Private conversations through the API: only participants see anything (everyone else,
staff included, and a member who left, gets the 404 of something that does not exist, on
every route), guests get 401, and each route does what the matching page does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.conversations import services
from parley.conversations.models import (
    AcceptFrom,
    Conversation,
    ConversationPreference,
    Message,
    MessageReaction,
    MessageReport,
    Participant,
)
from parley.forums.models import ReactionType
from parley.members.models import Member
from parley.people import services as people
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/conversations"
JSON = "application/json"


@pytest.fixture
def carol(db) -> Member:
    return MemberFactory(username="carol")


@pytest.fixture
def talk(member: Member, other: Member) -> Conversation:
    """alice (starter) and bob."""
    return services.start_conversation(
        starter=member,
        recipients=[other],
        title="Border crossing",
        source="First [b]hello[/b]",
        fmt="bbcode",
    )


@pytest.fixture
def supermod(db) -> Member:
    from parley.permissions.models import Group

    person = MemberFactory(username="supermod")
    Group.objects.get(key=Group.MODERATORS).members.add(person)
    return person


def place(conversation: Conversation, member: Member) -> Participant:
    return Participant.objects.select_related("conversation", "member").get(
        conversation=conversation, member=member
    )


def first_message(conversation: Conversation) -> Message:
    message = Message.objects.filter(conversation=conversation).order_by("id").first()
    assert message is not None
    return message


def like() -> ReactionType:
    found = ReactionType.objects.filter(is_active=True).order_by("id").first()
    assert found is not None
    return found


def call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type=JSON)


def routes(conversation_id: int, message_id: int) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every route that names a conversation or a message, with a body it would accept."""
    c, m = f"{API}/{conversation_id}", f"{API}/messages/{message_id}"
    return [
        ("get", c, None),
        ("get", f"{c}/messages", None),
        ("post", f"{c}/messages", {"source": "sneaking in"}),
        ("post", f"{c}/invite", {"usernames": ["carol"]}),
        ("post", f"{c}/leave", None),
        ("post", f"{c}/read", None),
        ("post", f"{c}/unread", None),
        ("put", f"{c}/star", None),
        ("delete", f"{c}/star", None),
        ("patch", m, {"source": "hijacked"}),
        ("put", f"{m}/reaction", {"type_id": 1}),
        ("delete", f"{m}/reaction", None),
        ("post", f"{m}/reports", {"reason": "spam"}),
    ]


ROUTE_NAMES = [
    "detail",
    "messages",
    "reply",
    "invite",
    "leave",
    "read",
    "unread",
    "star",
    "unstar",
    "edit",
    "react",
    "unreact",
    "report",
]


def state(conversation: Conversation) -> tuple[Any, ...]:
    """Everything a route could change."""
    return (
        Message.objects.count(),
        first_message(conversation).source,
        list(
            Participant.objects.order_by("id").values_list(
                "member_id", "left_at", "is_unread", "is_starred"
            )
        ),
        MessageReaction.objects.count(),
        MessageReport.objects.count(),
    )


# --- the one rule: only participants ------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "moderator", "supermod", "admin", "left"])
@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_everyone_but_a_participant_gets_the_404_of_a_missing_thing_and_changes_nothing(
    token_client, talk, carol, moderator, supermod, admin, other, who, index
):
    person = {
        "outsider": carol,
        "moderator": moderator,
        "supermod": supermod,
        "admin": admin,
        "left": other,
    }[who]
    if who == "left":
        services.leave_conversation(place=place(talk, other))
    client = token_client(person, "read", "write")
    message = first_message(talk)
    method, url, body = routes(talk.pk, message.pk)[index]
    _m, missing_url, _b = routes(talk.pk + 1000, message.pk + 1000)[index]
    before = state(talk)
    response = call(client, method, url, body)
    missing = call(client, method, missing_url, body)
    assert response.status_code == 404, response.content
    assert response.json() == missing.json()
    assert response.json()["error"]["code"] == "not_found"
    assert state(talk) == before


@pytest.mark.parametrize("who", ["outsider", "admin", "left"])
def test_the_list_leaves_out_conversations_the_caller_does_not_take_part_in(
    token_client, talk, carol, admin, other, who
):
    person = {"outsider": carol, "admin": admin, "left": other}[who]
    if who == "left":
        services.leave_conversation(place=place(talk, other))
    body = token_client(person, "read").get(API).json()
    assert body == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_a_guest_gets_401_on_every_route(anon_client, talk, index):
    method, url, body = routes(talk.pk, first_message(talk).pk)[index]
    before = state(talk)
    response = call(anon_client, method, url, body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert state(talk) == before


def test_a_guest_gets_401_for_the_list_and_for_starting(anon_client, other):
    assert anon_client.get(API).status_code == 401
    response = anon_client.post(
        API, {"title": "T", "recipients": ["bob"], "source": "x"}, content_type=JSON
    )
    assert response.status_code == 401
    assert not Conversation.objects.exists()


WRITES = [i for i, name in enumerate(ROUTE_NAMES) if name not in ("detail", "messages")]


@pytest.mark.parametrize("index", WRITES, ids=[ROUTE_NAMES[i] for i in WRITES])
def test_a_read_only_token_may_not_write(token_client, talk, other, index):
    method, url, body = routes(talk.pk, first_message(talk).pk)[index]
    before = state(talk)
    response = call(token_client(other, "read"), method, url, body)
    assert response.status_code == 403
    assert "write scope" in response.json()["error"]["message"]
    assert state(talk) == before


def test_ids_beyond_any_row_are_a_404_not_an_error(token_client, talk, member):
    client = token_client(member)
    huge = 10**20
    assert client.get(f"{API}/{huge}").status_code == 404
    assert client.get(f"{API}/{huge}/messages").status_code == 404
    response = client.patch(f"{API}/messages/{huge}", {"source": "x"}, content_type=JSON)
    assert response.status_code == 404


# --- list -----------------------------------------------------------------------------------


def test_the_list_is_newest_activity_first_with_unread_and_starred_state(
    token_client, talk, member, other
):
    older = services.start_conversation(
        starter=other, recipients=[member], title="Older talk", source="a", fmt="bbcode"
    )
    services.reply_to_conversation(place=place(talk, other), source="newer", fmt="bbcode")
    services.set_star(place=place(older, member), starred=True)
    items = token_client(member, "read").get(API).json()["items"]
    assert [i["title"] for i in items] == ["Border crossing", "Older talk"]
    assert [(i["is_unread"], i["is_starred"]) for i in items] == [(True, False), (True, True)]
    assert items[0]["starter"]["username"] == "alice"
    assert items[0]["last_message"]["author"]["username"] == "bob"
    assert items[0]["message_count"] == 2
    assert items[0]["url"] == f"/conversations/{talk.pk}/"


def test_the_starred_filter_lists_only_starred_conversations(token_client, talk, member, other):
    services.start_conversation(
        starter=member, recipients=[other], title="Unstarred", source="a", fmt="bbcode"
    )
    services.set_star(place=place(talk, member), starred=True)
    items = token_client(member, "read").get(API, {"starred": "true"}).json()["items"]
    assert [i["title"] for i in items] == ["Border crossing"]


def test_the_list_pages_by_cursor_without_repeats(token_client, member, other):
    made = [
        services.start_conversation(
            starter=member, recipients=[other], title=f"T{n}", source="a", fmt="bbcode"
        ).pk
        for n in range(5)
    ]
    client = token_client(member, "read")
    first = client.get(API, {"limit": 3}).json()
    second = client.get(API, {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + second["items"]] == made[::-1]
    assert second["next_cursor"] is None


def test_a_forged_list_cursor_is_a_400(token_client, talk, member):
    response = token_client(member, "read").get(API, {"cursor": "WyJ4IiwxXQ"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_cursor"


@pytest.mark.parametrize("count", [2, 5])
def test_the_list_costs_the_same_queries_however_many_conversations(
    token_client, member, other, django_assert_num_queries, count
):
    for n in range(count):
        services.start_conversation(
            starter=MemberFactory(), recipients=[member], title=f"T{n}", source="a", fmt="bbcode"
        )
    client = token_client(member, "read")
    # the token (with its member), then the page with everything it shows
    with django_assert_num_queries(2):
        body = client.get(API).json()
    assert len(body["items"]) == count


# --- start ----------------------------------------------------------------------------------


def test_starting_writes_to_everyone_named(token_client, member, other, carol):
    response = token_client(member).post(
        API,
        {
            "title": "Plans",
            "recipients": ["bob", "@Carol"],
            "source": "Hi **all**",
            "format": "markdown",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    conversation = Conversation.objects.get(pk=response.json()["id"])
    assert response.json()["url"] == f"/conversations/{conversation.pk}/"
    assert conversation.starter == member
    assert set(conversation.participants.values_list("member__username", flat=True)) == {
        "alice",
        "bob",
        "carol",
    }
    assert "<strong>all</strong>" in first_message(conversation).cooked_html


def test_starting_again_with_the_same_idempotency_key_gives_the_same_conversation(
    token_client, member, other
):
    client = token_client(member)
    data = {"title": "T", "recipients": ["bob"], "source": "x", "idempotency_key": "start-0001"}
    one = client.post(API, data, content_type=JSON)
    two = client.post(API, data, content_type=JSON)
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] == two.json()["id"]
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    "data, status, field, words",
    [
        ({"recipients": []}, 400, "recipients", "Name at least one member"),
        ({"recipients": ["nobody_here"]}, 400, "recipients", "No member called nobody_here"),
        ({"recipients": ["alice"]}, 400, None, "yourself"),
        ({"title": ""}, 400, None, "title"),
        ({"source": "   "}, 400, None, "Write something"),
        ({"format": "html"}, 422, "format", ""),
        ({"title": None}, 422, "title", ""),
        ({"recipients": ["x" * 101]}, 422, "recipients.0", ""),
        ({"recipients": [f"m{n}" for n in range(51)]}, 422, "recipients", ""),
    ],
)
def test_starting_with_bad_input_explains_and_creates_nothing(
    token_client, member, other, data, status, field, words
):
    body = {"title": "T", "recipients": ["bob"], "source": "x", **data}
    response = token_client(member).post(API, body, content_type=JSON)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert words in error["message"]
    if field:
        assert field in error["fields"]
    assert not Conversation.objects.exists()


def test_a_member_who_accepts_nobody_refuses_with_a_clear_error(token_client, member, other):
    ConversationPreference.objects.create(member=other, accept_from=AcceptFrom.NOBODY)
    response = token_client(member).post(
        API, {"title": "T", "recipients": ["bob"], "source": "x"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "bob does not accept conversations."
    assert not Conversation.objects.exists()


def test_a_member_who_ignores_the_starter_refuses_without_saying_why(token_client, member, other):
    people.ignore_member(member=other, target=member)
    response = token_client(member).post(
        API, {"title": "T", "recipients": ["bob"], "source": "x"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "bob does not accept conversations from you."
    assert not Conversation.objects.exists()


def test_a_conversation_holds_at_most_the_configured_members(
    token_client, member, other, carol, settings
):
    settings.PARLEY_CONVERSATION_MAX_PARTICIPANTS = 2
    response = token_client(member).post(
        API, {"title": "T", "recipients": ["bob", "carol"], "source": "x"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A conversation holds at most 2 members."
    assert not Conversation.objects.exists()


def test_starting_is_rate_limited_with_the_pages_counter(token_client, member, other, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation": (1, 3600)}
    client = token_client(member)
    data = {"title": "T", "recipients": ["bob"], "source": "x"}
    assert client.post(API, data, content_type=JSON).status_code == 201
    response = client.post(API, data, content_type=JSON)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert "starting conversations too fast" in response.json()["error"]["message"]
    assert int(response["Retry-After"]) >= 1
    assert Conversation.objects.count() == 1


def test_staff_are_not_rate_limited_when_starting(token_client, supermod, other, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation": (1, 3600)}
    client = token_client(supermod)
    data = {"title": "T", "recipients": ["bob"], "source": "x"}
    assert [client.post(API, data, content_type=JSON).status_code for _ in range(3)] == [201] * 3


def test_a_member_who_may_not_write_cannot_start(token_client, other):
    unconfirmed = MemberFactory(email_confirmed_at=None)
    response = token_client(unconfirmed).post(
        API, {"title": "T", "recipients": ["bob"], "source": "x"}, content_type=JSON
    )
    assert response.status_code == 403
    assert "Confirm your e-mail" in response.json()["error"]["message"]
    assert not Conversation.objects.exists()


# --- one conversation -------------------------------------------------------------------------


def test_a_participant_reads_the_details_and_it_stays_unread(
    token_client, talk, member, other, carol
):
    services.invite_to_conversation(place=place(talk, member), members=[carol])
    services.leave_conversation(place=place(talk, carol))
    body = token_client(other, "read").get(f"{API}/{talk.pk}").json()
    assert body["title"] == "Border crossing"
    assert body["starter"]["username"] == "alice"
    assert [p["member"]["username"] for p in body["participants"]] == ["alice", "bob"]
    assert body["last_message"]["id"] == first_message(talk).pk
    assert (body["is_unread"], body["is_starred"]) == (True, False)
    assert (body["can_reply"], body["can_invite"]) == (True, False)
    assert place(talk, other).is_unread is True


def test_the_starter_may_invite_and_so_may_everyone_in_an_open_conversation(
    token_client, talk, member, other
):
    assert token_client(member, "read").get(f"{API}/{talk.pk}").json()["can_invite"] is True
    Conversation.objects.filter(pk=talk.pk).update(open_invite=True)
    assert token_client(other, "read").get(f"{API}/{talk.pk}").json()["can_invite"] is True


def test_messages_are_oldest_first_with_html_text_and_source_only_for_their_author(
    token_client, talk, member, other
):
    services.reply_to_conversation(place=place(talk, other), source="[i]reply[/i]", fmt="bbcode")
    services.react_to_message(message=first_message(talk), member=other, type_id=like().pk)
    items = token_client(other, "read").get(f"{API}/{talk.pk}/messages").json()["items"]
    first, second = items
    assert [first["author"]["username"], second["author"]["username"]] == ["alice", "bob"]
    assert first["html"] == first_message(talk).cooked_html
    assert "<strong>hello</strong>" in first["html"]
    assert first["text"] == first_message(talk).plain_text
    assert first["source"] is None
    assert second["source"] == "[i]reply[/i]"
    assert first["reactions"] == [{"type_id": like().pk, "count": 1}]
    assert first["my_reaction"] == like().pk
    assert second["reactions"] == [] and second["my_reaction"] is None
    assert first["flags"] == {"can_edit": False, "can_react": True, "can_report": True}
    assert second["flags"] == {"can_edit": True, "can_react": False, "can_report": False}
    assert first["url"] == f"/conversations/messages/{first['id']}/"


def test_messages_page_by_cursor_without_repeats(token_client, talk, other):
    for n in range(4):
        services.reply_to_conversation(place=place(talk, other), source=f"r{n}", fmt="bbcode")
    client = token_client(other, "read")
    first = client.get(f"{API}/{talk.pk}/messages", {"limit": 3}).json()
    second = client.get(
        f"{API}/{talk.pk}/messages", {"limit": 3, "cursor": first["next_cursor"]}
    ).json()
    assert [m["id"] for m in first["items"] + second["items"]] == list(
        Message.objects.filter(conversation=talk).order_by("id").values_list("id", flat=True)
    )
    assert second["next_cursor"] is None


@pytest.mark.parametrize("count", [2, 5])
def test_messages_cost_the_same_queries_however_many_messages_and_reactions(
    token_client, talk, member, other, django_assert_num_queries, count
):
    for n in range(count - 1):
        message = services.reply_to_conversation(
            place=place(talk, other), source=f"r{n}", fmt="bbcode"
        )
        services.react_to_message(message=message, member=member, type_id=like().pk)
    client = token_client(member, "read")
    # the token, my place, the messages with their authors, all their reactions
    with django_assert_num_queries(4):
        body = client.get(f"{API}/{talk.pk}/messages").json()
    assert len(body["items"]) == count


def test_a_reply_is_added_and_marks_the_others_unread(token_client, talk, member, other):
    services.mark_read(place=place(talk, member))
    response = token_client(other).post(
        f"{API}/{talk.pk}/messages", {"source": "yes"}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    message = Message.objects.get(pk=response.json()["id"])
    assert (message.author, message.conversation_id) == (other, talk.pk)
    assert response.json()["url"] == f"/conversations/messages/{message.pk}/"
    assert place(talk, member).is_unread is True


def test_a_repeated_reply_with_the_same_idempotency_key_is_one_message(token_client, talk, other):
    client = token_client(other)
    data = {"source": "once", "idempotency_key": "reply-0001"}
    one = client.post(f"{API}/{talk.pk}/messages", data, content_type=JSON)
    two = client.post(f"{API}/{talk.pk}/messages", data, content_type=JSON)
    assert one.json()["id"] == two.json()["id"]
    assert Message.objects.filter(conversation=talk).count() == 2


@pytest.mark.parametrize(
    "data, status", [({"source": " "}, 400), ({}, 422), ({"source": "x", "format": "html"}, 422)]
)
def test_a_bad_reply_is_refused_and_writes_nothing(token_client, talk, other, data, status):
    response = token_client(other).post(f"{API}/{talk.pk}/messages", data, content_type=JSON)
    assert response.status_code == status
    assert response.json()["error"]["code"] == "invalid"
    assert Message.objects.filter(conversation=talk).count() == 1


def test_a_banned_participant_cannot_reply(token_client, talk, other):
    Member.objects.filter(pk=other.pk).update(is_banned=True)
    other.refresh_from_db()
    response = token_client(other).post(
        f"{API}/{talk.pk}/messages", {"source": "x"}, content_type=JSON
    )
    assert response.status_code == 403
    assert "banned" in response.json()["error"]["message"]
    assert Message.objects.filter(conversation=talk).count() == 1


@pytest.mark.parametrize("count", [2, 5])
def test_a_reply_costs_the_same_queries_however_many_participants(
    token_client, talk, member, other, django_assert_num_queries, count
):
    for _ in range(count - 2):
        services.invite_to_conversation(place=place(talk, member), members=[MemberFactory()])
    client = token_client(other)
    # A first reply fills the cached permission set the rate limit's staff check reads.
    client.post(f"{API}/{talk.pk}/messages", {"source": "warm"}, content_type=JSON)
    # the token, my place, the permission set's version (the rate limit's staff check);
    # then the service: savepoint, message, counters, who else takes part, their unread
    # flags, the event, release
    with django_assert_num_queries(10):
        response = client.post(f"{API}/{talk.pk}/messages", {"source": "x"}, content_type=JSON)
    assert response.status_code == 201


# --- invite, leave, read, unread, star -----------------------------------------------------------


def test_the_starter_invites_and_the_invited_member_sees_it_unread(
    token_client, talk, member, carol
):
    response = token_client(member).post(
        f"{API}/{talk.pk}/invite", {"usernames": ["carol"]}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert [m["username"] for m in response.json()["invited"]] == ["carol"]
    assert place(talk, carol).is_unread is True
    detail = token_client(carol, "read").get(f"{API}/{talk.pk}")
    assert detail.status_code == 200


def test_another_participant_may_not_invite_unless_the_conversation_is_open(
    token_client, talk, other, carol
):
    client = token_client(other)
    refused = client.post(f"{API}/{talk.pk}/invite", {"usernames": ["carol"]}, content_type=JSON)
    assert refused.status_code == 403
    assert "Only the starter" in refused.json()["error"]["message"]
    assert not Participant.objects.filter(conversation=talk, member=carol).exists()
    Conversation.objects.filter(pk=talk.pk).update(open_invite=True)
    allowed = client.post(f"{API}/{talk.pk}/invite", {"usernames": ["carol"]}, content_type=JSON)
    assert allowed.status_code == 200
    assert Participant.objects.filter(conversation=talk, member=carol).exists()


@pytest.mark.parametrize(
    "names, words",
    [
        ([], "Name at least one member"),
        (["ghost"], "No member called ghost"),
        (["bob"], "Already taking part: bob"),
    ],
)
def test_a_bad_invitation_is_refused_and_changes_nothing(token_client, talk, member, names, words):
    response = token_client(member).post(
        f"{API}/{talk.pk}/invite", {"usernames": names}, content_type=JSON
    )
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
    assert Participant.objects.filter(conversation=talk).count() == 2


def test_an_invitation_refused_by_an_ignoring_member_changes_nothing(
    token_client, talk, member, carol
):
    people.ignore_member(member=carol, target=member)
    response = token_client(member).post(
        f"{API}/{talk.pk}/invite", {"usernames": ["carol"]}, content_type=JSON
    )
    assert response.status_code == 400
    assert "carol does not accept conversations from you." in response.json()["error"]["message"]
    assert not Participant.objects.filter(conversation=talk, member=carol).exists()


def test_leaving_takes_the_conversation_away(token_client, talk, other):
    client = token_client(other)
    assert client.post(f"{API}/{talk.pk}/leave").status_code == 200
    assert place(talk, other).left_at is not None
    assert client.get(f"{API}/{talk.pk}").status_code == 404
    assert client.get(f"{API}/{talk.pk}/messages").status_code == 404
    assert client.get(API).json()["items"] == []


def test_an_invitation_brings_back_a_member_who_left(token_client, talk, member, other):
    services.leave_conversation(place=place(talk, other))
    response = token_client(member).post(
        f"{API}/{talk.pk}/invite", {"usernames": ["bob"]}, content_type=JSON
    )
    assert response.status_code == 200
    assert token_client(other, "read").get(f"{API}/{talk.pk}").status_code == 200


def test_read_and_unread_set_the_callers_state_only(token_client, talk, member, other):
    client = token_client(other)
    assert client.post(f"{API}/{talk.pk}/read").status_code == 200
    assert place(talk, other).is_unread is False
    assert client.get(f"{API}/{talk.pk}").json()["is_unread"] is False
    assert client.post(f"{API}/{talk.pk}/unread").status_code == 200
    assert place(talk, other).is_unread is True
    assert place(talk, member).is_unread is False


def test_star_and_unstar(token_client, talk, member, other):
    client = token_client(member)
    assert client.put(f"{API}/{talk.pk}/star").status_code == 200
    assert place(talk, member).is_starred is True
    assert place(talk, other).is_starred is False
    assert client.get(f"{API}/{talk.pk}").json()["is_starred"] is True
    assert client.delete(f"{API}/{talk.pk}/star").status_code == 200
    assert place(talk, member).is_starred is False


# --- one message: edit, react, report ------------------------------------------------------------


def test_the_author_edits_a_message_and_gets_it_back(token_client, talk, member):
    message = first_message(talk)
    response = token_client(member).patch(
        f"{API}/messages/{message.pk}",
        {"source": "Changed [b]text[/b]", "base_revision": 1, "reason": "typo"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["revision"], body["source"]) == (2, "Changed [b]text[/b]")
    assert "<strong>text</strong>" in body["html"]
    assert body["edited_at"] is not None
    assert body["author"]["username"] == "alice"
    message.refresh_from_db()
    assert message.source == "Changed [b]text[/b]"
    assert message.revisions.get().reason == "typo"


def test_an_edit_against_a_stale_revision_is_a_409_and_keeps_the_message(
    token_client, talk, member
):
    message = first_message(talk)
    services.edit_message(message=message, editor=member, source="Second", fmt="bbcode")
    response = token_client(member).patch(
        f"{API}/messages/{message.pk}", {"source": "Mine", "base_revision": 1}, content_type=JSON
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "edit_conflict"
    assert first_message(talk).source == "Second"


def test_another_participant_may_not_edit_a_message(token_client, talk, other):
    message = first_message(talk)
    response = token_client(other).patch(
        f"{API}/messages/{message.pk}", {"source": "Hijack"}, content_type=JSON
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only its author can edit a message."
    assert first_message(talk).source == "First [b]hello[/b]"


@pytest.mark.parametrize(
    "data, status",
    [
        ({"source": ""}, 400),
        ({}, 422),
        ({"source": "x", "base_revision": 0}, 422),
        ({"source": "x", "reason": "r" * 301}, 422),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(token_client, talk, member, data, status):
    message = first_message(talk)
    response = token_client(member).patch(f"{API}/messages/{message.pk}", data, content_type=JSON)
    assert response.status_code == status
    assert response.json()["error"]["code"] == "invalid"
    assert first_message(talk).revision == 1


def test_a_participant_reacts_and_takes_the_reaction_back(token_client, talk, other):
    message = first_message(talk)
    client = token_client(other)
    response = client.put(
        f"{API}/messages/{message.pk}/reaction", {"type_id": like().pk}, content_type=JSON
    )
    assert response.status_code == 200
    assert MessageReaction.objects.get(message=message, member=other).type_id == like().pk
    assert client.delete(f"{API}/messages/{message.pk}/reaction").status_code == 200
    assert not MessageReaction.objects.exists()


def test_a_reaction_to_a_message_does_not_move_the_reaction_score(
    token_client, talk, member, other
):
    positive = ReactionType.objects.filter(score__gt=0).first()
    assert positive is not None
    message = first_message(talk)
    token_client(other).put(
        f"{API}/messages/{message.pk}/reaction", {"type_id": positive.pk}, content_type=JSON
    )
    assert MessageReaction.objects.count() == 1
    member.refresh_from_db()
    assert member.reaction_score == 0


@pytest.mark.parametrize(
    "who, type_id, status, words",
    [
        ("author", "like", 400, "your own message"),
        ("other", 99999, 400, "Choose one of the reactions"),
        ("other", "abc", 422, ""),
    ],
)
def test_a_bad_reaction_is_refused_and_changes_nothing(
    token_client, talk, member, other, who, type_id, status, words
):
    message = first_message(talk)
    client = token_client(member if who == "author" else other)
    value = like().pk if type_id == "like" else type_id
    response = client.put(
        f"{API}/messages/{message.pk}/reaction", {"type_id": value}, content_type=JSON
    )
    assert response.status_code == status
    assert words in response.json()["error"]["message"]
    assert not MessageReaction.objects.exists()


def test_reacting_is_rate_limited_with_the_pages_counter(token_client, talk, other, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "reaction": (2, 60)}
    client = token_client(other)
    url = f"{API}/messages/{first_message(talk).pk}/reaction"
    statuses = [
        client.put(url, {"type_id": like().pk}, content_type=JSON).status_code,
        client.delete(url).status_code,
        client.put(url, {"type_id": like().pk}, content_type=JSON).status_code,
    ]
    assert statuses == [200, 200, 429]
    assert not MessageReaction.objects.exists()


def test_a_participant_reports_a_message_once_while_the_report_is_open(
    token_client, talk, member, other
):
    message = first_message(talk)
    client = token_client(other)
    one = client.post(
        f"{API}/messages/{message.pk}/reports", {"reason": "threats"}, content_type=JSON
    )
    two = client.post(
        f"{API}/messages/{message.pk}/reports", {"reason": "again"}, content_type=JSON
    )
    assert one.status_code == two.status_code == 201
    assert one.json()["report_id"] == two.json()["report_id"]
    report = MessageReport.objects.get()
    assert (report.reporter, report.author, report.reason) == (other, member, "threats")
    assert report.message_html == message.cooked_html


@pytest.mark.parametrize(
    "who, reason, status, words",
    [
        ("author", "spam", 400, "your own message"),
        ("other", "   ", 400, "Say what is wrong"),
        ("other", "r" * 1500, 400, "1,000 characters"),
        ("other", "r" * 2001, 422, ""),
    ],
)
def test_a_bad_report_is_refused_and_files_nothing(
    token_client, talk, member, other, who, reason, status, words
):
    message = first_message(talk)
    client = token_client(member if who == "author" else other)
    response = client.post(
        f"{API}/messages/{message.pk}/reports", {"reason": reason}, content_type=JSON
    )
    assert response.status_code == status
    assert words in response.json()["error"]["message"]
    assert not MessageReport.objects.exists()


def test_reporting_is_rate_limited_with_the_pages_counter(token_client, talk, other, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "report": (1, 3600)}
    client = token_client(other)
    url = f"{API}/messages/{first_message(talk).pk}/reports"
    assert client.post(url, {"reason": "one"}, content_type=JSON).status_code == 201
    response = client.post(url, {"reason": "two"}, content_type=JSON)
    assert response.status_code == 429
    assert MessageReport.objects.count() == 1


def test_the_openapi_document_lists_the_conversation_routes(anon_client: Client) -> None:
    paths = anon_client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/conversations"])
    assert {"put", "delete"} <= set(paths["/api/v1/conversations/{conversation_id}/star"])
    assert "patch" in paths["/api/v1/conversations/messages/{message_id}"]


def test_replying_is_rate_limited_with_the_pages_counter(token_client, talk, member, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation_reply": (2, 60)}
    client = token_client(member)
    url = f"/api/v1/conversations/{talk.pk}/messages"
    before = Message.objects.filter(conversation=talk).count()
    statuses = [call(client, "post", url, {"source": f"n{i}"}).status_code for i in range(3)]
    assert statuses == [201, 201, 429]
    assert Message.objects.filter(conversation=talk).count() == before + 2


def test_an_idempotency_key_from_another_conversation_is_a_409_not_that_message(
    token_client, talk, member, other, carol
):
    client = token_client(member)
    first = call(
        client,
        "post",
        f"{API}/{talk.pk}/messages",
        {"source": "here", "idempotency_key": "key-0001"},
    )
    assert first.status_code == 201
    elsewhere = services.start_conversation(
        starter=member, recipients=[carol], title="Other", source="hi", fmt="bbcode"
    )
    response = call(
        client,
        "post",
        f"{API}/{elsewhere.pk}/messages",
        {"source": "here", "idempotency_key": "key-0001"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"
    assert Message.objects.filter(conversation=elsewhere).count() == 1


def test_the_same_key_with_other_text_is_a_409(token_client, talk, member) -> None:
    client = token_client(member)
    url = f"{API}/{talk.pk}/messages"
    assert (
        call(client, "post", url, {"source": "one", "idempotency_key": "key-0002"}).status_code
        == 201
    )
    response = call(client, "post", url, {"source": "two", "idempotency_key": "key-0002"})
    assert response.status_code == 409
    assert not Message.objects.filter(source="two").exists()
