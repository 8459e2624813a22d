from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parley.forums.rebake import rebake_posts


class Command(BaseCommand):
    help = "Re-cook posts whose render version is older than the current one (--all: every post)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Re-cook every post.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebake_posts(everything=options["all"])
        self.stdout.write(f"{count} post(s) re-cooked.")
