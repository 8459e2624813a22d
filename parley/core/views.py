from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .heartbeat import worker_state


def _uses_task_worker() -> bool:
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and (with the database task queue) a worker is alive
    and keeping up; 503 "degraded" naming the failed checks; 503 "error" without a database.

    Three cheap queries: SELECT 1, the newest heartbeat, and the ready queue's size and age.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    body: dict[str, Any] = {"status": "ok", "database": connection.vendor}
    if not _uses_task_worker():
        return JsonResponse(body)
    try:
        state = worker_state()
    except Exception:
        return JsonResponse({**body, "status": "error", "worker": "unreadable"}, status=503)
    failed = []
    silent_after = settings.PARLEY_WORKER_SILENT_AFTER
    if state.last_heartbeat_age is None or state.last_heartbeat_age > silent_after:
        failed.append("worker_silent")
    stale_after = settings.PARLEY_TASK_QUEUE_STALE_AFTER
    if state.oldest_queued_age is not None and state.oldest_queued_age > stale_after:
        failed.append("queue_stale")
    body["worker"] = {
        "last_heartbeat_age": _rounded(state.last_heartbeat_age),
        "queued_tasks": state.queued_tasks,
        "oldest_queued_age": _rounded(state.oldest_queued_age),
    }
    if failed:
        body |= {"status": "degraded", "failed": failed}
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
