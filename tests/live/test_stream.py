"""The live server over real sockets (uvicorn in a thread of the test process, the table
transport on the test database): who may listen to what, catch-up with Last-Event-ID, the
cap per address, keep-alives, and what a page receives."""

from __future__ import annotations

import time

import pytest

from parley import live
from parley.live import channels
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_thread

from .sse import open_stream

pytestmark = pytest.mark.django_db(transaction=True)


def head() -> int:
    """The newest message id so far (what setting up the test published)."""
    from parley.live.models import LiveMessage

    return LiveMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def session_cookie(member) -> str:
    return f"sessionid={client_for(member).cookies['sessionid'].value}"


def test_a_guest_on_a_public_thread_receives_what_is_published_there(live_thread) -> None:
    thread = make_thread(ForumFactory(), MemberFactory())
    stream = open_stream(live_thread.port, f"thread={thread.pk}", after=head())
    assert stream.status == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.headers["cache-control"] == "no-store"
    assert stream.next_block() is not None  # "retry:" and ": connected"
    sent = live.publish(channels.thread(thread.pk), "post.created", {"post_id": 7})
    live.publish(channels.thread(thread.pk + 1), "post.created", {"post_id": 8})
    event = stream.next_event()
    assert event is not None and event.id == sent
    assert (event.event, event.data) == (
        "post.created",
        {"channel": f"thread:{thread.pk}", "post_id": 7},
    )
    assert stream.next_event(timeout=0.5) is None  # nothing from the other thread
    stream.close()


def test_a_thread_in_a_hidden_forum_is_refused_at_connect(live_thread, staff_forum) -> None:
    hidden = make_thread(staff_forum, MemberFactory(is_staff=True))
    public = make_thread(ForumFactory(), MemberFactory())
    member = MemberFactory()
    for query in (f"thread={hidden.pk}", f"thread={public.pk},{hidden.pk}", "thread=424242"):
        stream = open_stream(live_thread.port, query, {"Cookie": session_cookie(member)})
        assert stream.status == 404, query
        stream.close()
    staff = open_stream(
        live_thread.port,
        f"thread={hidden.pk}",
        {"Cookie": session_cookie(MemberFactory(is_staff=True))},
    )
    assert staff.status == 200  # those who see the forum may listen
    staff.close()


def test_a_hidden_forum_is_refused_and_a_visible_one_streams(live_thread, staff_forum) -> None:
    assert open_stream(live_thread.port, f"forum={staff_forum.pk}").status == 404
    forum = ForumFactory()
    stream = open_stream(live_thread.port, f"forum={forum.pk}", after=head())
    assert stream.status == 200
    live.publish(channels.forum(forum.pk), "thread.activity", {"thread_id": 3})
    assert stream.next_event().event == "thread.activity"
    stream.close()


def test_a_member_gets_their_own_channel_only(live_thread) -> None:
    alice, bob = MemberFactory(), MemberFactory()
    refused = open_stream(live_thread.port, f"member={bob.pk}", {"Cookie": session_cookie(alice)})
    assert refused.status == 404
    guest = open_stream(live_thread.port, f"member={alice.pk}")
    assert guest.status == 404  # no session, no member channel
    stream = open_stream(
        live_thread.port, f"member={alice.pk}", {"Cookie": session_cookie(alice)}, after=head()
    )
    assert stream.status == 200
    live.publish_to_member(bob.pk, "alerts.count", {"count": 9})
    live.publish_to_member(alice.pk, "alerts.count", {"count": 2})
    event = stream.next_event()
    assert (event.event, event.data["count"]) == ("alerts.count", 2)
    assert stream.next_event(timeout=0.5) is None
    stream.close()


def test_a_session_whose_password_changed_is_a_guest(live_thread) -> None:
    alice = MemberFactory()
    cookie = session_cookie(alice)
    alice.set_password("a whole new password")
    alice.save()
    assert open_stream(live_thread.port, f"member={alice.pk}", {"Cookie": cookie}).status == 404


def test_reconnecting_with_last_event_id_catches_up_on_what_was_missed(live_thread) -> None:
    thread = make_thread(ForumFactory(), MemberFactory())
    channel = channels.thread(thread.pk)
    first = live.publish(channel, "post.created", {"post_id": 1})
    second = live.publish(channel, "post.edited", {"post_id": 1})
    live.publish(channels.thread(thread.pk + 1), "post.created", {"post_id": 2})
    third = live.publish(channel, "reaction.set", {"post_id": 1})
    header = open_stream(
        live_thread.port, f"thread={thread.pk}", {"Last-Event-ID": str(first)}, after=first
    )
    assert [e.id for e in header.events(timeout=0.5)] == [second, third]
    query = open_stream(live_thread.port, f"thread={thread.pk}&last={second}", after=second)
    assert [e.id for e in query.events(timeout=0.5)] == [third]
    # After catching up, the stream goes on live.
    fourth = live.publish(channel, "post.created", {"post_id": 5})
    assert query.next_event().id == fourth
    header.close()
    query.close()


