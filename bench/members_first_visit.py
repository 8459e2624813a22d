"""A spike of members, each opening one thread page once (issue 9).

A member reloading one page is what wrk measures; a news spike is many members each opening
the thread once. This signs in every member of the peer data set (`benchuser…`, see
bench/peers), warms each one's permission set on another page, then has each open one
thread page once, and prints the queries and the CPU (thread time) per page.

    PARLEY_DATA_DIR=/tmp/peers/parley/data python bench/members_first_visit.py [thread id]

Run it on two checkouts (PYTHONPATH=<checkout>) against the same data to compare.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    thread_id = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    members = get_user_model().objects.filter(username__startswith="benchuser")
    clients = []
    for member in members.order_by("username"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        client.get("/search/")  # the member's permission set, read once per member anyway
        clients.append(client)
    queries = 0
    cpu = 0.0
    for client in clients:
        started = time.thread_time()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/threads/{thread_id}/")
        cpu += time.thread_time() - started
        assert response.status_code == 200, response.status_code
        queries += len(ctx.captured_queries)
    n = len(clients)
    print(
        f"{n} members, each opening /threads/{thread_id}/ once: "
        f"{queries / n:.1f} queries and {cpu / n * 1000:.1f} ms CPU per page"
    )


if __name__ == "__main__":
    main()
