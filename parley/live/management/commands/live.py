"""`parley live`: the live-updates server (server-sent events) on its own port. `parley
serve` starts and supervises it; run it yourself when gunicorn runs elsewhere."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
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

        _stop_with_parent()
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


def _stop_with_parent() -> None:
    """Started by `parley serve` (which passes its pid, as to the task worker): stop when it is
    gone — killed without the chance to stop us — instead of holding the port as an orphan."""
    parent = os.environ.get("PARLEY_WORKER_PARENT_PID", "")
    if not parent.isdigit():
        return

    def watch() -> None:
        while os.getppid() == int(parent):
            time.sleep(1.0)
        logging.getLogger(__name__).warning("the supervising `parley serve` is gone; stopping")
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own graceful stop

    threading.Thread(target=watch, name="parley-live-parent", daemon=True).start()
