"""`parley live`: the live-updates server (server-sent events) on its own port. `parley
serve` starts and supervises it; run it yourself when gunicorn runs elsewhere."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve live updates (server-sent events) with uvicorn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=settings.PARLEY_LIVE_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        uvicorn.run(
            "parley.live.asgi:application",
            host=options["host"],
            port=options["port"],
            lifespan="on",
            # Idle streams are the point of this server: no access log line per stream, and
            # a short grace on shutdown (open streams never end by themselves).
            access_log=False,
            log_level="warning",
            timeout_graceful_shutdown=3,
            # Client addresses come from parley.core.clientip (PARLEY_TRUSTED_PROXIES), not
            # from uvicorn's own reading of X-Forwarded-For.
            proxy_headers=False,
            server_header=False,
        )
