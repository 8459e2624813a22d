"""Read positions recorded by page views, buffered in this process and written in batches
(parley.core.writebuffer): a GET never writes. The unread queries consult `pending` so
that a member's own reading shows at once on the pages this process serves them next."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from parley.core import writebuffer
from parley.forums.models import Thread

from .models import ThreadRead


def upsert_sql(rows: int = 1) -> str:
    """One statement that creates the read rows or moves them forward, never back (reading
    page 1 after page 3 keeps page 3). SQLite spells GREATEST as two-argument MAX()."""
    table = connection.ops.quote_name(ThreadRead._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    values = ", ".join(["(%s, %s, %s, %s)"] * rows)
    # Only constants are interpolated (the model's table name and a function name).
    return (
        f"INSERT INTO {table} (member_id, thread_id, last_read_post_id, read_at) "  # noqa: S608
        f"VALUES {values} ON CONFLICT (member_id, thread_id) DO UPDATE SET "
        f"last_read_post_id = {greatest}({table}.last_read_post_id, "
        "EXCLUDED.last_read_post_id), read_at = EXCLUDED.read_at"
    )


READ_BATCH = 200


def _write_read_positions(items: dict[tuple[int, int], tuple[int, Any]]) -> None:
    """The buffered read positions, one multi-row upsert per batch. A thread or member
    deleted since the page view would fail the whole batch on its foreign key, so those
    rows are dropped first (two queries)."""
    keys = sorted(items)
    live = set(
        Thread.objects.filter(pk__in={thread_id for _, thread_id in keys}).values_list(
            "pk", flat=True
        )
    )
    members = set(
        get_user_model()
        .objects.filter(pk__in={member_id for member_id, _ in keys})
        .values_list("pk", flat=True)
    )
    rows = [key for key in keys if key[1] in live and key[0] in members]
    for start in range(0, len(rows), READ_BATCH):
        chunk = rows[start : start + READ_BATCH]
        params: list[Any] = []
        for member_id, thread_id in chunk:
            post_id, read_at = items[(member_id, thread_id)]
            params += [member_id, thread_id, post_id, read_at]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert_sql(len(chunk)), params)


def _newest(old: tuple[int, Any], new: tuple[int, Any]) -> tuple[int, Any]:
    return (max(old[0], new[0]), max(old[1], new[1]))


# (member id, thread id) -> (newest post id read, when). Written in batches, never on the GET.
read_positions = writebuffer.register(
    writebuffer.Buffer("read positions", merge=_newest, flush=_write_read_positions)
)


def pending(member_id: int) -> dict[int, int]:
    """thread id -> newest post id this member read that is not written yet."""
    return {
        thread_id: post_id
        for (owner, thread_id), (post_id, _) in read_positions.pending().items()
        if owner == member_id
    }


def flush() -> int:
    return read_positions.flush()
