"""The browser suite's fixtures: one headless Chromium per session, the sample journal built once,
pages opened from file:// with every request that would leave file:// aborted and recorded.

Without /usr/bin/chromium (or Playwright) these tests skip; with CI=true that is a failure instead."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TODAY = date(2026, 11, 23)  # "On this day" depends on the build date; pin it


def _unavailable(reason: str) -> None:
    """Skip, or fail when CI=true: in CI a missing browser must not pass silently."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (Playwright's own browser download is not used).

    One browser for the whole suite, closed when the suite ends: Playwright's sync API allows one
    instance at a time, and other test modules start their own."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (install it: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample journal (entries/ and journal.yaml), built once."""
    from generator.build import build
    from generator.config import load_config

    output = tmp_path_factory.mktemp("site") / "output"
    config = load_config(REPO / "entries", output, config_path=REPO / "journal.yaml")
    report = build(config, today=TODAY, cache=False)
    assert report.entries > 0
    return output


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored): look at them after a run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class Watched:
    """A page plus what went wrong on it: requests that tried to leave file://, script errors and
    console errors (Content-Security-Policy violations are reported there)."""

    def __init__(self, page: Any, site: Path):
        self.page, self.site = page, site
        self.outside: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", lambda message: message.type == "error" and self.errors.append(f"console: {message.text}"))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, rel: str) -> Any:
        """Open a page of the built site; `rel` may end in a ?query."""
        path, _, query = rel.partition("?")
        self.page.goto((self.site / path).as_uri() + (f"?{query}" if query else ""))
        return self.page

    def here(self) -> str:
        """The current page, relative to the site root."""
        return self.page.url.split("/output/", 1)[1].split("?")[0].split("#")[0]


def _watched(browser: Any, site: Path, **options: Any) -> Iterator[Watched]:
    context = browser.new_context(**options)
    watched = Watched(context.new_page(), site)
    try:
        yield watched
    finally:
        context.close()
    assert watched.outside == [], "requests left file://"
    assert watched.errors == []


@pytest.fixture
def web(browser: Any, site: Path) -> Iterator[Watched]:
    """A desktop-sized page in light mode."""
    yield from _watched(browser, site, viewport={"width": 1100, "height": 900}, color_scheme="light")


@pytest.fixture(params=["light", "dark"])
def web_scheme(request: pytest.FixtureRequest, browser: Any, site: Path) -> Iterator[Watched]:
    """A desktop-sized page in light and in dark mode."""
    yield from _watched(browser, site, viewport={"width": 1100, "height": 900}, color_scheme=request.param)


@pytest.fixture
def phone(browser: Any, site: Path) -> Iterator[Watched]:
    """A 375 px phone."""
    yield from _watched(browser, site, viewport={"width": 375, "height": 740}, color_scheme="light",
                        is_mobile=True, has_touch=True, device_scale_factor=2)
