"""The optional StopForumSpam check, against a fake API on 127.0.0.1 reached through the
guarded fetcher: a listed e-mail or address is refused neutrally, a failure lets the
sign-up through (logged), and with the check off nothing is asked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from parley.members.models import Member
from parley.members.views import REFUSED_SIGNUP
from tests.factories import PASSWORD, signup_data

pytestmark = pytest.mark.django_db


@dataclass
class FakeSFS:
    port: int
    listed: set[str] = field(default_factory=set)
    mode: str = "ok"  # "ok", "error" (HTTP 500), "garbage" (not JSON)
    queries: list[dict[str, list[str]]] = field(default_factory=list)


def _handler(api: FakeSFS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            api.queries.append(query)
            if api.mode == "error":
                body, status = b"down", 500
            elif api.mode == "garbage":
                body, status = b"<html>maintenance</html>", 200
            else:
                answer: dict[str, Any] = {"success": 1}
                for name in ("email", "ip"):
                    value = query.get(name, [""])[0]
                    answer[name] = {"value": value, "appears": int(value in api.listed)}
                body, status = json.dumps(answer).encode(), 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def sfs(settings: Any) -> Iterator[FakeSFS]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    api = FakeSFS(port=httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(api)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {api.port}
    settings.PARLEY_STOPFORUMSPAM = True
    settings.PARLEY_STOPFORUMSPAM_URL = f"http://127.0.0.1:{api.port}/api"
    yield api
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def sign_up(email: str, address: str = "192.0.2.44"):
    data = signup_data(username=email.split("@")[0], email=email, password=PASSWORD)
    return Client(REMOTE_ADDR=address).post("/signup/", data)


def test_a_listed_email_is_refused_neutrally(sfs: FakeSFS) -> None:
    sfs.listed = {"spammer@example.org"}
    response = sign_up("spammer@example.org")
    assert response.status_code == 400 and REFUSED_SIGNUP in response.content.decode()
    assert Member.objects.count() == 0
    assert sfs.queries[0]["email"] == ["spammer@example.org"]
    assert sfs.queries[0]["ip"] == ["192.0.2.44"]


def test_a_listed_address_is_refused(sfs: FakeSFS) -> None:
    sfs.listed = {"198.51.100.66"}
    assert sign_up("clean@example.org", address="198.51.100.66").status_code == 400
    assert Member.objects.count() == 0


def test_an_unlisted_sign_up_goes_through(sfs: FakeSFS) -> None:
    sfs.listed = {"someone-else@example.org"}
    assert sign_up("clean@example.org").status_code == 302
    assert Member.objects.filter(email="clean@example.org").exists() and len(sfs.queries) == 1


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_a_failing_service_lets_the_sign_up_through_and_logs(
    sfs: FakeSFS, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    sfs.mode = mode
    assert sign_up("clean@example.org").status_code == 302
    assert Member.objects.count() == 1
    assert "StopForumSpam check failed" in caplog.text


def test_an_unreachable_service_lets_the_sign_up_through(settings, caplog) -> None:
    settings.PARLEY_STOPFORUMSPAM = True
    settings.PARLEY_STOPFORUMSPAM_URL = "http://127.0.0.1:9/api"  # not allowed, nothing there
    assert sign_up("clean@example.org").status_code == 302
    assert "StopForumSpam check failed" in caplog.text


def test_off_by_default_nothing_is_asked(sfs: FakeSFS, settings) -> None:
    settings.PARLEY_STOPFORUMSPAM = False
    sfs.listed = {"spammer@example.org"}
    assert sign_up("spammer@example.org").status_code == 302
    assert sfs.queries == []
