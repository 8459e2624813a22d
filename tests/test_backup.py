"""`parley backup` and `parley restore` on a real database in its own data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def parley(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "parley.settings_test",
    }
    env.pop("PARLEY_DATABASE_URL", None)  # a SQLite database of its own, in its own folder
    return subprocess.run(
        [sys.executable, "-m", "parley.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def count_members(data: Path) -> int:
    out = parley(
        data,
        "shell",
        "-c",
        "from parley.members.models import Member; print(Member.objects.count())",
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    parley(tmp_path, "migrate", "--noinput", "-v0")
    parley(tmp_path, "createadmin", "--username", "keeper", "--password", "a long admin pass 9")
    out = parley(tmp_path, "backup").stdout
    backup = Path(out.strip().rsplit(" ", 1)[1])
    assert backup.exists() and backup.parent == tmp_path / "backups"
    parley(tmp_path, "createadmin", "--username", "later", "--password", "a long admin pass 9")
    assert count_members(tmp_path) == 2
    parley(tmp_path, "restore", str(backup), "--yes")
    assert count_members(tmp_path) == 1


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    parley(tmp_path, "migrate", "--noinput", "-v0")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all")
    result = parley(tmp_path, "restore", str(bogus), "--yes", check=False)
    assert result.returncode != 0
    assert "not a" in result.stderr
    assert (
        parley(tmp_path, "restore", str(tmp_path / "missing"), "--yes", check=False).returncode != 0
    )
