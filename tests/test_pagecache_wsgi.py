"""Guest pages answered before Django (pagecache.GuestPageApp, what `parley serve` runs):
a hit runs no Django request at all yet sends the very bytes and headers of the miss; every
other request goes through Django as before. And the machine-wide stamps a hit checks: kept
in the process only while the file cache's generation says nothing changed."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started

from parley.core import pagecache, stamps
from parley.core.filecache import SharedFileCache
from parley.forums import viewcounts
from parley.forums.models import Thread
from parley.people import online
from tests.factories import make_reply

pytestmark = pytest.mark.django_db(transaction=True)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, dict(headers), body


@pytest.fixture
def app() -> pagecache.GuestPageApp:
    return pagecache.GuestPageApp(WSGIHandler())


@pytest.fixture
def djangos_requests() -> Iterator[list[object]]:
    """Every request Django's own handler starts."""
    started: list[object] = []

    def note(**kwargs: Any) -> None:
        started.append(kwargs)

    request_started.connect(note, dispatch_uid="test_pagecache_wsgi")
    yield started
    request_started.disconnect(dispatch_uid="test_pagecache_wsgi")


def call(
    app: Any, path: str, *, method: str = "GET", cookie: str = "", remote: str = "203.0.113.9"
) -> Answer:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    sent: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        sent["status"], sent["headers"] = status, headers

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Answer(sent["status"], sent["headers"], body)


def test_a_current_guest_page_is_answered_without_starting_a_django_request(
    app: Any, thread: Thread, djangos_requests: list[object]
) -> None:
    url = f"/threads/{thread.pk}/"
    miss = call(app, url)
    assert miss.headers[pagecache.SOURCE_HEADER] == "miss" and len(djangos_requests) == 1
    hit = call(app, url)
    assert hit.headers[pagecache.SOURCE_HEADER] == "hit"
    assert len(djangos_requests) == 1  # Django never saw the second request


def test_a_hit_sends_the_bytes_and_every_header_of_the_miss(app: Any, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    miss, hit = call(app, url), call(app, url)
    assert hit.status == "200 OK" and hit.body == miss.body
    assert int(hit.headers["Content-Length"]) == len(hit.body)
    expected = {k: v for k, v in miss.headers.items() if k != pagecache.SOURCE_HEADER}
    assert {
        k: v for k, v in hit.headers.items() if k not in ("Content-Length", "X-Parley-Cache")
    } == {k: v for k, v in expected.items() if k != "Content-Length"}
    for outer in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"):
        assert outer in hit.headers  # added by middleware outside the cache's own


def test_a_new_reply_makes_the_next_guest_request_render_again(
    app: Any, thread: Thread, djangos_requests: list[object]
) -> None:
    url = f"/threads/{thread.pk}/"
    call(app, url), call(app, url)
    make_reply(thread, thread.author, "A brand new remark")
    fresh = call(app, url)
    assert fresh.headers[pagecache.SOURCE_HEADER] == "miss"
    assert b"A brand new remark" in fresh.body and len(djangos_requests) == 2


@pytest.mark.parametrize(
    ("method", "cookie"),
    [("GET", "sessionid=abc"), ("GET", "messages=x"), ("HEAD", ""), ("POST", "")],
)
def test_members_flash_messages_and_other_methods_always_go_through_django(
    app: Any, thread: Thread, djangos_requests: list[object], method: str, cookie: str
) -> None:
    url = f"/threads/{thread.pk}/"
    call(app, url), call(app, url)
    call(app, url, method=method, cookie=cookie)
    assert len(djangos_requests) == 2  # the miss, and this one


def test_an_unrelated_cookie_still_gets_the_cached_page(
    app: Any, thread: Thread, djangos_requests: list[object]
) -> None:
    url = f"/threads/{thread.pk}/"
    call(app, url)
    hit = call(app, url, cookie="theme=dark; consent=yes")
    assert hit.headers[pagecache.SOURCE_HEADER] == "hit" and len(djangos_requests) == 1


def test_a_page_stored_without_the_wrapper_is_rendered_again_not_replayed_half_dressed(
    app: Any, anon_client: Any, thread: Thread, djangos_requests: list[object]
) -> None:
    url = f"/threads/{thread.pk}/"
    anon_client.get(url)  # the middleware alone stores it, without the outer headers
    djangos_requests.clear()
    answer = call(app, url)
    assert len(djangos_requests) == 1 and "Permissions-Policy" in answer.headers
    again = call(app, url)
    assert again.headers[pagecache.SOURCE_HEADER] == "hit" and len(djangos_requests) == 1


def test_a_hit_counts_the_guest_online_and_the_thread_view(app: Any, thread: Thread) -> None:
    url = f"/threads/{thread.pk}/"
    call(app, url, remote="203.0.113.50")
    online.guests_seen.discard()
    viewcounts.flush()
    thread.refresh_from_db()
    views_before = thread.view_count
    hit = call(app, url, remote="203.0.113.77")
    assert hit.headers[pagecache.SOURCE_HEADER] == "hit"
    assert online.guests_seen.pending().keys() == {online.guest_hash("203.0.113.77")}
    viewcounts.flush()
    thread.refresh_from_db()
    assert thread.view_count == views_before + 1


def test_an_address_with_another_query_string_is_another_page(
    app: Any, thread: Thread, djangos_requests: list[object]
) -> None:
    call(app, f"/threads/{thread.pk}/")
    other = call(app, f"/threads/{thread.pk}/?page=1")
    assert other.headers[pagecache.SOURCE_HEADER] != "hit" and len(djangos_requests) == 2


# --- the stamps' generation -------------------------------------------------------------------


def test_any_write_from_another_process_moves_the_generation(tmp_path: Path) -> None:
    # Two cache objects on one folder stand for two processes (each maps the file itself).
    here = SharedFileCache(str(tmp_path), {})
    there = SharedFileCache(str(tmp_path), {})
    seen = here.generation()
    for write in (
        lambda: there.set("a", 1),
        lambda: there.add("b", 2),
        lambda: there.touch("a"),
        lambda: there.delete("a"),
        lambda: there.clear(),
    ):
        write()
        assert here.generation() != seen
        seen = here.generation()
    here.get("b")
    assert here.generation() == seen  # reading moves nothing


def test_clear_leaves_the_generation_file_alone(tmp_path: Path) -> None:
    cache = SharedFileCache(str(tmp_path), {})
    cache.set("a", 1)
    cache.clear()
    assert (tmp_path / "generation.bin").stat().st_size == 8


def test_stamps_read_again_once_another_process_bumps_one(thread: Thread) -> None:
    names = [stamps.SITE, stamps.thread(thread.pk)]
    before = stamps.read(names)
    assert stamps.read(names) == before  # kept
    other_process = SharedFileCache(caches["shared"]._dir, {})  # type: ignore[attr-defined]
    other_process.set(stamps.PREFIX + stamps.thread(thread.pk), "feedbeef", timeout=None)
    assert stamps.read(names) == before.split(".")[0] + ".feedbeef"
