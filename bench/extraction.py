"""Fetch and extract the kinds of page the tests write, through the real fetcher against a
local server, and print what Parley makes of each (figures for the closing note).

    .venv/bin/python bench/extraction.py
"""

from __future__ import annotations

import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402

from parley.core.fetch import FetchError, fetch  # noqa: E402
from parley.links.extract import extract_page  # noqa: E402
from tests.links.conftest import article_html  # noqa: E402

TITLE_ONLY = "<html><head><title>Budget vote delayed | Politics | capital-post.test</title></head><body><p>Short.</p></body></html>"
HOSTILE = (
    "<html><head><title>x<script>alert(1)</script></title>"
    '<meta property="og:title" content="<script>alert(1)</script>Real headline">'
    '<meta property="og:url" content="javascript:alert(1)">'
    f'<meta property="og:image" content="https://img.test/{"a" * 400_000}.jpg">'
    "</head><body></body></html>"
)

PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article": (200, {"Content-Type": "text/html"}, article_html().encode()),
    "/title-only": (200, {"Content-Type": "text/html"}, TITLE_ONLY.encode()),
    "/hostile": (200, {"Content-Type": "text/html"}, HOSTILE.encode()),
    "/r1": (302, {"Location": "/r2"}, b""),
    "/r2": (301, {"Location": "/article"}, b""),
    "/to-loopback": (302, {"Location": "http://127.0.0.1:1/admin"}, b""),
    "/to-private": (302, {"Location": "http://192.168.1.1/"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"<p>more</p>" * 6000)
            except OSError:
                pass
            return
        status, headers, body = PAGES.get(self.path, (404, {}, b"missing"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {port}
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    print(f"{'page':14} {'result':14} {'ms':>6}  what Parley kept")
    for path in [
        "/article",
        "/title-only",
        "/hostile",
        "/r1",
        "/slow",
        "/endless",
        "/to-loopback",
        "/to-private",
        "/to-metadata",
    ]:
        start = time.perf_counter()
        try:
            result = fetch(base + path, deadline=3.0, max_bytes=2_000_000)
            meta = extract_page(
                result.content, url=result.final_url, content_type=result.content_type
            )
            elapsed = (time.perf_counter() - start) * 1000
            kept = {
                "title": meta.page_title,
                "site": meta.site_name,
                "section": meta.section,
                "author": meta.author,
                "date": meta.published,
                "image": (meta.image_url or "")[:50],
                "caption": meta.image_caption,
                "credit": meta.image_credit,
                "canonical": meta.canonical_url,
                "text words": len(meta.article_text.split()),
                "redirects": len(result.redirects),
            }
            shown = ", ".join(f"{k}={v!r}" for k, v in kept.items() if v not in (None, "", 0))
            print(f"{path:14} {'ok':14} {elapsed:6.0f}  {shown}")
        except FetchError as exc:
            elapsed = (time.perf_counter() - start) * 1000
            print(f"{path:14} {exc.reason:14} {elapsed:6.0f}  {exc}")
    httpd.shutdown()


if __name__ == "__main__":
    main()
