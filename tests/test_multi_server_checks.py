"""In multi-server mode the secret key must come from the environment: the system check
refuses to start a server otherwise, with a message that says what to set."""

from __future__ import annotations

import subprocess

from django.test import override_settings

from parley.core.checks import secret_key_from_environment
from tests.workerprocs import CLI, PROJECT, environment


@override_settings(PARLEY_MULTI_SERVER=True, PARLEY_SECRET_KEY_FROM_ENV=False)
def test_multi_server_mode_without_a_secret_key_in_the_environment_is_an_error() -> None:
    (error,) = secret_key_from_environment()
    assert error.id == "parley.E001" and "PARLEY_SECRET_KEY" in error.msg


@override_settings(PARLEY_MULTI_SERVER=True, PARLEY_SECRET_KEY_FROM_ENV=True)
def test_multi_server_mode_with_the_secret_key_in_the_environment_passes() -> None:
    assert secret_key_from_environment() == []


@override_settings(PARLEY_MULTI_SERVER=False, PARLEY_SECRET_KEY_FROM_ENV=False)
def test_one_server_may_keep_its_generated_secret_key() -> None:
    assert secret_key_from_environment() == []


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "check"], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=120
    )


def test_a_server_with_redis_and_no_secret_key_refuses_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = environment(tmp_path, PARLEY_REDIS_URL="redis://127.0.0.1:6379/9")
    env.pop("PARLEY_SECRET_KEY", None)
    refused = _check(env)
    assert refused.returncode != 0
    assert "parley.E001" in refused.stderr and "PARLEY_SECRET_KEY" in refused.stderr

    env["PARLEY_SECRET_KEY"] = "a-shared-secret-" * 4
    assert _check(env).returncode == 0


def test_explicit_multi_server_mode_needs_the_secret_key_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = environment(tmp_path, PARLEY_MULTI_SERVER="1")
    env.pop("PARLEY_SECRET_KEY", None)
    env.pop("PARLEY_REDIS_URL", None)
    assert "parley.E001" in _check(env).stderr
