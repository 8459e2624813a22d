"""`parley serve`: the production server — gunicorn (threaded workers) serving the WSGI app
with WhiteNoise for static files, plus the background-task worker, supervised."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from parley.core import writebuffer
from parley.core.periodic import PeriodicScheduler
from parley.core.supervisor import Supervisor


class Command(BaseCommand):
    help = "Serve Parley with gunicorn and run the background-task worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--keepalive",
            type=int,
            # 0: a connection is closed after its answer, so the workers share new connections
            # through accept(). With keep-alive, one gthread worker ended up holding every
            # connection of a busy client while the other idled (docs/deploy.md has figures).
            default=int(os.environ.get("PARLEY_KEEPALIVE", "0")),
            help="Seconds an idle HTTP connection is kept open (default 0: closed after each "
            "answer, which spreads load evenly over the workers; nginx in front keeps "
            "browsers' connections alive).",
        )
        parser.add_argument(
            "--worker-connections",
            type=int,
            default=int(os.environ.get("PARLEY_WORKER_CONNECTIONS", "1000")),
            help="Connections one worker holds at most before it stops accepting.",
        )
        parser.add_argument(
            "--access-log",
            action=argparse.BooleanOptionalAction,
            default=os.environ.get("PARLEY_ACCESS_LOG", "1") != "0",
            help="Log each request to standard output (default on; PARLEY_ACCESS_LOG=0 turns "
            "it off). Behind nginx, which logs every request itself, turning it off saves "
            "about a tenth of the CPU of a cached guest page (docs/deploy.md).",
        )
        parser.add_argument(
            "--periodic-every",
            type=float,
            default=3600.0,
            help="Seconds between runs of the periodic tasks (link re-checks); 0 disables.",
        )
        parser.add_argument(
            "--live-port",
            type=int,
            default=None,
            help="Port of the live-updates server (default PARLEY_LIVE_PORT, else --port + 1); "
            "0 does not start it (run `parley live` elsewhere).",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start the background-task worker (run `parley db_worker` elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if (
            not options["no_task_worker"]
            and "django_tasks_db" in settings.TASKS["default"]["BACKEND"]
        ):
            # Supervised: restarted with back-off whenever it exits (parley.core.supervisor).
            worker = Supervisor(
                [sys.executable, "-m", "parley.cli", "db_worker", "--interval", "0.5"],
                name="task worker",
            )
            worker.start()

        live = _start_live(options)

        periodic = _start_periodic(options["periodic_every"])

        from parley.wsgi import application

        bind = f"{options['host']}:{options['port']}"

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", bind)
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("worker_class", "gthread")
                if options["access_log"]:
                    self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)
                self.cfg.set("graceful_timeout", 10)
                self.cfg.set("keepalive", options["keepalive"])
                self.cfg.set("worker_connections", options["worker_connections"])
                # A worker stopping cleanly writes the views and read positions it buffered.
                self.cfg.set("worker_exit", writebuffer.worker_exit)
                self.cfg.set("when_ready", _hold_children_on_shutdown([worker, live]))

            def load(self) -> Any:
                return application

        self.stdout.write(f"Parley is serving at http://{bind}/")
        try:
            Server().run()
        finally:
            if periodic is not None:
                periodic.stop()  # hands the lease to another server at once
            for child in (worker, live):
                if child is not None:
                    child.stop()


def _hold_children_on_shutdown(children: list[Supervisor | None]) -> Any:
    """A gunicorn `when_ready` hook: once gunicorn has set its signal handlers, wrap those
    that stop the server so the supervisors stop restarting their children first. Stopping
    the whole process group (Ctrl-C, a service manager) signals the children too; without
    this the supervisors would start them again while gunicorn drains its workers."""
    supervised = [child for child in children if child is not None]

    def when_ready(server: Any) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            previous = signal.getsignal(signum)

            def handler(num: int, frame: Any, previous: Any = previous) -> None:
                for child in supervised:
                    child.hold()
                if callable(previous):
                    previous(num, frame)

            signal.signal(signum, handler)

    return when_ready


def _start_live(options: dict[str, Any]) -> Supervisor | None:
    """The live-updates server (uvicorn, server-sent events; docs/live.md), supervised like
    the worker. Pages find it on PARLEY_LIVE_PORT, so the setting follows the port chosen."""
    port = options["live_port"]
    if port is None:
        port = int(os.environ.get("PARLEY_LIVE_PORT") or options["port"] + 1)
    if port == 0:
        return None
    settings.PARLEY_LIVE_PORT = port  # read by the pages gunicorn's workers render
    live = Supervisor(
        [
            sys.executable,
            "-m",
            "parley.cli",
            "live",
            "--host",
            options["host"],
            "--port",
            str(port),
        ],
        name="live server",
    )
    live.start()
    return live


def _start_periodic(every: float) -> PeriodicScheduler | None:
    """Queue the periodic tasks (settings.PARLEY_PERIODIC_TASKS) every `every` seconds from
    the server's master process — only while this server holds the scheduling lease, so one
    server does it however many run (parley.core.periodic, docs/servers.md)."""
    if every <= 0:
        return None
    scheduler = PeriodicScheduler(every=every, ttl=min(60.0, max(every, 1.0)))
    scheduler.start()
    return scheduler
