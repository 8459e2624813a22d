"""Benchmarks: print figures for page views, posting and cooking, each with a baseline
measured in the same run (ratios, not absolute promises). Never asserts anything.

    make bench            # or: .venv/bin/python bench/run.py [--requests 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ.setdefault("PARLEY_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.9) - 1] * 1000


def queries(client: Client, url: str) -> int:
    """Queries of one page view in steady state (a first view warms the permission cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    n = args.requests

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - start
    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("demo", verbosity=0, stdout=quiet)
    demo_s = time.perf_counter() - start

    from parley.forums.models import Post, Thread
    from parley.forums.recount import recount_all
    from parley.members.models import Member

    print(
        f"setup: migrate {migrate_s:.2f} s, demo {demo_s:.2f} s "
        f"({Post.objects.count()} posts, {Member.objects.count()} members)"
    )
    start = time.perf_counter()
    fixed = recount_all()
    print(
        f"recount over the demo: {(time.perf_counter() - start) * 1000:.0f} ms, {len(fixed)} corrections"
    )

    # /healthz answers 200 only while a task worker is alive (docs/operations.md); the bench
    # runs none, so it writes one heartbeat, as a live worker would.
    from parley.core.heartbeat import register_worker

    register_worker(worker_id="bench")

    viewer = Member.objects.get(username="nadia.r")
    client = Client()
    client.force_login(viewer)
    busiest = Thread.objects.order_by("-reply_count").first()
    assert busiest is not None
    last_page = busiest.reply_count // 20 + 1
    pages = {
        "healthz (baseline)": "/healthz",
        "forum index": "/",
        "forum page": f"/forums/{busiest.forum_id}/",
        "thread page, 20 posts": f"/threads/{busiest.pk}/",
        f"thread page {last_page} of {last_page}": f"/threads/{busiest.pk}/?page={last_page}",
        "member page": "/members/ironvale/",
    }
    guest = Client()
    base_ms, _ = timed(lambda: client.get("/healthz"), n)
    print(f"\npage views, {n} requests each (in-process test client, SQLite):")
    print(
        f"{'page':32} {'median ms':>10} {'p90 ms':>8} {'× healthz':>10} "
        f"{'queries':>8} {'guest q':>8}"
    )
    for name, url in pages.items():
        med, p90 = timed(lambda u=url: client.get(u), n)
        guest_q = queries(guest, url) if url != "/healthz" else 0
        print(
            f"{name:32} {med:10.2f} {p90:8.2f} {med / base_ms:10.1f} "
            f"{queries(client, url):8d} {guest_q:8d}"
        )

    from parley.demo.content import SEED_SHAPED_POST
    from parley.formatting import cook

    md = "Some **bold** text with a [link](https://example.org/a) and a list:\n\n- one\n- two\n" * 5
    short = "[b]Short[/b] reply."
    print(f"\ncooking, {n * 5} runs each:")
    base_cook, _ = timed(lambda: cook(short, "bbcode"), n * 5)
    for name, source, fmt in [
        ("short BBCode reply (baseline)", short, "bbcode"),
        ("seed-shaped article post, BBCode", SEED_SHAPED_POST, "bbcode"),
        ("Markdown, 5 paragraphs + lists", md, "markdown"),
    ]:
        med, p90 = timed(lambda s=source, f=fmt: cook(s, f), n * 5)
        print(
            f"{name:40} median {med:7.3f} ms  p90 {p90:7.3f} ms  × baseline {med / base_cook:5.1f}"
        )

    # Posting is measured, not flood-limited: lift the per-member limits for this run.
    from django.conf import settings

    settings.PARLEY_RATE_LIMITS.update(post=(10**9, 60), link_fetch=(10**9, 3600))
    author = Member.objects.get(username="meridian_k")
    poster = Client()
    poster.force_login(author)
    counter = iter(range(10**6))

    def post(body: str) -> None:
        response = poster.post(
            f"/threads/{busiest.pk}/reply/",
            {
                "source": body.format(next(counter)),
                "format": "bbcode",
                "token": os.urandom(16).hex(),
            },
        )
        assert response.status_code == 302, response.status_code

    plain_ms, plain_p90 = timed(lambda: post("A reply without links, number {}."), n)
    link_ms, link_p90 = timed(
        lambda: post("Reading this: https://news.bench-site.org/story-{}\n\nThoughts?"), n
    )
    print(f"\nposting a reply, {n} each (link fetches are queued, not awaited):")
    print(f"without links: median {plain_ms:.2f} ms, p90 {plain_p90:.2f} ms")
    print(
        f"with a link:   median {link_ms:.2f} ms, p90 {link_p90:.2f} ms  (× {link_ms / plain_ms:.2f})"
    )


if __name__ == "__main__":
    main()
