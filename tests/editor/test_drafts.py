"""Server-side drafts: saved by POST only, back on any device, cleared by posting (in the
posting transaction), a no-JavaScript path, and never lost or duplicated."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from parley.editor import services
from parley.editor.models import Draft
from parley.forums.models import Forum, Post, Thread
from parley.forums.services import reply_to_thread
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"


def draft_url(thread: Thread) -> str:
    return f"/threads/{thread.pk}/draft/"


def save(client: Client, url: str, source: str, **extra: str) -> object:
    data = {"source": source, "format": "bbcode", "js": "1", **extra}
    return client.post(url, data)


def test_autosave_stores_the_draft(other_client: Client, other: Member, thread: Thread) -> None:
    response = save(other_client, draft_url(thread), "Half a thought")
    assert response.status_code == 200 and response.json()["saved"] is True
    draft = Draft.objects.get(member=other)
    assert (draft.thread_id, draft.source, draft.format) == (thread.pk, "Half a thought", "bbcode")


def test_draft_comes_back_on_another_device(other: Member, thread: Thread) -> None:
    laptop, phone = client_for(other), client_for(other)
    save(laptop, draft_url(thread), "Typed on the laptop", format="markdown")
    page = phone.get(f"/threads/{thread.pk}/").content.decode()
    assert "Typed on the laptop</textarea>" in page
    assert '<option value="markdown" selected>' in page
    assert "Your saved draft is back" in page
    reply_page = phone.get(f"/threads/{thread.pk}/reply/").content.decode()
    assert "Typed on the laptop</textarea>" in reply_page


def test_one_members_draft_is_never_shown_to_another(
    other_client: Client, member_client: Client, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "Bob private draft")
    assert "Bob private draft" not in member_client.get(f"/threads/{thread.pk}/").content.decode()


def test_saving_twice_keeps_one_draft_with_the_latest_text(
    other_client: Client, other: Member, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "first")
    save(other_client, draft_url(thread), "first")
    save(other_client, draft_url(thread), "second")
    assert list(Draft.objects.filter(member=other).values_list("source", flat=True)) == ["second"]


def test_emptying_the_box_removes_the_draft(
    other_client: Client, other: Member, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "something")
    assert save(other_client, draft_url(thread), "  ").json()["saved"] is False
    assert not Draft.objects.filter(member=other).exists()


def test_posting_the_reply_clears_the_draft(
    other_client: Client, other: Member, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "Ready to post")
    response = other_client.post(
        f"/threads/{thread.pk}/reply/", {"source": "Ready to post", "format": "bbcode"}
    )
    assert response.status_code == 302
    assert not Draft.objects.filter(member=other).exists()
    assert (
        "Ready to post</textarea>"
        not in other_client.get(f"/threads/{thread.pk}/").content.decode()
    )


def test_a_refused_reply_keeps_the_draft(
    other_client: Client, other: Member, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "keep me")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    other_client.post(f"/threads/{thread.pk}/reply/", {"source": "keep me", "format": "bbcode"})
    assert Draft.objects.get(member=other).source == "keep me"


def test_draft_is_cleared_in_the_posting_transaction(
    other: Member, thread: Thread, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the post's transaction fails after the draft was cleared, the draft is back."""
    services.save_draft(member=other, thread=thread, source="kept", fmt="bbcode")
    from parley.forums import services as forum_services

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(forum_services, "remember_post_format", fail)
    with pytest.raises(RuntimeError):
        reply_to_thread(author=other, thread=thread, source="kept", fmt="markdown")
    assert Draft.objects.get(member=other).source == "kept"
    assert not Post.objects.filter(author=other).exists()


def test_a_late_save_of_a_posted_form_does_not_bring_the_draft_back(
    other_client: Client, other: Member, thread: Thread
) -> None:
    other_client.post(
        f"/threads/{thread.pk}/reply/", {"source": "Posted", "format": "bbcode", "token": TOKEN}
    )
    # The beacon sent while leaving the page arrives after the post.
    response = save(other_client, draft_url(thread), "Posted", token=TOKEN)
    assert response.status_code == 200 and response.json()["saved"] is False
    assert not Draft.objects.filter(member=other).exists()


