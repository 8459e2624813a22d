"""People pages: member list, follow and ignore buttons, profile fields, signatures under
posts and ignored posts folded away."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from parley.members import services as members
from parley.members.models import Member
from parley.people import services
from parley.people.models import FieldValue, Follow, Ignore, ProfileField
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply

pytestmark = pytest.mark.django_db


# --- member list --------------------------------------------------------------------------


def names(response: Any) -> list[str]:
    return re.findall(
        r'class="member-name" href="/members/[^/]+/">([^<]+)<', response.content.decode()
    )


@pytest.fixture
def crowd(db: Any) -> dict[str, Member]:
    return {
        "Zed": MemberFactory(username="Zed", message_count=5, reaction_score=40),
        "zara": MemberFactory(username="zara", message_count=50, reaction_score=-3),
        "amos": MemberFactory(username="amos", message_count=20, reaction_score=9),
    }


def test_member_list_sorts_by_messages_reactions_joined_and_name(
    anon_client: Client, crowd: dict[str, Member]
) -> None:
    assert names(anon_client.get("/members/")) == ["zara", "amos", "Zed"]
    assert names(anon_client.get("/members/?sort=reactions")) == ["Zed", "amos", "zara"]
    assert names(anon_client.get("/members/?sort=joined")) == ["amos", "zara", "Zed"]
    assert names(anon_client.get("/members/?sort=name")) == ["amos", "zara", "Zed"]


def test_member_search_is_a_case_insensitive_prefix(
    member_client: Client, crowd: dict[str, Member]
) -> None:
    response = member_client.get("/members/?q=ZA")
    assert response.status_code == 200 and names(response) == ["zara"]
    assert names(member_client.get("/members/?q=z&sort=name")) == ["zara", "Zed"]
    # Wildcards are literal, not patterns.
    assert "No member's name starts with" in member_client.get("/members/?q=%25").content.decode()


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("?sort=age", 400, "Sort by messages"),
        ("?q=" + "a" * 31, 400, "at most 30 characters"),
        ("?page=99", 404, ""),
        ("?page=x", 404, ""),
    ],
)
def test_bad_member_list_input_gets_a_clear_answer(
    anon_client: Client, crowd: dict[str, Member], query: str, status: int, text: str
) -> None:
    response = anon_client.get("/members/" + query)
    assert response.status_code == status
    assert text in response.content.decode()


def test_banned_members_are_hidden_from_members_and_marked_for_moderators(
    member_client: Client, moderator: Member, banned: Member
) -> None:
    assert "troll" not in names(member_client.get("/members/?sort=name"))
    response = client_for(moderator).get("/members/?sort=name")
    assert "troll" in names(response)
    assert '<span class="badge banned">Banned</span>' in response.content.decode()


def test_member_list_is_paginated(anon_client: Client, settings: Any) -> None:
    settings.PARLEY_MEMBERS_PER_PAGE = 2
    for i in range(5):
        MemberFactory(username=f"m{i}", message_count=10 - i)
    assert names(anon_client.get("/members/?page=2")) == ["m2", "m3"]
    assert names(anon_client.get("/members/?page=3")) == ["m4"]


def test_member_list_guest_page_carries_no_csrf_token_or_cookie(
    anon_client: Client, crowd: dict[str, Member]
) -> None:
    response = anon_client.get("/members/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize("how_many", [3, 40])
def test_member_list_query_count_does_not_grow_with_members(
    anon_client: Client, django_assert_num_queries: Any, how_many: int
) -> None:
    for i in range(how_many):
        MemberFactory(username=f"p{i}")
    with django_assert_num_queries(2):  # count, page
        anon_client.get("/members/")


def test_member_list_query_count_for_a_member(
    member_client: Client, crowd: dict[str, Member], django_assert_num_queries: Any
) -> None:
    member_client.get("/members/")  # permission set cached
    # session, member, permission version, then count and page
    with django_assert_num_queries(5):
        member_client.get("/members/")


# --- follow and ignore --------------------------------------------------------------------


def test_follow_and_unfollow_by_post(member_client: Client, member: Member, other: Member) -> None:
    response = member_client.post("/members/bob/follow/")
    assert response.status_code == 302 and response["Location"] == "/members/bob/"
    assert Follow.objects.filter(follower=member, followed=other).exists()
    member_client.post("/members/bob/follow/")  # a double click
    assert Follow.objects.count() == 1
    page = member_client.get("/members/bob/").content.decode()
    assert "Unfollow" in page and "1 follower" in page
    member_client.post("/members/bob/unfollow/")
    assert not Follow.objects.exists()


def test_follow_returns_to_a_local_next_address_only(member_client: Client, other: Member) -> None:
    back = member_client.post("/members/bob/follow/", {"next": "/members/"})
    assert back["Location"] == "/members/"
    away = member_client.post("/members/bob/unfollow/", {"next": "https://evil.example/"})
    assert away["Location"] == "/members/bob/"


@pytest.mark.parametrize("action", ["follow", "unfollow", "ignore", "unignore"])
def test_guests_cannot_follow_or_ignore(anon_client: Client, other: Member, action: str) -> None:
    response = anon_client.post(f"/members/bob/{action}/")
    assert response.status_code == 302 and "/signin/" in response["Location"]
    assert not Follow.objects.exists() and not Ignore.objects.exists()


@pytest.mark.parametrize("action", ["follow", "ignore"])
def test_follow_and_ignore_are_post_only(member_client: Client, other: Member, action: str) -> None:
    assert member_client.get(f"/members/bob/{action}/").status_code == 405
    assert not Follow.objects.exists() and not Ignore.objects.exists()


def test_following_an_unknown_member_is_a_404(member_client: Client) -> None:
    assert member_client.post("/members/nobody/follow/").status_code == 404


def test_following_yourself_is_a_clear_400(member_client: Client) -> None:
    response = member_client.post("/members/alice/follow/")
    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()


def test_ignoring_staff_is_refused_with_a_message(
    member_client: Client, member: Member, moderator: Member
) -> None:
    response = member_client.post("/members/mod/ignore/")
    assert response.status_code == 400
    assert "Staff members cannot be ignored." in response.content.decode()
    assert not Ignore.objects.exists()
    assert "ignore-button" not in member_client.get("/members/mod/").content.decode()


def test_ignore_list_page_lists_and_unignores(
    member_client: Client, member: Member, other: Member
) -> None:
    member_client.post("/members/bob/ignore/")
    page = member_client.get("/account/ignored/").content.decode()
    assert 'href="/members/bob/"' in page
    member_client.post("/members/bob/unignore/", {"next": "/account/ignored/"})
    assert "You ignore nobody." in member_client.get("/account/ignored/").content.decode()


def test_profile_query_count_for_a_member(
    member_client: Client, other: Member, django_assert_num_queries: Any
) -> None:
    member_client.get("/members/bob/")
    # session, member, permission version, profile row, recent posts and threads, then the
    # people panel: fields, follows (the target's permission set is cached; the title
    # ladder is the process's while the site is unchanged, stamps.per_site)
    with django_assert_num_queries(7):
        member_client.get("/members/bob/")


# --- ignored posts on a thread page -------------------------------------------------------


def without_tokens(html: str) -> str:
    """The page with each reader's own CSRF token blanked."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_ignored_members_posts_are_folded_for_the_ignorer_only(
    thread: Any, member: Member, other: Member, newcomer: Member
) -> None:
    reply = make_reply(thread, other, "Bob takes on dams")
    services.ignore_member(member=member, target=other)
    mine = client_for(member).get(f"/threads/{thread.pk}/").content.decode()
    assert f'<details class="ignored-post" data-post-id="{reply.pk}">' in mine
    assert "You are ignoring bob." in mine and "Bob takes on dams" in mine
    theirs = client_for(newcomer).get(f"/threads/{thread.pk}/").content.decode()
    assert "ignored-post" not in theirs and "Bob takes on dams" in theirs
    # The post's own cached HTML is the same for both: only the wrapping differs.
    article = theirs[theirs.index(f'<article class="post" id="post-{reply.pk}"') :]
    article = article[: article.index("</article>")]
    assert without_tokens(article) in without_tokens(mine)
    # The live-update fragment is folded the same way.
    fragment = client_for(member).get(f"/posts/{reply.pk}/fragment/").content.decode()
    assert fragment.startswith('<details class="ignored-post"')


