"""A post awaiting approval carries Approve and Reject for moderators on the thread page, and
neither for its author."""

from __future__ import annotations

import pytest

from parley.forums.models import Approval, Post, State
from tests.conftest import client_for
from tests.factories import ForumFactory, make_thread

pytestmark = pytest.mark.django_db


def test_pending_post_shows_approve_and_reject_to_moderators_only(member, moderator) -> None:
    forum = ForumFactory(title="Newsroom", approval=Approval.ALL)
    thread = make_thread(forum, member, title="Ferry strike ends", body="Unions accepted.")
    post = Post.objects.get(thread=thread)
    assert post.state == State.PENDING
    reject = f'action="/moderation/posts/{post.pk}/reject/"'
    approve = f'action="/moderation/posts/{post.pk}/approve/"'

    staff_page = client_for(moderator).get(f"/threads/{thread.pk}/").content.decode()
    assert reject in staff_page and approve in staff_page

    own_page = client_for(member).get(f"/threads/{thread.pk}/").content.decode()
    assert "Awaiting approval" in own_page
    assert reject not in own_page and approve not in own_page
