"""Request tests for every forum view: success, anonymous, wrong person, wrong method, bad
input, and query counts that do not grow with the size of the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.core import stamps
from parley.forums import services, viewcounts
from parley.forums.models import Forum, Post, PostRevision, Reaction, State, Thread
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    """Queries of a page in steady state: a first request warms the permission cache (one
    query then remains for it: the version row)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def queries_after_a_change(client: Client, thread: Thread) -> int:
    """Queries of a thread page on the first request after the thread changed: its rows
    are read again (they are kept per process while it does not change, stamps.per_thread).
    The change is the thread's stamp moving, as every change's event moves it."""
    url = f"/threads/{thread.pk}/"
    client.get(url)
    stamps.bump(stamps.thread(thread.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- index and forum pages ---


def test_index_lists_visible_forums_with_counts(
    anon_client: Client, thread: Thread, staff_forum: Forum
) -> None:
    response = anon_client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Middle East" in body and "Water talks stall" in body
    assert "Staff room" not in body
    assert "Staff room" in client_for(MemberFactory(is_staff=True)).get("/").content.decode()


def test_index_queries_do_not_grow_with_forums(anon_client: Client, member: Member) -> None:
    ForumFactory()
    baseline = queries_for(anon_client, "/")
    for _ in range(6):
        make_thread(ForumFactory(), MemberFactory())
    assert queries_for(anon_client, "/") == baseline


def test_forum_page_orders_sticky_first_then_latest(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    old = make_thread(forum, member, title="Old sticky")
    Thread.objects.filter(pk=old.pk).update(is_sticky=True)
    make_thread(forum, member, title="Quiet")
    busy = make_thread(forum, member, title="Busy")
    make_reply(busy, MemberFactory())
    body = anon_client.get(f"/forums/{forum.pk}/").content.decode()
    assert body.index("Old sticky") < body.index("Busy") < body.index("Quiet")


def test_forum_page_queries_do_not_grow(anon_client: Client, forum: Forum) -> None:
    make_thread(forum, MemberFactory())
    baseline = queries_for(anon_client, f"/forums/{forum.pk}/")
    for _ in range(8):
        thread = make_thread(forum, MemberFactory())
        make_reply(thread, MemberFactory())
    assert queries_for(anon_client, f"/forums/{forum.pk}/") == baseline


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "2"])
def test_bad_page_numbers_are_404(anon_client: Client, forum: Forum, page: str) -> None:
    assert anon_client.get(f"/forums/{forum.pk}/?page={page}").status_code == 404


def test_unknown_and_hidden_forums_are_404(
    anon_client: Client, member_client: Client, staff_forum: Forum
) -> None:
    assert anon_client.get("/forums/999999/").status_code == 404
    assert member_client.get(f"/forums/{staff_forum.pk}/").status_code == 404
    assert anon_client.post("/forums/999999/").status_code == 405


# --- thread page ---


def test_thread_page_shows_member_cards(
    anon_client: Client, thread: Thread, member: Member
) -> None:
    Member.objects.filter(pk=member.pk).update(reaction_score=-5, custom_title="")
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "alice" in body and "New member" in body
    assert "Joined" in body and "Messages" in body
    assert 'class="reaction-score negative">-5<' in body
    assert "/static/flags/gb.gif" in body and "Leeds" in body
    assert "<strong>Opening</strong>" in body


def test_thread_page_pages_twenty_posts(anon_client: Client, thread: Thread) -> None:
    for i in range(20):
        make_reply(thread, MemberFactory(), f"reply number {i}")
    first = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    second = anon_client.get(f"/threads/{thread.pk}/?page=2").content.decode()
    assert first.count('class="post"') == 20
    assert second.count('class="post"') == 1 and "reply number 19" in second
    assert 'href="?page=2"' in first
    assert anon_client.get(f"/threads/{thread.pk}/?page=3").status_code == 404


def test_thread_page_queries_do_not_grow_with_posts_or_members(thread: Thread) -> None:
    viewer = MemberFactory()
    client = client_for(viewer)
    make_reply(thread, MemberFactory())
    kept = queries_for(client, f"/threads/{thread.pk}/")
    changed = queries_after_a_change(client, thread)
    for i in range(18):
        post = make_reply(thread, MemberFactory(), f"post {i}")
        services.react_to_post(member=viewer, post=post, reaction_type=reaction("Like"))
    assert queries_for(client, f"/threads/{thread.pk}/") == kept
    assert queries_after_a_change(client, thread) == changed
    # While the thread is unchanged: the session, the member, the permission version, the
    # reader's own reactions on the page, their draft (docs/editor.md) and whether they watch
    # the thread (docs/engagement.md). The thread, which posts this reader sees on the page,
    # the posts with their authors and reaction counts, the tags, the opening post's links
    # and the pending link cards are kept per process until the thread changes
    # (stamps.per_thread, docs/caching.md).
    assert kept == 6
    # The first request after a change reads those again: the thread (its prefix and poll
    # joined), who has posts awaiting approval, how many posts the reader sees, the page's
    # ids, the posts, their reaction counts, the tags, the opening post's links and the
    # pending cards.
    assert changed == 6 + 9


def test_a_thread_page_shows_a_change_at_once_though_its_rows_were_kept(
    member_client: Client, thread: Thread, other: Member
) -> None:
    """Every kind of change a thread page shows, seen on the next request by a member who
    had the page's rows kept: a reply, an edit, a reaction."""
    url = f"/threads/{thread.pk}/"
    member_client.get(url)
    reply = make_reply(thread, other, "A first answer")
    assert "A first answer" in member_client.get(url).content.decode()
    services.edit_post(editor=other, post=reply, source="A better answer", fmt="bbcode")
    page = member_client.get(url).content.decode()
    assert "A better answer" in page and "A first answer" not in page
    assert "Who reacted" not in page
    services.react_to_post(member=other, post=thread.first_post, reaction_type=reaction("Like"))
    assert "Who reacted" in member_client.get(url).content.decode()


def test_thread_views_are_buffered_then_written_in_one_statement(
    anon_client: Client, member_client: Client, thread: Thread
) -> None:
    """Views from the cache (the second guest) count too; nothing is written until the
    buffer is flushed, then one UPDATE writes them all."""
    anon_client.get(f"/threads/{thread.pk}/")
    assert anon_client.get(f"/threads/{thread.pk}/")["X-Parley-Cache"] == "hit"
    member_client.get(f"/threads/{thread.pk}/")
    thread.refresh_from_db()
    assert thread.view_count == 0
    with CaptureQueriesContext(connection) as ctx:
        assert viewcounts.flush() == 1
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    thread.refresh_from_db()
    assert thread.view_count == 3


def test_thread_in_hidden_forum_is_404(
    member_client: Client, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator)
    assert member_client.get(f"/threads/{hidden.pk}/").status_code == 404
    assert member_client.get(f"/posts/{hidden.first_post_id}/").status_code == 404
    assert client_for(moderator).get(f"/threads/{hidden.pk}/").status_code == 200


def test_post_link_redirects_to_page_and_anchor(anon_client: Client, thread: Thread) -> None:
    posts = [make_reply(thread, MemberFactory()) for _ in range(21)]
    response = anon_client.get(f"/posts/{posts[-1].pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/threads/{thread.pk}/?page=2#post-{posts[-1].pk}"
    response = anon_client.get(f"/posts/{posts[0].pk}/")
    assert response["Location"] == f"/threads/{thread.pk}/#post-{posts[0].pk}"
    assert anon_client.get("/posts/0/").status_code == 404


# --- starting threads ---


def test_start_thread_form_and_submit(member_client: Client, forum: Forum, member: Member) -> None:
    url = f"/forums/{forum.pk}/new/"
    form = member_client.get(url)
    assert form.status_code == 200 and 'name="token"' in form.content.decode()
    response = member_client.post(
        url,
        {
            "title": "Dams and drought",
            "source": "[i]river[/i]",
            "format": "bbcode",
            "token": "d" * 32,
        },
    )
    thread = Thread.objects.get(title="Dams and drought")
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/"
    again = member_client.post(
        url,
        {
            "title": "Dams and drought",
            "source": "[i]river[/i]",
            "format": "bbcode",
            "token": "d" * 32,
        },
    )
    assert again["Location"] == f"/threads/{thread.pk}/"
    assert Thread.objects.count() == 1


def test_start_thread_anonymous_is_sent_to_sign_in(anon_client: Client, forum: Forum) -> None:
    response = anon_client.post(
        f"/forums/{forum.pk}/new/", {"title": "x", "source": "y", "format": "bbcode"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/signin/")
    assert Thread.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "source": "text", "format": "bbcode"}, "Give the thread a title."),
        (
            {"title": "t" * 200, "source": "text", "format": "bbcode"},
            "Keep the title to 150 characters",
        ),
        ({"title": "Fine", "source": "  ", "format": "bbcode"}, "Write something before posting."),
        ({"title": "Fine", "source": "text", "format": "html"}, "Select a valid choice"),
        (
            {"title": "Fine", "source": "text", "format": "bbcode", "token": "<script>"},
            "This form is damaged",
        ),
    ],
)
def test_start_thread_bad_input_keeps_text(
    member_client: Client, forum: Forum, data: dict, message: str
) -> None:
    response = member_client.post(f"/forums/{forum.pk}/new/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert Thread.objects.count() == 0
    if data["source"].strip():
        assert data["source"] in body  # what the member typed is still in the form


def test_start_thread_in_hidden_forum_is_404(member_client: Client, staff_forum: Forum) -> None:
    assert member_client.get(f"/forums/{staff_forum.pk}/new/").status_code == 404


def test_banned_member_gets_403(forum: Forum, banned: Member) -> None:
    assert client_for(banned).get(f"/forums/{forum.pk}/new/").status_code == 403


def test_start_thread_wrong_method(member_client: Client, forum: Forum) -> None:
    assert member_client.put(f"/forums/{forum.pk}/new/").status_code == 405


def test_non_utf8_input_is_a_clear_error(member_client: Client, forum: Forum) -> None:
    response = member_client.post(
        f"/forums/{forum.pk}/new/",
        data=b"title=\xff\xfe&source=\xc3\x28&format=bbcode",
        content_type="application/x-www-form-urlencoded",
    )
    # Undecodable bytes are decoded leniently by Django: the post is kept, nothing crashes.
    assert response.status_code == 302
    assert len(Thread.objects.get().title) == 2


# --- replying and quoting ---


def test_reply_redirects_to_the_new_post(other_client: Client, thread: Thread) -> None:
    response = other_client.post(
        f"/threads/{thread.pk}/reply/",
        {"source": "Agreed", "format": "markdown", "token": "e" * 32},
    )
    post = Post.objects.get(source="Agreed")
    assert response["Location"] == f"/threads/{thread.pk}/#post-{post.pk}"
    other_client.post(
        f"/threads/{thread.pk}/reply/",
        {"source": "Agreed", "format": "markdown", "token": "e" * 32},
    )
    assert Post.objects.filter(source="Agreed").count() == 1


def test_reply_bad_input_and_anonymous(
    other_client: Client, anon_client: Client, thread: Thread
) -> None:
    response = other_client.post(f"/threads/{thread.pk}/reply/", {"source": "", "format": "bbcode"})
    assert (
        response.status_code == 400
        and "Write something before posting." in response.content.decode()
    )
    assert (
        anon_client.post(
            f"/threads/{thread.pk}/reply/", {"source": "x", "format": "bbcode"}
        ).status_code
        == 302
    )
    assert (
        other_client.post("/threads/424242/reply/", {"source": "x", "format": "bbcode"}).status_code
        == 404
    )
    assert Post.objects.count() == 1


def test_quote_prefills_the_reply(other_client: Client, thread: Thread, first_post: Post) -> None:
    body = other_client.get(f"/threads/{thread.pk}/reply/?quote={first_post.pk}").content.decode()
    assert f"[quote=&quot;alice&quot; post={first_post.pk}]" in body
    plain = other_client.get(
        f"/threads/{thread.pk}/reply/?quote={first_post.pk}&format=markdown"
    ).content.decode()
    assert "Opening post" in plain and "[b]Opening[/b]" not in plain


def test_quote_of_hidden_post_prefills_nothing(
    thread: Thread, staff_forum: Forum, moderator: Member, other_client: Client
) -> None:
    hidden = make_thread(staff_forum, moderator, body="secret words")
    body = other_client.get(
        f"/threads/{thread.pk}/reply/?quote={hidden.first_post_id}"
    ).content.decode()
    assert "secret words" not in body


def test_quoted_post_links_back(
    other: Member, thread: Thread, first_post: Post, anon_client: Client
) -> None:
    make_reply(thread, other, f'[quote="alice" post={first_post.pk}]Opening post[/quote]\nI agree')
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert f'href="/posts/{first_post.pk}/"' in body


# --- editing and history ---


def test_edit_own_post_and_see_history_which_others_cannot(
    member_client: Client, anon_client: Client, other_client: Client, first_post: Post
) -> None:
    url = f"/posts/{first_post.pk}/edit/"
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"source": "Changed", "format": "bbcode", "revision": "1"})
    assert response.status_code == 302
    history = member_client.get(f"/posts/{first_post.pk}/history/").content.decode()
    assert "Changed" in history and "[b]Opening[/b] post" in history
    # The edited-out sentence is for the author and staff only (unless the forum says so).
    assert anon_client.get(f"/posts/{first_post.pk}/history/").status_code == 404
    assert other_client.get(f"/posts/{first_post.pk}/history/").status_code == 404
    Forum.objects.filter(pk=first_post.thread.forum_id).update(edit_history_public=True)
    assert anon_client.get(f"/posts/{first_post.pk}/history/").status_code == 200