def test_thread_page_query_count_is_unchanged_by_an_ignore_list(
    thread: Any,
    member: Member,
    other: Member,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(3):
        make_reply(thread, other, f"r{i}")
    client = client_for(member)
    client.get(f"/threads/{thread.pk}/")
    with django_assert_max_num_queries(100) as plain:
        client.get(f"/threads/{thread.pk}/")
    plain_count = len(plain.captured_queries)  # read now: the next request resets the log
    assert plain_count > 5
    services.ignore_member(member=member, target=other)
    client.get(f"/threads/{thread.pk}/")
    with django_assert_num_queries(plain_count):
        client.get(f"/threads/{thread.pk}/")


# --- signatures ---------------------------------------------------------------------------


def test_signature_shows_under_posts_and_refreshes_the_cached_post(
    thread: Any, member: Member, other_client: Client
) -> None:
    url = f"/threads/{thread.pk}/"
    assert 'class="signature' not in other_client.get(url).content.decode()
    members.set_signature(member=member, source="[i]From Leeds[/i]", fmt="bbcode")
    page = other_client.get(url).content.decode()
    assert (
        '<aside class="signature format-bbcode" aria-label="Signature"><p><em>From Leeds</em></p>'
        in page
    )
    members.set_signature(member=member, source="From York", fmt="bbcode")
    page = other_client.get(url).content.decode()
    assert "From York" in page and "From Leeds" not in page


def test_signatures_reach_guests_unless_hidden_from_them(
    thread: Any, member: Member, anon_client: Client, settings: Any
) -> None:
    members.set_signature(member=member, source="Leeds notes", fmt="bbcode")
    url = f"/threads/{thread.pk}/"
    assert "Leeds notes" in anon_client.get(url).content.decode()
    settings.PARLEY_SIGNATURES_FOR_GUESTS = False
    members.set_signature(member=member, source="Leeds notes", fmt="markdown")  # new stamp
    from django.core.cache import caches

    caches["pages"].clear()
    assert "Leeds notes" not in anon_client.get(url).content.decode()
    assert "Leeds notes" in client_for(member).get(url).content.decode()


def test_profile_edit_saves_a_signature_and_refuses_one_over_the_limit(
    member_client: Client, member: Member
) -> None:
    data = {"country": "GB", "location": "Leeds", "about": "", "signature_format": "bbcode"}
    ok = member_client.post(
        "/account/profile/", {**data, "signature": "[b]Hi[/b]", "show_online": "on"}
    )
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.signature_source == "[b]Hi[/b]" and member.signature_version == 1
    bad = member_client.post(
        "/account/profile/", {**data, "location": "York", "signature": "x" * 600}
    )
    assert bad.status_code == 400
    assert "at most 500 characters" in bad.content.decode()
    member.refresh_from_db()
    assert (member.location, member.signature_source) == ("Leeds", "[b]Hi[/b]")


# --- custom profile fields ----------------------------------------------------------------


def test_member_fills_in_fields_shown_on_profile_and_card(
    member_client: Client, member: Member, thread: Any, fields: dict[str, ProfileField]
) -> None:
    response = member_client.post(
        "/account/fields/",
        {"country_of_origin": "Estonia", "expertise": "Economics", "reading_since": "2004-05-01"},
    )
    assert response.status_code == 302
    profile = Client().get("/members/alice/").content.decode()
    assert "<dt>Country</dt><dd>Estonia</dd>" in profile
    assert "<dt>Reading since</dt><dd>2004-05-01</dd>" in profile
    card_page = Client().get(f"/threads/{thread.pk}/").content.decode()
    assert '<dt>Area of expertise</dt><dd class="custom-field">Economics</dd>' in card_page
    assert "Estonia" not in card_page  # not a card field


def test_bad_field_value_is_a_400_that_changes_nothing(
    member_client: Client, member: Member, fields: dict[str, ProfileField]
) -> None:
    response = member_client.post(
        "/account/fields/", {"country_of_origin": "Peru", "expertise": "Astrology"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not FieldValue.objects.exists()
    bad_date = member_client.post("/account/fields/", {"reading_since": "yesterday"})
    assert bad_date.status_code == 400 and not FieldValue.objects.exists()


def test_guests_cannot_edit_fields(anon_client: Client, fields: dict[str, ProfileField]) -> None:
    response = anon_client.post("/account/fields/", {"country_of_origin": "Peru"})
    assert response.status_code == 302 and "/signin/" in response["Location"]
    assert not FieldValue.objects.exists()


def test_fields_page_query_count(
    member_client: Client, fields: dict[str, ProfileField], django_assert_num_queries: Any
) -> None:
    member_client.get("/account/fields/")
    # session, member, values, definitions, permission version (the header)
    with django_assert_num_queries(5):
        member_client.get("/account/fields/")


def test_a_guests_cached_profile_shows_the_new_follower_count(
    anon_client: Client, member: Member, other: Member
) -> None:
    assert "0 followers" in anon_client.get("/members/bob/").content.decode()
    services.follow_member(member=member, target=other)
    assert "1 follower" in anon_client.get("/members/bob/").content.decode()
    services.unfollow_member(member=member, target=other)
    assert "0 followers" in anon_client.get("/members/bob/").content.decode()


def test_the_profile_shows_the_signature_to_members_and_to_guests_when_allowed(
    member_client: Client, member: Member, anon_client: Client, settings: Any
) -> None:
    from parley.members import services as member_services

    member_services.set_signature(member=member, source="[b]Leeds desk[/b]", fmt="bbcode")
    settings.PARLEY_GUEST_CACHE = False
    url = f"/members/{member.username}/"
    assert "<strong>Leeds desk</strong>" in member_client.get(url).content.decode()
    settings.PARLEY_SIGNATURES_FOR_GUESTS = True
    assert "<strong>Leeds desk</strong>" in anon_client.get(url).content.decode()
    settings.PARLEY_SIGNATURES_FOR_GUESTS = False
    guest_page = anon_client.get(url).content.decode()
    assert "Leeds desk" not in guest_page and 'class="profile-signature"' not in guest_page
