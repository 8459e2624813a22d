"""A real headless Chromium (Debian's package), driven by Playwright, against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.live.conftest import ThreadedLiveServer, start_threaded
from tests.live.conftest import table_transport as table_transport  # a fixture, used below

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Debian's chromium is needed for the browser tests (looked for {CHROMIUM}); "
            "`make test` installs it"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser  # each launch has its own empty, temporary profile
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_updates(settings, table_transport) -> Iterator[ThreadedLiveServer]:
    """A real uvicorn serving parley.live beside the app server, over the table transport;
    pages connect to the page's host on its port."""
    server = start_threaded()
    settings.PARLEY_LIVE_PORT = server.port
    yield server
    server.stop()
