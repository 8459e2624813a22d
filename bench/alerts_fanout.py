"""Alert fan-out: one reply in a thread watched by 10,000 members, and what watchers cost
the person posting. Against a throw-away SQLite database (or PARLEY_DATABASE_URL).

    .venv/bin/python bench/alerts_fanout.py [--watchers 10000] [--replies 30]

Posting is timed as the member meets it: the service call and its commit, including the
inline subscribers run right after the commit; the fan-out itself is queued (database task
backend) and timed separately, as the worker would run it: the dispatch of the event, then
every queued batch of 500.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-alerts-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django

django.setup()
logging.disable(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from parley.alerts.models import Alert  # noqa: E402
from parley.alerts.tasks import fan_out_post  # noqa: E402
from parley.engagement.models import ThreadWatch  # noqa: E402
from parley.events import dispatch  # noqa: E402
from parley.events import kinds as ev  # noqa: E402
from parley.events.models import Event  # noqa: E402
from parley.forums import services  # noqa: E402
from parley.forums.models import Category, Forum  # noqa: E402
from parley.members.models import Member  # noqa: E402


def member(name: str) -> Member:
    return Member.objects.create(
        username=name, email=f"{name}@example.org", email_confirmed_at=timezone.now()
    )


def posting_median(thread, author, n: int) -> float:
    times = []
    for i in range(n):
        started = time.perf_counter()
        services.reply_to_thread(author=author, thread=thread, source=f"Reply {i}", fmt="bbcode")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watchers", type=int, default=10_000)
    parser.add_argument("--replies", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    forum = Forum.objects.create(category=Category.objects.create(title="News"), title="World")
    starter, poster = member("starter"), member("poster")
    quiet = services.start_thread(
        author=starter, forum=forum, title="Quiet", source="x", fmt="bbcode"
    )
    busy = services.start_thread(
        author=starter, forum=forum, title="Busy", source="x", fmt="bbcode"
    )
    watchers = Member.objects.bulk_create(
        [Member(username=f"w{i}", email=f"w{i}@example.org") for i in range(args.watchers)],
        batch_size=1000,
    )
    now = timezone.now()
    ThreadWatch.objects.bulk_create(
        [ThreadWatch(member=m, thread=busy, created_at=now) for m in watchers], batch_size=1000
    )

    # Warm both paths once (permission sets, compiled templates, prepared statements), and
    # the URL configuration: its first use imports every app's URLs and builds the API's
    # schemas, which a running worker did long before (it made the handler look 1 s slower).
    reverse("forums:index")
    posting_median(quiet, poster, 1)
    posting_median(busy, poster, 1)
    base = posting_median(quiet, poster, args.replies)
    watched = posting_median(busy, poster, args.replies)
    DBTaskResult.objects.all().delete()
    Alert.objects.all().delete()

    reply = services.reply_to_thread(author=poster, thread=busy, source="The news", fmt="bbcode")
    event = Event.objects.get(kind=ev.POST_CREATED, post_id=reply.pk)
    started = time.perf_counter()
    dispatch.dispatch(event.pk)
    handler = time.perf_counter() - started
    batches = list(DBTaskResult.objects.filter(task_path="parley.alerts.tasks.fan_out_post"))
    batch_times = []
    for row in batches:
        t0 = time.perf_counter()
        fan_out_post.call(*row.args_kwargs["args"])
        batch_times.append(time.perf_counter() - t0)
    total = handler + sum(batch_times)
    written = Alert.objects.filter(post=reply).count()

    print(f"database: {django.db.connection.vendor}")
    print(f"fan-out of one reply to {args.watchers:,} watchers: {total * 1000:.0f} ms in all")
    print(f"  event handler (reads watchers, queues batches): {handler * 1000:.0f} ms")
    print(
        f"  {len(batches)} batches of up to 500: median {statistics.median(batch_times) * 1000:.0f} ms,"
        f" max {max(batch_times) * 1000:.0f} ms; {written:,} alerts written"
    )
    print(f"posting a reply, median of {args.replies}:")
    print(f"  thread with 0 watchers:       {base:.1f} ms")
    print(f"  thread with {args.watchers:,} watchers: {watched:.1f} ms (x{watched / base:.2f})")


if __name__ == "__main__":
    main()
