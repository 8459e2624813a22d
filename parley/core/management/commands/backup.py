from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Write a consistent backup of the database (and media) while the forum runs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--folder", type=Path, default=None, help="default: DATA_DIR/backups")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_database(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path}")
