from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.demo.loader import load_demo
from parley.demo.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo world-news community (does nothing if it is loaded already)."

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo():
            self.stdout.write(
                f"Demo community loaded. Demo members sign in with the password '{DEMO_PASSWORD}'."
            )
        else:
            self.stdout.write("Demo community is loaded already; nothing changed.")
