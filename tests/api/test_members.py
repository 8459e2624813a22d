"""Members through the API: the list and name search, profiles, your account and its
edits, follow and ignore, a member's posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parley.attachments.templatetags.avatars import avatar_url
from parley.engagement import queries as engagement_queries
from parley.forums.models import Forum, Thread
from parley.members import services as members
from parley.members.models import Member
from parley.people import services as people
from parley.people.models import FieldKind, FieldValue, Follow, Ignore, ProfileField
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


def names(body: dict[str, Any]) -> list[str]:
    return [m["username"] for m in body["items"]]


@pytest.fixture
def crowd(db: Any) -> dict[str, Member]:
    return {
        "Zed": MemberFactory(username="Zed", message_count=5, reaction_score=40),
        "zara": MemberFactory(username="zara", message_count=50, reaction_score=-3),
        "amos": MemberFactory(username="amos", message_count=20, reaction_score=9),
    }


@pytest.fixture
def fields(db: Any) -> dict[str, ProfileField]:
    return {
        "expertise": ProfileField.objects.create(
            key="expertise",
            label="Area of expertise",
            kind=FieldKind.CHOICE,
            choices="Economics\nElections",
            on_card=True,
        ),
        "since": ProfileField.objects.create(
            key="reading_since", label="Reading since", kind=FieldKind.DATE
        ),
    }


# --- the member list ---------------------------------------------------------------------


def test_member_list_sorts_like_the_page_and_searches_by_name_prefix(
    anon_client: Client, crowd: dict[str, Member]
) -> None:
    assert names(anon_client.get("/api/v1/members").json()) == ["zara", "amos", "Zed"]
    by_score = anon_client.get("/api/v1/members", {"sort": "reactions"}).json()
    assert names(by_score) == ["Zed", "amos", "zara"]
    assert names(anon_client.get("/api/v1/members", {"sort": "joined"}).json()) == [
        "amos",
        "zara",
        "Zed",
    ]
    assert names(anon_client.get("/api/v1/members", {"q": "ZA"}).json()) == ["zara"]
    assert names(anon_client.get("/api/v1/members", {"q": "%"}).json()) == []


def test_member_list_items_carry_the_card_facts(anon_client: Client, crowd: dict[str, Member]):
    item = anon_client.get("/api/v1/members", {"q": "amos"}).json()["items"][0]
    assert item["message_count"] == 20 and item["reaction_score"] == 9
    assert item["url"] == "/members/amos/"
    assert item["is_banned"] is None  # only those who may ban see the mark


def test_banned_members_are_hidden_from_guests_and_marked_for_admins(
    anon_client: Client, token_client: Any, admin: Member, banned: Member, member: Member
) -> None:
    assert "troll" not in names(anon_client.get("/api/v1/members").json())
    items = token_client(admin, "read").get("/api/v1/members").json()["items"]
    marks = {m["username"]: m["is_banned"] for m in items}
    assert marks["troll"] is True and marks["alice"] is False


def test_member_list_pages_by_cursor_without_repeats(
    anon_client: Client, crowd: dict[str, Member]
) -> None:
    first = anon_client.get("/api/v1/members", {"limit": 2, "sort": "name"}).json()
    second = anon_client.get(
        "/api/v1/members", {"limit": 2, "sort": "name", "cursor": first["next_cursor"]}
    ).json()
    assert len(first["items"]) == 2 and second["next_cursor"] is None
    assert sorted(names(first) + names(second)) == sorted(crowd)


def test_member_list_bad_input_is_a_clear_error(anon_client: Client) -> None:
    long = anon_client.get("/api/v1/members", {"q": "x" * 31})
    assert long.status_code == 422 and "q" in long.json()["error"]["fields"]
    sort = anon_client.get("/api/v1/members", {"sort": "height"})
    assert sort.status_code == 422 and "sort" in sort.json()["error"]["fields"]
    cursor = anon_client.get("/api/v1/members", {"cursor": "!!!"})
    assert cursor.status_code == 400 and cursor.json()["error"]["code"] == "bad_cursor"


@pytest.mark.parametrize("count", [2, 5])
def test_member_list_costs_the_same_queries_for_2_and_5_members(
    anon_client: Client, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        MemberFactory()
    anon_client.get("/api/v1/members")  # warm the guest permission cache
    # the page of members (the guest's permissions are cached; the title ladder is the
    # process's while the site is unchanged, stamps.per_site)
    with django_assert_num_queries(1):
        body = anon_client.get("/api/v1/members").json()
    assert len(body["items"]) == count


# --- profiles ----------------------------------------------------------------------------


def test_profile_shows_the_card_the_fields_and_the_people_facts(
    anon_client: Client, member: Member, other: Member, fields: dict[str, ProfileField]
) -> None:
    people.set_field_values(member=member, values={"expertise": "Economics", "reading_since": ""})
    members.update_profile(member=member, country="GB", location="Leeds", about="Reads a lot.")
    people.follow_member(member=other, target=member)
    body = anon_client.get("/api/v1/members/ALICE").json()
    assert body["username"] == "alice" and body["country"] == "GB"
    assert body["country_name"] == "United Kingdom"
    assert body["location"] == "Leeds" and body["about"] == "Reads a lot."
    assert body["fields"] == [{"label": "Area of expertise", "value": "Economics"}]
    assert body["card_fields"] == [{"label": "Area of expertise", "value": "Economics"}]
    assert body["followers"] == 1 and body["following"] == 0
    assert body["can_follow"] is False and body["staff"] is None
    assert body["avatar_url"] == avatar_url(member, 96)


def test_profile_of_an_unknown_or_inactive_member_is_a_404(anon_client: Client) -> None:
    MemberFactory(username="gone", is_active=False)
    for name in ["nobody", "gone"]:
        response = anon_client.get(f"/api/v1/members/{name}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_profile_hides_last_seen_of_a_hidden_member_but_not_from_themselves(
    token_client: Any, member: Member, other: Member
) -> None:
    Member.objects.filter(pk=member.pk).update(last_seen_at=timezone.now(), show_online=False)
    seen_by_other = token_client(other, "read").get("/api/v1/members/alice").json()
    assert seen_by_other["last_seen"] is None
    seen_by_self = token_client(member, "read").get("/api/v1/members/alice").json()
    assert seen_by_self["last_seen"] is not None and seen_by_self["hidden_online"] is True


def test_profile_shows_the_viewers_follow_and_ignore_state(
    token_client: Any, member: Member, other: Member
) -> None:
    people.follow_member(member=other, target=member)
    people.ignore_member(member=other, target=member)
    body = token_client(other, "read").get("/api/v1/members/alice").json()
    assert body["you_follow"] is True and body["you_ignore"] is True
    assert body["can_follow"] is True and body["can_ignore"] is True


def test_profile_staff_facts_are_for_those_who_may_ban(
    token_client: Any, admin: Member, other: Member, banned: Member
) -> None:
    Member.objects.filter(pk=banned.pk).update(ban_reason="spam")
    assert token_client(other, "read").get("/api/v1/members/troll").json()["staff"] is None
    staff = token_client(admin, "read").get("/api/v1/members/troll").json()["staff"]
    assert staff["is_banned"] is True and staff["ban_reason"] == "spam"


def test_profile_signature_is_hidden_from_guests_where_the_site_says_so(
    anon_client: Client, member: Member, settings: Any
) -> None:
    members.set_signature(member=member, source="[b]Sig[/b]", fmt="bbcode")
    assert (
        "<strong>Sig</strong>" in anon_client.get("/api/v1/members/alice").json()["signature_html"]
    )
    settings.PARLEY_SIGNATURES_FOR_GUESTS = False
    assert anon_client.get("/api/v1/members/alice").json()["signature_html"] is None


# --- a member's posts --------------------------------------------------------------------


def test_member_posts_leave_out_what_the_caller_may_not_read(
    anon_client: Client,
    token_client: Any,
    moderator: Member,
    member: Member,
    thread: Thread,
    staff_forum: Forum,
) -> None:
    make_reply(thread, moderator, "In public")
    hidden = make_thread(staff_forum, moderator, title="Secret", body="Staff only")
    public = anon_client.get("/api/v1/members/mod/posts").json()
    assert [p["excerpt"] for p in public["items"]] == ["In public"]
    assert public["items"][0]["thread_title"] == thread.title
    own = token_client(moderator, "read").get("/api/v1/members/mod/posts").json()
    assert own["items"][0]["thread_id"] == hidden.pk
    assert anon_client.get("/api/v1/members/nobody/posts").status_code == 404


@pytest.mark.parametrize("count", [2, 5])
def test_member_posts_cost_the_same_queries_for_2_and_5_posts(
    anon_client: Client, django_assert_num_queries: Any, thread: Thread, other: Member, count: int
) -> None:
    for i in range(count):
        make_reply(thread, other, f"Reply {i}")
    anon_client.get("/api/v1/members/bob/posts")
    # the member, the permissions version, the page of posts with their threads
    with django_assert_num_queries(3):
        body = anon_client.get("/api/v1/members/bob/posts").json()
    assert [p["excerpt"] for p in body["items"]] == [f"Reply {i}" for i in reversed(range(count))]


# --- your account ------------------------------------------------------------------------


def test_me_is_for_members_only(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_me_shows_the_account_and_its_preferences(
    token_client: Any, member: Member, fields: dict[str, ProfileField]
) -> None:
    people.set_field_values(member=member, values={"reading_since": "2001-02-03"})
    body = token_client(member, "read").get("/api/v1/me").json()
    assert body["username"] == "alice" and body["email"] == "alice@example.org"
    assert body["email_confirmed"] is True and body["show_online"] is True
    assert body["auto_watch"] is True and body["write_block"] == ""
    assert body["fields"] == [
        {"key": "reading_since", "label": "Reading since", "value": "2001-02-03"}
    ]


def test_patch_me_changes_only_what_is_sent(
    token_client: Any, member: Member, fields: dict[str, ProfileField]
) -> None:
    response = token_client(member).patch(
        "/api/v1/me",
        {
            "about": "New about",
            "signature": "[i]Sig[/i]",
            "show_online": False,
            "auto_watch": False,
            "fields": {"expertise": "Elections"},
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["about"] == "New about" and body["location"] == "Leeds"
    assert body["country"] == "GB" and "<em>Sig</em>" in body["signature_html"]
    member.refresh_from_db()
    assert member.about == "New about" and member.location == "Leeds"
    assert member.show_online is False and member.signature_version == 1
    assert member.card_fields == [["Area of expertise", "Elections"]]
    assert engagement_queries.auto_watch_enabled(member) is False


def test_patch_me_refuses_a_bad_signature_and_writes_nothing(
    token_client: Any, member: Member, settings: Any
) -> None:
    response = token_client(member).patch(
        "/api/v1/me",
        {"about": "Changed", "signature": "x" * (settings.PARLEY_SIGNATURE_MAX_CHARS + 1)},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "signature" in response.json()["error"]["fields"]
    member.refresh_from_db()
    assert member.about == "" and member.signature_source == ""


def test_patch_me_refuses_a_bad_field_value_and_writes_nothing(
    token_client: Any, member: Member, fields: dict[str, ProfileField]
) -> None:
    response = token_client(member).patch(
        "/api/v1/me",
        {"location": "York", "fields": {"expertise": "Astrology", "shoe_size": "9"}},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"fields.expertise", "fields.shoe_size"}
    member.refresh_from_db()
    assert member.location == "Leeds"
    assert not FieldValue.objects.filter(member=member).exists()


def test_patch_me_refuses_an_unknown_country_and_overlong_input(
    token_client: Any, member: Member
) -> None:
    client = token_client(member)
    country = client.patch("/api/v1/me", {"country": "XX"}, content_type=JSON)
    assert country.status_code == 400 and "country" in country.json()["error"]["fields"]
    long = client.patch("/api/v1/me", {"location": "x" * 81}, content_type=JSON)
    assert long.status_code == 422 and "location" in long.json()["error"]["fields"]
    member.refresh_from_db()
    assert member.country.code == "GB" and member.location == "Leeds"


def test_patch_me_needs_the_write_scope(token_client: Any, member: Member) -> None:
    response = token_client(member, "read").patch("/api/v1/me", {"about": "x"}, content_type=JSON)
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.about == ""


def test_patch_me_costs_a_fixed_number_of_queries(
    token_client: Any, member: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    client.patch("/api/v1/me", {"about": "warm"}, content_type=JSON)
    # the token; savepoint, update, refresh, release; then the answer: the title ladder
    # (read again: a profile change moves the site stamp), the reading preference, the
    # profile field values
    with django_assert_num_queries(8):
        response = client.patch("/api/v1/me", {"about": "Again"}, content_type=JSON)
    assert response.status_code == 200


# --- follow and ignore -------------------------------------------------------------------


def test_follow_and_unfollow_are_safe_to_repeat(
    token_client: Any, member: Member, other: Member
) -> None:
    client = token_client(member)
    for _ in range(2):
        assert client.put("/api/v1/members/bob/follow").status_code == 200
    assert Follow.objects.filter(follower=member, followed=other).count() == 1
    for _ in range(2):
        assert client.delete("/api/v1/members/bob/follow").status_code == 200
    assert not Follow.objects.exists()


def test_following_yourself_or_nobody_is_refused(token_client: Any, member: Member) -> None:
    client = token_client(member)
    self_follow = client.put("/api/v1/members/alice/follow")
    assert self_follow.status_code == 400
    assert self_follow.json()["error"] == {
        "code": "refused",
        "message": "You cannot follow yourself.",
        "fields": {},
    }
    assert client.put("/api/v1/members/nobody/follow").status_code == 404
    assert not Follow.objects.exists()


def test_guests_and_read_only_tokens_may_not_follow(
    anon_client: Client, token_client: Any, member: Member, other: Member
) -> None:
    assert anon_client.put("/api/v1/members/bob/follow").status_code == 401
    assert token_client(member, "read").put("/api/v1/members/bob/follow").status_code == 403
    assert not Follow.objects.exists()


def test_ignore_and_unignore_keep_the_members_copy(
    token_client: Any, member: Member, other: Member
) -> None:
    client = token_client(member)
    assert client.put("/api/v1/members/bob/ignore").status_code == 200
    member.refresh_from_db()
    assert member.ignored_ids == [other.pk]
    assert client.delete("/api/v1/members/bob/ignore").status_code == 200
    member.refresh_from_db()
    assert member.ignored_ids == [] and not Ignore.objects.exists()


def test_staff_cannot_be_ignored(token_client: Any, member: Member, admin: Member) -> None:
    response = token_client(member).put("/api/v1/members/root/ignore")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Staff members cannot be ignored."
    assert not Ignore.objects.exists()


def test_follow_costs_a_fixed_number_of_queries(
    token_client: Any, member: Member, other: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(member)
    client.put("/api/v1/members/bob/follow")
    client.delete("/api/v1/members/bob/follow")
    # the token, the target; get_or_create in savepoints (select, insert), two releases
    with django_assert_num_queries(8):
        assert client.put("/api/v1/members/bob/follow").status_code == 200


def test_patch_me_sets_and_clears_the_country(token_client: Any, member: Member) -> None:
    client = token_client(member)
    assert (
        client.patch("/api/v1/me", {"country": "fr"}, content_type=JSON).json()["country"] == "FR"
    )
    assert client.patch("/api/v1/me", {"country": ""}, content_type=JSON).json()["country"] is None
    member.refresh_from_db()
    assert not member.country.code
    assert member.location == "Leeds"
