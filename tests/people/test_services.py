"""The people services: signatures, follows, ignores and profile field values."""

from __future__ import annotations

import pytest

from parley.members import services as members
from parley.members.models import Member
from parley.people import services
from parley.people.models import FieldValue, Follow, Ignore, ProfileField

pytestmark = pytest.mark.django_db


# --- signatures ---------------------------------------------------------------------------


def test_signature_is_cooked_and_moves_its_version(member: Member) -> None:
    members.set_signature(member=member, source="[b]Pune[/b] notes", fmt="bbcode")
    member.refresh_from_db()
    assert member.signature_html.strip() == "<p><strong>Pune</strong> notes</p>"
    assert member.signature_version == 1
    members.set_signature(member=member, source="*Leeds*", fmt="markdown")
    member.refresh_from_db()
    assert (
        member.signature_html.strip() == "<p><em>Leeds</em></p>" and member.signature_version == 2
    )


@pytest.mark.parametrize(
    ("source", "fmt", "message"),
    [
        ("x" * 501, "bbcode", "at most 500 characters"),
        ("a\nb\nc\nd\ne\nf", "bbcode", "at most 5 lines"),
        (
            "[img]https://a.example/1.png[/img] [img]https://a.example/2.png[/img]",
            "bbcode",
            "1 image",
        ),
        ("fine", "html", "BBCode or Markdown"),
    ],
)
def test_a_signature_over_a_limit_is_refused_and_changes_nothing(
    member: Member, source: str, fmt: str, message: str
) -> None:
    members.set_signature(member=member, source="kept", fmt="bbcode")
    with pytest.raises(members.SignatureRefused, match=message):
        members.set_signature(member=member, source=source, fmt=fmt)
    member.refresh_from_db()
    assert (member.signature_source, member.signature_version) == ("kept", 1)


def test_an_empty_signature_clears_it(member: Member) -> None:
    members.set_signature(member=member, source="something", fmt="bbcode")
    members.set_signature(member=member, source="  ", fmt="bbcode")
    member.refresh_from_db()
    assert (member.signature_source, member.signature_html) == ("", "")


# --- follow -------------------------------------------------------------------------------


def test_following_twice_makes_one_follow_and_unfollow_removes_it(
    member: Member, other: Member
) -> None:
    assert services.follow_member(member=member, target=other) is True
    assert services.follow_member(member=member, target=other) is False
    assert Follow.objects.filter(follower=member, followed=other).count() == 1
    assert services.unfollow_member(member=member, target=other) is True
    assert services.unfollow_member(member=member, target=other) is False
    assert not Follow.objects.exists()


def test_following_yourself_is_refused(member: Member) -> None:
    with pytest.raises(services.Refused, match="yourself"):
        services.follow_member(member=member, target=member)
    assert not Follow.objects.exists()


# --- ignore -------------------------------------------------------------------------------


def test_ignoring_keeps_the_members_copy_of_the_list_exact(
    member: Member, other: Member, newcomer: Member
) -> None:
    services.ignore_member(member=member, target=other)
    services.ignore_member(member=member, target=newcomer)
    services.ignore_member(member=member, target=other)  # a double click
    assert Member.objects.get(pk=member.pk).ignored_ids == sorted([other.pk, newcomer.pk])
    services.unignore_member(member=member, target=other)
    assert Member.objects.get(pk=member.pk).ignored_ids == [newcomer.pk]
    assert list(Ignore.objects.values_list("ignored_id", flat=True)) == [newcomer.pk]


@pytest.mark.parametrize("persona", ["moderator", "admin"])
def test_staff_cannot_be_ignored(
    member: Member, persona: str, request: pytest.FixtureRequest
) -> None:
    staff = request.getfixturevalue(persona)
    with pytest.raises(services.Refused, match="Staff members cannot be ignored"):
        services.ignore_member(member=member, target=staff)
    assert not Ignore.objects.exists()
    assert Member.objects.get(pk=member.pk).ignored_ids == []


def test_ignoring_yourself_is_refused(member: Member) -> None:
    with pytest.raises(services.Refused, match="yourself"):
        services.ignore_member(member=member, target=member)


