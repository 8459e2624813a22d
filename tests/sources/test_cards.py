"""Source labels on link cards and in search by link; the article's history on its card and
on its history page (dead articles' text kept for staff)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parley.core import stamps
from parley.forums.models import Post, Visibility
from parley.links.models import LinkedPage, PageChange
from parley.links.tasks import rebake_linking_posts, recheck_pages
from parley.sources import services
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory
from tests.links.conftest import NewsSite, article_html
from tests.sources.helpers import describe, label, linked_thread, snapshot

pytestmark = pytest.mark.django_db

WIRE = "https://www.wiredesk.test/world/2026/talks-resume"


def first_html(thread) -> str:
    return Post.objects.get(pk=thread.first_post_id).cooked_html


def test_labels_show_on_the_card(admin, forum, member) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", labels=("Press agency", "Paywall"))
    thread = linked_thread(forum, member, WIRE)
    snapshot(WIRE)
    html = first_html(thread)
    assert '<div class="link-card-labels"><span class="source-label">Press agency</span>' in html
    assert '<span class="source-label">Paywall</span>' in html


def test_changing_labels_recooks_the_cards_that_link_the_source(
    admin, forum, member, django_capture_on_commit_callbacks
) -> None:
    source = describe(admin, "wiredesk.test", name="Wire Desk")
    thread = linked_thread(forum, member, WIRE)
    snapshot(WIRE)
    assert "source-label" not in first_html(thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_source_labels(
            actor=admin, source=source, label_ids=[label("State-affiliated media").pk]
        )
    assert '<span class="source-label">State-affiliated media</span>' in first_html(thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_source(actor=admin, source=source)
    assert "source-label" not in first_html(thread)


def test_labels_cost_the_thread_page_no_query(admin, forum, member) -> None:
    thread = linked_thread(forum, member, WIRE)
    snapshot(WIRE)
    reader = client_for(MemberFactory())
    reader.get(f"/threads/{thread.pk}/")  # warms the permission cache
    # Counted on the first request after the thread changed, both times: the rebake below
    # moves the thread's stamp, so its rows are read again (stamps.per_thread).
    stamps.bump(stamps.thread(thread.pk))
    with CaptureQueriesContext(connection) as before:
        reader.get(f"/threads/{thread.pk}/")
    describe(admin, "wiredesk.test", name="Wire Desk", labels=("Press agency",))
    rebake_linking_posts(LinkedPage.objects.get().pk)
    with CaptureQueriesContext(connection) as after:
        response = reader.get(f"/threads/{thread.pk}/")
    assert b"Press agency" in response.content
    assert len(after.captured_queries) == len(before.captured_queries)


def test_search_by_link_names_the_source_and_its_labels(
    admin, forum, member, anon_client: Client
) -> None:
    describe(
        admin,
        "wiredesk.test",
        name="Wire Desk",
        country="GB",
        kind="agency",
        labels=("Press agency",),
    )
    linked_thread(forum, member, WIRE)
    response = anon_client.get(
        "/links/search/", {"url": "https://m.wiredesk.test/world/2026/talks-resume"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Wire Desk</strong>" in text and "Press agency" in text
    assert "Talks resume" in text


def test_search_by_link_shows_the_host_of_an_undescribed_site(anon_client: Client) -> None:
    response = anon_client.get("/links/search/", {"url": "https://www.nobody.test/a"})
    assert "Source:</span> nobody.test" in response.content.decode()


# --- keeping what was linked ----------------------------------------------------------------


def test_recheck_records_every_headline_change_and_the_death_on_the_card(
    news_site: NewsSite, forum, member, django_capture_on_commit_callbacks
) -> None:
    url = news_site.add("/world/insurers", article_html(image=""))
    with django_capture_on_commit_callbacks(execute=True):
        thread = linked_thread(forum, member, url)
    page = LinkedPage.objects.get()
    assert page.status == "ok"
    for headline in ("Ships return as premiums ease", "Ships return to the strait"):
        LinkedPage.objects.update(checked_at=timezone.now() - timedelta(days=2))
        news_site.add("/world/insurers", article_html(image="", headline=headline, title=headline))
        assert recheck_pages.call() == 1
    changes = list(PageChange.objects.values_list("kind", "before", "after"))
    assert changes == [
        ("headline", "Insurers turn ships away from the strait", "Ships return as premiums ease"),
        ("headline", "Ships return as premiums ease", "Ships return to the strait"),
    ]
    html = first_html(thread)
    assert html.count("Headline changed; it read:") == 2
    assert f'href="/links/pages/{page.pk}/history/"' in html

    LinkedPage.objects.update(checked_at=timezone.now() - timedelta(days=2))
    del news_site.pages["/world/insurers"]
    recheck_pages.call()
    page.refresh_from_db()
    assert page.is_dead
    html = first_html(thread)
    assert f"No longer available; last seen {page.fetched_at:%-d %b %Y}." in html
    assert "Found no longer available" in html
    assert PageChange.objects.filter(kind="gone").count() == 1


def dead_page_thread(forum, member):
    thread = linked_thread(forum, member, WIRE)
    page = snapshot(WIRE)
    seen = timezone.now() - timedelta(days=3)
    LinkedPage.objects.filter(pk=page.pk).update(is_dead=True, fetched_at=seen)
    PageChange.objects.create(page=page, at=timezone.now(), kind="gone")
    rebake_linking_posts(page.pk)
    return thread, page


def test_history_page_shows_members_the_changes_and_staff_the_kept_text(
    forum, member, moderator
) -> None:
    _, page = dead_page_thread(forum, member)
    url = f"/links/pages/{page.pk}/history/"
    reader = client_for(MemberFactory())
    reader.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "No longer available: last seen on" in text
    assert "Negotiators met for a third day" not in text
    # session + user + permission version + page + a visible linking post + its changes
    assert len(queries.captured_queries) == 6
    staff_text = client_for(moderator).get(url).content.decode()
    assert "Text kept from the article" in staff_text
    assert "Negotiators met for a third day" in staff_text


def test_history_page_of_an_article_linked_only_where_the_reader_cannot_see_is_404(
    member, anon_client: Client
) -> None:
    hidden = ForumFactory(title="Staff room", visibility=Visibility.STAFF)
    staff = MemberFactory(username="chief", is_staff=True)
    linked_thread(hidden, staff, WIRE)
    page = snapshot(WIRE)
    assert anon_client.get(f"/links/pages/{page.pk}/history/").status_code == 404
    assert client_for(member).get(f"/links/pages/{page.pk}/history/").status_code == 404
    assert client_for(staff).get(f"/links/pages/{page.pk}/history/").status_code == 200


def test_history_page_bad_input_and_wrong_method(forum, member, anon_client: Client) -> None:
    _, page = dead_page_thread(forum, member)
    assert anon_client.get("/links/pages/999999/history/").status_code == 404
    assert anon_client.post(f"/links/pages/{page.pk}/history/").status_code == 405
    assert anon_client.get(f"/links/pages/{page.pk}/history/").status_code == 200
