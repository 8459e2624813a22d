"""The Preview button without JavaScript: the form comes back with the cooked preview and
the member's text, and nothing is posted or saved."""

from __future__ import annotations

import pytest
from django.test import Client

from parley.forums.models import Forum, Post, Thread

pytestmark = pytest.mark.django_db


def test_reply_preview_shows_the_cooked_text_and_posts_nothing(
    other_client: Client, thread: Thread
) -> None:
    response = other_client.post(
        f"/threads/{thread.pk}/reply/",
        {"source": "[b]Draft words[/b]", "format": "bbcode", "preview": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Draft words</strong>" in body and "[b]Draft words[/b]</textarea>" in body
    assert Post.objects.count() == 1


def test_new_thread_preview_keeps_title_and_posts_nothing(
    other_client: Client, forum: Forum
) -> None:
    response = other_client.post(
        f"/forums/{forum.pk}/new/",
        {"title": "Kept title", "source": "_soft_", "format": "markdown", "preview": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<em>soft</em>" in body and 'value="Kept title"' in body
    assert not Thread.objects.exists()


def test_edit_preview_changes_nothing(member_client: Client, first_post: Post) -> None:
    response = member_client.post(
        f"/posts/{first_post.pk}/edit/",
        {"source": "[i]new[/i]", "format": "bbcode", "revision": "1", "preview": "1"},
    )
    assert response.status_code == 200 and "<em>new</em>" in response.content.decode()
    first_post.refresh_from_db()
    assert first_post.source == "[b]Opening[/b] post"


def test_preview_of_bad_input_shows_the_errors_and_keeps_the_text(
    other_client: Client, thread: Thread
) -> None:
    response = other_client.post(
        f"/threads/{thread.pk}/reply/", {"source": "keep this", "format": "nope", "preview": "1"}
    )
    assert response.status_code == 400
    assert "keep this</textarea>" in response.content.decode()
    assert Post.objects.count() == 1


def test_new_thread_preview_without_a_title_still_previews(
    other_client: Client, forum: Forum
) -> None:
    response = other_client.post(
        f"/forums/{forum.pk}/new/",
        {"title": "", "source": "[b]x[/b]", "format": "bbcode", "preview": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>x</strong>" in body and "Give the thread a title." in body
    assert not Thread.objects.exists()
