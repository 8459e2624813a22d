"""One reply holding 2,600 links: how long the request takes and how many fetch tasks it
queues (the database task backend, so queued tasks are rows that can be counted).

    .venv/bin/python bench/manylinks.py [--links 2600]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PARLEY_DATA_DIR"] = tempfile.mkdtemp(prefix="parley-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
os.environ["PARLEY_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ["PARLEY_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ["PARLEY_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=2600)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from parley.forums.models import Category, Forum, Post
    from parley.forums.services import start_thread
    from parley.members.models import Member

    # An established member (past the newcomers' link limit), not staff.
    author = Member.objects.create_user(username="linker", email="l@example.org", password="x")
    if hasattr(author, "email_confirmed_at"):
        Member.objects.filter(pk=author.pk).update(email_confirmed_at=timezone.now())
    Member.objects.filter(pk=author.pk).update(message_count=1000)
    author.refresh_from_db()
    forum = Forum.objects.create(category=Category.objects.create(title="C"), title="F")
    thread = start_thread(author=author, forum=forum, title="T", source="first", fmt="bbcode")
    DBTaskResult.objects.all().delete()

    body = "\n".join(f"https://n.io/{i}" for i in range(args.links))
    client = Client()
    client.force_login(author)
    start = time.perf_counter()
    response = client.post(f"/threads/{thread.pk}/reply/", {"source": body, "format": "bbcode"})
    elapsed = time.perf_counter() - start
    print(
        f"reply with {args.links} links: status {response.status_code}, "
        f"{elapsed:.2f} s, {DBTaskResult.objects.count()} fetch tasks queued, "
        f"{Post.objects.filter(thread=thread).count() - 1} post written"
    )


if __name__ == "__main__":
    main()