def test_a_backlog_that_no_longer_reaches_back_says_so(live_thread, settings) -> None:
    from parley.live.models import LiveMessage

    thread = make_thread(ForumFactory(), MemberFactory())
    old = live.publish(channels.thread(thread.pk), "post.created", {"post_id": 1})
    live.publish(channels.thread(thread.pk), "post.created", {"post_id": 2})
    LiveMessage.objects.filter(pk__lte=old).delete()  # pruned
    stream = open_stream(live_thread.port, f"thread={thread.pk}&last={old - 1}")
    names = [e.event for e in stream.events(timeout=0.5)]
    assert names == ["live.gap", "post.created"]
    stream.close()


@pytest.mark.parametrize(
    "query, headers",
    [
        ("thread=abc", {}),
        ("thread=-1", {}),
        ("forum=1.5", {}),
        ("thread=" + ",".join(str(n) for n in range(1, 60)), {}),
        ("thread=1", {"Last-Event-ID": "yesterday"}),
        ("thread=1&last=%D9%A3", {}),
    ],
)
def test_bad_input_is_a_clear_400(live_thread, query, headers) -> None:
    stream = open_stream(live_thread.port, query, headers)
    assert stream.status == 400
    assert stream.text().strip()  # says what was wrong
    stream.close()


def test_wrong_method_and_unknown_paths(live_thread) -> None:
    import urllib.error
    import urllib.request

    base = f"http://127.0.0.1:{live_thread.port}/live/"
    with pytest.raises(urllib.error.HTTPError) as post:
        urllib.request.urlopen(urllib.request.Request(base + "stream", data=b"x"), timeout=5)
    assert post.value.code == 405
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(base + "elsewhere", timeout=5)
    assert missing.value.code == 404


def test_streams_per_address_are_capped(live_thread, settings) -> None:
    settings.PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS = 2
    thread = make_thread(ForumFactory(), MemberFactory())
    one = open_stream(live_thread.port, f"thread={thread.pk}")
    two = open_stream(live_thread.port, f"thread={thread.pk}")
    three = open_stream(live_thread.port, f"thread={thread.pk}")
    assert (one.status, two.status, three.status) == (200, 200, 429)
    assert three.headers["retry-after"] == "30"
    assert "At most 2" in three.text()
    one.close()  # a closed tab frees its place
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        again = open_stream(live_thread.port, f"thread={thread.pk}")
        if again.status == 200:
            break
        again.close()
        time.sleep(0.1)
    assert again.status == 200
    again.close()
    two.close()


def test_an_idle_stream_gets_keep_alive_comments(live_thread, settings) -> None:
    settings.PARLEY_LIVE_KEEPALIVE_SECONDS = 0.2
    thread = make_thread(ForumFactory(), MemberFactory())
    stream = open_stream(live_thread.port, f"thread={thread.pk}", after=head())
    assert stream.next_event(timeout=2.5) is None  # no events, only comments
    assert stream.comments.count("keep-alive") >= 2
    stream.close()


def test_a_stream_ends_after_its_lifetime_so_the_page_is_authorised_again(
    live_thread, settings
) -> None:
    settings.PARLEY_LIVE_MAX_SECONDS = 0.3
    thread = make_thread(ForumFactory(), MemberFactory())
    stream = open_stream(live_thread.port, f"thread={thread.pk}")
    with pytest.raises(ConnectionError):
        stream.events(timeout=2.0)


def test_pages_of_this_site_may_read_streams_and_others_may_not(live_thread) -> None:
    thread = make_thread(ForumFactory(), MemberFactory())
    ours = open_stream(live_thread.port, f"thread={thread.pk}", {"Origin": "http://localhost:8000"})
    assert ours.status == 200
    assert ours.headers["access-control-allow-origin"] == "http://localhost:8000"
    assert ours.headers["access-control-allow-credentials"] == "true"
    ours.close()
    theirs = open_stream(
        live_thread.port, f"thread={thread.pk}", {"Origin": "https://evil.example"}
    )
    assert theirs.status == 403
    assert "access-control-allow-origin" not in theirs.headers
    theirs.close()


def open_database_connections() -> int:
    """Connections to the test database open anywhere in this process (SQLite: file
    descriptors on the database file) or on the server (PostgreSQL: pg_stat_activity)."""
    import os

    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        fds = os.listdir("/proc/self/fd")
        return sum(1 for fd in fds if _target(fd) == str(name))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
        return int(cursor.fetchone()[0])


def _target(fd: str) -> str:
    import os

    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def test_open_streams_hold_no_database_connection(live_thread) -> None:
    thread = make_thread(ForumFactory(), MemberFactory())
    member = MemberFactory()
    warm = open_stream(live_thread.port, f"thread={thread.pk}")  # the poller is connected
    before = open_database_connections()
    streams = [
        open_stream(live_thread.port, f"thread={thread.pk}", {"Cookie": session_cookie(member)})
        for _ in range(10)
    ]
    assert all(s.status == 200 for s in streams)
    assert open_database_connections() <= before + 1  # not one per stream
    for s in [warm, *streams]:
        s.close()


def test_a_database_failure_at_connect_is_a_503_not_a_crash(live_thread, monkeypatch) -> None:
    """The database cannot be reached while authorising (simulated: the one part that is
    not run for real here); the stream is refused with 503 and Retry-After."""
    from parley.live import access

    def unreachable(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(access, "_member", unreachable)
    stream = open_stream(live_thread.port, "thread=1")
    assert stream.status == 503 and stream.headers["retry-after"] == "30"
    assert "unavailable" in stream.text()
    stream.close()
