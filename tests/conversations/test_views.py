"""Every conversation page and endpoint: success, guest, non-participant (404, staff
included), bad input, and exact query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parley.conversations import services
from parley.conversations.models import (
    AcceptFrom,
    Conversation,
    ConversationPreference,
    Message,
    MessageReaction,
    Participant,
)
from parley.forums.models import ReactionType
from tests.conftest import client_for
from tests.factories import MemberFactory


def place(conversation, member) -> Participant:
    return Participant.objects.select_related("conversation", "member").get(
        conversation=conversation, member=member
    )


def first_message(conversation) -> Message:
    return Message.objects.filter(conversation=conversation).order_by("id").first()


def main_of(response) -> str:
    """The page's main part (the header carries per-request tokens)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm the permission cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def endpoints(talk: Conversation) -> list[tuple[str, str, dict]]:
    msg = first_message(talk).pk
    like = ReactionType.objects.first().pk
    return [
        ("get", reverse("conversations:detail", args=[talk.pk]), {}),
        ("get", reverse("conversations:detail", args=[talk.pk]) + f"?quote={msg}", {}),
        (
            "post",
            reverse("conversations:reply", args=[talk.pk]),
            {"source": "x", "format": "bbcode"},
        ),
        ("post", reverse("conversations:invite", args=[talk.pk]), {"members": "carol"}),
        ("post", reverse("conversations:leave", args=[talk.pk]), {}),
        ("post", reverse("conversations:mark_unread", args=[talk.pk]), {}),
        ("post", reverse("conversations:star", args=[talk.pk]), {"starred": "1"}),
        ("get", reverse("conversations:message", args=[msg]), {}),
        ("get", reverse("conversations:edit_message", args=[msg]), {}),
        (
            "post",
            reverse("conversations:edit_message", args=[msg]),
            {"source": "y", "format": "bbcode"},
        ),
        ("get", reverse("conversations:history", args=[msg]), {}),
        ("post", reverse("conversations:react", args=[msg]), {"type": str(like)}),
        ("get", reverse("conversations:report", args=[msg]), {}),
        ("post", reverse("conversations:report", args=[msg]), {"reason": "spam"}),
    ]


