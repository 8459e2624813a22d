from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .failures import RETRY_AFTER_SECONDS
from .heartbeat import worker_state


def _uses_task_worker() -> bool:
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers (a query on one of Parley's tables) and, with the
    database task queue, a worker is alive and keeping up; 503 "degraded" naming the failed
    checks; 503 "error" without a database. Three cheap queries."""
    try:
        with connection.cursor() as cursor:
            # A table, not `SELECT 1`: a SQLite file that went missing is re-created empty
            # on connect and would still answer `SELECT 1` while every page fails.
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except Exception:  # whatever the cause, the answer is "not healthy", never a 500
        response = JsonResponse({"status": "error", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
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
