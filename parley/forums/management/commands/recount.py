from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.forums.recount import recount_all


class Command(BaseCommand):
    help = (
        "Recompute every counter (replies, forum counts, messages, reaction scores) "
        "from the rows and report corrections."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        corrections = recount_all()
        for correction in corrections:
            self.stdout.write(f"corrected {correction}")
        self.stdout.write(f"{len(corrections)} counter(s) corrected.")
