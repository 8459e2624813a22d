"""The default database is SQLite in WAL mode, with a busy timeout, foreign keys on and
IMMEDIATE transactions, in the data folder (not in the source tree)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite defaults")
def test_sqlite_pragmas_and_transaction_mode() -> None:
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_and_secret_live_in_the_data_folder() -> None:
    package = Path(__file__).resolve().parent.parent / "parley"
    assert not Path(settings.DATA_DIR).is_relative_to(package)
    if not os.environ.get("PARLEY_SECRET_KEY"):
        secret = Path(settings.DATA_DIR) / "secret_key"
        assert secret.read_text().strip() == settings.SECRET_KEY
        assert secret.stat().st_mode & 0o077 == 0  # readable by its owner only
    if connection.vendor == "sqlite":
        assert Path(str(settings.DATABASES["default"]["NAME"])).parent == Path(settings.DATA_DIR)