def test_edit_someone_elses_post_is_403(other_client: Client, first_post: Post) -> None:
    assert other_client.get(f"/posts/{first_post.pk}/edit/").status_code == 403
    assert (
        other_client.post(
            f"/posts/{first_post.pk}/edit/", {"source": "x", "format": "bbcode"}
        ).status_code
        == 403
    )
    assert PostRevision.objects.count() == 0


def test_edit_anonymous_and_bad_input(
    anon_client: Client, member_client: Client, first_post: Post
) -> None:
    assert (
        anon_client.post(
            f"/posts/{first_post.pk}/edit/", {"source": "x", "format": "bbcode"}
        ).status_code
        == 302
    )
    response = member_client.post(
        f"/posts/{first_post.pk}/edit/", {"source": "", "format": "bbcode"}
    )
    assert response.status_code == 400
    first_post.refresh_from_db()
    assert first_post.source == "[b]Opening[/b] post"


def test_edit_conflict_keeps_the_text(
    member_client: Client, member: Member, first_post: Post
) -> None:
    services.edit_post(editor=member, post=first_post, source="elsewhere", fmt="bbcode")
    response = member_client.post(
        f"/posts/{first_post.pk}/edit/",
        {"source": "my careful words", "format": "bbcode", "revision": "1"},
    )
    body = response.content.decode()
    assert (
        response.status_code == 400
        and "edited after you opened it" in body
        and "my careful words" in body
    )


