"""Schemathesis against the OpenAPI document of a running Parley (`parley serve`, a real
gunicorn process on its own SQLite database): generated requests to every operation, as a
token holder with every scope and as a guest, must meet no 500 and no response that breaks
the document (status codes, content types, body schemas)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    env = environment(data)
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


def _schemathesis(base: str, workdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    st = str(Path(sys.executable).with_name("st"))
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


def _report(result: subprocess.CompletedProcess[str]) -> str:
    """The failures section of schemathesis' report (its warnings can fill the rest)."""
    out = result.stdout
    start = out.find("FAILURES")
    return (out[start : start + 8000] if start >= 0 else out[-8000:]) + result.stderr[-2000:]


def test_token_requests_meet_no_500_and_no_response_outside_the_document(served) -> None:
    base, secret, workdir = served
    result = _schemathesis(base, workdir, "--header", f"Authorization: Bearer {secret}")
    assert result.returncode == 0, _report(result)


def test_guest_requests_meet_no_500_and_no_response_outside_the_document(served) -> None:
    base, _secret, workdir = served
    result = _schemathesis(base, workdir)
    assert result.returncode == 0, _report(result)
