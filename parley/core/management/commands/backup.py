from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.core.backup import NO_SECRET_WARNING, BackupError, backup_database, verify_backup


class Command(BaseCommand):
    help = (
        "Write one backup archive (database, media, secret key and a manifest of SHA-256 "
        "sums) while the forum runs; or check one with --verify PATH."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--folder", type=Path, default=None, help="default: DATA_DIR/backups")
        parser.add_argument(
            "--no-secret",
            action="store_true",
            help="Leave the secret key out of the archive (the backup says so loudly).",
        )
        parser.add_argument(
            "--verify",
            type=Path,
            metavar="PATH",
            help="Do not back up: check the archive at PATH and say exactly what is wrong.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"] is not None:
            self._verify(options["verify"])
            return
        try:
            path = backup_database(options["folder"], include_secret=not options["no_secret"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["no_secret"]:
            self.stderr.write(NO_SECRET_WARNING)
        self.stdout.write(f"Backup written to {path}")

    def _verify(self, path: Path) -> None:
        try:
            verified = verify_backup(path)
        except BackupError as exc:
            raise CommandError(f"{path} FAILED verification: {exc}") from exc
        for warning in verified.warnings:
            self.stderr.write(warning)
        manifest = verified.manifest
        self.stdout.write(
            f"{path} is a sound backup: {manifest['engine']} database, made "
            f"{manifest['created_at']} by Parley {manifest['parley_version']}, "
            f"parts {', '.join(sorted(manifest['parts']))} match their SHA-256 sums."
        )
