from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parley.events import dispatch
from parley.events.models import Delivery, Event
from parley.events.registry import repairers


class Command(BaseCommand):
    help = (
        "Repair what event subscribers own: rebuild it from the rows (for now the link and "
        "image records of posts; every app that registers a repairer is included), then "
        "dispatch again every event whose delivery is due, was interrupted or never started. "
        "Safe to run at any time and more than once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            metavar="NAME",
            help="rebuild only this repairer (repeatable); default: all of them",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="rebuild only what changed in the last N days (default: everything)",
        )
        parser.add_argument(
            "--retry-dead",
            action="store_true",
            help="also try again the deliveries that ran out of retries",
        )
        parser.add_argument("--no-rebuild", action="store_true", help="only dispatch events again")

    def handle(self, *args: Any, **options: Any) -> None:
        available = repairers()
        chosen = options["only"] or sorted(available)
        if unknown := set(chosen) - set(available):
            raise CommandError(
                f"unknown repairer {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(available)) or 'none'}"
            )
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1")
        since = timezone.now() - timedelta(days=options["days"]) if options["days"] else None
        if not options["no_rebuild"]:
            for name in chosen:
                n = available[name](since=since)
                self.stdout.write(f"{name}: rebuilt from {n} rows")
        if options["retry_dead"]:
            dead = Delivery.objects.filter(status=Delivery.Status.DEAD)
            Event.objects.filter(pk__in=dead.values("event_id")).update(settled_at=None)
            revived = dead.update(status=Delivery.Status.PENDING, attempts=0, due_at=timezone.now())
            self.stdout.write(f"deliveries given up and queued again: {revived}")
        counts = dispatch.sweep(limit=10**9)
        self.stdout.write(
            f"events dispatched again: {counts['events']} "
            f"(done {counts['done']}, to retry {counts['retry']}, given up {counts['dead']})"
        )
