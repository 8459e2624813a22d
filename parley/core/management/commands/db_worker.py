"""`parley db_worker`: django-tasks-db's worker command, running Parley's `ResilientWorker`
(survives database errors, cuts hanging tasks, writes a heartbeat). Same options as
django-tasks-db's, plus `--time-limit`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from parley.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run background tasks from the database queue (started and supervised by "
        "`parley serve`). Survives database errors; each task runs under a time limit."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--time-limit",
            type=float,
            default=settings.PARLEY_TASK_TIME_LIMIT,
            help="Seconds one task may run before it is cut and marked failed; 0: no limit "
            "(default: PARLEY_TASK_TIME_LIMIT, %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["reload"]:  # its default follows DEBUG; a supervised worker never reloads
            self.stderr.write("--reload is ignored: restart the worker after code changes.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            time_limit=options["time_limit"],
            silent_after=settings.PARLEY_WORKER_SILENT_AFTER,
        )
        worker.configure_signals()
        worker.run()