def test_history_of_hidden_post_is_404(
    member_client: Client, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator)
    assert member_client.get(f"/posts/{hidden.first_post_id}/history/").status_code == 404


# --- reactions ---


def test_react_changes_card_score(
    other_client: Client, anon_client: Client, thread: Thread, first_post: Post, member: Member
) -> None:
    dislike = reaction("Dislike")
    response = other_client.post(f"/posts/{first_post.pk}/react/", {"type": dislike.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.reaction_score == -1
    body = anon_client.get(f"/threads/{thread.pk}/").content.decode()
    assert 'class="reaction-score negative">-1<' in body and "Dislike" in body
    other_client.post(f"/posts/{first_post.pk}/react/", {"type": ""})
    member.refresh_from_db()
    assert member.reaction_score == 0


def test_react_to_own_post_is_403(member_client: Client, first_post: Post) -> None:
    assert (
        member_client.post(
            f"/posts/{first_post.pk}/react/", {"type": reaction("Like").pk}
        ).status_code
        == 403
    )
    assert Reaction.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Choose one of the reactions."),
        ("-1", "Choose one of the reactions."),
        ("1" * 40, "Choose one of the reactions."),
        ("999999", "That reaction is not available."),
    ],
)
def test_react_with_bad_type_changes_nothing(
    other_client: Client, first_post: Post, value: str, message: str
) -> None:
    response = other_client.post(f"/posts/{first_post.pk}/react/", {"type": value}, follow=True)
    assert Reaction.objects.count() == 0
    assert message in response.content.decode()


