"""`parley demo` as a new user meets it: true member cards, idempotent, and threads in the
seed page's shapes (attributed article quote with photo caption and credit, a title-text
link, the member's own line; and pasted article text recognised as a quote)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase

from parley.demo.content import (
    ARTICLE_TITLE,
    DELETE_REASON,
    WARNING_NOTICE,
)
from parley.forums.counters import COUNTED
from parley.forums.models import Category, Forum, Post, State, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member, TitleRung
from parley.members.titles import Ladder
from parley.moderation.models import AuditEntry, CaseState, ReportCase, Warning
from parley.permissions.guardian import Guardian
from parley.permissions.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Load the demo once for every test here (a load writes thousands of posts): inside an
    outer transaction that is rolled back when the module is done, so the tests' own
    transactions nest in it as savepoints and nothing leaks to the rest of the suite."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        # Subscribers run after commit (links, engagement): run them as a commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_demo_community(anon_client: Client, demo_output: str) -> None:
    out = StringIO()
    assert demo_output.startswith("Demo community loaded.")

    # Every number on every card is what the rows say.
    assert recount_all() == []
    # The people (the news feed's bot, `newsdesk`, aside: docs/demo.md).
    members = list(Member.objects.exclude(username="newsdesk"))
    assert len(members) == 15 and len({m.country.code for m in members}) == 15
    assert all(m.message_count == Post.objects.filter(COUNTED, author=m).count() for m in members)
    assert [m.username for m in members if m.reaction_score < 0] == ["ironvale"]
    ladder = Ladder.load()
    titles = {m.custom_title or ladder.title_for(m.message_count) for m in members}
    assert set(TitleRung.objects.values_list("title", flat=True)) <= titles
    assert Category.objects.filter(parent__isnull=False).exists()  # nested categories

    # The seed's shape: article quote with caption and credit, title-text link, own opinion.
    seed = Thread.objects.get(title__startswith="Euphrates farmers")
    html = Post.objects.get(pk=seed.first_post_id).cooked_html
    assert 'class="quote article-quote"' in html and "<cite>" in html
    assert '<span class="credit">Photograph: Daily Ledger staff</span>' in html
    assert f">{ARTICLE_TITLE}</a>" in html
    opinion = html.rsplit("</blockquote>", 1)[1]
    assert "Water will start the next war" in opinion

    # Pasted article text, its link alone on a line, one own line: quote + card + own words.
    pasted = Thread.objects.get(title__startswith="Euphrates water")
    html = Post.objects.get(pk=pasted.first_post_id).cooked_html
    quote = html[html.index('class="quote article-quote"') : html.index("</blockquote>")]
    assert "Tabqa reservoir" in quote and "The Daily Ledger" in quote
    assert 'class="link-card"' in html and "/media/demo/irrigation-channel.jpg" in html
    assert "pump stations were the real failure" in html.rsplit("</blockquote>", 1)[1]

    body = anon_client.get(f"/threads/{pasted.pk}/").content.decode()
    assert "Also discussed in" in body and seed.title in body

    assert_demo_sources(anon_client)

    # Alerts wait for ironvale; the backdated history was not replayed into alerts.
    assert_alerts_wait_for_ironvale_and_history_is_not_replayed()

    # Loading again changes nothing.
    call_command("demo", stdout=out)
    assert out.getvalue().strip().endswith("nothing changed.")
    assert Member.objects.exclude(username="newsdesk").count() == 15 and recount_all() == []
    # three staff actions and the lock of the live thread that continued in part 2
    assert AuditEntry.objects.count() == 4
    assert_live_events_are_shown()

    # Every post is published but the one a moderator deleted and the one awaiting approval.
    hidden = {p.state: p for p in Post.objects.exclude(state=State.VISIBLE)}
    assert (
        set(hidden) == {State.DELETED, State.PENDING}
        and Post.objects.exclude(state=State.VISIBLE).count() == 2
    )
    assert hidden[State.DELETED].author.username == "ironvale"
    assert hidden[State.DELETED].delete_reason == DELETE_REASON
    pending = hidden[State.PENDING]
    assert pending.author.username == "lena_m" and pending.thread.state == State.PENDING
    assert Thread.objects.exclude(state=State.VISIBLE).get() == pending.thread


def test_demo_staff_roles_and_their_casework_in_the_log(
    anon_client: Client, demo_output: str
) -> None:
    moderator = Member.objects.get(username="moderator")
    assert moderator.check_password("parley-demo-password") and not moderator.is_staff
    assert Group.objects.get(key=Group.MODERATORS).members.filter(pk=moderator.pk).exists()
    assert Guardian(moderator).is_super_moderator

    fox = Guardian(Member.objects.get(username="baltic_fox"))
    europe = Forum.objects.get(title="Europe & Russia")
    assert fox.forum_ids_with_power("approve") == [europe.pk]
    assert fox.has_power("reports", europe.pk) and not fox.has_power("ban", europe.pk)
    assert not fox.is_super_moderator

    edited = Post.objects.select_related("thread__forum").get(edited_at__isnull=False)
    assert edited.revision == 2 and edited.thread.forum.title == "Defence Industry"
    assert Guardian(Member.objects.get(username="maple_analyst")).can_view_history(edited)
    assert not Guardian(Member.objects.get(username="nadia.r")).can_view_history(edited)

    case = ReportCase.objects.get()
    assert case.state == CaseState.OPEN and case.report_count == 2
    assert case.reports.count() == 2 and case.comments.count() == 1

    warning = Warning.objects.get()
    assert warning.member.username == "ironvale" and warning.points == 2
    assert warning.post is not None and warning.post.staff_notice == WARNING_NOTICE
    assert Member.objects.get(username="ironvale").warning_points == 2

    log = dict(AuditEntry.objects.values_list("action", "actor__username"))
    assert log == {
        "thread.stick": "kestrel_mod",
        "post.delete": "kestrel_mod",
        "member.warn": "moderator",
        "thread.lock": None,  # a rule, not a person: the live thread continued in part 2
    }

    # What a guest reads: the placeholder with its reason, the notice, no pending thread.
    deleted = Post.objects.get(state=State.DELETED)
    body = anon_client.get(f"/threads/{deleted.thread_id}/").content.decode()
    assert "Deleted by a moderator" in body and "public registers" not in body
    body = anon_client.get(f"/threads/{warning.post.thread_id}/").content.decode()
    assert WARNING_NOTICE in body
    pending = Thread.objects.get(state=State.PENDING)
    assert anon_client.get(f"/threads/{pending.pk}/").status_code == 404


def assert_alerts_wait_for_ironvale_and_history_is_not_replayed() -> None:
    from parley.alerts.models import Alert
    from parley.alerts.unread import count_unread
    from parley.events.models import Delivery

    ironvale = Member.objects.get(username="ironvale")
    kinds = set(Alert.objects.filter(recipient=ironvale).values_list("kind", flat=True))
    assert {"reaction", "moderation", "warning"} <= kinds
    assert count_unread(ironvale.pk) >= 3
    sahel = Member.objects.get(username="sahel_watch")
    assert "invitation" in set(Alert.objects.filter(recipient=sahel).values_list("kind", flat=True))
    # The rest of the history is recorded as handled: no alerts for everyone else, and no
    # delivery left for the worker to replay.
    assert not Alert.objects.exclude(recipient__in=[ironvale, sahel]).exists()
    assert not Delivery.objects.filter(subscriber="alerts").exclude(status="done").exists()


def assert_live_events_are_shown() -> None:
    """A live thread with its timeline and slow mode; a live thread continued in part 2."""
    from django.test import Client

    from parley.demo.liveevents import CYCLONE_TITLE, FERRY_TITLE
    from parley.liveevents.models import LiveEvent

    cyclone = LiveEvent.objects.get(thread__title=CYCLONE_TITLE)
    assert cyclone.slow_mode_seconds == 120 and cyclone.entries.count() == 5
    page = Client().get(f"/threads/{cyclone.thread_id}/").content.decode()
    assert "Key developments" in page and "once every 2 minutes" in page
    ferry = LiveEvent.objects.select_related("thread").get(thread__title=FERRY_TITLE)
    assert ferry.thread.is_locked and ferry.next_thread_id
    part2 = LiveEvent.objects.select_related("thread").get(thread_id=ferry.next_thread_id)
    assert part2.thread.title == f"{FERRY_TITLE} (part 2)"
    assert part2.previous_thread_id == ferry.thread_id and part2.entries.count() == 3


def assert_demo_sources(anon_client: Client) -> None:
    """Cards carry source labels; a newcomer's first post with five trusted links is up; one
    of its articles changed its headline and one is gone (docs/sources.md)."""
    from parley.sources.models import SourcePolicy

    thread = Thread.objects.get(title="Five reports on the river talks, side by side")
    first = Post.objects.get(pk=thread.first_post_id)
    assert thread.state == State.VISIBLE and first.author.message_count == 1
    html = first.cooked_html
    assert html.count('class="link-card"') == 5
    assert '<span class="source-label">Press agency</span>' in html
    assert "Headline changed; it read: River talks end without agreement" in html
    assert "No longer available; last seen" in html
    seed = Post.objects.filter(source__contains="?utm_source=twitter").first()
    assert seed is not None and '<span class="source-label">Paywall</span>' in seed.cooked_html
    assert SourcePolicy.objects.get().action == "approve"
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "State-affiliated" not in body and "Article history" in body


def test_demo_has_a_conversation_among_three_members(demo_output: str) -> None:
    """Three members, written through the services, exact counters, and unread for the
    member who has not opened it."""
    from parley.conversations.models import Conversation, Participant
    from parley.conversations.recount import recount_conversations

    conversation = Conversation.objects.get()
    names = set(conversation.participants.values_list("member__username", flat=True))
    assert names == {"meridian_k", "ferhat", "sahel_watch"}
    assert conversation.message_count == 2
    assert recount_conversations() == []
    unread = set(
        Participant.objects.filter(is_unread=True).values_list("member__username", flat=True)
    )
    assert unread == {"sahel_watch"}
    # Private messages never count on the public card.
    ferhat = Member.objects.get(username="ferhat")
    assert ferhat.message_count == Post.objects.filter(COUNTED, author=ferhat).count()
