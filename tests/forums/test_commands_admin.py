"""`parley rebake`, `parley recount`, and admin edits that change derived state."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from parley.formatting import RENDER_VERSION
from parley.forums import services
from parley.forums.models import Post, ReactionType
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import make_reply, reaction

pytestmark = pytest.mark.django_db


def test_rebake_recooks_old_posts_only(thread, other) -> None:
    reply = make_reply(thread, other, "[b]bold[/b]")
    Post.objects.filter(pk=reply.pk).update(cooked_html="stale", render_version=0)
    out = StringIO()
    call_command("rebake", stdout=out)
    assert out.getvalue().strip() == "1 post(s) re-cooked."
    reply.refresh_from_db()
    assert "<strong>bold</strong>" in reply.cooked_html and "stale" not in reply.cooked_html
    assert reply.render_version == RENDER_VERSION
    call_command("rebake", stdout=out)
    assert out.getvalue().strip().endswith("0 post(s) re-cooked.")


def test_recount_command_reports(thread, member) -> None:
    Member.objects.filter(pk=member.pk).update(message_count=40)
    out = StringIO()
    call_command("recount", stdout=out)
    assert "Member" in out.getvalue() and "message_count was 40, is 1" in out.getvalue()
    assert out.getvalue().strip().endswith("1 counter(s) corrected.")


def test_changing_a_reaction_score_in_the_admin_rescores_members(
    first_post, member, other, admin
) -> None:
    services.react_to_post(member=other, post=first_post, reaction_type=reaction("Sad"))
    assert Member.objects.get(pk=member.pk).reaction_score == 0
    sad = ReactionType.objects.get(name="Sad")
    response = client_for(admin).post(
        f"/admin/forums/reactiontype/{sad.pk}/change/",
        {
            "name": "Sad",
            "emoji": sad.emoji,
            "score": "-2",
            "position": sad.position,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).reaction_score == -2


def test_staff_correct_a_card_and_posts_follow(thread, first_post, member, admin) -> None:
    from parley.links.models import LinkedPage, PostLink

    page = LinkedPage.objects.create(
        key="https://news.org/a", url="https://news.org/a", status="failed"
    )
    PostLink.objects.create(post=first_post, page=page, url="https://news.org/a")
    Post.objects.filter(pk=first_post.pk).update(source="https://news.org/a", format="bbcode")
    fields = {
        f: ""
        for f in [
            "page_title",
            "headline",
            "site_name",
            "section",
            "description",
            "image",
            "image_caption",
            "image_credit",
            "author",
            "published",
            "original_headline",
            "article_text",
        ]
    }
    fields.update(
        {
            "page_title": "Corrected title | World | news.org",
            "site_name": "News Org",
            "fetches-TOTAL_FORMS": "0",
            "fetches-INITIAL_FORMS": "0",
            "changes-TOTAL_FORMS": "0",  # the article's history (read only)
            "changes-INITIAL_FORMS": "0",
        }
    )
    response = client_for(admin).post(f"/admin/links/linkedpage/{page.pk}/change/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.edited_by_staff and page.status == "ok"
    first_post.refresh_from_db()
    assert "Corrected title | World | news.org" in first_post.cooked_html
    fields["hidden"] = "on"
    client_for(admin).post(f"/admin/links/linkedpage/{page.pk}/change/", fields)
    first_post.refresh_from_db()
    assert "Corrected title" not in first_post.cooked_html  # hidden: a plain link again
