"""Test-wide settings and the one Chromium fixture.

On CI, hypothesis draws the same examples every run, so a green main stays green; locally it keeps
exploring new ones. `browser` is Debian's Chromium driven by Playwright, one for the whole run: without
/usr/bin/chromium (or Playwright) the tests that use it skip with the reason, and with CI=true that is a
failure instead, so that a CI run never passes without its browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    """Skip, or fail when CI=true: in CI a missing browser must not pass silently."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (Playwright's own browser download is not used).
    One for the whole run: Playwright's sync API allows one instance at a time."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (install it: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
