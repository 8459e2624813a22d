"""Guardian.page_post_flags shares one answer between a page's posts that are not the
reader's own and have the same thread and state: for every persona of the moderation world
and every kind of post (visible, deleted, pending, own, in a locked thread), it must answer
exactly what post_flags answers post by post."""

from __future__ import annotations

import pytest

from parley.forums.models import Post
from parley.permissions.guardian import Guardian
from tests.factories import make_reply
from tests.modworld import PERSONAS, build_world

pytestmark = pytest.mark.django_db


def test_page_flags_equal_each_posts_own_flags_for_every_persona() -> None:
    world = build_world()
    # Posts of the member's own beside others' in the same thread and state.
    make_reply(world.thread, world.people["member"], "The member's own reply")  # type: ignore[arg-type]
    make_reply(world.thread, world.people["mod_here"], "The moderator's own reply")  # type: ignore[arg-type]
    pages = [
        list(Post.objects.filter(thread=thread).select_related("thread__forum").order_by("id"))
        for thread in (world.thread, world.locked)
    ]
    states = {post.state for page in pages for post in page}
    assert states == {"visible", "deleted", "pending"}  # every kind is on a page
    own = {world.people["member"].pk, world.people["mod_here"].pk}  # type: ignore[union-attr]
    assert own <= {post.author_id for post in pages[0]}  # the readers' own posts are there
    for persona in PERSONAS:
        guardian = Guardian(world.people[persona])
        for page in pages:
            assert guardian.page_post_flags(page) == [guardian.post_flags(p) for p in page]


def test_shared_flags_are_copies_a_change_to_one_leaves_the_others() -> None:
    world = build_world()
    page = list(Post.objects.filter(thread=world.second_thread).order_by("id"))
    page.append(make_reply(world.second_thread, world.author, "Another visible reply"))
    flags = Guardian(world.people["member"]).page_post_flags(page)
    flags[0]["can_react"] = not flags[0]["can_react"]
    assert flags[1]["can_react"] != flags[0]["can_react"]
