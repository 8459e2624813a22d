"""Messages are cooked like posts: mentions, link cards from known pages, attributed
article quotes, sanitizing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from parley.conversations import services
from parley.conversations.models import Message, Participant
from parley.links.models import LinkedPage

URL = "https://dailyledger.example/world/story"
PARAGRAPH = "The ministers met for nine hours and agreed on nothing except a second meeting."


def reply(talk, member, source: str) -> Message:
    place = Participant.objects.select_related("conversation", "member").get(
        conversation=talk, member=member
    )
    return services.reply_to_conversation(place=place, source=source, fmt="bbcode")


def known_page() -> LinkedPage:
    now = timezone.now()
    return LinkedPage.objects.create(
        key=URL,
        url=URL,
        status="ok",
        headline="Talks end without a deal",
        site_name="Daily Ledger",
        article_text=PARAGRAPH + "\n\nAnother paragraph follows here.",
        fetched_at=now,
        checked_at=now,
    )


def test_mention_links_the_member(talk, other, member):
    html = reply(talk, other, "@alice look").cooked_html
    assert f'href="{reverse("members:profile", args=["alice"])}"' in html


def test_known_page_becomes_a_link_card(talk, other):
    known_page()
    html = reply(talk, other, f"{URL}").cooked_html
    assert "Talks end without a deal" in html


def test_pasted_article_paragraph_is_attributed(talk, other):
    known_page()
    html = reply(talk, other, f"{URL}\n\n{PARAGRAPH}").cooked_html
    assert "<blockquote" in html
    assert "Daily Ledger" in html


def test_script_is_sanitized(talk, other):
    html = reply(
        talk, other, "<script>alert(1)</script>[url=javascript:alert(1)]x[/url]"
    ).cooked_html
    assert "<script" not in html
    assert "javascript:" not in html
