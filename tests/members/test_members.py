"""Sign-up, sign-in, sign-out, password and profile, and the member page."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import Client, override_settings

from parley.forums.models import Forum
from parley.members.models import Member, TitleRung
from parley.members.titles import Ladder
from tests.conftest import client_for
from tests.factories import PASSWORD, MemberFactory, make_thread, signup_data

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_signup_creates_unconfirmed_member_hashed_with_argon2(anon_client: Client) -> None:
    response = anon_client.post(
        "/signup/",
        signup_data(username="zara", email="Zara@Example.org", password=PASSWORD),
    )
    assert response.status_code == 302 and response["Location"] == "/signup/sent/"
    member = Member.objects.get(username="zara")
    assert member.email == "zara@example.org" and member.email_confirmed_at is None
    assert identify_hasher(member.password).algorithm == "argon2"
    # Not signed in by the sign-up: the page answers the same for a registered address.
    assert not anon_client.get("/").context["user"].is_authenticated


def test_production_settings_hash_with_argon2() -> None:
    import importlib

    import parley.settings

    assert importlib.reload(parley.settings).PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "ALICE", "email": "new@example.org", "password": PASSWORD},
            "That name is taken.",
        ),
        ({"username": "zed", "email": "z@example.org", "password": "password1"}, "too common"),
        ({"username": "zed", "email": "z@example.org", "password": "short"}, "too short"),
        (
            {"username": "a b<script>", "email": "z@example.org", "password": PASSWORD},
            "Use 3 to 30 letters",
        ),
        ({"username": "zed", "email": "not-an-email", "password": PASSWORD}, "valid email"),
    ],
)
def test_signup_errors_are_clear(
    anon_client: Client, member: Member, data: dict, message: str
) -> None:
    response = anon_client.post("/signup/", signup_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Member.objects.count() == 1


def test_signup_when_signed_in_redirects(member_client: Client) -> None:
    assert member_client.get("/signup/").status_code == 302
    assert member_client.delete("/signup/").status_code == 405


def test_signin_and_signout(anon_client: Client, member: Member) -> None:
    bad = anon_client.post("/signin/", {"username": "alice", "password": "wrong"})
    assert bad.status_code == 400 and "do not match" in bad.content.decode()
    good = anon_client.post("/signin/", {"username": "alice", "password": PASSWORD})
    assert good.status_code == 302
    assert anon_client.get("/signout/").status_code == 405
    assert anon_client.post("/signout/").status_code == 302
    assert anon_client.get("/account/profile/").status_code == 302


def test_change_password(member_client: Client, member: Member) -> None:
    bad = member_client.post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "a fresh long one 42",
            "new_password2": "a fresh long one 42",
        },
    )
    assert bad.status_code == 400
    ok = member_client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a fresh long one 42",
            "new_password2": "a fresh long one 42",
        },
    )
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a fresh long one 42")
    assert member_client.get("/account/profile/").status_code == 200  # still signed in


def test_password_page_anonymous(anon_client: Client) -> None:
    assert anon_client.get("/account/password/").status_code == 302


def test_edit_profile(member_client: Client, member: Member) -> None:
    response = member_client.post(
        "/account/profile/", {"country": "EE", "location": "Tallinn", "about": "Hi"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.country.code, member.location, member.about) == ("EE", "Tallinn", "Hi")
    bad = member_client.post("/account/profile/", {"country": "XX", "location": "L" * 81})
    assert bad.status_code == 400
    member.refresh_from_db()
    assert member.country.code == "EE"


def test_profile_page(
    anon_client: Client, member: Member, forum: Forum, staff_forum: Forum, moderator: Member
) -> None:
    make_thread(forum, member, title="Visible thread")
    make_thread(staff_forum, moderator, title="Staff thread")
    body = anon_client.get("/members/ALICE/").content.decode()
    assert "Visible thread" in body and "Leeds" in body and "Messages" in body
    assert "Staff thread" not in anon_client.get("/members/mod/").content.decode()
    assert anon_client.get("/members/nobody-here/").status_code == 404
    assert anon_client.post("/members/alice/").status_code == 405


def test_profile_queries_are_bounded(
    anon_client: Client, member: Member, forum: Forum, django_assert_max_num_queries
) -> None:
    for i in range(12):
        make_thread(forum, member, title=f"t{i}")
    anon_client.get("/members/alice/")  # warms the permission cache
    with django_assert_max_num_queries(6):
        anon_client.get("/members/alice/")


def test_title_ladder_and_custom_title(member: Member) -> None:
    ladder = Ladder.load()
    assert [r.title for r in TitleRung.objects.all()][:2] == ["New member", "Member"]
    assert ladder.title_for(0) == "New member"
    assert ladder.title_for(24) == "New member"
    assert ladder.title_for(25) == "Member"
    assert ladder.title_for(10**6) == "Elite member"
    TitleRung.objects.create(title="Legend", min_messages=100_000)
    assert Ladder.load().title_for(10**6) == "Legend"


def test_custom_title_overrides_ladder(anon_client: Client, member: Member, forum: Forum) -> None:
    thread = make_thread(forum, member)
    Member.objects.filter(pk=member.pk).update(custom_title="Night editor")
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "Night editor" in body and "New member" not in body


def test_createadmin_command(capsys) -> None:
    call_command(
        "createadmin", username="boss", email="b@example.org", password="a long admin pass 9"
    )
    boss = Member.objects.get(username="boss")
    assert boss.is_staff and boss.is_superuser
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("createadmin", username="boss", password="a long admin pass 9")
    with pytest.raises(CommandError):
        call_command("createadmin", username="weak", password="123")


def test_admin_pages_for_staff(admin: Member) -> None:
    client = client_for(admin)
    for url in [
        "/admin/",
        "/admin/members/titlerung/",
        "/admin/forums/reactiontype/",
        "/admin/forums/forum/",
        "/admin/members/member/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client_for(MemberFactory()).get("/admin/").status_code == 302
