"""The image proxy against a real HTTP server on 127.0.0.1: images members embed are fetched
by Parley (the test task backend runs the fetch at once, after the post commits), re-encoded
and served from the media storage; the post's HTML never points a reader at the remote
site, and an image that cannot be used shows as a link, never a blank gap."""

from __future__ import annotations

import re
from contextlib import nullcontext
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from PIL import Image

from parley.events.dispatch import dispatch
from parley.events.models import Event
from parley.forums.models import Forum, Post
from parley.links.imageproxy import store_image
from parley.links.models import PostImage, ProxiedImage
from parley.members.models import Member
from tests.factories import make_thread
from tests.links.conftest import NewsSite, png_bytes

pytestmark = pytest.mark.django_db

REMOTE_SRC = re.compile(r"""src=["']?(https?:)?//""", re.IGNORECASE)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def pixel_bomb() -> bytes:
    """A small file that decodes to 400 million pixels."""
    buffer = BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


def publish(forum: Forum, author: Member, body: str, capture: Any, fmt: str = "bbcode") -> Post:
    with capture(execute=True):
        thread = make_thread(forum, author, title="Pictures", body=body, fmt=fmt)
    return Post.objects.get(pk=thread.first_post_id)


def test_embedded_images_are_served_from_media_never_hot_linked(
    news_site: NewsSite, forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    png = news_site.add("/photo.png", png_bytes(), content_type="image/png")
    jpeg = news_site.add("/photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    post = publish(
        forum,
        member,
        f'[img]{png}[/img]\n\n[img caption="Harbour at dawn" credit="Photo: R. Vale"]{jpeg}[/img]',
        django_capture_on_commit_callbacks,
    )
    post.refresh_from_db()
    assert not REMOTE_SRC.search(post.cooked_html)
    assert "127.0.0.1" not in post.cooked_html.replace(f'href="{png}"', "")
    stored = {i.url: i for i in ProxiedImage.objects.all()}
    assert {i.status for i in stored.values()} == {"ok"}
    for url in (png, jpeg):
        name = stored[url].file
        assert default_storage.exists(name)
        assert f'src="{default_storage.url(name)}"' in post.cooked_html
        with default_storage.open(name) as handle:
            Image.open(handle).verify()  # a real, re-encoded picture
    assert "<figcaption>Harbour at dawn" in post.cooked_html


def test_markdown_image_is_proxied_too(
    news_site: NewsSite, forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    url = news_site.add("/chart.png", png_bytes(), content_type="image/png")
    post = publish(
        forum,
        member,
        f"A chart:\n\n![Freight rates]({url})",
        django_capture_on_commit_callbacks,
        fmt="markdown",
    )
    post.refresh_from_db()
    image = ProxiedImage.objects.get()
    assert f'<img src="{default_storage.url(image.file)}" alt="Freight rates"' in post.cooked_html
    assert not REMOTE_SRC.search(post.cooked_html)


@pytest.mark.parametrize(
    ("path", "body", "content_type", "reason"),
    [
        ("/page.html", b"<html><body>not a picture</body></html>", "text/html", "not_an_image"),
        ("/huge.png", None, "image/png", "too_many_pixels"),
        ("/missing.png", None, "", "http_status"),
    ],
)
def test_an_image_that_cannot_be_used_shows_as_a_link_with_its_alt_text(
    news_site: NewsSite,
    forum: Forum,
    member: Member,
    django_capture_on_commit_callbacks: Any,
    path: str,
    body: bytes | None,
    content_type: str,
    reason: str,
) -> None:
    if path == "/huge.png":
        body = pixel_bomb()
    url = news_site.add(path, body, content_type=content_type) if body else news_site.url(path)
    post = publish(
        forum, member, f"![The ship]({url})", django_capture_on_commit_callbacks, fmt="markdown"
    )
    post.refresh_from_db()
    image = ProxiedImage.objects.get()
    assert image.status == "failed" and image.fail_reason.startswith(reason)
    assert f'<a class="image-link" href="{url}" rel="nofollow ugc noopener">The ship</a>' in (
        post.cooked_html
    )
    assert "<img" not in post.cooked_html


def test_an_image_over_the_byte_limit_is_not_kept(
    news_site: NewsSite,
    forum: Forum,
    member: Member,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.PARLEY_PROXY_IMAGE_MAX_BYTES = 1_000
    url = news_site.add("/big.jpg", jpeg_bytes() * 3, content_type="image/jpeg")
    post = publish(forum, member, f"[img]{url}[/img]", django_capture_on_commit_callbacks)
    post.refresh_from_db()
    assert ProxiedImage.objects.get().fail_reason.startswith("too_large")
    assert f">{url}</a>" in post.cooked_html  # no alt text: the URL is the link's text
    assert "<img" not in post.cooked_html


def test_cooking_never_waits_for_the_network_and_the_page_waits_for_the_image(
    news_site: NewsSite,
    forum: Forum,
    member: Member,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    # Tasks are queued, not run: the post is written and shown before any fetch.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = news_site.add("/late.png", png_bytes(), content_type="image/png")
    post = publish(forum, member, f"[img]{url}[/img]", django_capture_on_commit_callbacks)
    assert news_site.hits == []
    assert f'<a class="image-link" href="{url}"' in post.cooked_html
    for event_id in Event.objects.filter(post_id=post.pk).values_list("pk", flat=True):
        dispatch(event_id)  # what the queued dispatch task does (it queues the fetch)
    assert news_site.hits == []
    state = Client().get(f"/links/posts/{post.pk}.json").json()
    assert state["pending"] is True

    store_image(ProxiedImage.objects.get().pk)  # what the queued task does

    state = Client().get(f"/links/posts/{post.pk}.json").json()
    assert state["pending"] is False
    assert '<img src="/media/proxied/' in state["html"]
    assert news_site.hits == ["/late.png"]


def test_one_image_in_two_posts_is_fetched_once(
    news_site: NewsSite,
    forum: Forum,
    member: Member,
    other: Member,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = news_site.add("/shared.png", png_bytes(), content_type="image/png")
    publish(forum, member, f"[img]{url}[/img]", django_capture_on_commit_callbacks)
    second = publish(forum, other, f"Again: [img]{url}[/img]", django_capture_on_commit_callbacks)
    assert news_site.hits == ["/shared.png"]
    assert PostImage.objects.count() == 2
    assert '<img src="/media/proxied/' in second.cooked_html  # cooked with the copy at once


def test_reserved_names_are_never_fetched(
    forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    post = publish(
        forum,
        member,
        "[img]https://photos.example/ship.jpg[/img]",
        django_capture_on_commit_callbacks,
    )
    image = ProxiedImage.objects.get()
    assert image.status == "failed" and image.fail_reason.startswith("reserved_name")
    assert "<img" not in post.cooked_html and not REMOTE_SRC.search(post.cooked_html)


def test_thread_page_has_no_remote_image_source(
    news_site: NewsSite, forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    good = news_site.add("/ok.png", png_bytes(), content_type="image/png")
    bad = news_site.url("/gone.png")
    post = publish(
        forum, member, f"[img]{good}[/img] [img]{bad}[/img]", django_capture_on_commit_callbacks
    )
    page = Client().get(f"/posts/{post.pk}/", follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<img src="/media/proxied/' in html
    assert not REMOTE_SRC.search(html)


def test_proxy_images_command_fetches_images_of_posts_written_before_the_proxy(
    news_site: NewsSite, forum: Forum, member: Member
) -> None:
    url = news_site.add("/old.png", png_bytes(), content_type="image/png")
    # Commit callbacks dropped: the post is written without the event, as before the proxy.
    post = publish(forum, member, f"[img]{url}[/img]", lambda execute: nullcontext())
    assert not ProxiedImage.objects.exists()
    out = StringIO()
    call_command("proxy_images", stdout=out)
    assert "1 image(s) queued" in out.getvalue()
    assert ProxiedImage.objects.get().status == "ok"
    post.refresh_from_db()
    assert '<img src="/media/proxied/' in post.cooked_html  # re-cooked by the fetch
