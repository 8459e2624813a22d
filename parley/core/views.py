from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parley.core.failures import RETRY_AFTER_SECONDS


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers a query on one of Parley's tables; 503 otherwise."""
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
    return JsonResponse({"status": "ok", "database": connection.vendor})
