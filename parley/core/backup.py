"""Backups you can trust, and restores that never leave the site half-restored.

A backup is one tar archive, `parley-<UTC stamp>.tar`, holding:

- `manifest.json`: format and version, when it was made, the database engine, Parley's
  version, whether the secret key is included, and the size and SHA-256 of every part;
- `database.sqlite3` (SQLite's online backup API: consistent while writers run) or
  `database.pgdump` (`pg_dump --format custom`);
- `media.tar`: the media folder (link-card pictures, proxied images, uploads);
- `secret_key`: the site's secret key (sessions, password-reset links and signed URLs stay
  valid after a restore) — unless the backup was made with `--no-secret`, which the
  manifest, `--verify` and `restore` all say out loud.

The archive is written under a temporary name and renamed when complete, so a backup that
exists is whole. `verify_backup` reads the whole archive and checks every part against the
manifest, then checks the database part itself (SQLite `PRAGMA integrity_check`, or
`pg_restore` reading every block). `restore_backup` verifies first, restores into a *new* database,
checks it with a query over a core table, and only then switches it in (SQLite:
`os.replace` of the file; PostgreSQL: renaming databases), keeping the previous database
beside it until the operator removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection

FORMAT = "parley-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PART = "media.tar"
SECRET_PART = "secret_key"
KNOWN_PARTS = {*DATABASE_PARTS.values(), MEDIA_PART, SECRET_PART}
# A query over a core table: a restored database must answer it before it replaces the live one.
CHECK_QUERY = "SELECT count(*) FROM forums_post"
NO_SECRET_WARNING = (
    "WARNING: this backup does NOT contain the secret key (made with --no-secret). After a "
    "restore, sessions, password-reset links and signed image addresses only keep working "
    "if the site still has its current key."
)


class BackupError(Exception):
    pass


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _parley_version() -> str:
    try:
        return metadata.version("parley")
    except metadata.PackageNotFoundError:
        return "unknown"


def _copy_sqlite(source_path: object, destination_path: object) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    source = sqlite3.connect(str(source_path))
    destination = sqlite3.connect(str(destination_path))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


# --- PostgreSQL tools ---------------------------------------------------------------------


def _pg_settings() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _run_pg(tool: str, *args: str) -> str:
    """Run pg_dump/pg_restore against the configured server, raising BackupError."""
    db = _pg_settings()
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
    return result.stdout


def _pg_connect(dbname: str) -> Any:
    import psycopg

    db = _pg_settings()
    return psycopg.connect(
        host=str(db.get("HOST") or "127.0.0.1"),
        port=int(db.get("PORT") or 5432),
        user=str(db.get("USER") or "") or None,
        password=str(db.get("PASSWORD") or "") or None,
        dbname=dbname,
        autocommit=True,
    )


# --- writing ------------------------------------------------------------------------------


def backup_database(folder: Path | None = None, *, include_secret: bool = True) -> Path:
    """Write one backup archive into `folder` (default DATA_DIR/backups); returns its path."""
    folder = folder or settings.DATA_DIR / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in DATABASE_PARTS:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    stamp = _stamp()
    with tempfile.TemporaryDirectory(dir=folder, prefix=".partial-") as work_dir:
        work = Path(work_dir)
        database = work / DATABASE_PARTS[vendor]
        if vendor == "sqlite":
            _copy_sqlite(settings.DATABASES["default"]["NAME"], database)
        else:
            name = str(settings.DATABASES["default"]["NAME"])
            _run_pg("pg_dump", "--format", "custom", "--file", str(database), name)
        parts = [database]
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(work / MEDIA_PART, "w") as archive:
            if media.exists():
                archive.add(media, arcname="media")
        parts.append(work / MEDIA_PART)
        if include_secret:
            (work / SECRET_PART).write_text(settings.SECRET_KEY)
            parts.append(work / SECRET_PART)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": vendor,
            "parley_version": _parley_version(),
            "secret_key_included": include_secret,
            "parts": {},
        }
        for part in parts:
            with part.open("rb") as stream:
                digest, size = _sha256(stream)
            manifest["parts"][part.name] = {"sha256": digest, "size": size}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial = work / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            for name in (MANIFEST, *(p.name for p in parts)):
                archive.add(work / name, arcname=name)
        os.chmod(partial, 0o600)  # it holds the secret key and every member's data
        target = folder / f"parley-{stamp}.tar"
        os.replace(partial, target)
    return target


# --- verifying ----------------------------------------------------------------------------


@dataclass
class Verified:
    path: Path
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def engine(self) -> str:
        return str(self.manifest["engine"])

    @property
    def database_part(self) -> str:
        return DATABASE_PARTS[self.engine]


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("not a Parley backup: it has no manifest.json.") from None
    stream = archive.extractfile(member)
    if stream is None:
        raise BackupError("manifest.json is not a regular file.")
    try:
        manifest = json.loads(stream.read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"manifest.json is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json is not a Parley backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')!r} is not supported "
            f"(this Parley reads version {FORMAT_VERSION})."
        )
    if manifest.get("engine") not in DATABASE_PARTS:
        raise BackupError(f"unknown database engine {manifest.get('engine')!r} in the manifest.")
    parts = manifest.get("parts")
    if not isinstance(parts, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("size"), int)
        for v in parts.values()
    ):
        raise BackupError("manifest.json lists its parts wrongly.")
    return manifest


def _check_parts(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    parts: dict[str, dict[str, Any]] = manifest["parts"]
    required = {DATABASE_PARTS[manifest["engine"]], MEDIA_PART}
    if manifest.get("secret_key_included"):
        required.add(SECRET_PART)
    if missing := sorted(required - parts.keys()):
        raise BackupError(f"the manifest does not list {', '.join(missing)}.")
    if unknown := sorted(parts.keys() - KNOWN_PARTS):
        raise BackupError(f"the manifest lists unknown parts: {', '.join(unknown)}.")
    members = {m.name: m for m in archive.getmembers()}
    if extra := sorted(members.keys() - parts.keys() - {MANIFEST}):
        raise BackupError(
            f"the archive holds files the manifest does not list: {', '.join(extra)}."
        )
    for name, expected in sorted(parts.items()):
        member = members.get(name)
        if member is None:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive.")
        stream = archive.extractfile(member) if member.isfile() else None
        if stream is None:
            raise BackupError(f"{name} is not a regular file.")
        digest, size = _sha256(stream)
        if size != expected["size"]:
            raise BackupError(
                f"{name} is {size} bytes, the manifest says {expected['size']} "
                "(truncated or altered)."
            )
        if digest != expected["sha256"]:
            raise BackupError(
                f"{name}: its SHA-256 does not match the manifest (damaged or altered)."
            )


def verify_backup(path: Path, *, deep: bool = True) -> Verified:
    """Check a backup archive completely, raising BackupError that says what is wrong.

    `deep` also checks the database part itself (SQLite integrity check, or pg_restore
    reading every block), which catches a damaged dump even under a manifest edited to
    match it.
    """
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    try:
        with tarfile.open(path, "r:") as archive:
            manifest = _read_manifest(archive)
            _check_parts(archive, manifest)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            f"{path} is not a readable backup archive (truncated or damaged?): {exc}"
        ) from None
    verified = Verified(path=path, manifest=manifest)
    if not manifest.get("secret_key_included"):
        verified.warnings.append(NO_SECRET_WARNING)
    if deep:
        with tempfile.TemporaryDirectory(prefix="parley-verify-") as work:
            database = _extract(path, verified.database_part, Path(work))
            _check_database_file(verified.engine, database)
    return verified


def _extract(archive_path: Path, name: str, into: Path) -> Path:
    with tarfile.open(archive_path, "r:") as archive:
        archive.extract(archive.getmember(name), into, filter="data")
    return into / name


def _check_database_file(engine: str, database: Path) -> None:
    if engine == "sqlite":
        check = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchall()
            if [r[0] for r in result] != ["ok"]:
                raise BackupError(
                    "the database part fails SQLite's integrity check: "
                    + "; ".join(str(r[0]) for r in result[:3])
                )
            check.execute(CHECK_QUERY).fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database part fails SQLite's integrity check: {exc}") from None
        finally:
            check.close()
    else:
        try:
            # Reads and decompresses every block, as a restore would, without a database.
            _run_pg("pg_restore", "--file", os.devnull, str(database))
        except BackupError as exc:
            raise BackupError(f"pg_restore cannot read the database dump: {exc}") from None


# --- restoring ----------------------------------------------------------------------------


@dataclass
class RestoreReport:
    messages: list[str] = field(default_factory=list)


def restore_backup(path: Path) -> RestoreReport:
    """Verify `path`, then replace the database, media and secret key with its contents.

    Nothing live is touched until the archive is verified and the restored database has
    answered a query; the previous database and media are kept under `…before-restore…`
    names (listed in the report) for the operator to remove.
    """
    verified = verify_backup(path, deep=False)  # the restore itself checks the database
    vendor = connection.vendor
    if verified.engine != vendor:
        raise BackupError(
            f"This backup is of a {verified.engine} database; this site uses {vendor}."
        )
    report = RestoreReport(messages=list(verified.warnings))
    stamp = _stamp().replace("-", "")
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as work_dir:
        work = Path(work_dir)
        with tarfile.open(path, "r:") as archive:
            archive.extractall(work, filter="data")
        database = work / verified.database_part
        if vendor == "sqlite":
            report.messages.append(_restore_sqlite(database, stamp))
        else:
            report.messages.append(_restore_postgres(database, stamp))
        report.messages.append(_restore_media(work / MEDIA_PART, work, stamp))
        if verified.manifest.get("secret_key_included"):
            report.messages.append(_restore_secret(work / SECRET_PART, stamp))
    return report


def _restore_sqlite(database: Path, stamp: str) -> str:
    live = Path(str(settings.DATABASES["default"]["NAME"]))
    fresh = live.with_name(f"{live.name}.restore-{stamp}")
    try:
        _copy_sqlite(database, fresh)
        _check_database_file("sqlite", fresh)
    except (BackupError, sqlite3.DatabaseError) as exc:
        fresh.unlink(missing_ok=True)
        raise BackupError(f"{exc} (the live database is untouched)") from None
    connection.close()
    kept = ""
    if live.exists():
        previous = live.with_name(f"{live.name}.before-restore-{stamp}")
        _copy_sqlite(live, previous)  # a consistent copy, its WAL included
        kept = f" The previous database is kept as {previous}; delete it when satisfied."
    os.replace(fresh, live)
    for suffix in ("-wal", "-shm"):  # the old file's WAL must never be applied to the new one
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    return f"Database restored into {live}.{kept}"


def _restore_postgres(dump: Path, stamp: str) -> str:
    live = str(settings.DATABASES["default"]["NAME"])
    fresh = f"{live[:40]}_restore_{stamp}"
    previous = f"{live[:40]}_before_restore_{stamp}"
    connection.close()
    import psycopg

    try:
        with _pg_connect("postgres") as admin:
            admin.execute(f'CREATE DATABASE "{fresh}" TEMPLATE template0')
    except psycopg.Error as exc:
        raise BackupError(f"Cannot create the database to restore into: {exc}") from None
    try:
        _run_pg("pg_restore", "--no-owner", "--exit-on-error", "--dbname", fresh, str(dump))
        with _pg_connect(fresh) as check:
            check.execute(CHECK_QUERY).fetchone()
    except Exception as exc:
        _drop_pg(fresh)
        raise BackupError(f"{exc} (the live database is untouched)") from None
    with _pg_connect("postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (live,)).fetchone()
        if not exists:  # a new server: nothing to keep aside
            admin.execute(f'ALTER DATABASE "{fresh}" RENAME TO "{live}"')
            return f"Database {live} restored."
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (live,),
        )
        admin.execute(f'ALTER DATABASE "{live}" RENAME TO "{previous}"')
        try:
            admin.execute(f'ALTER DATABASE "{fresh}" RENAME TO "{live}"')
        except psycopg.Error:
            admin.execute(f'ALTER DATABASE "{previous}" RENAME TO "{live}"')
            raise
    return (
        f"Database {live} restored. The previous one is kept as {previous}; "
        f'drop it when satisfied (DROP DATABASE "{previous}").'
    )


def _drop_pg(name: str) -> None:
    with _pg_connect("postgres") as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _restore_media(media_tar: Path, work: Path, stamp: str) -> str:
    staged = work / "media-staged"
    staged.mkdir()
    with tarfile.open(media_tar) as archive:
        archive.extractall(staged, filter="data")
    source = staged / "media"
    source.mkdir(exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    kept = ""
    if media.exists():
        previous = media.with_name(f"{media.name}.before-restore-{stamp}")
        os.replace(media, previous)
        kept = f" The previous media folder is kept as {previous}."
    shutil.move(str(source), str(media))
    return f"Media restored into {media}.{kept}"


def _restore_secret(secret: Path, stamp: str) -> str:
    key = secret.read_text().strip()
    target = Path(settings.DATA_DIR) / "secret_key"
    message = "Secret key restored."
    if target.exists() and target.read_text().strip() != key:
        os.replace(target, target.with_name(f"secret_key.before-restore-{stamp}"))
    if not target.exists():
        target.write_text(key)
        target.chmod(0o600)
    if os.environ.get("PARLEY_SECRET_KEY") and os.environ["PARLEY_SECRET_KEY"] != key:
        message = (
            f"WARNING: PARLEY_SECRET_KEY is set and differs from the backup's key (now in "
            f"{target}); set PARLEY_SECRET_KEY to that key, or unset it, before serving."
        )
    return message
