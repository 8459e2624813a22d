"""Cached fragments of signed-in thread pages: a post rendered for one member is reused for
another who sees it the same way, with that member's own CSRF token and reaction, and a
changed card, reaction or permission is a different key (docs/caching.md)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client

from parley.forums import fragments, services
from parley.forums.models import Post, Thread
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, reaction

pytestmark = pytest.mark.django_db


def post_keys() -> set[str]:
    return {k for k in caches["pages"]._cache if ":post:" in k}  # type: ignore[attr-defined]


def test_a_post_rendered_for_one_member_is_reused_for_another(thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    client_for(MemberFactory()).get(url)
    stored = post_keys()
    assert len(stored) == 1
    client_for(MemberFactory()).get(url)
    assert post_keys() == stored


def test_the_cached_post_carries_each_readers_own_token_and_it_works(
    thread: Thread, other: Member
) -> None:
    url = f"/threads/{thread.pk}/"
    client_for(MemberFactory()).get(url)
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(other)
    body = reader.get(url).content.decode()
    assert fragments.CSRF_PLACEHOLDER not in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    response = reader.post(
        f"/posts/{thread.first_post_id}/react/",
        {"type": reaction("Like").pk, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=thread.first_post_id).reactions.filter(member=other).exists()


def test_a_readers_own_reaction_and_new_counts_show_at_once(thread: Thread, other: Member) -> None:
    url = f"/threads/{thread.pk}/"
    client = client_for(other)
    client.get(url)
    post = Post.objects.get(pk=thread.first_post_id)
    services.react_to_post(member=other, post=post, reaction_type=reaction("Like"))
    body = client.get(url).content.decode()
    assert 'class="react chosen"' in body and 'class="reaction-summary"' in body
    assert 'class="react chosen"' not in client_for(MemberFactory()).get(url).content.decode()


def test_a_changed_member_card_is_a_new_fragment(thread: Thread, member: Member) -> None:
    url = f"/threads/{thread.pk}/"
    client = client_for(MemberFactory())
    client.get(url)
    make_reply(thread, member)  # alice's message count moves on
    body = client.get(url).content.decode()
    assert body.count('class="messages-count">2<') == 2


def test_the_author_sees_edit_where_others_do_not(thread: Thread, member: Member) -> None:
    url = f"/threads/{thread.pk}/"
    assert 'class="edit-link"' not in client_for(MemberFactory()).get(url).content.decode()
    assert 'class="edit-link"' in client_for(member).get(url).content.decode()


# --- the quick reply box (fragments.quick_reply) ----------------------------------------------


def form_values(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', body)


def test_the_kept_reply_box_carries_each_readers_own_tokens_and_a_reply_posts(
    thread: Thread, other: Member
) -> None:
    url = f"/threads/{thread.pk}/"
    client_for(MemberFactory()).get(url)  # the box is rendered and kept for this thread
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(other)
    first, second = (reader.get(url).content.decode() for _ in range(2))
    for body in (first, second):
        assert fragments.CSRF_PLACEHOLDER not in body
        assert fragments.FORM_TOKEN_PLACEHOLDER not in body
    # A fresh idempotency token for each opened form: the second is not the first's double.
    (token_1,), (token_2,) = form_values(first, "token"), form_values(second, "token")
    assert re.fullmatch(r"[0-9a-f]{32}", token_1) and token_1 != token_2
    csrf = form_values(second, "csrfmiddlewaretoken")[-1]
    response = reader.post(
        f"/threads/{thread.pk}/reply/",
        {
            "source": "Posted from the kept box",
            "format": "bbcode",
            "token": token_2,
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert response.status_code == 302
    assert Post.objects.filter(
        thread=thread, author=other, source="Posted from the kept box"
    ).exists()


def test_a_readers_draft_is_in_their_box_only(
    thread: Thread, other: Member, member: Member
) -> None:
    from parley.editor import services as editor_services

    url = f"/threads/{thread.pk}/"
    client_for(member).get(url)
    editor_services.save_draft(member=other, thread=thread, source="Half a thought", fmt="bbcode")
    assert "Half a thought" in client_for(other).get(url).content.decode()
    assert "Half a thought" not in client_for(member).get(url).content.decode()


def test_the_box_starts_in_each_readers_own_format(thread: Thread, other: Member) -> None:
    url = f"/threads/{thread.pk}/"
    client_for(MemberFactory()).get(url)  # kept in BBCode
    Member.objects.filter(pk=other.pk).update(post_format=Post.Format.MARKDOWN)
    body = client_for(other).get(url).content.decode()
    assert re.search(r'<option value="markdown" selected>', body)
