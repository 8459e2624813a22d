from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database, media and secret key with a backup made by `parley backup`. "
        "The archive is verified first; a damaged one changes nothing. Stop the server first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input("This replaces the whole database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing restored.")
        try:
            report = restore_backup(options["path"])
        except BackupError as exc:
            raise CommandError(f"Nothing restored: {exc}") from exc
        for message in report.messages:
            self.stdout.write(message)
        self.stdout.write(f"Restored from {options['path']}")
