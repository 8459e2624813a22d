"""Settings for the test suite: the production settings with a throw-away data folder, plain
static storage (no collectstatic step) and a fast password hasher."""

import os
from pathlib import Path

os.environ.setdefault(
    "PARLEY_DATA_DIR", str(Path(__file__).resolve().parent.parent / "data" / "test")
)
os.environ.setdefault(
    "PARLEY_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from parley.settings import *  # noqa: F403
from parley.settings import TASKS

# Signing up in tests still goes through the real form; only the work factor is lower.
# tests/members checks that the production setting hashes with argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run at once, inside the test, unless a test picks the database backend.
TASKS["default"]["BACKEND"] = os.environ.get(
    "PARLEY_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
)

# Local test servers on 127.0.0.1 that a test allow-lists for itself (never in production).
# (A worker process started by a browser test inherits them through the environment.)
PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {
    int(port) for port in os.environ.get("PARLEY_TEST_LOOPBACK_PORTS", "").split(",") if port
}

# Pages in tests connect to no live server unless a test starts one and sets the port
# (another process on this machine may be listening on the default PORT + 1).
PARLEY_LIVE_PORT = 0
# No flusher thread: tests flush the view and read-position buffers themselves.
PARLEY_WRITE_BUFFER_SECONDS = 0.0
