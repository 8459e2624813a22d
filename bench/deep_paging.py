"""Deep paging: page 1 against page 5,000 of a 100,000-post thread, rendered whole (the guest
page cache off, so every request renders), and the query that finds a page's posts against
the plain OFFSET on the posts it replaced. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/deep_paging.py [--posts 100000] [--requests 30]
    PARLEY_DATABASE_URL=postgres://… .venv/bin/python bench/deep_paging.py   # on PostgreSQL
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
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-deep-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"
os.environ["PARLEY_GUEST_CACHE"] = "0"  # measure rendering, not the cache

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from parley.forums import services  # noqa: E402
from parley.forums.cooking import cook_post  # noqa: E402
from parley.forums.models import Forum, Post, State  # noqa: E402
from parley.members.models import Member  # noqa: E402
from parley.permissions.guardian import Guardian  # noqa: E402


def median_ms(fn: Callable[[], object], n: int) -> float:
    fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def build(posts: int) -> tuple[int, list[Member]]:
    call_command("migrate", verbosity=0)
    from parley.forums.models import Category

    forum = Forum.objects.create(category=Category.objects.create(title="Bench"), title="Deep")
    authors = [
        Member.objects.create_user(
            f"deep{i}", f"deep{i}@example.org", "x" * 12, email_confirmed_at=timezone.now()
        )
        for i in range(20)
    ]
    thread = services.start_thread(
        author=authors[0], forum=forum, title="A very long thread", source="First", fmt="bbcode"
    )
    cooked, _ = cook_post(
        "A reply of ordinary length, [b]with some markup[/b] and a link "
        "https://example.org/news/2026/11/25/story — " + "words " * 60,
        "bbcode",
    )
    start = timezone.now() - timedelta(days=60)
    batch = []
    for i in range(1, posts):
        batch.append(
            Post(
                thread=thread,
                author=authors[i % len(authors)],
                created_at=start + timedelta(seconds=i),
                source="…",
                format="bbcode",
                cooked_html=cooked.html,
                plain_text=cooked.text,
                render_version=cooked.render_version,
                # one in fifty deleted: placeholders count in page numbers
                state=State.DELETED if i % 50 == 0 else State.VISIBLE,
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    call_command("recount", verbosity=0)
    return thread.pk, authors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    started = time.perf_counter()
    thread_id, authors = build(args.posts)
    print(f"built a {args.posts:,}-post thread in {time.perf_counter() - started:.1f} s")
    per = settings.PARLEY_POSTS_PER_PAGE
    deep = min(5000, (args.posts - 1) // per)
    guest = Client()
    member = Client()
    member.force_login(authors[3])
    print(f"{'page':<36}{'page 1 ms':>10}{'page ' + str(deep) + ' ms':>14}{'ratio':>8}")

    def row(label: str, first: Callable[[], object], later: Callable[[], object]) -> None:
        a, b = median_ms(first, args.requests), median_ms(later, args.requests)
        print(f"{label:<36}{a:>10.2f}{b:>14.2f}{b / a:>8.2f}")

    url = f"/threads/{thread_id}/"
    row(
        "thread page, guest",
        lambda: guest.get(url),
        lambda: guest.get(f"{url}?page={deep}"),
    )
    row(
        "thread page, signed in",
        lambda: member.get(url),
        lambda: member.get(f"{url}?page={deep}"),
    )
    from parley.forums.models import Thread

    thread = Thread.objects.select_related("forum").get(pk=thread_id)
    guardian = Guardian(None)
    visible = Post.objects.filter(guardian.thread_post_filter(thread), thread=thread)

    def ids_then_posts(page: int) -> list[Post]:
        ids = visible.order_by("id").values_list("id", flat=True)[(page - 1) * per : page * per]
        return list(Post.objects.filter(pk__in=ids).select_related("author").order_by("id"))

    def offset_posts(page: int) -> list[Post]:
        qs = visible.select_related("author").order_by("id")
        return list(qs[(page - 1) * per : page * per])

    row(
        "query: ids from the index, then posts",
        lambda: ids_then_posts(1),
        lambda: ids_then_posts(deep),
    )
    row("query: OFFSET on posts (before)", lambda: offset_posts(1), lambda: offset_posts(deep))
    row("query: count for the page numbers", visible.count, visible.count)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")


if __name__ == "__main__":
    main()
