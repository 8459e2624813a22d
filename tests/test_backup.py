"""`parley backup` and `parley restore` on a real database in its own data folder: SQLite,
and PostgreSQL (a `<name>_bk_*` database the test creates and drops) when
PARLEY_DATABASE_URL points at a server.

Damaged archives — truncated, bytes flipped, a part swapped, a manifest edited to match a
damaged dump — are refused with a clear message and a non-zero exit, and the live database
is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

SERVER_URL = os.environ.get("PARLEY_DATABASE_URL", "")
# The engine the suite runs on: CI runs the suite once on each, so the SQLite round trips
# (about four minutes of subprocesses) are not run a second time in the PostgreSQL run.
ENGINES = ["postgresql"] if SERVER_URL.startswith("postgres") else ["sqlite"]


@dataclass
class Site:
    data: Path
    database_url: str = ""

    def parley(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PARLEY_DATA_DIR": str(self.data),
            "DJANGO_SETTINGS_MODULE": "parley.settings_test",
        }
        env.pop("PARLEY_DATABASE_URL", None)
        env.pop("PARLEY_SECRET_KEY", None)
        if self.database_url:
            env["PARLEY_DATABASE_URL"] = self.database_url
        return subprocess.run(
            [sys.executable, "-m", "parley.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=check,
        )

    def members(self) -> list[str]:
        out = self.parley(
            "shell",
            "-c",
            "from parley.members.models import Member\n"
            "print('NAMES', *Member.objects.order_by('username').values_list('username', flat=True))",
        )
        line = next(x for x in out.stdout.splitlines() if x.startswith("NAMES"))
        return line.split()[1:]

    def add_member(self, name: str) -> None:
        self.parley("createadmin", "--username", name, "--password", "a long admin pass 9")

    def backup(self, *args: str) -> Path:
        out = self.parley("backup", *args).stdout
        return Path(out.strip().splitlines()[-1].rsplit(" ", 1)[1])


def _admin_url() -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/postgres"


def _pg_databases(prefix: str) -> list[str]:
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",)
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """A migrated site with one member, `keeper`."""
    if request.param == "sqlite":
        made = Site(tmp_path)
        prefix = ""
    else:
        base = SERVER_URL.rsplit("/", 1)[1].split("?")[0]
        prefix = f"{base}_bk_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{prefix}"')
        made = Site(tmp_path, SERVER_URL.rsplit("/", 1)[0] + f"/{prefix}")
    try:
        made.parley("migrate", "--noinput", "-v0")
        made.add_member("keeper")
        yield made
    finally:
        if prefix:  # the site's database and any restore/before-restore copies of it
            with psycopg.connect(_admin_url(), autocommit=True) as conn:
                for name in _pg_databases(prefix):
                    conn.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                        (name,),
                    )
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


# --- archive surgery ----------------------------------------------------------------------


def read_parts(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def write_parts(archive: Path, parts: dict[str, bytes], *, rehash: bool = False) -> Path:
    """Write an archive with these parts; `rehash` edits the manifest to match them (what a
    careful forger, or a bug that hashed a damaged dump, would do)."""
    if rehash:
        manifest = json.loads(parts["manifest.json"])
        for name, body in parts.items():
            if name != "manifest.json":
                manifest["parts"][name] = {
                    "sha256": hashlib.sha256(body).hexdigest(),
                    "size": len(body),
                }
        parts = {**parts, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(archive, "w") as tar:
        for name, body in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return archive


def database_part(parts: dict[str, bytes]) -> str:
    return next(n for n in parts if n.startswith("database."))


def damage(body: bytes) -> bytes:
    """Break the dump's structure: overwrite SQLite's b-tree page headers; cut the pg_dump
    custom-format file short (its data blocks end mid-stream)."""
    data = bytearray(body)
    if data.startswith(b"SQLite format 3"):
        page = int.from_bytes(data[16:18], "big") or 65536
        for offset in range(page, len(data), page):
            data[offset : offset + 8] = b"\xff" * 8
        return bytes(data)
    return bytes(data[: len(data) * 2 // 3])


# --- the tests ----------------------------------------------------------------------------


def test_backup_and_restore_round_trip(site: Site) -> None:
    picture = site.data / "media" / "links" / "lead.webp"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"picture bytes")
    key = (site.data / "secret_key").read_text()
    backup = site.backup()
    assert backup.parent == site.data / "backups" and backup.name.endswith(".tar")
    site.add_member("later")
    picture.unlink()
    (site.data / "secret_key").write_text("a key made after the backup")
    assert site.members() == ["keeper", "later"]

    result = site.parley("restore", str(backup), "--yes")

    assert site.members() == ["keeper"]
    assert picture.read_bytes() == b"picture bytes"
    assert (site.data / "secret_key").read_text() == key
    kept = [p.name for p in site.data.iterdir() if "before-restore" in p.name]
    assert any(n.startswith("secret_key.") for n in kept)
    assert any(n.startswith("media.") for n in kept)
    assert "kept as" in result.stdout  # the previous database, for the operator to drop


def test_backup_manifest_lists_every_part_with_its_sha256_and_the_secret_key(site: Site) -> None:
    parts = read_parts(site.backup())
    manifest = json.loads(parts["manifest.json"])
    assert manifest["format_version"] == 1 and manifest["engine"] in ("sqlite", "postgresql")
    assert manifest["secret_key_included"] is True
    assert parts["secret_key"].decode() == (site.data / "secret_key").read_text().strip()
    assert set(manifest["parts"]) == set(parts) - {"manifest.json"}
    for name, entry in manifest["parts"].items():
        assert entry["sha256"] == hashlib.sha256(parts[name]).hexdigest()


def test_verify_accepts_a_sound_backup(site: Site) -> None:
    result = site.parley("backup", "--verify", str(site.backup()))
    assert "is a sound backup" in result.stdout and result.stderr == ""


def test_backup_without_the_secret_says_so_loudly(site: Site) -> None:
    made = site.parley("backup", "--no-secret")
    assert "does NOT contain the secret key" in made.stderr
    backup = Path(made.stdout.strip().rsplit(" ", 1)[1])
    assert "secret_key" not in read_parts(backup)
    verified = site.parley("backup", "--verify", str(backup))
    assert "does NOT contain the secret key" in verified.stderr


def refused(site: Site, archive: Path, expected: str) -> None:
    """Verify and restore both fail with `expected` in the message; the live DB is intact."""
    site.add_member("after_backup")
    before = site.members()
    verify = site.parley("backup", "--verify", str(archive), check=False)
    assert verify.returncode != 0 and expected in verify.stderr
    restore = site.parley("restore", str(archive), "--yes", check=False)
    assert restore.returncode != 0
    assert "Nothing restored" in restore.stderr and expected in restore.stderr
    assert site.members() == before


def test_truncated_backup_is_refused_and_the_live_database_untouched(site: Site) -> None:
    backup = site.backup()
    body = backup.read_bytes()
    backup.write_bytes(body[: len(body) // 2])
    refused(site, backup, "truncated")


def test_flipped_bytes_in_the_dump_are_refused_by_the_manifest(site: Site) -> None:
    backup = site.backup()
    parts = read_parts(backup)
    name = database_part(parts)
    body = bytearray(parts[name])
    body[len(body) // 2] ^= 0x01  # one bit
    write_parts(backup, {**parts, name: bytes(body)})
    refused(site, backup, f"{name}: its SHA-256 does not match the manifest")


def test_edited_secret_key_is_refused(site: Site) -> None:
    backup = site.backup()
    parts = read_parts(backup)
    write_parts(backup, {**parts, "secret_key": b"a key an attacker chose"})
    refused(site, backup, "secret_key is")


def test_damaged_dump_under_a_matching_manifest_is_refused_by_the_database_check(
    site: Site,
) -> None:
    backup = site.backup()
    parts = read_parts(backup)
    name = database_part(parts)
    write_parts(backup, {**parts, name: damage(parts[name])}, rehash=True)
    expected = (
        "fails SQLite's integrity check" if name.endswith("sqlite3") else "pg_restore cannot read"
    )
    site.add_member("after_backup")
    before = site.members()
    verify = site.parley("backup", "--verify", str(backup), check=False)
    assert verify.returncode != 0 and expected in verify.stderr
    restore = site.parley("restore", str(backup), "--yes", check=False)
    assert restore.returncode != 0 and "the live database is untouched" in restore.stderr
    assert site.members() == before


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.parley("migrate", "--noinput", "-v0")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all")
    result = site.parley("restore", str(bogus), "--yes", check=False)
    assert result.returncode != 0 and "not a readable backup archive" in result.stderr
    missing = site.parley("restore", str(tmp_path / "missing"), "--yes", check=False)
    assert missing.returncode != 0 and "No backup at" in missing.stderr


def test_restore_onto_a_new_machine_with_no_database_yet(site: Site, tmp_path: Path) -> None:
    backup = site.backup()
    url = f"{site.database_url}_new" if site.database_url else ""
    fresh = Site(tmp_path / "new-machine", url)
    fresh.data.mkdir()
    result = fresh.parley("restore", str(backup), "--yes")
    assert "restored" in result.stdout
    assert fresh.members() == ["keeper"]
    assert (fresh.data / "secret_key").read_text() == (site.data / "secret_key").read_text()
