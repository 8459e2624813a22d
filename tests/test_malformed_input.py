"""Malformed input never gives a 500: every URL of the site, listed from the URL resolver
(so a new view is swept the day it is added), is sent bad charsets, NUL characters, Unicode
digits, invalid UTF-8, oversized and truncated bodies, too many fields and absurd headers,
as a guest and as a member (and the admin as a superuser). Runs on SQLite and, with
PARLEY_DATABASE_URL set, on PostgreSQL, which refuses NUL in text outright.

The targeted tests below the sweep say what each case answers and that nothing changed."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
BIG = 1_100_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE


@dataclass
class Site:
    member: Member
    admin: Member
    forum: Forum
    thread: Thread
    post: Post
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def site(db) -> Site:
    member = MemberFactory(username="alice")
    root = MemberFactory(username="root", is_staff=True, is_superuser=True)
    other = MemberFactory(username="bob")
    from tests.factories import ForumFactory

    forum = ForumFactory(title="World")
    thread = make_thread(forum, member, title="Talks", body="Opening post")
    post = make_reply(thread, other, "A reply by bob")
    from parley.moderation.reports import file_report

    case = file_report(reporter=member, post=post, reason=None, text="Looks like spam")
    from parley.conversations.services import start_conversation

    talk = start_conversation(
        starter=member, recipients=[other], title="Private", source="hello", fmt="bbcode"
    )
    from parley.webpush.models import PushSubscription

    device = PushSubscription.objects.create(
        member=member, endpoint="https://fcm.googleapis.com/fcm/send/sweep", p256dh="k", auth="a"
    )
    from django.utils import timezone

    from parley.alerts.services import Draft, write

    (alert,) = write(
        [Draft(member.pk, "mention", f"post:{post.pk}", other.pk, post_id=post.pk)],
        event_id=None,
        created_at=timezone.now(),
    )
    ids = {
        "case": case.pk,
        "conversation": talk.pk,
        "message": talk.last_message_id,
        "device": device.pk,
        "alert": alert.pk,
    }
    return Site(member=member, admin=root, forum=forum, thread=thread, post=post, ids=ids)


# --- every URL, from the resolver -------------------------------------------------------


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # swept from the admin's registry below
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, site: Site) -> str:
    """A real URL for a route, with `<int:pk>` the id of the kind of object the route names."""
    kind_ids = {
        "forums/": site.forum.pk,
        "threads/": site.thread.pk,
        "posts/": site.post.pk,
        "links/posts/": site.post.pk,
        "moderation/posts/": site.post.pk,
        "moderation/threads/": site.thread.pk,
        "moderation/forums/": site.forum.pk,
        "moderation/reports/": site.ids["case"],
        "conversations/": site.ids["conversation"],
        "conversations/messages/": site.ids["message"],
        "account/push/devices/": site.ids["device"],
        "alerts/": site.ids["alert"],
        "attachments/": site.post.pk,  # no such attachment: the sweep looks for 500s only
        "stories/": site.thread.pk,  # no such story: the sweep looks for 500s only
        "links/pages/": site.post.pk,  # no such linked page: a 404
        "staff/sources/": site.forum.pk,  # no such source: a 404
        "timeline/": site.post.pk,  # no such timeline entry: a 404
        "account/api-tokens/": site.post.pk,  # no such API token: "no such token"
    }
    if route.startswith("^"):  # a regex route (media files)
        assert route == "^media/(?P<path>.+)$", f"add a filling for the regex route {route}"
        return "/media/links/missing.webp"

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name == "pk" and converter == "int":
            prefix = next(p for p in sorted(kind_ids, key=len, reverse=True) if route.startswith(p))
            return str(kind_ids[prefix])
        fillings = {
            "username": site.member.username,
            "uidb64": "MQ",
            "token": "set-password",
            "member_id": str(site.member.pk),  # avatars
            "version": "0",
            "size": "48",
            "slug": "no-such-tag",  # tag pages
            "forum_id": str(site.forum.pk),  # feeds (docs/feeds.md)
            "thread_id": str(site.thread.pk),
            "fmt": "atom",
            # The REST API's ids (docs/api.md).
            "post_id": str(site.post.pk),
            "case_id": str(site.ids["case"]),
            "conversation_id": str(site.ids["conversation"]),
            "message_id": str(site.ids["message"]),
            "alert_id": str(site.ids["alert"]),
            "attachment_id": str(site.post.pk),  # no such upload: a 404
        }
        assert name in fillings, f"add a filling for <{converter}:{name}> in {route}"
        return fillings[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def site_urls(site: Site) -> list[str]:
    urls = sorted({_fill(route, site) for route in _routes(get_resolver().url_patterns)})
    assert len(urls) >= 20, urls  # the sweep really found the site's views
    return urls


def admin_urls(site: Site) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        if (obj := model.objects.order_by("pk").first()) is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    return urls


# --- the malformed variants -------------------------------------------------------------


ODD_LINKS = [
    "http://[::1",
    "http://" + "a" * 5000 + ".com/",
    "javascript:alert(1)",
    "http://xn--a.com/",
    "https://example.com:99999/",
    "http://user:pw@%zz/",
    "//no-scheme",
    "http://a/\u202e\ufeff",
]


def _get_variants(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    many = "&".join(f"f{i}=1" for i in range(1200))
    return [
        ("plain", url, {}),
        ("unicode digits", url + "?page=²&quote=²&type=²&format=²", {}),
        ("arabic digits", url + "?page=٣&quote=٣", {}),
        ("nul in query", url + "?url=http://a%00b&q=%00", {}),
        ("nul in path", url.rstrip("/") + "%00/", {}),
        ("bad utf-8 in path", url.rstrip("/") + "%ff%fe/", {}),
        ("bad utf-8 in query", url + "?%ff%fe=%c3%28&url=%e2%82", {}),
        ("too many query fields", url + "?" + many, {}),
        (
            "absurd headers",
            url,
            {
                "HTTP_ACCEPT_LANGUAGE": "x" * 10_000,
                "HTTP_COOKIE": "sessionid=\x01\x02; csrftoken=" + "a" * 5000 + "; =;;",
                "HTTP_X_FORWARDED_PROTO": "https, http" * 100,
                "HTTP_IF_MODIFIED_SINCE": "yesterday at noon",
                "HTTP_RANGE": "bytes=-99999999999999999999",
                "HTTP_USER_AGENT": "\x00" * 10,
            },
        ),
        ("absurd host", url, {"HTTP_HOST": "evil.example:99999" + "x" * 300}),
        *[
            (f"odd link {i}", url + "?url=" + quote(odd, safe=""), {})
            for i, odd in enumerate(ODD_LINKS)
        ],
        ("huge ids", re.sub(r"\d+", "9" * 30, url) + "?page=" + "9" * 30, {}),
        ("nul in session cookie", url, {"HTTP_COOKIE": "sessionid=abcdefgh\x00ijklmnop"}),
        ("nul in csrf cookie", url, {"HTTP_COOKIE": "csrftoken=abc\x00def" + "a" * 40}),
    ]


def _post_variants(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    fields = b"title=T%E9l%E9&source=caf%E9&format=bbcode&type=%C2%B2&url=x"
    return [
        ("latin-1 form", url, {"data": fields, "content_type": f"{FORM}; charset=latin-1"}),
        ("unknown charset", url, {"data": fields, "content_type": f"{FORM}; charset=x-nope"}),
        ("utf-16 charset", url, {"data": fields, "content_type": f"{FORM}; charset=utf-16"}),
        (
            "nul in fields",
            url,
            {"data": b"title=a%00b&source=a%00b&type=%00&a%00=1", "content_type": FORM},
        ),
        ("unicode digit type", url, {"data": "type=²&source=x".encode(), "content_type": FORM}),
        ("bad utf-8 in form", url, {"data": b"source=%ff%fe&title=%c3%28", "content_type": FORM}),
        ("oversized body", url, {"data": b"source=" + b"a" * BIG, "content_type": FORM}),
        (
            "too many fields",
            url,
            {"data": "&".join(f"f{i}=1" for i in range(1200)).encode(), "content_type": FORM},
        ),
        (
            "truncated body",
            url,
            {
                "data": b"",
                "content_type": FORM,
                "CONTENT_LENGTH": "5000",
                "wsgi.input": io.BytesIO(b"source=cut%20sh"),
            },
        ),
        (
            "broken multipart",
            url,
            {
                "data": b'--xx\r\nContent-Disposition: form-data; name="source"\r\n\r\nno end',
                "content_type": "multipart/form-data; boundary=xx",
            },
        ),
        (
            "multipart without boundary",
            url,
            {"data": b"whatever", "content_type": "multipart/form-data"},
        ),
        (
            "absurd content type",
            url,
            {"data": b"source=x", "content_type": f"{FORM}; charset={'x' * 5000}; a=\x00"},
        ),
        (
            "absurd boundary",
            url,
            {"data": b"--a\r\n", "content_type": "multipart/form-data; boundary=" + "a" * 5000},
        ),
        ("negative length", url, {"data": b"a=1", "content_type": FORM, "CONTENT_LENGTH": "-5"}),
        ("non-numeric length", url, {"data": b"a=1", "content_type": FORM, "CONTENT_LENGTH": "x"}),
        ("json body", url, {"data": b'{"source": "\\u0000"}', "content_type": "application/json"}),
    ]


def _send(client: Client, method: str, url: str, options: dict[str, Any]) -> int:
    options = dict(options)
    data = options.pop("data", b"")
    content_type = options.pop("content_type", "application/octet-stream")
    if method == "GET":
        return client.get(url, **options).status_code
    return client.generic(method, url, data, content_type=content_type, **options).status_code


def _sweep(client: Client, urls: list[str], relogin: Member | None) -> list[str]:
    failures = []
    for url in urls:
        if relogin is not None:
            client.force_login(relogin)  # a swept sign-out must not turn the rest into guests
        for name, target, options in _get_variants(url):
            status = _send(client, "GET", target, options)
            if status >= 500:
                failures.append(f"GET {name} {target[:80]} -> {status}")
        for name, target, options in _post_variants(url):
            status = _send(client, "POST", target, options)
            if status >= 500:
                failures.append(f"POST {name} {target[:80]} -> {status}")
    return failures


def test_no_url_answers_500_to_malformed_input_from_a_guest(site: Site) -> None:
    client = Client(raise_request_exception=False)
    assert _sweep(client, site_urls(site), relogin=None) == []


def test_no_url_answers_500_to_malformed_input_from_a_member(site: Site) -> None:
    client = Client(raise_request_exception=False)
    assert _sweep(client, site_urls(site), relogin=site.member) == []


def test_no_admin_url_answers_500_to_malformed_input(site: Site) -> None:
    client = Client(raise_request_exception=False)
    urls = admin_urls(site)
    assert len(urls) > 10
    assert _sweep(client, urls, relogin=site.admin) == []


def test_the_sweep_finds_every_forum_view(site: Site) -> None:
    urls = site_urls(site)
    assert f"/threads/{site.thread.pk}/reply/" in urls
    assert f"/posts/{site.post.pk}/react/" in urls
    assert f"/members/{site.member.username}/" in urls
    assert "/healthz" in urls


# --- what each case answers, and that nothing changed -----------------------------------


@pytest.fixture
def member_client(site: Site) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(site.member)
    return client


def _reply(client: Client, site: Site, body: bytes, content_type: str = FORM, **extra: Any):
    return client.generic(
        "POST", f"/threads/{site.thread.pk}/reply/", body, content_type=content_type, **extra
    )


def test_latin1_form_is_refused_with_a_clear_400_and_posts_nothing(
    site: Site, member_client: Client
) -> None:
    before = Post.objects.count()
    response = _reply(
        member_client, site, b"source=caf%E9&format=bbcode", f"{FORM}; charset=latin-1"
    )
    assert response.status_code == 400
    assert b"could not be read" in response.content
    assert Post.objects.count() == before


def test_nul_in_a_form_field_is_refused_with_400_and_posts_nothing(
    site: Site, member_client: Client
) -> None:
    before = Post.objects.count()
    response = _reply(member_client, site, b"source=a%00b&format=bbcode")
    assert response.status_code == 400 and b"NUL character" in response.content
    assert Post.objects.count() == before


@pytest.mark.parametrize("path", ["/members/a%00b/", "/links/search/?url=http://a%00b"])
def test_nul_in_the_address_is_refused_with_400(site: Site, path: str) -> None:
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 400 and b"NUL character" in response.content


def test_oversized_form_is_refused_with_413_and_posts_nothing(
    site: Site, member_client: Client
) -> None:
    before = Post.objects.count()
    response = _reply(member_client, site, b"format=bbcode&source=" + b"a" * BIG)
    assert response.status_code == 413 and b"larger than this forum accepts" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert Post.objects.count() == before


def test_too_many_fields_are_refused_with_400(site: Site, member_client: Client) -> None:
    body = "&".join(f"f{i}=1" for i in range(1200)).encode()
    response = _reply(member_client, site, body)
    assert response.status_code == 400 and b"too many fields" in response.content


def test_truncated_body_is_refused_and_posts_nothing(site: Site, member_client: Client) -> None:
    before = Post.objects.count()
    response = _reply(
        member_client,
        site,
        b"",
        CONTENT_LENGTH="5000",
        **{"wsgi.input": io.BytesIO(b"format=bbcode&source=The%20first%20half%20of%20a")},
    )
    assert response.status_code == 400 and b"arrived incomplete" in response.content
    assert Post.objects.count() == before


def test_unicode_digit_quote_is_ignored(site: Site, member_client: Client) -> None:
    response = member_client.get(f"/threads/{site.thread.pk}/reply/?quote=²")
    assert response.status_code == 200
    assert f"post={site.post.pk}]" not in response.content.decode()


def test_ascii_quote_still_prefills_the_editor(site: Site, member_client: Client) -> None:
    response = member_client.get(f"/threads/{site.thread.pk}/reply/?quote={site.post.pk}")
    assert response.status_code == 200
    assert f"post={site.post.pk}]" in response.content.decode()


@pytest.mark.parametrize("raw", ["²", "٣", "1²"])
def test_unicode_digit_reaction_type_is_refused_and_records_nothing(
    site: Site, member_client: Client, raw: str
) -> None:
    response = member_client.post(f"/posts/{site.post.pk}/react/", {"type": raw})
    assert response.status_code == 302
    assert not site.post.reactions.exists()


@pytest.mark.parametrize("raw", ["²", "٣"])
def test_unicode_digit_page_number_is_a_404(site: Site, raw: str) -> None:
    client = Client(raise_request_exception=False)
    assert client.get(f"/threads/{site.thread.pk}/?page={raw}").status_code == 404
    assert client.get(f"/forums/{site.forum.pk}/?page={raw}").status_code == 404


def test_unicode_digit_list_start_in_bbcode_posts_as_a_plain_list(
    site: Site, member_client: Client
) -> None:
    response = _reply(member_client, site, "format=bbcode&source=[list=²][*]one[/list]".encode())
    assert response.status_code == 302
    assert "<ul>" in Post.objects.latest("pk").cooked_html


def test_member_with_a_nul_damaged_session_cookie_is_served_as_a_guest(site: Site) -> None:
    client = Client(raise_request_exception=False, HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnop")
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_form_without_a_valid_csrf_token_gets_a_clear_403(site: Site) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(site.member)
    before = Post.objects.count()
    response = client.post(f"/threads/{site.thread.pk}/reply/", {"source": "x", "format": "bbcode"})
    assert response.status_code == 403
    assert b"Form expired" in response.content and b"reload the page" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert Post.objects.count() == before


# --- under the real server ----------------------------------------------------------------


def test_body_cut_short_under_gunicorn_is_a_clear_400(tmp_path) -> None:
    """A client that announces more than it sends and hangs up: gunicorn hands Django a
    short body, and the answer is the 'incomplete' page, not a half-read form."""
    import socket

    from tests.test_database_down import base_env, serving

    with serving(base_env(tmp_path), tmp_path) as (base, _process):
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(
                b"POST /signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n"
                b"username=half"
            )
            sock.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"arrived incomplete" in answer
    assert b"Cache-Control: private, no-store" in answer
