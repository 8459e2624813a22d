"""`parley demo` as a new user meets it: true member cards, idempotent, and threads in the
seed page's shapes (attributed article quote with photo caption and credit, a title-text
link, the member's own line; and pasted article text recognised as a quote)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from parley.demo.content import ARTICLE_TITLE
from parley.forums.models import Category, Post, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member, TitleRung
from parley.members.titles import Ladder

pytestmark = pytest.mark.django_db


def test_demo_community(anon_client: Client, django_capture_on_commit_callbacks) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # links are recorded after commit
        call_command("demo", stdout=out)
    assert out.getvalue().startswith("Demo community loaded.")

    # Every number on every card is what the rows say.
    assert recount_all() == []
    members = list(Member.objects.all())
    assert len(members) == 12 and len({m.country.code for m in members}) == 12
    assert all(m.message_count == Post.objects.filter(author=m).count() for m in members)
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

    # Loading again changes nothing.
    call_command("demo", stdout=out)
    assert out.getvalue().strip().endswith("nothing changed.")
    assert Member.objects.count() == 12 and recount_all() == []
