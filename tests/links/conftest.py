"""A local news site on 127.0.0.1 serving pages the tests write, for the links pipeline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Page:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    # Seconds to wait before each tenth of the body: a server that trickles its answer.
    trickle: float = 0.0


@dataclass
class NewsSite:
    port: int
    pages: dict[str, Page] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)  # paths whose whole body was sent
    # `held(path)`: while the block runs, requests for that path wait (at most hold_limit s).
    holds: dict[str, threading.Event] = field(default_factory=dict)
    hold_limit: float = 8.0  # below the 10 s deadline of a whole link fetch

    @contextmanager
    def held(self, path: str) -> Iterator[None]:
        gate = self.holds[path] = threading.Event()
        try:
            yield
        finally:
            gate.set()

    def release_all(self) -> None:
        for gate in self.holds.values():
            gate.set()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, html: str | bytes, **kwargs: Any) -> str:
        body = html.encode() if isinstance(html, str) else html
        self.pages[path] = Page(body=body, **kwargs)
        return self.url(path)


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            site.hits.append(self.path)
            path = self.path.split("?")[0]
            if (gate := site.holds.get(path)) is not None:
                gate.wait(site.hold_limit)
            page = site.pages.get(path)
            if page is None:
                page = Page(b"not found", status=404, content_type="text/plain")
            self.send_response(page.status)
            if page.location:
                self.send_header("Location", page.location)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if not page.trickle:
                self.wfile.write(page.body)
                site.served.append(path)
                return
            step = max(len(page.body) // 10, 1)
            try:
                for start in range(0, len(page.body), step):
                    time.sleep(page.trickle)
                    self.wfile.write(page.body[start : start + step])
                    self.wfile.flush()
            except OSError:
                return  # the fetcher hung up
            site.served.append(path)

    return Handler


@contextmanager
def running_news_site(settings: Any) -> Iterator[NewsSite]:
    """A real HTTP server on 127.0.0.1 whose port the fetcher is allowed to reach."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    site = NewsSite(port=httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(site)
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {site.port}
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="news-site", daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        site.release_all()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def news_site(settings: Any) -> Iterator[NewsSite]:
    with running_news_site(settings) as site:
        yield site


ARTICLE_PARAGRAPHS = [
    "Harbour authorities in the northern port said on Tuesday that two container ships had "
    "been turned away after insurers refused to cover the final leg of their voyage.",
    "The decision follows a week in which war-risk premiums for the strait rose threefold, "
    "according to brokers who asked not to be named because the figures are confidential.",
    "Shipping lines have begun routing vessels around the cape, adding between ten and "
    "fourteen days to each voyage and pushing freight rates to their highest level this year.",
    "A spokesperson for the regional coast guard said patrols would be doubled from next "
    "month, but underwriters said they would wait for several quiet weeks before cutting rates.",
]


def article_html(
    *,
    title: str = "Insurers turn ships away from the strait | World news | harbourtimes.test",
    headline: str = "Insurers turn ships away from the strait",
    image: str = "/lead.png",
    canonical: str = "",
) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    canonical_tag = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="The Harbour Times">
<meta property="og:description" content="Premiums tripled in a week, brokers say.">
<meta property="og:image" content="{image}">
<meta property="article:section" content="World news">
{canonical_tag}
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{headline}", "datePublished": "2026-11-20T08:00:00+00:00",
 "author": {{"@type": "Person", "name": "Ines Moreau"}}}}</script>
</head><body><article><h1>{headline}</h1>
<figure><img src="{image}" alt=""><figcaption>A container ship waits offshore.
<span class="credit">Photograph: Harbour Times</span></figcaption></figure>
{paragraphs}</article></body></html>"""


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (640, 360), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()
