"""Feeds: a forum's Atom feed against its page, a 304 answer, and parsing outlets' feeds.
Prints medians and p95s with ratios measured in the same run; asserts nothing.

    .venv/bin/python bench/feeds.py [--threads 20000] [--requests 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-feeds-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"
os.environ["PARLEY_GUEST_CACHE"] = "0"  # measure rendering, not the cache

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from parley.feeds.parsing import parse_feed  # noqa: E402
from parley.forums.cooking import cook_post  # noqa: E402
from parley.forums.models import Category, Forum, Post, Thread  # noqa: E402
from parley.members.models import Member  # noqa: E402
from tests.feeds.shapes import atom, rss  # noqa: E402


def timings(fn: Callable[[], object], n: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def build(threads: int) -> int:
    call_command("migrate", verbosity=0)
    forum = Forum.objects.create(category=Category.objects.create(title="Bench"), title="Busy")
    author = Member.objects.create_user(
        "feeder", "feeder@example.org", "x" * 12, email_confirmed_at=timezone.now()
    )
    cooked, _ = cook_post(
        "An opening post of ordinary length, [b]with markup[/b] and a link "
        "https://example.org/news/2026/11/25/story — " + "words " * 80,
        "bbcode",
    )
    start = timezone.now() - timedelta(days=90)
    for offset in range(0, threads, 2000):
        count = min(2000, threads - offset)
        made = Thread.objects.bulk_create(
            Thread(
                forum=forum,
                title=f"Thread {offset + i}",
                author=author,
                created_at=start + timedelta(minutes=offset + i),
                last_post_at=start + timedelta(minutes=offset + i),
            )
            for i in range(count)
        )
        posts = Post.objects.bulk_create(
            Post(
                thread=t,
                author=author,
                created_at=t.created_at,
                source="…",
                format="bbcode",
                cooked_html=cooked.html,
                plain_text=cooked.text,
                render_version=cooked.render_version,
            )
            for t in made
        )
        for t, p in zip(made, posts, strict=True):
            t.first_post = p
        Thread.objects.bulk_update(made, ["first_post"])
    call_command("recount", verbosity=0)
    return forum.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    forum_id = build(args.threads)
    client = Client()
    page = timings(lambda: client.get(f"/forums/{forum_id}/"), args.requests)
    feed = timings(lambda: client.get(f"/forums/{forum_id}/feed.atom"), args.requests)
    etag = client.get(f"/forums/{forum_id}/feed.atom")["ETag"]
    not_modified = timings(
        lambda: client.get(f"/forums/{forum_id}/feed.atom", HTTP_IF_NONE_MATCH=etag),
        args.requests,
    )
    site = timings(lambda: client.get("/feeds/threads.rss"), args.requests)
    load = os.getloadavg()[0]
    print(f"{args.threads:,} threads in one forum, {args.requests} requests, load {load:.1f}")
    print("| request | median ms | p95 ms | × forum page |")
    print("|---|---:|---:|---:|")
    for name, (median, p95) in [
        ("forum page (guest, cache off)", page),
        ("forum feed, Atom, 20 entries", feed),
        ("forum feed, 304 to its ETag", not_modified),
        ("site-wide feed, RSS", site),
    ]:
        print(f"| {name} | {median:.1f} | {p95:.1f} | {median / page[0]:.2f} |")
    small = rss(*[{} for _ in range(50)]).encode()
    long_text = "<p>" + "The convoy crossed the border before dawn. " * 200 + "</p>"
    full = atom(*[{"content": f'<content type="html">{long_text}</content>'} for _ in range(100)])
    big = full.replace("<p>", "&lt;p&gt;").replace("</p>", "&lt;/p&gt;").encode()
    for name, body in [("RSS, 50 items", small), ("Atom, 100 items with full text", big)]:
        median, p95 = timings(lambda b=body: parse_feed(b, base_url="https://x.test/"), 20)
        print(f"| parse {name} ({len(body) // 1024} KB) | {median:.1f} | {p95:.1f} | |")


if __name__ == "__main__":
    main()
