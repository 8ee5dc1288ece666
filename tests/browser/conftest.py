"""The browser suite's fixtures: one headless Chromium per session, the sample journal built once,
pages opened from file:// with every request that would leave file:// aborted and recorded.

The browser itself is tests/conftest.py's `browser`, the one Chromium fixture of the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
TODAY = date(2026, 11, 23)  # "On this day" depends on the build date; pin it


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
    yield from _watched(
        browser,
        site,
        viewport={"width": 375, "height": 740},
        color_scheme="light",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
