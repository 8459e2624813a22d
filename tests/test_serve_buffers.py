"""`parley serve` (two gunicorn workers, real processes) with buffered view counts: guests'
views, from the page cache or not, are all written when the server stops cleanly, however
long the flush interval."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.test_serve import free_port, get

SETUP = """
from django.utils import timezone
from parley.forums import services
from parley.forums.models import Category, Forum
from parley.members.models import Member
author = Member.objects.create_user("writer", "w@example.org", "x" * 12,
                                    email_confirmed_at=timezone.now())
forum = Forum.objects.create(category=Category.objects.create(title="News"), title="World")
thread = services.start_thread(author=author, forum=forum, title="Spike", source="Hello",
                               fmt="bbcode")
print(thread.pk)
"""


def test_views_buffered_by_two_workers_are_written_on_a_clean_stop(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "parley.settings",
        "PARLEY_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        # Never by the timer: only the shutdown can write them.
        "PARLEY_WRITE_BUFFER_SECONDS": "3600",
    }
    env.pop("PARLEY_DATABASE_URL", None)
    cli = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    made = subprocess.run(
        [*cli, "shell", "-c", SETUP], env=env, check=True, timeout=60, capture_output=True
    )
    thread_id = int(made.stdout.decode().split()[-1])
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", "2", "--periodic-every", "0"],
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if get(f"{base}/healthz")[0] in (200, 503):
                        break
                except OSError:
                    time.sleep(0.2)
            sources = [get(f"{base}/threads/{thread_id}/")[1]["X-Parley-Cache"] for _ in range(12)]
            assert "hit" in sources  # most come from the cache, and count all the same
        finally:
            process.terminate()
            process.wait(timeout=30)
    with sqlite3.connect(tmp_path / "parley.sqlite3") as db:
        (views,) = db.execute(
            "SELECT view_count FROM forums_thread WHERE id = ?", (thread_id,)
        ).fetchone()
    assert views == 12
