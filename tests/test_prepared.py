"""parley.core.prepared: a queryset's SQL compiled once, run again with other values, gives
the rows the ORM gives, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.core.prepared import Prepared
from parley.editor import services as editor_services
from parley.editor.models import Draft
from parley.editor.queries import draft_initial
from parley.engagement import services as engagement_services
from parley.engagement.queries import watching
from parley.forums.models import Post, State
from parley.forums.queries import my_reactions
from parley.forums.services import react_to_post as react
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts() -> list[Post]:
    author = MemberFactory()
    thread = make_thread(ForumFactory(), author, body="First")
    return [thread.first_post, *(make_reply(thread, author, f"Reply {n}") for n in range(4))]


def ids_of_thread() -> Prepared:
    return Prepared(
        lambda thread_id: (
            Post.objects.filter(thread_id=thread_id, state=State.VISIBLE)
            .order_by("id")
            .values_list("id")
        )
    )


def test_the_rows_are_the_orms_for_each_value_given(posts: list[Post]) -> None:
    prepared = ids_of_thread()
    other = make_thread(ForumFactory(), MemberFactory())
    for thread_id in (posts[0].thread_id, other.pk):
        expected = list(
            Post.objects.filter(thread_id=thread_id, state=State.VISIBLE)
            .order_by("id")
            .values_list("id")
        )
        assert prepared.run(thread_id) == expected
    assert len(prepared.run(posts[0].thread_id)) == 5


def test_a_constant_of_the_queryset_stays_in_the_query(posts: list[Post]) -> None:
    prepared = Prepared(
        lambda thread_id: Post.objects.filter(thread_id=thread_id, state=State.DELETED).values_list(
            "id"
        )
    )
    assert prepared.run(posts[0].thread_id) == []


def test_a_list_stands_for_as_many_values_and_each_length_gives_the_orms_rows(
    posts: list[Post],
) -> None:
    prepared = Prepared(
        lambda ids: Post.objects.filter(pk__in=ids).order_by("id").values_list("id", "thread_id")
    )
    for chosen in ([posts[1].pk], [posts[0].pk, posts[3].pk], [p.pk for p in posts]):
        expected = list(
            Post.objects.filter(pk__in=chosen).order_by("id").values_list("id", "thread_id")
        )
        assert prepared.run(chosen) == expected


def test_an_empty_list_matches_nothing_without_a_query(posts: list[Post]) -> None:
    prepared = Prepared(lambda ids: Post.objects.filter(pk__in=ids).values_list("id"))
    with CaptureQueriesContext(connection) as ctx:
        assert prepared.run([]) == []
    assert len(ctx.captured_queries) == 0


def test_a_text_value_takes_the_stand_ins_place(posts: list[Post]) -> None:
    member = posts[0].author
    editor_services.save_draft(
        member=member, thread=posts[0].thread, source="Half a thought", fmt="bbcode"
    )
    prepared = Prepared(
        lambda member_id, key: Draft.objects.filter(member_id=member_id, key=key).values_list(
            "source"
        )
    )
    assert prepared.run(member.pk, f"thread:{posts[0].thread_id}") == [("Half a thought",)]
    assert prepared.run(member.pk, "thread:0") == []


def test_each_run_is_exactly_one_query(posts: list[Post]) -> None:
    prepared = ids_of_thread()
    prepared.run(posts[0].thread_id)
    with CaptureQueriesContext(connection) as ctx:
        prepared.run(posts[0].thread_id)
    assert len(ctx.captured_queries) == 1


def test_a_queryset_that_ignores_a_value_is_refused() -> None:
    def ignores(thread_id: Any) -> Any:
        return Post.objects.filter(state=State.VISIBLE).values_list("id")

    with pytest.raises(ValueError, match="did not reach the SQL"):
        Prepared(ignores).run(1)


# --- the reads that use it ------------------------------------------------------------------


def test_watching_tells_a_watch_with_and_without_email_from_none(posts: list[Post]) -> None:
    member, thread = MemberFactory(), posts[0].thread
    assert watching(member, thread=thread) is None
    engagement_services.watch_thread(member=member, thread=thread)
    watch = watching(member, thread=thread)
    assert watch is not None and watch.email is False
    engagement_services.watch_thread(member=member, thread=thread, email=True)
    watch = watching(member, thread=thread)
    assert watch is not None and watch.email is True
    assert watching(MemberFactory(), thread=thread) is None


def test_a_draft_comes_back_only_to_its_member_and_its_thread(posts: list[Post]) -> None:
    member, thread = MemberFactory(), posts[0].thread
    elsewhere = make_thread(thread.forum, member)
    editor_services.save_draft(member=member, thread=thread, source="Unsent words", fmt="markdown")
    initial = draft_initial(member, thread=thread)
    assert initial["source"] == "Unsent words" and initial["format"] == "markdown"
    assert draft_initial(MemberFactory(), thread=thread) == {}
    assert draft_initial(member, thread=elsewhere) == {}


def test_my_reactions_are_the_readers_own_on_the_posts_asked(posts: list[Post]) -> None:
    reader, other = MemberFactory(), MemberFactory()
    like, dislike = reaction("Like"), reaction("Dislike")
    react(member=reader, post=posts[1], reaction_type=like)
    react(member=reader, post=posts[3], reaction_type=dislike)
    react(member=other, post=posts[2], reaction_type=like)
    ids = [p.pk for p in posts]
    assert my_reactions(ids, reader) == {posts[1].pk: like.pk, posts[3].pk: dislike.pk}
    assert my_reactions(ids[:2], reader) == {posts[1].pk: like.pk}
    assert my_reactions(ids, other) == {posts[2].pk: like.pk}
