"""Schemathesis against the OpenAPI document of a running Parley (`parley serve`, a real
gunicorn process on a database of its own, PostgreSQL when the suite runs on it): generated
requests to every operation, as a token holder with every scope and as a guest, must meet
no 500 and no response that breaks the document (status codes, content types, body schemas)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.test_worker import SERVER_URL, _admin_url, drop_database
from tests.workerprocs import environment, parley, serve_until_answering

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    data = tmp_path_factory.mktemp("schemathesis")
    # On the database the suite runs on: PostgreSQL in its CI run (which refuses NUL in
    # text, among other things SQLite lets pass), in a database of its own.
    database = ""
    if SERVER_URL.startswith("postgres"):
        base_name = SERVER_URL.rsplit("/", 1)[1].split("?")[0]
        database = f"{base_name}_st_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
    env = environment(data, _admin_url(database) if database else "")
    parley(env, "migrate", "--noinput", "-v0")
    seed = (Path(__file__).parent / "seed_for_schemathesis.py").read_text()
    out = parley(env, "shell", "-c", seed)
    secret = next(line.split()[1] for line in out.splitlines() if line.startswith("SECRET "))
    process, base = serve_until_answering(env, data / "serve.log", "--workers", "1")
    try:
        yield base, secret, data
    finally:
        process.terminate()
        process.wait(30)
        if database:
            drop_database(database)


def _schemathesis(base: str, workdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    st = str(Path(sys.executable).with_name("st"))
    workdir.mkdir(exist_ok=True)  # each run its own: no examples replayed from another run
    return subprocess.run(
        [
            st,
            "run",
            f"{base}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "12",
            "--seed",
            "20261126",
            "--workers",
            "1",
            "--no-color",
            *extra,
        ],
        cwd=workdir,  # its .schemathesis/ notes stay out of the checkout
        capture_output=True,
        text=True,
        timeout=900,
    )


# Routes with long free-text query parameters (see the last test).
SEARCH = "^/api/v1/(search|links)"
NOT_SEARCH = ("--exclude-path-regex", SEARCH)


def _report(result: subprocess.CompletedProcess[str]) -> str:
    """The failures section of schemathesis' report (its warnings can fill the rest)."""
    out = result.stdout
    start = out.find("FAILURES")
    return (out[start : start + 8000] if start >= 0 else out[-8000:]) + result.stderr[-2000:]


def test_token_requests_meet_no_500_and_no_response_outside_the_document(served) -> None:
    base, secret, data = served
    result = _schemathesis(
        base, data / "token", "--header", f"Authorization: Bearer {secret}", *NOT_SEARCH
    )
    assert result.returncode == 0, _report(result)


def test_guest_requests_meet_no_500_and_no_response_outside_the_document(served) -> None:
    base, _secret, data = served
    result = _schemathesis(base, data / "guest", *NOT_SEARCH)
    assert result.returncode == 0, _report(result)


def test_search_and_links_meet_no_500_and_no_response_outside_the_document(served) -> None:
    """Search and search-by-link take long free-text query parameters; random Unicode in them
    (12 bytes a character once percent-encoded) makes addresses longer than gunicorn's
    4,094-byte request line, which it refuses itself (414) before Parley sees them. Here
    the strings are ASCII, so the requests reach the API."""
    base, secret, data = served
    result = _schemathesis(
        base,
        data / "search",
        "--header",
        f"Authorization: Bearer {secret}",
        "--include-path-regex",
        SEARCH,
        "--generation-codec",
        "ascii",
    )
    assert result.returncode == 0, _report(result)
