"""Consistent backups of the database while the forum runs, and restores.

SQLite uses the online backup API (a consistent copy even with writers active); PostgreSQL
uses pg_dump/pg_restore in their custom format. Media files (link-card images, uploads)
live in the data folder's media/ and are copied alongside as a tar file.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _copy_sqlite(source_path: object, destination_path: object) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    source = sqlite3.connect(str(source_path))
    destination = sqlite3.connect(str(destination_path))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _run_pg(tool: str, *args: str) -> None:
    """Run pg_dump/pg_restore against the configured database, raising BackupError."""
    db = settings.DATABASES["default"]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    command = [tool, "--host", str(db.get("HOST") or "127.0.0.1")]
    command += ["--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        command += ["--username", str(db["USER"])]
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        [*command, *args],
        env={"PGPASSWORD": str(db.get("PASSWORD") or ""), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(result.stderr.strip() or f"{tool} failed")


def backup_database(folder: Path | None = None) -> Path:
    folder = folder or settings.DATA_DIR / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / f"parley-{_stamp()}.sqlite3"
        _copy_sqlite(settings.DATABASES["default"]["NAME"], target)
    elif vendor == "postgresql":
        target = folder / f"parley-{_stamp()}.pgdump"
        name = str(settings.DATABASES["default"]["NAME"])
        _run_pg("pg_dump", "--format", "custom", "--file", str(target), name)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        with tarfile.open(target.with_suffix(".media.tar"), "w") as archive:
            archive.add(media, arcname="media")
    return target


def restore_database(path: Path) -> None:
    """Replace the database with a backup made by `backup_database`."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    vendor = connection.vendor
    if vendor == "sqlite":
        check = sqlite3.connect(path)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
        finally:
            check.close()
        if not ok or "forums_post" not in tables:
            raise BackupError(f"{path} is not a Parley backup (integrity or tables missing).")
        connection.close()
        _copy_sqlite(path, settings.DATABASES["default"]["NAME"])
    elif vendor == "postgresql":
        connection.close()
        name = str(settings.DATABASES["default"]["NAME"])
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", name, str(path))
    else:
        raise BackupError(f"Restores of {vendor} databases are not supported.")
    media_tar = path.with_suffix(".media.tar")
    if media_tar.exists():
        with tarfile.open(media_tar) as archive:
            archive.extractall(Path(settings.MEDIA_ROOT).parent, filter="data")
