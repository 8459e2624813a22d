"""A form token that comes back with different text: the first post stands, the new text is
handed back in the editor with a fresh token, and nothing is silently dropped."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member

pytestmark = pytest.mark.django_db

TOKEN = "f" * 32


def token_in(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{32})"', html)
    assert match, "the page has no form token"
    return match.group(1)


# --- services ---------------------------------------------------------------------------


def test_reply_with_a_used_token_and_new_text_raises_with_the_first_post(
    thread: Thread, other: Member
) -> None:
    first = services.reply_to_thread(
        author=other, thread=thread, source="First words", fmt="bbcode", idempotency_key=TOKEN
    )
    with pytest.raises(services.DuplicateSubmission) as info:
        services.reply_to_thread(
            author=other, thread=thread, source="Second words", fmt="bbcode", idempotency_key=TOKEN
        )
    assert info.value.post.pk == first.pk
    assert list(Post.objects.filter(author=other).values_list("source", flat=True)) == [
        "First words"
    ]


def test_thread_with_a_used_token_and_new_title_raises(forum: Forum, member: Member) -> None:
    kwargs = dict(author=member, forum=forum, source="Body", fmt="bbcode", idempotency_key=TOKEN)
    thread = services.start_thread(title="First title", **kwargs)
    with pytest.raises(services.DuplicateSubmission) as info:
        services.start_thread(title="Other title", **kwargs)
    assert info.value.post.thread_id == thread.pk
    assert Thread.objects.filter(forum=forum).count() == 1


def test_thread_with_a_used_token_and_new_body_raises(forum: Forum, member: Member) -> None:
    kwargs = dict(author=member, forum=forum, title="Title", fmt="bbcode", idempotency_key=TOKEN)
    services.start_thread(source="Body one", **kwargs)
    with pytest.raises(services.DuplicateSubmission):
        services.start_thread(source="Body two", **kwargs)
    assert Thread.objects.filter(forum=forum).count() == 1


# --- views ------------------------------------------------------------------------------


def test_reply_resent_with_the_same_text_goes_to_the_first_post(
    other_client: Client, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/reply/"
    data = {"source": "Same text", "format": "bbcode", "token": TOKEN}
    first = other_client.post(url, data)
    again = other_client.post(url, data)
    post = Post.objects.get(source="Same text")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == f"/threads/{thread.pk}/#post-{post.pk}"


def test_reply_resent_with_new_text_gives_it_back_with_a_link_and_a_fresh_token(
    other_client: Client, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/reply/"
    other_client.post(url, {"source": "My first answer", "format": "bbcode", "token": TOKEN})
    first = Post.objects.get(source="My first answer")
    response = other_client.post(
        url, {"source": "An afterthought", "format": "markdown", "token": TOKEN}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "You already posted this form" in html
    assert f'href="/threads/{thread.pk}/#post-{first.pk}"' in html
    assert "An afterthought" in html  # the new text is in the editor
    assert 'value="markdown" selected' in html
    fresh = token_in(html)
    assert fresh != TOKEN
    assert not Post.objects.filter(source="An afterthought").exists()
    # Sent again from that page, it posts as a new reply.
    posted = other_client.post(
        url, {"source": "An afterthought", "format": "markdown", "token": fresh}
    )
    assert posted.status_code == 302
    assert Post.objects.filter(source="An afterthought").count() == 1


def test_thread_resent_with_new_text_gives_it_back_with_a_link(
    member_client: Client, forum: Forum
) -> None:
    url = f"/forums/{forum.pk}/new/"
    data = {"title": "Grain deal", "source": "First draft", "format": "bbcode", "token": TOKEN}
    member_client.post(url, data)
    thread = Thread.objects.get(title="Grain deal")
    response = member_client.post(url, {**data, "source": "Second draft"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "You already posted this form" in html
    assert f'href="/threads/{thread.pk}/#post-{thread.first_post_id}"' in html
    assert "Second draft" in html and "Grain deal" in html
    assert token_in(html) != TOKEN
    assert Thread.objects.filter(forum=forum).count() == 1


def test_thread_resent_with_the_same_text_goes_to_the_first_thread(
    member_client: Client, forum: Forum
) -> None:
    url = f"/forums/{forum.pk}/new/"
    data = {"title": "Grain deal", "source": "Draft", "format": "bbcode", "token": TOKEN}
    member_client.post(url, data)
    again = member_client.post(url, data)
    thread = Thread.objects.get(title="Grain deal")
    assert again.status_code == 302 and again["Location"] == f"/threads/{thread.pk}/"


def test_someone_else_reusing_the_token_posts_normally(
    other_client: Client, newcomer: Member, thread: Thread
) -> None:
    url = f"/threads/{thread.pk}/reply/"
    other_client.post(url, {"source": "Bob's words", "format": "bbcode", "token": TOKEN})
    client = Client()
    client.force_login(newcomer)
    response = client.post(url, {"source": "Newbie's words", "format": "bbcode", "token": TOKEN})
    assert response.status_code == 302
    assert Post.objects.filter(source="Newbie's words").exists()


def test_guest_resending_a_form_is_sent_to_sign_in(anon_client: Client, thread: Thread) -> None:
    response = anon_client.post(
        f"/threads/{thread.pk}/reply/", {"source": "x", "format": "bbcode", "token": TOKEN}
    )
    assert response.status_code == 302 and "/signin/" in response["Location"]
