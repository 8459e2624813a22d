from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.search import engines, indexing


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the posts, in batches, showing progress. Safe to run "
        "while the forum is in use and more than once."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", type=int, default=indexing.BATCH, help="Posts per batch (default 2000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if not 1 <= batch <= 20_000:
            raise CommandError("--batch must be between 1 and 20000.")
        started = time.monotonic()
        done = total = 0
        self.stdout.write(f"Indexing posts for {engines.current().name} …")
        for done, total in indexing.rebuild(batch=batch):
            rate = done / max(time.monotonic() - started, 1e-6)
            share = 100 * done / total if total else 100
            self.stdout.write(
                f"\r  {done:,} / {total:,} posts ({share:.0f}%, {rate:,.0f}/s)", ending=""
            )
            self.stdout.flush()
        elapsed = time.monotonic() - started
        self.stdout.write(f"\n{done:,} post(s) indexed in {elapsed:.1f} s.")
