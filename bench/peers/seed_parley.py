"""Seed Parley (our forum) with the common benchmark data set (see seed_common.py).

Run with Parley's venv python, DJANGO_SETTINGS_MODULE=parley.settings and PARLEY_DATA_DIR set
(setup_parley.sh does this):
    python seed_parley.py                 # wipe forum content and seed the standard data set
    python seed_parley.py --urls          # print LABEL=PATH|MARKER specs for run_wrk.sh
    python seed_parley.py --deep N        # one thread of N posts (deep-paging test; use a
                                          # separate PARLEY_DATA_DIR), bulk-inserted
    python seed_parley.py --urls --deep   # page 1, the middle page and the last page of it

Standard data set: every thread and post goes through Parley's own services
(`services.start_thread` / `services.reply_to_thread` with `at=` to backdate), so posts are
cooked by Parley's formatter (BBCode, the default format of the post form) and every counter
moves as it does on a live forum. `setup_parley.sh install` then runs `parley recount`,
which must report 0 corrections.

Deep thread: the first post goes through `services.start_thread`; the other N-1 posts are
cooked with Parley's own `cook_post()` (the function the services call) and bulk-inserted,
then `parley recount` (run by the caller) rebuilds reply_count, last_post, forum counts and
message counts.

Parley's structure is Category -> Forum -> Thread -> Post; the one "category/forum" of the
data set becomes one Category and one Forum, both named "Benchmark Forum".
"""

import math
import os
import sys
import time

# seed_common.py stays in the shared folder (BENCH_PEERS, default ../shared/bench-peers).
sys.path.insert(0, os.environ.get("BENCH_PEERS", "/work/shared/bench-peers"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
import django  # noqa: E402

django.setup()

import seed_common as sc  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from parley.forums import services  # noqa: E402
from parley.forums.cooking import cook_post  # noqa: E402
from parley.forums.models import Category, Forum, Post, Thread  # noqa: E402
from parley.members.models import Member  # noqa: E402

FMT = Post.Format.BBCODE  # the post form's default format


def _big_thread():
    return Thread.objects.get(title=sc.thread_title(1))


def urls(deep=False):
    forum = Forum.objects.get(title=sc.CATEGORY_NAME)
    big = _big_thread()
    per = settings.PARLEY_POSTS_PER_PAGE
    n_posts = Post.objects.filter(thread=big).count()
    last = math.ceil(n_posts / per)
    turl = reverse("forums:thread", args=[big.pk])
    if not deep:
        print("index=%s|%s" % (reverse("forums:forum", args=[forum.pk]), sc.thread_title(1)))
    print("thread_p1=%s|%s" % (turl, sc.token(1, 1)))
    if deep:
        mid = last // 2
        print("thread_mid=%s?page=%d|%s" % (turl, mid, sc.token(1, mid * per)))
    print("thread_last=%s?page=%d|%s" % (turl, last, sc.token(1, n_posts)))
    print("# page_size=%d last_page=%d posts=%d" % (per, last, n_posts), file=sys.stderr)


def _wipe():
    Forum.objects.update(last_post=None)
    Thread.objects.all().delete()  # cascades to posts (and their links, reactions, revisions)
    Forum.objects.filter(title=sc.CATEGORY_NAME).delete()
    Category.objects.filter(title=sc.CATEGORY_NAME).delete()
    Member.objects.filter(username__startswith="benchuser").delete()


def _members():
    # One Argon2 hash for all 50 (same password); each member can sign in with sc.PASSWORD.
    pw = make_password(sc.PASSWORD)
    return [
        # Confirmed addresses: members who have not confirmed theirs read but do not post.
        Member.objects.create(
            username=sc.username(i),
            email=sc.email(i),
            password=pw,
            email_confirmed_at=timezone.now(),
        )
        for i in range(1, sc.N_USERS + 1)
    ]


def _forum():
    cat = Category.objects.create(title=sc.CATEGORY_NAME)
    return Forum.objects.create(
        category=cat, title=sc.CATEGORY_NAME, description=sc.CATEGORY_DESCRIPTION
    )


def seed():
    t0 = time.perf_counter()
    with transaction.atomic():
        _wipe()
        users = _members()
        forum = _forum()
        for _t, title, posts in sc.iter_threads():
            _p, ui, body, when = posts[0]
            thread = services.start_thread(
                author=users[ui - 1], forum=forum, title=title, source=body, fmt=FMT, at=when
            )
            thread.forum = forum
            for _p, ui, body, when in posts[1:]:
                services.reply_to_thread(
                    author=users[ui - 1], thread=thread, source=body, fmt=FMT, at=when
                )
    print(
        "seeded parley: users=%d threads=%d posts=%d in %.1f s"
        % (
            Member.objects.filter(username__startswith="benchuser").count(),
            Thread.objects.filter(forum=forum).count(),
            Post.objects.filter(thread__forum=forum).count(),
            time.perf_counter() - t0,
        )
    )


def seed_deep(n_posts, batch=2000):
    t0 = time.perf_counter()
    with transaction.atomic():
        _wipe()
        users = _members()
        forum = _forum()
        first = sc.post_time(1, 1)
        thread = services.start_thread(
            author=users[sc.poster_index(1, 1) - 1],
            forum=forum,
            title=sc.thread_title(1),
            source=sc.post_body(1, 1),
            fmt=FMT,
            at=first,
        )
    cook_s = 0.0
    for start in range(2, n_posts + 1, batch):
        rows = []
        for p in range(start, min(start + batch, n_posts + 1)):
            body = sc.post_body(1, p)
            c0 = time.perf_counter()
            cooked, _previews = cook_post(body, FMT)
            cook_s += time.perf_counter() - c0
            rows.append(
                Post(
                    thread=thread,
                    author=users[sc.poster_index(1, p) - 1],
                    created_at=sc.post_time(1, p),
                    source=body,
                    format=FMT,
                    cooked_html=cooked.html,
                    plain_text=cooked.text,
                    render_version=cooked.render_version,
                )
            )
        with transaction.atomic():
            Post.objects.bulk_create(rows)
        print("  %d/%d posts" % (min(start + batch, n_posts + 1) - 1, n_posts), file=sys.stderr)
    print(
        "seeded parley deep thread: %d posts in %.1f s (cooking %.1f s); run `parley recount`"
        % (Post.objects.filter(thread=thread).count(), time.perf_counter() - t0, cook_s)
    )


if __name__ == "__main__":
    deep = "--deep" in sys.argv
    if "--urls" in sys.argv:
        urls(deep=deep)
    elif deep:
        seed_deep(int(sys.argv[sys.argv.index("--deep") + 1]))
    else:
        seed()
