"""search_posts on the database in use (SQLite FTS5 by default; PostgreSQL full-text when
PARLEY_DATABASE_URL points at PostgreSQL): the same tests for both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from parley.formatting import LinkRef
from parley.forums import moderation, services
from parley.forums.models import Approval, Forum, Post, Thread
from parley.links.services import record_links
from parley.permissions.guardian import Guardian
from parley.search.models import SearchDocument
from parley.search.parser import parse_query
from parley.search.queries import Filters, SearchPage, forum_ids_under, search_posts
from tests.factories import CategoryFactory, ForumFactory, make_reply, make_thread, reaction
from tests.search.conftest import deliver_events

pytestmark = pytest.mark.django_db


def found(who, text: str, filters: Filters | None = None, **options) -> SearchPage:
    deliver_events()
    guardian = Guardian(who if who is not None else AnonymousUser())
    return search_posts(guardian, parse_query(text), filters or Filters(), **options)


def post_ids(page: SearchPage) -> list[int]:
    return [hit.post.pk for hit in page.hits]


def test_a_word_finds_the_post_and_its_thread_title_is_highlighted(forum, member) -> None:
    thread = make_thread(forum, member, title="Drone strike near the border", body="A long day.")
    reply = make_reply(thread, member, body="The drone was shot down at night.")
    page = found(None, "drone")
    assert set(post_ids(page)) == {thread.first_post_id, reply.pk}
    hit = next(h for h in page.hits if h.post.pk == reply.pk)
    assert "<mark>drone</mark>" in hit.snippet
    assert "<mark>Drone</mark> strike" in hit.title


def test_case_and_diacritics_fold_both_ways(forum, member) -> None:
    turkish = make_thread(forum, member, title="News", body="Protests in Şanlıurfa today")
    plain = make_thread(forum, member, title="More", body="SANLIURFA and Uber over Ünye")
    assert set(post_ids(found(None, "sanliurfa"))) == {turkish.first_post_id, plain.first_post_id}
    assert set(post_ids(found(None, "ŞANLIURFA"))) == {turkish.first_post_id, plain.first_post_id}
    assert post_ids(found(None, "Über")) == [plain.first_post_id]
    assert post_ids(found(None, "unye")) == [plain.first_post_id]
    hit = found(None, "sanliurfa").hits
    assert any("<mark>Şanlıurfa</mark>" in h.snippet for h in hit)


def test_phrase_exclusion_and_prefix(forum, member) -> None:
    a = make_thread(forum, member, title="One", body="the border crossing reopened")
    b = make_thread(forum, member, title="Two", body="crossing the border again, a rumour")
    c = make_thread(forum, member, title="Three", body="borderline cases")
    assert post_ids(found(None, '"border crossing"')) == [a.first_post_id]
    assert post_ids(found(None, "border -rumour")) == [a.first_post_id]
    assert set(post_ids(found(None, "border*"))) == {
        a.first_post_id,
        b.first_post_id,
        c.first_post_id,
    }


def test_titles_only_finds_threads_by_title_and_not_by_body(forum, member) -> None:
    titled = make_thread(forum, member, title="Harbour blockade", body="nothing here")
    make_thread(forum, member, title="Other", body="a harbour story")
    assert post_ids(found(None, "harbour", Filters(titles_only=True))) == [titled.first_post_id]


def test_hidden_forums_never_appear(forum, staff_forum, member, moderator) -> None:
    secret = make_thread(staff_forum, moderator, title="Staff", body="the quarry plan")
    assert found(None, "quarry").hits == []
    assert found(member, "quarry").hits == []
    assert post_ids(found(moderator, "quarry")) == [secret.first_post_id]


def test_deleted_posts_and_threads_never_appear_and_restored_ones_come_back(
    forum, member, other, moderator
) -> None:
    thread = make_thread(forum, member, title="Ferry", body="the ferry sank")
    reply = make_reply(thread, other, body="the ferry was old")
    moderation.soft_delete_post(actor=moderator, post=reply)
    assert post_ids(found(moderator, "ferry")) == [thread.first_post_id]
    moderation.restore_post(actor=moderator, post=reply)
    assert len(found(None, "ferry").hits) == 2
    moderation.soft_delete_thread(actor=moderator, thread=thread)
    assert found(None, "ferry").hits == []
    assert found(moderator, "ferry").hits == []
    moderation.restore_thread(actor=moderator, thread=Thread.objects.get(pk=thread.pk))
    assert len(found(None, "ferry").hits) == 2


def test_posts_awaiting_approval_never_appear_until_approved(member, moderator) -> None:
    forum = ForumFactory(approval=Approval.ALL)
    thread = make_thread(forum, member, title="Waiting", body="pending glacier")
    assert found(member, "glacier").hits == []
    assert found(moderator, "glacier").hits == []
    moderation.approve_post(actor=moderator, post=Post.objects.get(pk=thread.first_post_id))
    assert post_ids(found(None, "glacier")) == [thread.first_post_id]


def test_an_edit_replaces_the_indexed_words(forum, member, first_post) -> None:
    services.edit_post(editor=member, post=first_post, source="now about lighthouses", fmt="bbcode")
    assert found(None, "opening").hits == []
    assert post_ids(found(None, "lighthouses")) == [first_post.pk]


def test_a_hard_deleted_post_leaves_the_index(forum, member, other, admin) -> None:
    thread = make_thread(forum, member, title="T", body="start")
    reply = make_reply(thread, other, body="walrus sighting")
    assert len(found(None, "walrus").hits) == 1
    moderation.hard_delete_post(actor=admin, post=reply)
    assert found(None, "walrus").hits == []
    assert not SearchDocument.objects.filter(post_id=reply.pk).exists()


def test_a_thread_deleted_for_good_takes_all_its_rows_along(forum, member, other, admin) -> None:
    thread = make_thread(forum, member, title="T", body="narwhal")
    make_reply(thread, other, body="narwhal two")
    assert len(found(None, "narwhal").hits) == 2
    moderation.hard_delete_thread(actor=admin, thread=thread)
    assert found(None, "narwhal").hits == []
    assert not SearchDocument.objects.filter(thread_id=thread.pk).exists()


def test_moving_a_thread_changes_the_forum_filter_at_once(forum, member, moderator) -> None:
    thread = make_thread(forum, member, title="Moving", body="the estuary")
    elsewhere = ForumFactory()
    moderation.move_thread(actor=moderator, thread=thread, forum=elsewhere)
    assert found(None, "estuary", Filters(forum_ids=(forum.pk,))).hits == []
    assert len(found(None, "estuary", Filters(forum_ids=(elsewhere.pk,))).hits) == 1


def test_a_merged_thread_title_stops_matching_titles_only(forum, member, moderator) -> None:
    target = make_thread(forum, member, title="Main thread", body="body one")
    source = make_thread(forum, member, title="Pelican thread", body="body two")
    moderation.merge_threads(actor=moderator, target=target, sources=[source])
    assert found(None, "pelican", Filters(titles_only=True)).hits == []
    assert post_ids(found(None, "main", Filters(titles_only=True))) == [target.first_post_id]


def test_filters_by_member_forum_category_and_dates(member, other) -> None:
    category = CategoryFactory()
    child = CategoryFactory(parent=category)
    in_child = ForumFactory(category=child)
    outside = ForumFactory()
    mine = make_thread(in_child, member, title="A", body="tanker news")
    theirs = make_thread(outside, other, title="B", body="tanker news")
    assert post_ids(found(None, "tanker", Filters(author_ids=(member.pk,)))) == [mine.first_post_id]
    under = forum_ids_under(None, category.pk)
    assert post_ids(found(None, "tanker", Filters(forum_ids=under))) == [mine.first_post_id]
    Post.objects.filter(pk=theirs.first_post_id).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    today = timezone.localdate()
    recent = Filters(since=today - timedelta(days=1), until=today)
    assert post_ids(found(None, "tanker", recent)) == [mine.first_post_id]


def test_filter_by_linked_site_and_minimum_reactions(forum, member, other) -> None:
    linked = make_thread(forum, member, title="A", body="canal report")
    plain = make_thread(forum, member, title="B", body="canal report")
    deliver_events()  # the links subscriber first records the (no) links of the text
    record_links(
        post_id=linked.first_post_id, links=[LinkRef("https://www.example.com/world/canal")]
    )
    assert post_ids(found(None, "canal", Filters(site="example.com"))) == [linked.first_post_id]
    assert found(None, "canal", Filters(site="example.org")).hits == []
    services.react_to_post(
        member=other, post=Post.objects.get(pk=plain.first_post_id), reaction_type=reaction("Like")
    )
    assert post_ids(found(None, "canal", Filters(min_reactions=1))) == [plain.first_post_id]


def test_sort_by_date_and_group_by_thread(forum, member, other) -> None:
    old = make_thread(forum, member, title="Old", body="glacier glacier glacier")
    Post.objects.filter(pk=old.first_post_id).update(created_at=timezone.now() - timedelta(days=9))
    new = make_thread(forum, member, title="New", body="a glacier")
    reply = make_reply(new, other, body="glacier too")
    assert post_ids(found(None, "glacier", sort="date")) == [
        reply.pk,
        new.first_post_id,
        old.first_post_id,
    ]
    grouped = found(None, "glacier", sort="date", grouped=True)
    assert post_ids(grouped) == [reply.pk, old.first_post_id]
    assert [h.matches_in_thread for h in grouped.hits] == [2, 1]


def test_a_shortlist_of_hidden_posts_falls_back_to_ranking_every_match(
    forum, staff_forum, member, moderator, monkeypatch
) -> None:
    monkeypatch.setattr("parley.search.queries.SHORTLIST", 1)
    for _ in range(9):  # the best-ranked documents of the index, all hidden from guests
        make_thread(staff_forum, moderator, title="Osprey", body="osprey osprey osprey")
    public = make_thread(forum, member, title="Birds", body="an osprey and many other words here")
    page = found(None, "osprey", per_page=1)
    assert post_ids(page) == [public.first_post_id]
    assert not page.has_next
    assert len(found(moderator, "osprey", per_page=1).hits) == 1
    newest = found(None, "osprey", per_page=1, sort="date")  # the hidden ones are older
    assert post_ids(newest) == [public.first_post_id]
    Post.objects.filter(pk=public.first_post_id).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    assert post_ids(found(None, "osprey", per_page=1, sort="date")) == [public.first_post_id]


def test_pages_of_results(forum, member) -> None:
    thread = make_thread(forum, member, title="T", body="osprey")
    for _ in range(4):
        make_reply(thread, member, body="osprey again")
    first = found(None, "osprey", per_page=2, sort="date")
    third = found(None, "osprey", per_page=2, sort="date", page=3)
    assert first.has_next and len(first.hits) == 2
    assert not third.has_next and len(third.hits) == 1


def test_reindex_rebuilds_the_index_from_the_posts(forum, member, capsys) -> None:
    thread = make_thread(forum, member, title="T", body="kestrel")
    deliver_events()
    SearchDocument.objects.all().delete()
    assert found(None, "kestrel").hits == []
    call_command("reindex", batch=1)
    assert post_ids(found(None, "kestrel")) == [thread.first_post_id]
    assert "post(s) indexed" in capsys.readouterr().out


def test_forum_ids_under_a_forum_is_that_forum(forum: Forum) -> None:
    assert forum_ids_under(forum.pk, None) == (forum.pk,)
