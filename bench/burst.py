"""Fire a burst of 100 requests at each rate limit through Django's test client, against a
throw-away database, and print how many were accepted and how many refused.

    .venv/bin/python bench/burst.py [--burst 100]

"Accepted" counts what actually happened (rows written, mails sent, fetches queued), not
just status codes. Fetch tasks are queued to the database backend, never run.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-burst-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

setup_test_environment()  # mail goes to mail.outbox, where it can be counted
logging.disable(logging.WARNING)  # one log line per refused request would drown the table

from django_tasks_db.models import DBTaskResult  # noqa: E402

from parley.forums import services  # noqa: E402
from parley.forums.models import Category, Forum, Post, Reaction, ReactionType, Thread  # noqa: E402
from parley.members.forms import signup_started_token  # noqa: E402
from parley.members.models import Member  # noqa: E402

PASSWORD = "correct horse battery staple"
ROWS: list[tuple[str, str, int, int, float]] = []  # name, limit, accepted, refused, seconds


def member(name: str, *, messages: int = 100, confirmed: bool = True) -> Member:
    m = Member.objects.create_user(username=name, email=f"{name}@example.org", password=PASSWORD)
    Member.objects.filter(pk=m.pk).update(
        message_count=messages, email_confirmed_at=timezone.now() if confirmed else None
    )
    m.refresh_from_db()
    return m


def signed_in(m: Member) -> Client:
    client = Client()
    client.force_login(m)
    return client


def burst(
    name: str, limit: str, n: int, fire: Callable[[int], object], count: Callable[[], int]
) -> None:
    cache.clear()
    before = count()
    start = time.perf_counter()
    for i in range(n):
        fire(i)
    elapsed = time.perf_counter() - start
    accepted = count() - before
    ROWS.append((name, limit, accepted, n - accepted, elapsed))


def burst_codes(name: str, limit: str, n: int, fire: Callable[[int], HttpResponse]) -> None:
    """For sign-in, where nothing is written: refused means answered 429 before any
    password was checked."""
    cache.clear()
    codes = [fire(i).status_code for i in range(n)]
    ROWS.append((name, limit, n - codes.count(429), codes.count(429), 0.0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=100)
    n = parser.parse_args().burst
    call_command("migrate", verbosity=0)
    limits = settings.PARLEY_RATE_LIMITS

    def shown(key: str) -> str:
        count, seconds = limits[key]
        return f"{count} / {seconds} s"

    forum = Forum.objects.create(category=Category.objects.create(title="C"), title="F")
    alice, bob = member("alice"), member("bob")
    thread = services.start_thread(author=alice, forum=forum, title="T", source="x", fmt="bbcode")
    DBTaskResult.objects.all().delete()

    signin = Client()
    burst_codes(
        "sign-in, one account (wrong passwords)",
        shown("signin_account"),
        n,
        lambda i: signin.post("/signin/", {"username": "alice", "password": "wrong"}),
    )
    burst_codes(
        "sign-in, one address, many names",
        shown("signin_address"),
        n,
        lambda i: signin.post("/signin/", {"username": f"n{i}", "password": "x"}),
    )

    signup = Client(REMOTE_ADDR="203.0.113.9")
    burst(
        "sign-up, one address",
        shown("signup_address"),
        n,
        lambda i: signup.post(
            "/signup/",
            {
                "username": f"bot{i}",
                "email": f"bot{i}@example.org",
                "password": PASSWORD,
                "started": signup_started_token(time.time() - 60),
            },
        ),
        Member.objects.count,
    )

    reset = Client(REMOTE_ADDR="203.0.113.10")
    burst(
        "reset mail, one e-mail",
        shown("reset_email"),
        n,
        lambda i: reset.post("/account/reset/", {"email": alice.email}),
        lambda: len(mail.outbox),
    )
    targets = [member(f"target{i}") for i in range(n)]
    reset2 = Client(REMOTE_ADDR="203.0.113.11")
    burst(
        "reset mail, one address, many e-mails",
        shown("reset_address"),
        n,
        lambda i: reset2.post("/account/reset/", {"email": targets[i].email}),
        lambda: len(mail.outbox),
    )

    pending = signed_in(member("pending", confirmed=False))
    burst(
        "resend confirmation mail",
        shown("confirm_mail"),
        n,
        lambda i: pending.post("/account/confirm/resend/"),
        lambda: len(mail.outbox),
    )

    bob_client = signed_in(bob)
    burst(
        "replies, one member",
        shown("post"),
        n,
        lambda i: bob_client.post(
            f"/threads/{thread.pk}/reply/", {"source": f"reply {i}", "format": "bbcode"}
        ),
        lambda: Post.objects.filter(author=bob).count(),
    )
    burst(
        "new threads, one member",
        shown("thread"),
        n,
        lambda i: bob_client.post(
            f"/forums/{forum.pk}/new/", {"title": f"T{i}", "source": "x", "format": "bbcode"}
        ),
        lambda: Thread.objects.filter(author=bob).count(),
    )
    posts = [
        services.reply_to_thread(author=alice, thread=thread, source=f"p{i}", fmt="bbcode")
        for i in range(n)
    ]
    like = ReactionType.objects.get(name="Like")
    burst(
        "reactions, one member",
        shown("reaction"),
        n,
        lambda i: bob_client.post(f"/posts/{posts[i].pk}/react/", {"type": like.pk}),
        lambda: Reaction.objects.filter(member=bob).count(),
    )

    carol = member("carol")
    DBTaskResult.objects.all().delete()
    burst(
        "link fetches, one member (1 new link per post)",
        shown("link_fetch"),
        n,
        lambda i: services.reply_to_thread(
            author=carol, thread=thread, source=f"https://news{i}.org/a", fmt="bbcode"
        ),
        DBTaskResult.objects.count,
    )
    dave = member("dave")
    DBTaskResult.objects.all().delete()
    many = "\n".join(f"https://many.org/{i}" for i in range(n))
    cache.clear()
    services.reply_to_thread(author=dave, thread=thread, source=many, fmt="bbcode")
    queued = DBTaskResult.objects.count()
    ROWS.append(
        (
            f"links fetched, one post of {n} links",
            f"{settings.PARLEY_LINKS_FETCHED_PER_POST} / post",
            queued,
            n - queued,
            0.0,
        )
    )

    newbie = member("newbie", messages=0)
    links3 = "\n".join(f"https://spam{i}.example.net/" for i in range(3))
    # Through the service (no flood limit in the way): every such post is kept, but held
    # for a moderator; "accepted" counts the ones that went up at once.
    burst(
        "newcomer posts with 3 links (held for approval)",
        f"{settings.PARLEY_NEWCOMER_MAX_LINKS} links in first {settings.PARLEY_NEWCOMER_POSTS} posts",
        n,
        lambda i: services.reply_to_thread(
            author=newbie, thread=thread, source=f"{i}\n{links3}", fmt="bbcode"
        ),
        lambda: Post.objects.filter(author=newbie, state="visible").count(),
    )
    held = Post.objects.filter(author=newbie, state="pending").count()
    print(f"newcomer burst: {held} of {n} posts kept and held for approval")

    from parley.moderation.models import Report

    reporter = signed_in(member("reporter"))
    targets_posts = [
        services.reply_to_thread(author=alice, thread=thread, source=f"r{i}", fmt="bbcode")
        for i in range(n)
    ]
    burst(
        "reports, one member",
        shown("report"),
        n,
        lambda i: reporter.post(f"/posts/{targets_posts[i].pk}/report/", {"text": "spam"}),
        lambda: Report.objects.filter(reporter__username="reporter").count(),
    )

    print(f"burst of {n} at each limit ({settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]})")
    print(f"{'limit':48} {'setting':34} {'accepted':>8} {'refused':>8}")
    for name, limit, accepted, refused, _elapsed in ROWS:
        print(f"{name:48} {limit:34} {accepted:>8} {refused:>8}")


if __name__ == "__main__":
    main()
