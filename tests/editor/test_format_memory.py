"""The format choice is remembered per member: stored when they post, the next form starts
in it (reply page, quick reply on the thread page, new thread)."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.forums.models import Forum, Thread
from parley.members.models import Member

pytestmark = pytest.mark.django_db

SELECTED_MD = '<option value="markdown" selected>'


def test_posting_in_markdown_is_remembered(
    other_client: Client, other: Member, thread: Thread, forum: Forum
) -> None:
    assert SELECTED_MD not in other_client.get(f"/threads/{thread.pk}/reply/").content.decode()
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "**hi**", "format": "markdown"})
    other.refresh_from_db()
    assert other.post_format == "markdown"
    for url in (
        f"/threads/{thread.pk}/reply/",
        f"/threads/{thread.pk}/",
        f"/forums/{forum.pk}/new/",
    ):
        assert SELECTED_MD in other_client.get(url).content.decode(), url


def test_switching_back_to_bbcode_is_remembered_too(
    other_client: Client, other: Member, thread: Thread
) -> None:
    Member.objects.filter(pk=other.pk).update(post_format="markdown")
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "[b]x[/b]", "format": "bbcode"})
    other.refresh_from_db()
    assert other.post_format == "bbcode"


def test_a_refused_post_does_not_change_the_format(
    other_client: Client, other: Member, thread: Thread
) -> None:
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "", "format": "markdown"})
    other.refresh_from_db()
    assert other.post_format == "bbcode"


def test_each_member_has_their_own_format(
    other_client: Client, member_client: Client, thread: Thread
) -> None:
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "*x*", "format": "markdown"})
    assert SELECTED_MD not in member_client.get(f"/threads/{thread.pk}/reply/").content.decode()
