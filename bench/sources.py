"""News sources: the cost of resolving an address to its source (the cached map) and of the
staff list of sites seen in posts (one pass over the post links), as the links grow.

    .venv/bin/python bench/sources.py [--links 20000 --sites 400 --sources 150]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.core.management import call_command  # noqa: E402


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--sources", type=int, default=150)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from parley.forums.models import Category, Forum, Post, Thread
    from parley.links.models import LinkedPage, PostLink
    from parley.members.models import Member
    from parley.sources import directory
    from parley.sources.models import Label, Source, SourceAlias
    from parley.sources.queries import sites_seen

    now = timezone.now()
    author = Member.objects.create_user(username="a", email="a@example.org", password="x")
    forum = Forum.objects.create(category=Category.objects.create(title="C"), title="F")
    threads = Thread.objects.bulk_create(
        Thread(forum=forum, title=f"T{i}", author=author, created_at=now, last_post_at=now)
        for i in range(max(args.links // 20, 1))
    )
    posts = Post.objects.bulk_create(
        Post(thread=threads[i % len(threads)], author=author, created_at=now, source="x")
        for i in range(args.links)
    )
    pages = LinkedPage.objects.bulk_create(
        LinkedPage(key=f"https://www.site{i % args.sites}.example/a/{i}", url="https://x.example/")
        for i in range(args.links // 2)
    )
    PostLink.objects.bulk_create(
        PostLink(post=post, page=pages[i % len(pages)], url="https://x.example/")
        for i, post in enumerate(posts)
    )
    label = Label.objects.first()
    for i in range(args.sources):
        source = Source.objects.create(domain=f"site{i}.example", name=f"Site {i}")
        source.labels.add(label)
        SourceAlias.objects.create(source=source, domain=f"alias{i}.example")

    directory.invalidate()
    build = timed(directory.build)
    directory.current()
    urls = [f"https://news.site{i % args.sites}.example/story/{i}" for i in range(10_000)]

    def resolve_all() -> None:
        sources = directory.current()
        for url in urls:
            sources.site_for_url(url)

    resolve = timed(resolve_all) / len(urls)
    fetch_map = timed(lambda: [directory.current() for _ in range(100)]) / 100
    with CaptureQueriesContext(connection) as queries:
        sites_seen()
    listing = timed(sites_seen, repeat=3)
    print(
        f"source map: {args.sources} sources + {args.sources} aliases, built in "
        f"{build * 1000:.1f} ms (4 queries), kept in each process"
    )
    print(f"resolving a URL from the map: {resolve * 1e6:.1f} µs (no query)")
    print(f"reading the map (a version token from the cache): {fetch_map * 1e6:.0f} µs")
    print(
        f"staff list: {args.links:,} post links over {args.sites} sites in "
        f"{listing * 1000:.0f} ms, {len(queries.captured_queries)} queries "
        f"({listing / args.links * 1e6:.1f} µs per link)"
    )


if __name__ == "__main__":
    main()
