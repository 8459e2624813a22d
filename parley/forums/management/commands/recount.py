from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.forums.hooks import recounters
from parley.forums.recount import recount_all


class Command(BaseCommand):
    help = (
        "Recompute every counter (replies, forum counts, messages, reaction scores, poll "
        "votes) "
        "from the rows and report corrections."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        corrections = recount_all()
        # Counters other apps keep (poll votes), registered in their AppConfig.ready().
        for recounter in recounters:
            corrections += recounter()
        for correction in corrections:
            self.stdout.write(f"corrected {correction}")
        self.stdout.write(f"{len(corrections)} counter(s) corrected.")
