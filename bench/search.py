"""Search at scale: build an index of N generated posts (1,000,000 by default), then the
median and p95 of typical searches through `search_posts` (the page's own service, 20
results, guest permissions, snippets included) against a LIKE '%word%' scan of the same
posts measured in the same run. Prints figures; asserts nothing.

    .venv/bin/python bench/search.py [--posts 1000000] [--runs 40]
    PARLEY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_search \\
        .venv/bin/python bench/search.py            # on PostgreSQL (the database is emptied)

The posts are written with bulk inserts (not through the services: a million posts through
the write path would measure the write path); the index is built by the same code as
`parley reindex`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# PARLEY_BENCH_DATA_DIR with --reuse: measure the queries again on a data folder built before.
os.environ["PARLEY_DATA_DIR"] = os.environ.get("PARLEY_BENCH_DATA_DIR") or tempfile.mkdtemp(
    prefix="parley-bench-search-"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from parley.forums.models import Category, Forum, Post, Thread, Visibility  # noqa: E402
from parley.members.models import Member  # noqa: E402
from parley.permissions.guardian import Guardian  # noqa: E402
from parley.search import indexing  # noqa: E402
from parley.search.parser import parse_query  # noqa: E402
from parley.search.queries import Filters, search_posts  # noqa: E402

SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tu",
    "len",
    "sar",
    "vo",
    "ne",
    "dil",
    "pa",
    "ges",
    "tor",
    "ul",
    "ban",
    "chi",
    "mo",
    "ras",
    "ket",
    "fi",
    "lo",
]
# Planted at known rates, so the queries below have thousands, hundreds, or a few matches.
PLANTED = [
    ("drone", 0.010),
    ("border crossing", 0.005),
    ("Şanlıurfa", 0.002),
    ("ceasefire", 0.004),
    ("walrus", 0.00005),
]
POSTS_PER_THREAD = 20
MEMBERS = 2000
FORUMS = 20


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def text(rng: random.Random, words: list[str], cum: list[float]) -> str:
    body = rng.choices(words, cum_weights=cum, k=rng.randint(15, 45))
    for phrase, rate in PLANTED:
        if rng.random() < rate:
            body.insert(rng.randrange(len(body) + 1), phrase)
    return " ".join(body).capitalize() + "."


def build(total: int) -> tuple[dict[str, float], list[str]]:
    rng = random.Random(12)
    words = vocabulary(20_000, rng)
    cum, running = [], 0.0
    for rank in range(1, len(words) + 1):
        running += 1 / rank
        cum.append(running)
    started = time.perf_counter()
    category = Category.objects.create(title="Bench")
    forums = [Forum.objects.create(category=category, title=f"Forum {i}") for i in range(FORUMS)]
    Forum.objects.filter(pk=forums[-1].pk).update(visibility=Visibility.STAFF)
    now = timezone.now()
    Member.objects.bulk_create(
        [Member(username=f"m{i}", email=f"m{i}@example.org", password="!") for i in range(MEMBERS)],
        batch_size=2000,
    )
    member_ids = list(Member.objects.values_list("pk", flat=True))
    threads = total // POSTS_PER_THREAD
    start = now - timedelta(days=3 * 365)
    step = (now - start) / total
    made = 0
    for first in range(0, threads, 1000):
        batch = []
        for t in range(first, min(first + 1000, threads)):
            batch.append(
                Thread(
                    forum=forums[t % FORUMS],
                    title=text(rng, words, cum)[:140],
                    author_id=member_ids[t % MEMBERS],
                    created_at=start + step * t * POSTS_PER_THREAD,
                    last_post_at=start + step * t * POSTS_PER_THREAD,
                )
            )
        created = Thread.objects.bulk_create(batch)
        posts = []
        for thread in created:
            for _ in range(POSTS_PER_THREAD):
                body = text(rng, words, cum)
                posts.append(
                    Post(
                        thread=thread,
                        author_id=member_ids[rng.randrange(MEMBERS)],
                        created_at=start + step * made,
                        source=body,
                        cooked_html=f"<p>{body}</p>",
                        plain_text=body,
                    )
                )
                made += 1
        Post.objects.bulk_create(posts, batch_size=5000)
        print(f"\r  generated {made:,} posts", end="", flush=True)
    # The first post of each thread (titles are indexed on it).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forums_thread SET first_post_id = (SELECT MIN(id) FROM forums_post p "
            "WHERE p.thread_id = forums_thread.id)"
        )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    for done, all_posts in indexing.rebuild(batch=5000):
        rate = done / (time.perf_counter() - started)
        print(f"\r  indexed {done:,} / {all_posts:,} ({rate:,.0f} posts/s)", end="", flush=True)
    print()
    return {"generated": generated, "indexed": time.perf_counter() - started}, words


def timings(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--like-runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="query posts built by a past run")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Post.objects.exists():
        if not args.reuse:
            sys.exit("The database already has posts: point the benchmark at an empty one.")
        args.posts = Post.objects.count()
        words = vocabulary(20_000, random.Random(12))  # the words the build drew first
    else:
        print(f"Building {args.posts:,} posts on {connection.vendor} …")
        built, words = build(args.posts)
        print(
            f"generated in {built['generated']:.0f} s, indexed in {built['indexed']:.0f} s "
            f"({args.posts / built['indexed']:,.0f} posts/s)"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    guardian = Guardian(AnonymousUser())
    forum = Forum.objects.order_by("pk").first()
    assert forum is not None
    author = Member.objects.order_by("pk")[7]
    cases: list[tuple[str, str, Filters, str]] = [
        ("one word (1% of posts)", "drone", Filters(), "relevance"),
        ("one word, newest first", "drone", Filters(), "date"),
        ("one rare word", "walrus", Filters(), "relevance"),
        ("two words (a common one)", f"drone {words[3]}", Filters(), "relevance"),
        ("a phrase", '"border crossing"', Filters(), "relevance"),
        ("folded word (Şanlıurfa)", "sanliurfa", Filters(), "relevance"),
        ("prefix", "ceasef*", Filters(), "relevance"),
        ("one word in one forum", "drone", Filters(forum_ids=(forum.pk,)), "relevance"),
        ("one word by one member", "drone", Filters(author_ids=(author.pk,)), "relevance"),
    ]
    print(f"\n{args.posts:,} posts, {connection.vendor}, {args.runs} runs each, 20 results a page")
    print("| query | matches | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, q, filters, sort in cases:
        query = parse_query(q)
        page = search_posts(guardian, query, filters, sort)
        median, p95 = timings(partial(search_posts, guardian, query, filters, sort), args.runs)
        print(
            f"| {label} | {len(page.hits)}{'+' if page.has_next else ''} | {median:.1f} | {p95:.1f} |"
        )
    visible = guardian.visible_posts(Post.objects.all())
    likes = [
        (
            "LIKE '%drone%', newest 20",
            lambda: list(
                visible.filter(plain_text__icontains="drone").order_by("-created_at")[:20]
            ),
        ),
        (
            "LIKE '%walrus%', newest 20",
            lambda: list(
                visible.filter(plain_text__icontains="walrus").order_by("-created_at")[:20]
            ),
        ),
        (
            "LIKE '%drone%', all matches",
            lambda: visible.filter(plain_text__icontains="drone").count(),
        ),
    ]
    for label, fn in likes:
        median, p95 = timings(fn, args.like_runs)
        print(f"| {label} (baseline) | | {median:.1f} | {p95:.1f} |")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
