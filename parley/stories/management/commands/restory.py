from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.stories.services import restory_all


class Command(BaseCommand):
    help = (
        "Group every fetched article into stories again from scratch (docs/stories.md). "
        "Splits and merges made by staff are kept. Safe to run at any time, more than once: "
        "a second run moves nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = restory_all()
        self.stdout.write(
            f"{done.pages} article(s) in {done.stories} story(ies); {done.moved} moved."
        )
