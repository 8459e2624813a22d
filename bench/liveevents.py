"""Live-event threads: what slow mode and the continuation check add to a reply, what a
timeline adds to a thread page, and what the reply that crosses a live thread's limit costs
(it closes the thread and opens part 2 in the inline subscriber). Prints figures; asserts
nothing.

    .venv/bin/python bench/liveevents.py [--replies 60] [--entries 50] [--requests 40]
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
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-live-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"
os.environ["PARLEY_GUEST_CACHE"] = "0"  # measure rendering, not the cache

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from parley.forums import services  # noqa: E402
from parley.forums.models import Category, Forum, Thread  # noqa: E402
from parley.liveevents import services as live  # noqa: E402
from parley.members.models import Member  # noqa: E402


def members(prefix: str, n: int) -> list[Member]:
    return [
        Member.objects.create_user(
            f"{prefix}{i}", f"{prefix}{i}@example.org", "x" * 12, email_confirmed_at=timezone.now()
        )
        for i in range(n)
    ]


def timed(fn: Callable[[], object]) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(ctx.captured_queries)


def replies(thread: Thread, authors: list[Member], n: int) -> tuple[float, int]:
    """Median ms and queries of a reply (each by a different member: slow mode lets it in),
    with what runs after its commit (the inline subscribers)."""
    samples = [
        timed(
            lambda a=a: services.reply_to_thread(
                author=a, thread=thread, source="An update with a source.", fmt="bbcode"
            )
        )
        for a in authors[:n]
    ]
    return statistics.median(s[0] for s in samples), int(statistics.median(s[1] for s in samples))


def page(client: Client, url: str, n: int) -> tuple[float, int]:
    client.get(url)
    samples = [timed(lambda: client.get(url)) for _ in range(n)]
    return statistics.median(s[0] for s in samples), int(statistics.median(s[1] for s in samples))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=60)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    forum = Forum.objects.create(category=Category.objects.create(title="Bench"), title="News")
    starter, reader = members("starter", 1)[0], members("reader", 1)[0]
    crowd = members("m", args.replies)

    def thread(title: str) -> Thread:
        return services.start_thread(
            author=starter, forum=forum, title=title, source="Opening", fmt="bbcode"
        )

    # Each member's first action computes their permissions (five queries, then cached):
    # a first reply elsewhere keeps that out of both rows.
    replies(thread("Warm-up"), crowd, args.replies)
    plain, slow = thread("Ordinary thread"), thread("Live thread")
    live.mark_live_event(actor=starter, thread=slow, slow_mode_seconds=120, post_limit=100_000)
    print(f"{'reply (median of ' + str(args.replies) + ')':<44}{'ms':>8}{'queries':>9}")
    for label, t in (("ordinary thread", plain), ("live thread, slow mode on", slow)):
        ms, q = replies(t, crowd, args.replies)
        print(f"{label:<44}{ms:>8.2f}{q:>9}")

    posts = list(slow.posts.order_by("id")[: args.entries])
    for i, post in enumerate(posts):
        live.pin_post(actor=starter, post=post, summary=f"Key development number {i}")
    client = Client()
    client.force_login(reader)
    print(f"\n{'thread page, signed in (20 posts)':<44}{'ms':>8}{'queries':>9}")
    for label, t in (
        ("ordinary thread", plain),
        (f"live thread, {len(posts)}-entry timeline", slow),
    ):
        ms, q = page(client, f"/threads/{t.pk}/", args.requests)
        print(f"{label:<44}{ms:>8.2f}{q:>9}")

    limit = 40
    chain = thread("Chain")
    live.mark_live_event(actor=starter, thread=chain, post_limit=limit)
    for post in list(chain.posts.all())[:1]:
        live.pin_post(actor=starter, post=post, summary="Opening")
    others = members("c", limit)
    replies(thread("Warm-up 2"), others, limit)
    ordinary = [
        timed(
            lambda a=a: services.reply_to_thread(
                author=a, thread=chain, source="An update.", fmt="bbcode"
            )
        )
        for a in others[: limit - 2]
    ]
    crossing = timed(
        lambda: services.reply_to_thread(
            author=others[-1], thread=chain, source="The one that fills it.", fmt="bbcode"
        )
    )
    print(f"\n{'continuation (limit ' + str(limit) + ' posts)':<44}{'ms':>8}{'queries':>9}")
    med = statistics.median(s[0] for s in ordinary)
    print(
        f"{'reply below the limit (median)':<44}{med:>8.2f}{int(statistics.median(s[1] for s in ordinary)):>9}"
    )
    print(f"{'the reply that crosses it (+ part 2)':<44}{crossing[0]:>8.2f}{crossing[1]:>9}")
    from parley.liveevents.models import LiveEvent

    part2 = LiveEvent.objects.get(previous_thread=chain)
    print(
        f"part 2: thread {part2.thread_id}, {part2.entries.count()} timeline entries carried over"
    )


if __name__ == "__main__":
    main()
