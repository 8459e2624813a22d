"""How long computing one member's permission set takes (`snapshot.compute`, the work done
on a cache miss: after a grant change, or once per member per cache lifetime), for a member
in 10 groups on a site with 200 forums that each carry grants. Prints figures, asserts
nothing.

    .venv/bin/python bench/permissions.py [--runs 20]   (PARLEY_DATABASE_URL for PostgreSQL)
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

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

GROUPS, FORUMS = 10, 200


def build() -> object:
    from parley.forums.models import Category, Forum
    from parley.members.models import Member
    from parley.permissions.models import ForumModerator, Grant, Group

    member = Member.objects.create_user(username="bench-perms", password="x")
    categories = [Category.objects.create(title=f"Bench {i}") for i in range(10)]
    groups = [Group.objects.create(name=f"bench-group-{i}") for i in range(GROUPS)]
    for group in groups:
        group.members.add(member)
    forums = Forum.objects.bulk_create(
        Forum(category=categories[i % 10], title=f"Bench forum {i}", position=i)
        for i in range(FORUMS)
    )
    grants = []
    for i, forum in enumerate(forums):
        group = groups[i % GROUPS]
        grants.append(Grant(group=group, forum=forum, permission="view_history", value="allow"))
        grants.append(
            Grant(group=group, forum=forum, permission="edit_own", edit_window_minutes=30)
        )
        if i % 7 == 0:
            grants.append(Grant(group=group, forum=forum, permission="react", value="never"))
    for i, category in enumerate(categories):
        grants.append(Grant(group=groups[i], category=category, permission="bypass_flood"))
    Grant.objects.bulk_create(grants)
    ForumModerator.objects.bulk_create(
        ForumModerator(forum=forums[i], member=member, powers=["lock", "delete"])
        for i in range(0, FORUMS, 20)
    )
    return member


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from parley.members.models import Member
    from parley.permissions import snapshot
    from parley.permissions.models import Grant

    member = build()
    fresh = Member.objects.get(pk=member.pk)  # type: ignore[attr-defined]
    snapshot.compute(fresh)  # warm imports and connection
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        snapshot.compute(fresh)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        result = snapshot.compute(fresh)
    samples.sort()
    print(
        f"{connection.vendor}: snapshot.compute() for a member in {GROUPS} groups, "
        f"{len(result.perms)} forums, {Grant.objects.count()} grants: "
        f"median {statistics.median(samples):.2f} ms, max {samples[-1]:.2f} ms "
        f"over {args.runs} runs, {len(ctx.captured_queries)} queries"
    )
    start = time.perf_counter()
    for _ in range(args.runs):
        snapshot.load(fresh)
    print(
        f"cached load (version query + cache get): {(time.perf_counter() - start) * 1000 / args.runs:.3f} ms"
    )


if __name__ == "__main__":
    main()