# --- the one rule: only participants --------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "staff", "supermod", "admin", "left"])
def test_everyone_but_participants_gets_404_everywhere_and_nothing_changes(
    talk, who, carol, moderator, admin, other
):
    from parley.permissions.models import Group

    supermod = MemberFactory(username="supermod")
    Group.objects.get(key=Group.MODERATORS).members.add(supermod)
    person = {
        "outsider": carol,
        "staff": moderator,
        "supermod": supermod,
        "admin": admin,
        "left": other,
    }[who]
    if who == "left":
        services.leave_conversation(place=place(talk, other))
    client = client_for(person)
    before = (
        Message.objects.count(),
        Participant.objects.filter(left_at__isnull=True).count(),
        MessageReaction.objects.count(),
        first_message(talk).source,
    )
    missing = client.get(reverse("conversations:detail", args=[talk.pk + 1000]))
    for method, url, data in endpoints(talk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        if method == "get":
            assert main_of(response) == main_of(missing)
    after = (
        Message.objects.count(),
        Participant.objects.filter(left_at__isnull=True).count(),
        MessageReaction.objects.count(),
        first_message(talk).source,
    )
    assert before == after


def test_a_missing_message_and_a_hidden_one_answer_alike(talk, carol):
    client = client_for(carol)
    hidden = client.get(reverse("conversations:message", args=[first_message(talk).pk]))
    missing = client.get(reverse("conversations:message", args=[first_message(talk).pk + 999]))
    assert hidden.status_code == missing.status_code == 404
    assert main_of(hidden) == main_of(missing)


@pytest.mark.parametrize("name", ["list", "start", "preferences"])
def test_guest_is_sent_to_sign_in_from_member_pages(anon_client, name):
    response = anon_client.get(reverse(f"conversations:{name}"))
    assert response.status_code == 302
    assert reverse("members:signin") in response["Location"]


def test_guest_is_sent_to_sign_in_from_a_conversation(anon_client, talk):
    for method, url, data in endpoints(talk):
        response = getattr(anon_client, method)(url, data)
        assert response.status_code == 302, url
        assert reverse("members:signin") in response["Location"]


# --- list ---------------------------------------------------------------------------------


def test_list_shows_newest_activity_first_and_marks_unread(talk, member, other):
    older = services.start_conversation(
        starter=other, recipients=[member], title="Older talk", source="a", fmt="bbcode"
    )
    services.reply_to_conversation(place=place(talk, other), source="newer", fmt="bbcode")
    html = client_for(member).get(reverse("conversations:list")).content.decode()
    assert html.index("Border crossing") < html.index("Older talk")
    assert html.count('class="conversation unread"') == 2
    assert older.pk


def test_starred_filter_lists_only_starred(talk, member, other):
    services.start_conversation(
        starter=member, recipients=[other], title="Unstarred talk", source="a", fmt="bbcode"
    )
    client = client_for(member)
    response = client.post(reverse("conversations:star", args=[talk.pk]), {"starred": "1"})
    assert response.status_code == 302
    html = client.get(reverse("conversations:list") + "?starred=1").content.decode()
    assert "Border crossing" in html
    assert "Unstarred talk" not in html


def test_star_with_bad_value_changes_nothing(talk, member):
    client_for(member).post(reverse("conversations:star", args=[talk.pk]), {"starred": "yes"})
    assert place(talk, member).is_starred is False


def test_list_queries_do_not_grow_with_conversations(member, other):
    client = client_for(member)
    services.start_conversation(
        starter=member, recipients=[other], title="One", source="a", fmt="bbcode"
    )
    small = queries_for(client, reverse("conversations:list"))
    for n in range(6):
        services.start_conversation(
            starter=MemberFactory(), recipients=[member], title=f"T{n}", source="a", fmt="bbcode"
        )
    assert queries_for(client, reverse("conversations:list")) == small == 5


# --- start --------------------------------------------------------------------------------


def test_start_creates_the_conversation_with_everyone_named(member_client, other, carol):
    response = member_client.post(
        reverse("conversations:start"),
        {
            "recipients": "bob, @Carol",
            "title": "Plans",
            "source": "Hi **all**",
            "format": "markdown",
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert set(conversation.participants.values_list("member__username", flat=True)) == {
        "alice",
        "bob",
        "carol",
    }


@pytest.mark.parametrize(
    "data, error",
    [
        ({"recipients": "", "title": "T", "source": "x"}, "Name at least one member"),
        ({"recipients": "nobody_here", "title": "T", "source": "x"}, "No member called"),
        ({"recipients": "bob", "title": "", "source": "x"}, "title"),
        ({"recipients": "bob", "title": "T", "source": "  "}, "Write something"),
        ({"recipients": "alice", "title": "T", "source": "x"}, "yourself"),
        ({"recipients": "bob", "title": "T", "source": "x", "format": "html"}, "valid choice"),
    ],
)
def test_start_with_bad_input_explains_and_creates_nothing(member_client, other, data, error):
    response = member_client.post(reverse("conversations:start"), {"format": "bbcode", **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Conversation.objects.exists()


def test_start_refused_by_a_member_who_accepts_nobody(member_client, other):
    ConversationPreference.objects.create(member=other, accept_from=AcceptFrom.NOBODY)
    response = member_client.post(
        reverse("conversations:start"),
        {"recipients": "bob", "title": "T", "source": "x", "format": "bbcode"},
    )
    assert response.status_code == 400
    assert "does not accept conversations" in response.content.decode()
    assert not Conversation.objects.exists()


def test_starting_is_rate_limited_for_members(member_client, other, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation": (1, 3600)}
    data = {"recipients": "bob", "title": "T", "source": "x", "format": "bbcode"}
    assert member_client.post(reverse("conversations:start"), data).status_code == 302
    response = member_client.post(reverse("conversations:start"), data)
    assert response.status_code == 429
    assert "too fast" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_staff_are_not_rate_limited(other, settings, forum):
    from parley.permissions.models import Group

    staff = MemberFactory(username="supermod")
    Group.objects.get(key=Group.MODERATORS).members.add(staff)
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation": (1, 3600)}
    client = client_for(staff)
    for _ in range(3):
        response = client.post(
            reverse("conversations:start"),
            {"recipients": "bob", "title": "T", "source": "x", "format": "bbcode"},
        )
        assert response.status_code == 302
    assert Conversation.objects.count() == 3


def test_unconfirmed_member_cannot_start(other):
    client = client_for(MemberFactory(email_confirmed_at=None))
    response = client.post(
        reverse("conversations:start"),
        {"recipients": "bob", "title": "T", "source": "x", "format": "bbcode"},
    )
    assert response.status_code == 403
    assert not Conversation.objects.exists()


# --- the conversation page -----------------------------------------------------------------


def test_participant_reads_the_conversation_and_it_becomes_read(talk, other):
    response = client_for(other).get(reverse("conversations:detail", args=[talk.pk]))
    assert response.status_code == 200
    assert "<strong>hello</strong>" in response.content.decode()
    assert place(talk, other).is_unread is False


def test_conversation_page_queries_do_not_grow(talk, member, other, carol):
    client = client_for(member)
    url = reverse("conversations:detail", args=[talk.pk])
    small = queries_for(client, url)
    services.invite_to_conversation(place=place(talk, member), members=[carol])
    like = ReactionType.objects.first()
    for who in (other, carol):
        message = services.reply_to_conversation(place=place(talk, who), source="r", fmt="bbcode")
        services.react_to_message(message=first_message(talk), member=who, type_id=like.pk)
        services.react_to_message(message=message, member=member, type_id=like.pk)
    services.edit_message(message=first_message(talk), editor=member, source="e", fmt="bbcode")
    assert queries_for(client, url) == small == 10


def test_header_shows_unread_count_without_a_query(talk, other):
    client = client_for(other)  # signing in counts once
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("members:edit_profile")).content.decode()
    assert 'title="1 unread">1</span>' in html
    assert not any("conversations_participant" in q["sql"] for q in ctx.captured_queries)


def test_header_count_drops_after_reading(talk, other):
    client = client_for(other)
    client.get(reverse("conversations:detail", args=[talk.pk]))
    html = client.get(reverse("conversations:list")).content.decode()
    assert 'title="1 unread"' not in html


def test_reply_adds_the_message_and_marks_others_unread(talk, member, other):
    response = client_for(other).post(
        reverse("conversations:reply", args=[talk.pk]), {"source": "yes", "format": "bbcode"}
    )
    message = Message.objects.filter(conversation=talk).last()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#message-{message.pk}")
    assert place(talk, member).is_unread is True


def test_empty_reply_is_refused(talk, other):
    response = client_for(other).post(
        reverse("conversations:reply", args=[talk.pk]), {"source": " ", "format": "bbcode"}
    )
    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    assert Message.objects.filter(conversation=talk).count() == 1


def test_quote_prefills_only_messages_of_this_conversation(talk, member, other, thread):
    client = client_for(other)
    url = reverse("conversations:detail", args=[talk.pk])
    msg = first_message(talk)
    assert f"post={msg.pk}" in client.get(f"{url}?quote={msg.pk}").content.decode()
    elsewhere = services.start_conversation(
        starter=member,
        recipients=[MemberFactory()],
        title="Secret",
        source="hidden words",
        fmt="bbcode",
    )
    secret = first_message(elsewhere)
    assert "hidden words" not in client.get(f"{url}?quote={secret.pk}").content.decode()


def test_forum_quote_by_id_never_shows_a_conversation_message(talk, member, thread):
    msg = first_message(talk)
    response = client_for(member).get(
        reverse("forums:reply", args=[thread.pk]) + f"?quote={msg.pk}"
    )
    assert "hello" not in response.content.decode()


# --- invite, leave, mark unread --------------------------------------------------------------


def test_starter_invites(talk, member, carol):
    response = client_for(member).post(
        reverse("conversations:invite", args=[talk.pk]), {"members": "carol"}
    )
    assert response.status_code == 302
    assert place(talk, carol).is_unread is True


def test_others_cannot_invite_unless_the_starter_allows(talk, member, other, carol):
    client = client_for(other)
    client.post(reverse("conversations:invite", args=[talk.pk]), {"members": "carol"})
    assert not Participant.objects.filter(conversation=talk, member=carol).exists()
    Conversation.objects.filter(pk=talk.pk).update(open_invite=True)
    client.post(reverse("conversations:invite", args=[talk.pk]), {"members": "carol"})
    assert Participant.objects.filter(conversation=talk, member=carol).exists()


def test_invite_with_bad_input_changes_nothing(talk, member):
    client = client_for(member)
    for data in ({"members": ""}, {"members": "ghost"}, {"members": "bob"}):
        response = client.post(reverse("conversations:invite", args=[talk.pk]), data)
        assert response.status_code == 303
    assert Participant.objects.filter(conversation=talk).count() == 2


def test_leave_removes_access(talk, other):
    client = client_for(other)
    assert client.post(reverse("conversations:leave", args=[talk.pk])).status_code == 302
    assert client.get(reverse("conversations:detail", args=[talk.pk])).status_code == 404
    assert "Border crossing" not in client.get(reverse("conversations:list")).content.decode()


def test_mark_unread(talk, member):
    response = client_for(member).post(reverse("conversations:mark_unread", args=[talk.pk]))
    assert response.status_code == 302
    assert place(talk, member).is_unread is True


# --- messages: edit, history, reactions --------------------------------------------------------


def test_author_edits_and_history_shows_the_old_version(talk, member, other):
    msg = first_message(talk)
    client = client_for(member)
    response = client.post(
        reverse("conversations:edit_message", args=[msg.pk]),
        {"source": "Changed", "format": "bbcode", "revision": "1", "reason": "typo"},
    )
    assert response.status_code == 302
    history = client_for(other).get(reverse("conversations:history", args=[msg.pk]))
    assert history.status_code == 200
    assert "First [b]hello[/b]" in history.content.decode()
    assert "typo" in history.content.decode()


def test_other_participant_cannot_edit(talk, other):
    msg = first_message(talk)
    client_for(other).post(
        reverse("conversations:edit_message", args=[msg.pk]),
        {"source": "Hijack", "format": "bbcode"},
    )
    assert first_message(talk).source == "First [b]hello[/b]"


def test_edit_with_empty_text_is_refused(talk, member):
    msg = first_message(talk)
    response = client_for(member).post(
        reverse("conversations:edit_message", args=[msg.pk]), {"source": "", "format": "bbcode"}
    )
    assert response.status_code == 400
    assert first_message(talk).revision == 1


def test_edit_against_a_stale_revision_keeps_the_text(talk, member):
    msg = first_message(talk)
    services.edit_message(message=msg, editor=member, source="Second", fmt="bbcode")
    response = client_for(member).post(
        reverse("conversations:edit_message", args=[msg.pk]),
        {"source": "Mine", "format": "bbcode", "revision": "1"},
    )
    assert response.status_code == 400
    assert "Mine" in response.content.decode()
    assert first_message(talk).source == "Second"


def test_participant_reacts_and_removes_the_reaction(talk, other):
    msg = first_message(talk)
    like = ReactionType.objects.first()
    client = client_for(other)
    client.post(reverse("conversations:react", args=[msg.pk]), {"type": str(like.pk)})
    assert MessageReaction.objects.get(message=msg).type_id == like.pk
    client.post(reverse("conversations:react", args=[msg.pk]), {"type": ""})
    assert not MessageReaction.objects.exists()


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_react_with_bad_type_changes_nothing(talk, other, value):
    msg = first_message(talk)
    response = client_for(other).post(
        reverse("conversations:react", args=[msg.pk]), {"type": value}
    )
    assert response.status_code == 302
    assert not MessageReaction.objects.exists()


def test_reactions_to_messages_do_not_move_reaction_score(talk, member, other):
    like = ReactionType.objects.filter(score__gt=0).first()
    client_for(other).post(
        reverse("conversations:react", args=[first_message(talk).pk]), {"type": str(like.pk)}
    )
    member.refresh_from_db()
    assert member.reaction_score == 0


# --- preferences -----------------------------------------------------------------------------


def test_preference_is_saved(member_client, member):
    response = member_client.post(reverse("conversations:preferences"), {"accept_from": "nobody"})
    assert response.status_code == 302
    assert ConversationPreference.objects.get(member=member).accept_from == "nobody"


def test_bad_preference_is_refused(member_client, member):
    response = member_client.post(reverse("conversations:preferences"), {"accept_from": "foes"})
    assert response.status_code == 400
    assert not ConversationPreference.objects.exists()


def test_ids_beyond_any_row_are_a_404_not_an_error(talk, member):
    client = client_for(member)
    huge = 10**20
    assert client.get(f"/conversations/{huge}/").status_code == 404
    assert client.get(f"/conversations/messages/{huge}/").status_code == 404


def test_conversations_stay_out_of_the_public_profile(talk, member, anon_client):
    html = anon_client.get(reverse("members:profile", args=[member.username])).content.decode()
    assert "Border crossing" not in html
    assert "hello" not in html


def test_link_preview_state_endpoint_knows_nothing_of_messages(talk, carol):
    msg = first_message(talk)
    response = client_for(carol).get(reverse("links:post_state", args=[msg.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name, expected",
    [("start", 3), ("preferences", 4), ("edit_message", 4), ("history", 5)],
)
def test_other_pages_cost_exact_queries(talk, member, name, expected):
    """session + user + permission version, then: nothing (start), the preference row,
    the message (edit), the message and its revisions (history)."""
    args = [first_message(talk).pk] if name in ("edit_message", "history") else []
    assert queries_for(client_for(member), reverse(f"conversations:{name}", args=args)) == expected


def test_replying_is_rate_limited_and_the_text_is_kept(talk, member, settings):
    settings.PARLEY_RATE_LIMITS = {**settings.PARLEY_RATE_LIMITS, "conversation_reply": (2, 60)}
    client = client_for(member)
    url = reverse("conversations:reply", args=[talk.pk])
    before = Message.objects.filter(conversation=talk).count()
    for i in range(2):
        data = {"source": f"quick {i}", "format": "bbcode"}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {"source": "one too many", "format": "bbcode"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "replying too fast" in html and "one too many" in html
    assert Message.objects.filter(conversation=talk).count() == before + 2


def test_a_form_token_reused_with_other_text_keeps_the_text_and_offers_a_new_token(talk, member):
    client = client_for(member)
    url = reverse("conversations:reply", args=[talk.pk])
    token = "c" * 32
    assert (
        client.post(url, {"source": "first", "format": "bbcode", "token": token}).status_code == 302
    )
    response = client.post(url, {"source": "second", "format": "bbcode", "token": token})
    html = response.content.decode()
    assert response.status_code == 400
    assert "already used to send a different message" in html and "second" in html
    assert f'value="{token}"' not in html
    assert not Message.objects.filter(source="second").exists()