def test_new_thread_draft_keeps_title_and_text(other: Member, forum: Forum) -> None:
    save(client_for(other), f"/forums/{forum.pk}/draft/", "Body of it", title="  Talks   resume ")
    page = client_for(other).get(f"/forums/{forum.pk}/new/").content.decode()
    assert 'value="Talks resume"' in page and "Body of it</textarea>" in page
    client_for(other).post(
        f"/forums/{forum.pk}/new/",
        {"title": "Talks resume", "source": "Body of it", "format": "bbcode", "confirmed": "1"},
    )
    assert Thread.objects.filter(title="Talks resume").exists()
    assert not Draft.objects.filter(member=other).exists()


def test_without_javascript_save_draft_redirects_back_to_the_filled_form(
    other_client: Client, other: Member, thread: Thread
) -> None:
    response = other_client.post(
        draft_url(thread), {"source": "No script here", "format": "bbcode"}
    )
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/reply/"
    page = other_client.get(response["Location"]).content.decode()
    assert "Draft saved." in page and "No script here</textarea>" in page


def test_save_draft_button_posts_to_the_draft_address(other_client: Client, thread: Thread) -> None:
    page = other_client.get(f"/threads/{thread.pk}/reply/").content.decode()
    assert f'formaction="/threads/{thread.pk}/draft/"' in page


@override_settings(PARLEY_MAX_POST_LENGTH=10)
def test_an_overlong_draft_is_kept_up_to_twice_the_post_limit(
    other_client: Client, other: Member, thread: Thread
) -> None:
    assert save(other_client, draft_url(thread), "x" * 20).json()["saved"] is True
    refused = save(other_client, draft_url(thread), "y" * 21)
    assert refused.status_code == 400 and "too long" in refused.json()["error"]
    assert Draft.objects.get(member=other).source == "x" * 20


@override_settings(PARLEY_MAX_POST_LENGTH=10)
def test_a_refused_draft_without_javascript_hands_the_text_back(
    other_client: Client, thread: Thread
) -> None:
    response = other_client.post(draft_url(thread), {"source": "z" * 21, "format": "bbcode"})
    assert response.status_code == 400
    assert "z" * 21 + "</textarea>" in response.content.decode()


def test_a_bad_format_is_refused_and_changes_nothing(
    other_client: Client, other: Member, thread: Thread
) -> None:
    save(other_client, draft_url(thread), "kept")
    response = save(other_client, draft_url(thread), "lost?", format="html")
    assert response.status_code == 400 and response.json()["error"]
    assert Draft.objects.get(member=other).source == "kept"


def test_guest_cannot_save_a_draft(anon_client: Client, thread: Thread) -> None:
    assert save(anon_client, draft_url(thread), "x").status_code == 403
    assert not Draft.objects.exists()


def test_draft_refuses_get(other_client: Client, thread: Thread) -> None:
    assert other_client.get(draft_url(thread)).status_code == 405


def test_no_draft_in_a_thread_one_may_not_see(
    other_client: Client, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator)
    assert save(other_client, draft_url(hidden), "x").status_code == 404
    assert save(other_client, f"/forums/{staff_forum.pk}/draft/", "x").status_code == 404
    assert save(other_client, "/threads/987654/draft/", "x").status_code == 404
    assert not Draft.objects.exists()


def test_no_draft_in_a_locked_thread(other_client: Client, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    assert save(other_client, draft_url(thread), "x").status_code == 403
    assert not Draft.objects.exists()


def test_draft_save_query_count(
    other_client: Client, thread: Thread, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    save(other_client, draft_url(thread), "warm")
    with django_assert_num_queries(6):
        # session, member, thread, permission version, "already posted?", upsert
        save(other_client, draft_url(thread), "steady", token=TOKEN)