def test_react_anonymous_and_wrong_method(
    anon_client: Client, other_client: Client, first_post: Post
) -> None:
    assert (
        anon_client.post(
            f"/posts/{first_post.pk}/react/", {"type": reaction("Like").pk}
        ).status_code
        == 302
    )
    assert other_client.get(f"/posts/{first_post.pk}/react/").status_code == 405
    assert Reaction.objects.count() == 0


def test_healthz(anon_client: Client) -> None:
    response = anon_client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_page_navigation_is_centred_on_the_page_being_read(
    anon_client: Client, thread: Thread, settings: object
) -> None:
    """On page 7 of 12 the navigation shows page 7 as the current one with its neighbours
    (it used to show the pages around page 1 whatever the page: 1 2 3 4 … 11 12)."""
    settings.PARLEY_POSTS_PER_PAGE = 1  # type: ignore[attr-defined]
    for i in range(11):
        make_reply(thread, MemberFactory(), f"reply {i}")
    page = anon_client.get(f"/threads/{thread.pk}/?page=7").content.decode()
    nav = page[
        page.index('<nav class="pages"') : page.index("</nav>", page.index('<nav class="pages"'))
    ]
    assert '<span class="current" aria-current="page">7</span>' in nav
    assert 'href="?page=6">6</a>' in nav and 'href="?page=8">8</a>' in nav
    assert 'href="?page=1">1</a>' in nav and 'href="?page=12">12</a>' in nav
    # Above and below the posts, the same navigation.
    assert page.count('<span class="current" aria-current="page">7</span>') == 2


