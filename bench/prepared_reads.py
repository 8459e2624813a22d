"""The small per-reader reads of a signed-in thread page, through the ORM and prepared
(parley.core.prepared), in the same run (issue 9).

Each read is timed both ways, alternately, best of several rounds, and the ratio printed;
then the whole signed-in thread page, for scale. Run against the peer data set:

    PARLEY_DATA_DIR=/tmp/peers/parley/data python bench/prepared_reads.py
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from parley.editor import queries as editor_queries  # noqa: E402
from parley.editor.models import Draft, thread_key  # noqa: E402
from parley.engagement import queries as engagement_queries  # noqa: E402
from parley.engagement.models import ThreadWatch  # noqa: E402
from parley.forums import queries as forum_queries  # noqa: E402
from parley.forums.models import Post, Reaction, Thread  # noqa: E402
from parley.permissions import snapshot  # noqa: E402
from parley.permissions.models import PermissionVersion  # noqa: E402


def best_ms(call: Callable[[], object], rounds: int = 7, n: int = 300) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - started) * 1000 / n)
    return best


def main() -> None:
    member = get_user_model().objects.get(username="benchuser01")
    thread = Thread.objects.order_by("-pk").first()
    assert thread is not None
    ids = list(Post.objects.filter(thread=thread).order_by("id").values_list("id", flat=True)[:20])
    key = thread_key(thread.pk)
    reads: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "the reader's reactions on 20 posts",
            lambda: dict(
                Reaction.objects.filter(post_id__in=ids, member=member).values_list(
                    "post_id", "type_id"
                )
            ),
            lambda: forum_queries.my_reactions(ids, member),
        ),
        (
            "the reader's draft",
            lambda: (
                Draft.objects.filter(member=member, key=key)
                .values("title", "source", "format", "token")
                .first()
            ),
            lambda: editor_queries.draft_initial(member, thread=thread),
        ),
        (
            "the reader's watch",
            lambda: ThreadWatch.objects.filter(member=member, thread=thread).first(),
            lambda: engagement_queries.watching(member, thread=thread),
        ),
        (
            "the permission version",
            lambda: (
                PermissionVersion.objects.filter(pk=1).values_list("version", flat=True).first()
            ),
            snapshot.current_version,
        ),
    ]
    print(f"{'read':<36} {'ORM ms':>8} {'prepared ms':>12} {'ratio':>7}")
    for name, orm, prepared in reads:
        orm_ms, prepared_ms = best_ms(orm), best_ms(prepared)
        print(f"{name:<36} {orm_ms:8.3f} {prepared_ms:12.3f} {orm_ms / prepared_ms:6.1f}x")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    url = f"/threads/{thread.pk}/"
    for _ in range(20):
        client.get(url)
    print(f"signed-in {url}: {best_ms(lambda: client.get(url), rounds=10, n=30):.2f} ms")


if __name__ == "__main__":
    main()
