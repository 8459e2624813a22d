"""Every page type (tests/browser/pages.py) in a real Chromium, at 360 px and 1366 px: the
document is never wider than the window, whatever long words and addresses members write,
and axe-core (from the npm registry, tests/browser/axe/) finds no serious or critical
accessibility violation (docs/layout.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import build_site, visit_every_page
from tests.browser.steps import NARROW, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_DIR = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"

# What sticks out when a page is too wide: the elements whose right edge is past the window.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
  + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core installed from the npm registry by `npm ci` (tests only; never served)."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed for the accessibility test: apt-get install nodejs npm")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=AXE_DIR, check=True)
    return AXE_SCRIPT


def too_wide(page: Any, page_type: Any) -> list[str]:
    width, window = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if width <= window:
        return []
    return [f"{width} px wide in a {window} px window; past the edge: {page.evaluate(WIDEST)}"]


def test_every_page_type_fits_a_phone_and_a_laptop(browser, live_server) -> None:
    site = build_site()
    problems = []
    for viewport in (NARROW, WIDE):
        problems += visit_every_page(browser, live_server.url, site, viewport, too_wide)
    assert problems == [], "\n".join(problems)


def test_every_page_type_has_no_serious_accessibility_violation(
    browser, live_server, axe_script: Path
) -> None:
    site = build_site()

    def serious_violations(page: Any, page_type: Any) -> list[str]:
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    problems = []
    for viewport in (NARROW, WIDE):
        # The page's CSP allows only its own scripts: the test's axe is let in by the browser.
        problems += visit_every_page(
            browser, live_server.url, site, viewport, serious_violations, bypass_csp=True
        )
    assert problems == [], "\n".join(problems)