# --- profile fields -----------------------------------------------------------------------


def test_field_values_are_stored_and_the_card_copy_follows(
    member: Member, fields: dict[str, ProfileField]
) -> None:
    services.set_field_values(
        member=member,
        values={
            "country_of_origin": " Estonia ",
            "expertise": "Elections",
            "reading_since": "2001-09-11",
        },
    )
    stored = dict(FieldValue.objects.filter(member=member).values_list("field__key", "value"))
    assert stored == {
        "country_of_origin": "Estonia",
        "expertise": "Elections",
        "reading_since": "2001-09-11",
    }
    # Only the field marked for the card is copied onto the member.
    assert Member.objects.get(pk=member.pk).card_fields == [["Area of expertise", "Elections"]]
    services.set_field_values(member=member, values={"expertise": ""})
    assert Member.objects.get(pk=member.pk).card_fields == []
    assert not FieldValue.objects.filter(member=member, field__key="expertise").exists()


@pytest.mark.parametrize(
    ("values", "key", "message"),
    [
        ({"expertise": "Astrology"}, "expertise", "Choose one of the options"),
        ({"reading_since": "11/09/2001"}, "reading_since", "is a date"),
        ({"reading_since": "2999-01-01"}, "reading_since", "between 1900 and today"),
        ({"country_of_origin": "x" * 21}, "country_of_origin", "at most 20 characters"),
        ({"country_of_origin": "two\nlines"}, "country_of_origin", "one line"),
        ({"nonsense": "1"}, "nonsense", "No such field"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(
    member: Member, fields: dict[str, ProfileField], values: dict[str, str], key: str, message: str
) -> None:
    with pytest.raises(services.FieldErrors) as caught:
        services.set_field_values(member=member, values={"country_of_origin": "Peru", **values})
    assert message in caught.value.errors[key]
    assert not FieldValue.objects.exists()


def test_a_required_field_must_be_filled(member: Member, fields: dict[str, ProfileField]) -> None:
    ProfileField.objects.filter(key="country_of_origin").update(required=True)
    with pytest.raises(services.FieldErrors, match="Country is required"):
        services.set_field_values(member=member, values={"country_of_origin": ""})


def test_renaming_a_card_field_rewrites_every_card_copy(
    member: Member, other: Member, fields: dict[str, ProfileField]
) -> None:
    services.set_field_values(member=member, values={"expertise": "Economics"})
    services.set_field_values(member=other, values={"expertise": "Elections"})
    ProfileField.objects.filter(key="expertise").update(label="Expertise")
    assert services.refresh_card_fields() == 2
    assert Member.objects.get(pk=other.pk).card_fields == [["Expertise", "Elections"]]


def test_recount_rebuilds_the_ignore_list_and_card_copies_from_the_rows(
    member: Member, other: Member, fields: dict[str, ProfileField]
) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.ignore_member(member=member, target=other)
    services.set_field_values(member=member, values={"expertise": "Elections"})
    member.refresh_from_db()
    good_card = member.card_fields
    Member.objects.filter(pk=member.pk).update(ignored_ids=[999], card_fields=[["Old", "x"]])
    Member.objects.filter(pk=other.pk).update(ignored_ids=[member.pk])
    out = StringIO()
    call_command("recount", stdout=out)
    member.refresh_from_db()
    other.refresh_from_db()
    assert member.ignored_ids == [other.pk] and member.card_fields == good_card
    assert other.ignored_ids == []
    assert (
        "ignored_ids was [999]" in out.getvalue()
        and "card_fields was [['Old', 'x']]" in out.getvalue()
    )
    again = StringIO()
    call_command("recount", stdout=again)
    assert again.getvalue().strip().endswith("0 counter(s) corrected.")


def test_recounting_the_copies_costs_the_same_queries_for_any_number_of_members(
    member: Member, other: Member, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from parley.people.recount import recount_people_copies

    Member.objects.bulk_create(
        [Member(username=f"reader{i}", email=f"r{i}@example.test") for i in range(20)]
    )
    # ignore rows, card values, members (a savepoint pair around them)
    with django_assert_num_queries(5):
        assert recount_people_copies() == []
