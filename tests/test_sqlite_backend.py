"""SQLite connections kept between requests, and given up when the file under them changes
(parley/core/sqlite/base.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own test"),
]


def database_file() -> Path:
    return Path(connection.settings_dict["NAME"])


def open_connection() -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.connection


def test_the_connection_is_kept_from_one_request_to_the_next() -> None:
    client = Client()
    client.get("/signin/")
    kept = open_connection()
    client.get("/")
    client.get("/whats-new/")
    assert connection.connection is kept


def test_a_request_boundary_keeps_a_connection_whose_file_is_unchanged() -> None:
    kept = open_connection()
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is kept


def test_a_file_changed_under_the_connection_closes_it_at_the_next_request_boundary() -> None:
    kept = open_connection()
    path = database_file()
    os.chmod(path, path.stat().st_mode)  # the same mode: only the change time moves
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is None
    assert open_connection() is not kept


def test_a_file_moved_away_closes_the_connection_and_the_next_one_opens_what_is_there(
    tmp_path: Path,
) -> None:
    open_connection()
    path = database_file()
    aside = tmp_path / "aside.sqlite3"
    os.rename(path, aside)
    try:
        connection.close_if_unusable_or_obsolete()
        assert connection.connection is None
    finally:
        path.unlink(missing_ok=True)  # what a query in between might have created
        os.rename(aside, path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0  # the real database again
