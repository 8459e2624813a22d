from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.conversations.recount import recount_conversations


class Command(BaseCommand):
    help = "Recompute conversation counters (messages, last message) and report corrections."

    def handle(self, *args: Any, **options: Any) -> None:
        corrections = recount_conversations()
        for correction in corrections:
            self.stdout.write(f"corrected {correction}")
        self.stdout.write(f"{len(corrections)} counter(s) corrected.")
