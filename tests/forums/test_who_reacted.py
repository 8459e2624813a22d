"""Who reacted to a post (/posts/<id>/reactions/), and the reaction controls on a post: one
main button, a picker with every type, bundled SVG icons instead of emoji (docs/layout.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from parley.forums import services
from parley.forums.models import Post, ReactionType, Thread
from parley.forums.reaction_icons import icon_name
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import MemberFactory, make_thread, reaction

pytestmark = pytest.mark.django_db


def react(member: Member, post: Post, name: str, minutes_ago: int = 0) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    services.react_to_post(member=member, post=post, reaction_type=reaction(name), at=at)


def url(post: Post, query: str = "") -> str:
    return f"/posts/{post.pk}/reactions/{query}"


def test_who_reacted_lists_members_newest_first_with_a_tab_per_type(
    anon_client: Client, first_post: Post
) -> None:
    react(MemberFactory(username="early"), first_post, "Like", minutes_ago=30)
    react(MemberFactory(username="later"), first_post, "Sad", minutes_ago=10)
    react(MemberFactory(username="latest"), first_post, "Like", minutes_ago=1)
    response = anon_client.get(url(first_post))
    assert response.status_code == 200
    body = response.content.decode()
    listed = body[body.index('class="who-reacted"') :]
    assert listed.index(">latest<") < listed.index(">later<") < listed.index(">early<")
    tabs = body[body.index('class="reaction-tabs"') : body.index('class="who-reacted"')]
    assert "All <span" in tabs and "Like <span" in tabs and "Sad <span" in tabs
    assert "Love" not in tabs  # a type nobody chose has no tab
    assert "/static/reactions/like.svg" in body and "/static/reactions/sad.svg" in body


def test_a_type_tab_lists_only_that_type(anon_client: Client, first_post: Post) -> None:
    react(MemberFactory(username="liker"), first_post, "Like")
    react(MemberFactory(username="saddened"), first_post, "Sad")
    body = anon_client.get(url(first_post, f"?type={reaction('Sad').pk}")).content.decode()
    listed = body[body.index('class="who-reacted"') :]
    assert ">saddened<" in listed and ">liker<" not in listed
    assert 'aria-current="page" class="current"><img' in body  # the Sad tab, not All


def test_a_post_nobody_reacted_to_says_so(anon_client: Client, first_post: Post) -> None:
    body = anon_client.get(url(first_post)).content.decode()
    assert "Nobody has reacted to this post yet." in body


@pytest.mark.parametrize("raw", ["abc", "٣", "-1", "9" * 12])
def test_a_malformed_type_is_404(anon_client: Client, first_post: Post, raw: str) -> None:
    assert anon_client.get(url(first_post), {"type": raw}).status_code == 404


def test_a_type_with_no_reaction_here_is_404(anon_client: Client, first_post: Post) -> None:
    react(MemberFactory(), first_post, "Like")
    assert anon_client.get(url(first_post, f"?type={reaction('Wow').pk}")).status_code == 404


def test_a_page_past_the_end_is_404(anon_client: Client, first_post: Post) -> None:
    react(MemberFactory(), first_post, "Like")
    assert anon_client.get(url(first_post, "?page=2")).status_code == 404


def test_a_post_the_reader_may_not_see_is_404(staff_forum, member: Member, moderator) -> None:
    hidden = make_thread(staff_forum, moderator, title="Staff only")
    post = Post.objects.get(pk=hidden.first_post_id)
    assert client_for(member).get(url(post)).status_code == 404
    assert Client().get(url(post)).status_code == 404
    assert client_for(moderator).get(url(post)).status_code == 200


def test_an_unknown_or_huge_post_id_is_404(anon_client: Client) -> None:
    assert anon_client.get("/posts/999999/reactions/").status_code == 404
    assert anon_client.get(f"/posts/{2**64}/reactions/").status_code == 404


def test_who_reacted_answers_get_only(member_client: Client, first_post: Post) -> None:
    assert member_client.post(url(first_post)).status_code == 405


def test_who_reacted_costs_the_same_queries_for_3_or_60_reactions(
    first_post: Post, member: Member, django_assert_num_queries
) -> None:
    client = client_for(member)
    for name in ("Like", "Sad", "Wow"):
        react(MemberFactory(), first_post, name)
    client.get(url(first_post))  # the session and permission caches are warm from here
    with django_assert_num_queries(8) as few:
        client.get(url(first_post))
    for i in range(57):
        react(MemberFactory(), first_post, ("Like", "Love", "Haha")[i % 3])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(first_post))
    assert response.content.decode().count("<li><img") == 50  # a page of 50


def test_the_post_shows_like_as_main_button_and_every_type_in_the_picker(
    thread: Thread, other: Member
) -> None:
    body = client_for(other).get(f"/threads/{thread.pk}/").content.decode()
    like = reaction("Like")
    assert f'name="type" value="{like.pk}" class="react react-main" title="Like (+1)"' in body
    picker = body[body.index('class="picker-list"') :]
    for t in ReactionType.objects.filter(is_active=True):
        assert (
            f'value="{t.pk}"' in picker and f"/static/reactions/{icon_name(t.name)}.svg" in picker
        )
    assert "👍" not in body  # icons, never the visitor's emoji font


def test_the_main_button_takes_back_the_readers_own_reaction(
    thread: Thread, other: Member, first_post: Post
) -> None:
    react(other, first_post, "Sad")
    client = client_for(other)
    body = client.get(f"/threads/{thread.pk}/").content.decode()
    assert (
        'name="type" value="" class="react react-main chosen" title="Take back your reaction (Sad)"'
        in body
    )
    assert f'href="/posts/{first_post.pk}/reactions/"' in body  # the tally links to who reacted
    client.post(f"/posts/{first_post.pk}/react/", {"type": ""})
    assert not first_post.reactions.exists()


def test_a_type_an_admin_adds_gets_the_generic_icon(thread: Thread, other: Member) -> None:
    ReactionType.objects.create(name="Insightful", emoji="💡", score=1, position=9)
    body = client_for(other).get(f"/threads/{thread.pk}/").content.decode()
    assert '/static/reactions/other.svg" alt="" width="18" height="18"> Insightful' in body
