from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.links.tasks import recheck_pages


class Command(BaseCommand):
    help = (
        "Fetch again the linked pages checked longest ago (at most --limit), to notice "
        "changed headlines and dead pages. `parley serve` queues this every hour."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        checked = recheck_pages.call(options["limit"])
        self.stdout.write(f"{checked} page(s) checked.")
