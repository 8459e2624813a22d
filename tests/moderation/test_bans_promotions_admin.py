"""E-mail, domain and IP bans; the IP retention sweep; automatic promotions; and the admin,
which must not be a second write path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member
from parley.members.services import SignUpRefused, register_member
from parley.moderation.models import AuditEntry
from parley.moderation.tasks import moderation_sweep, purge_old_addresses
from parley.permissions.bans import address_banned, email_banned
from parley.permissions.guardian import Guardian
from parley.permissions.models import BannedAddress, BannedEmail, Group, PromotionRule
from parley.permissions.promotions import evaluate_everyone, evaluate_member
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, make_thread, reaction, signup_data

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 42"


# --- e-mail and domain bans ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "email", "banned"),
    [
        ("spam@example.org", "spam@example.org", True),
        ("spam@example.org", "SPAM@Example.org", True),
        ("spam@example.org", "other@example.org", False),
        ("@badmail.test", "anyone@badmail.test", True),
        ("badmail.test", "anyone@mx.badmail.test", True),
        ("badmail.test", "anyone@notbadmail.test", False),
    ],
)
def test_email_and_domain_bans_match_addresses_and_subdomains(
    pattern: str, email: str, banned: bool
) -> None:
    BannedEmail.objects.create(pattern=pattern)
    assert email_banned(email) is banned


def test_a_banned_domain_cannot_sign_up_and_nothing_is_created() -> None:
    BannedEmail.objects.create(pattern="@badmail.test")
    with pytest.raises(SignUpRefused):
        register_member(username="spammy", email="x@badmail.test", password=PASSWORD)
    assert not Member.objects.filter(username="spammy").exists()


def test_the_signup_page_refuses_a_banned_address_with_a_message(anon_client: Client) -> None:
    BannedAddress.objects.create(network="127.0.0.0/8", reason="test network")
    response = anon_client.post(
        "/signup/",
        signup_data(username="fromhere", email="fromhere@example.org", password=PASSWORD),
    )
    assert response.status_code == 400
    assert "not possible from your network" in response.content.decode()
    assert not Member.objects.filter(username="fromhere").exists()


# --- IP / CIDR bans for posting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("network", "ip", "banned"),
    [
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.0/24", "203.0.113.200", True),
        ("203.0.113.0/24", "203.0.114.1", False),
        ("2001:db8::/32", "2001:db8::1", True),
        ("not a network", "203.0.113.7", False),
    ],
)
def test_address_bans_match_single_addresses_and_networks(
    network: str, ip: str, banned: bool
) -> None:
    BannedAddress.objects.create(network=network)
    assert address_banned(ip) is banned


def test_an_expired_address_ban_no_longer_applies() -> None:
    BannedAddress.objects.create(
        network="203.0.113.0/24", expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert address_banned("203.0.113.9") is False


def test_posting_from_a_banned_network_is_refused_and_writes_nothing(
    thread: Thread, other: Member
) -> None:
    BannedAddress.objects.create(network="198.51.100.0/24")
    before = Post.objects.count()
    with pytest.raises(PermissionDenied):
        services.reply_to_thread(
            author=other, thread=thread, source="hi", fmt="bbcode", ip="198.51.100.4"
        )
    assert Post.objects.count() == before


def test_the_reply_page_records_the_client_address_on_the_post(
    thread: Thread, other_client: Client
) -> None:
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "From here", "format": "bbcode"})
    assert Post.objects.get(plain_text__contains="From here").ip_address == "127.0.0.1"


# --- retention of IP addresses ----------------------------------------------------------------


def test_the_sweep_forgets_addresses_older_than_the_retention(
    thread: Thread, other: Member, settings
) -> None:
    settings.PARLEY_IP_RETENTION_DAYS = 30
    old = services.reply_to_thread(
        author=other, thread=thread, source="old", fmt="bbcode", ip="192.0.2.1"
    )
    new = services.reply_to_thread(
        author=other, thread=thread, source="new", fmt="bbcode", ip="192.0.2.2"
    )
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert purge_old_addresses() == 1
    assert Post.objects.get(pk=old.pk).ip_address is None
    assert Post.objects.get(pk=new.pk).ip_address == "192.0.2.2"


# --- automatic promotions -----------------------------------------------------------------------


@pytest.fixture
def trusted() -> Group:
    return Group.objects.create(name="Trusted")


def test_a_member_is_promoted_when_a_post_brings_them_over_the_rule(
    forum: Forum, trusted: Group, django_capture_on_commit_callbacks
) -> None:
    PromotionRule.objects.create(name="Two posts", group=trusted, min_messages=2)
    author = MemberFactory(username="climber")
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(forum, author)
    assert not trusted.members.filter(pk=author.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, author)
    assert trusted.members.filter(pk=author.pk).exists()
    # The version bump makes the new group count on the member's next request.
    assert "Trusted" in [g.name for g in Group.objects.filter(members=author)]


def test_reaction_score_rules_and_warning_points_decide(
    thread: Thread, member: Member, other: Member, trusted: Group
) -> None:
    PromotionRule.objects.create(
        name="Liked", group=trusted, min_reaction_score=1, require_no_warning_points=True
    )
    assert evaluate_member(member.pk) == []
    services.react_to_post(
        member=other, post=Post.objects.get(pk=thread.first_post_id), reaction_type=reaction("Like")
    )
    assert evaluate_member(member.pk) == ["+Trusted"]
    Member.objects.filter(pk=member.pk).update(warning_points=3)
    assert evaluate_member(member.pk) == []  # no removal unless the rule says so


def test_remove_when_unmet_takes_members_out_again(member: Member, trusted: Group) -> None:
    PromotionRule.objects.create(
        name="Veterans", group=trusted, min_days_joined=10, remove_when_unmet=True
    )
    Member.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=11))
    assert evaluate_everyone() == 1
    assert trusted.members.filter(pk=member.pk).exists()
    Member.objects.filter(pk=member.pk).update(date_joined=timezone.now())
    assert evaluate_member(member.pk) == ["-Trusted"]


def test_a_promotion_group_grants_its_permissions(forum: Forum, member: Member) -> None:
    from parley.permissions.models import Grant

    analysts = Group.objects.create(name="Analysts")
    Grant.objects.create(group=analysts, forum=forum, permission="view_history", value="allow")
    PromotionRule.objects.create(name="All", group=analysts)
    assert not Guardian(Member.objects.get(pk=member.pk)).has("view_history", forum.pk)
    evaluate_member(member.pk)
    assert Guardian(Member.objects.get(pk=member.pk)).has("view_history", forum.pk)


def test_the_periodic_sweep_runs_every_part(member: Member, trusted: Group) -> None:
    PromotionRule.objects.create(name="Everyone", group=trusted)
    result = moderation_sweep.call()
    assert result == {"warnings": 0, "addresses": 0, "promotions": 1}


# --- the admin is not a second write path ----------------------------------------------------


@pytest.fixture
def admin_client(admin: Member) -> Client:
    return client_for(admin)


def test_admin_offers_no_plain_delete_for_posts_threads_or_members(
    admin_client: Client, first_post: Post, thread: Thread, member: Member
) -> None:
    assert admin_client.get(f"/admin/forums/post/{first_post.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/forums/thread/{thread.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/members/member/{member.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/forums/forum/{thread.forum_id}/delete/").status_code == 403


def test_admin_delete_for_good_goes_through_the_service_and_keeps_counters(
    admin_client: Client, thread: Thread, other: Member
) -> None:
    reply = make_reply(thread, other, "Spam reply")
    response = admin_client.post(
        "/admin/forums/post/",
        {"action": "delete_for_good", "_selected_action": [str(reply.pk)]},
    )
    assert response.status_code == 302
    assert not Post.objects.filter(pk=reply.pk).exists()
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    assert Member.objects.get(pk=other.pk).message_count == 0
    assert recount_all() == []
    assert AuditEntry.objects.filter(action="post.hard_delete").count() == 1


def test_admin_thread_flags_go_through_the_logged_service(
    admin_client: Client, thread: Thread
) -> None:
    response = admin_client.post(
        f"/admin/forums/thread/{thread.pk}/change/", {"is_sticky": "on", "is_locked": ""}
    )
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_sticky is True
    assert AuditEntry.objects.filter(action="thread.stick", target_id=thread.pk).count() == 1


def test_the_log_cannot_be_changed_in_the_admin(admin_client: Client, thread: Thread) -> None:
    from parley.moderation import content

    content.set_flags(actor=Member.objects.get(username="root"), threads=[thread], locked=True)
    entry = AuditEntry.objects.get()
    assert admin_client.get(f"/admin/moderation/auditentry/{entry.pk}/delete/").status_code == 403
    assert (
        admin_client.post(
            f"/admin/moderation/auditentry/{entry.pk}/change/", {"reason": "rewritten"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.get().reason == ""