def test_readers_who_see_different_posts_each_get_their_own_page_from_the_kept_rows(
    thread: Thread, moderator: Member
) -> None:
    """The kept listing is per post filter: a post awaiting approval, seen first by a
    moderator, is not shown to a member who reads the page next; its author sees it."""
    quiet = MemberFactory(username="quiet", needs_approval=True)
    pending = make_reply(thread, quiet, "Waiting for a moderator")
    assert pending.state == State.PENDING
    url = f"/threads/{thread.pk}/"
    assert "Waiting for a moderator" in client_for(moderator).get(url).content.decode()
    assert "Waiting for a moderator" not in client_for(MemberFactory()).get(url).content.decode()
    assert "Waiting for a moderator" in client_for(quiet).get(url).content.decode()
    assert "Waiting for a moderator" not in client_for(MemberFactory()).get(url).content.decode()


def test_a_members_first_visit_reads_no_post_rows_another_member_had_read(
    thread: Thread, other: Member
) -> None:
    """Members without posts awaiting approval in a thread share its kept listing and rows:
    a spike of members each opening the thread once reads them once."""
    make_reply(thread, other, "An answer")
    url = f"/threads/{thread.pk}/"
    client_for(MemberFactory()).get(url)
    newcomer = client_for(MemberFactory())
    with CaptureQueriesContext(connection) as ctx:
        page = newcomer.get(url).content.decode()
    assert "An answer" in page
    post_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "forums_post"' in q["sql"]]
    assert post_reads == []


def test_an_author_sees_their_post_awaiting_approval_though_the_page_was_kept(
    thread: Thread,
) -> None:
    quiet = MemberFactory(username="quiet", needs_approval=True)
    url = f"/threads/{thread.pk}/"
    client = client_for(quiet)
    client.get(url)
    client_for(MemberFactory()).get(url)
    assert make_reply(thread, quiet, "Held for a moderator").state == State.PENDING
    assert "Held for a moderator" in client.get(url).content.decode()
    assert "Held for a moderator" not in client_for(MemberFactory()).get(url).content.decode()


def kept_post_html_shapes(thread: Thread) -> set[str]:
    """The shapes (queries.reader_shape) whose post HTML is kept for this thread."""
    return {
        name.split(":")[2]
        for (name, pk) in stamps._thread_memo
        if pk == thread.pk and name.startswith("posts-html:")
    }


def test_members_who_see_the_posts_alike_share_one_kept_html_of_the_page(
    thread: Thread, other: Member
) -> None:
    make_reply(thread, other, "An answer")
    url = f"/threads/{thread.pk}/"
    stamps._thread_memo.clear()
    for _ in range(3):
        assert "An answer" in client_for(MemberFactory()).get(url).content.decode()
    assert len(kept_post_html_shapes(thread)) == 1


def test_a_reader_who_reacted_sees_their_reaction_on_a_page_kept_for_others(
    thread: Thread, other: Member, member: Member
) -> None:
    """The reader's own reactions are part of the shape: the page kept for readers who did
    not react is not shown to one who did, nor the other way round."""
    reply = make_reply(thread, other, "An answer")
    reactor = MemberFactory()
    services.react_to_post(member=reactor, post=reply, reaction_type=reaction("Like"))
    url = f"/threads/{thread.pk}/"
    pressed = 'aria-pressed="true"'
    assert pressed not in client_for(MemberFactory()).get(url).content.decode()
    assert pressed in client_for(reactor).get(url).content.decode()
    assert pressed not in client_for(MemberFactory()).get(url).content.decode()
    assert len(kept_post_html_shapes(thread)) == 2
