"""The forms' pages in Chromium: no serious accessibility problem in light or dark, no sideways scrolling on a
375 px phone, and the agenda with its sleep diary still one printed page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from tests.helpers import journal_config
from tests.test_forms import NIGHT, exposures_journal, form, write

SERIOUS = {"serious", "critical"}
PAGES = ["progress.html", "next-session.html", "activities.html", "exposures.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal holding every form: a week of nights after a session, activities and exposures."""
    root = tmp_path_factory.mktemp("forms")
    form(root, "session.md", "2026-11-01 17:00", "session")
    for day in range(2, 9):
        write(root, f"n{day}.md", NIGHT.replace("2026-11-02", f"2026-11-{day:02d}"))
        form(
            root,
            f"a{day}.md",
            f"2026-11-{day:02d} 15:00",
            "activity",
            activity="walk by the canal",
            mastery=day,
            pleasure=10 - day,
            predicted=3,
            felt=day % 5 + 3,
        )
    exposures_journal(root)
    build(journal_config(root), today=date(2026, 11, 9))
    return root / "output"


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def opened(url: str, **options: Any) -> Any:
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield opened
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site: Path, open_page: Any, name: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page((site / name).as_uri(), color_scheme=scheme)
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], results.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_phone_has_no_sideways_scrolling(site: Path, open_page: Any, name: str) -> None:
    page = open_page((site / name).as_uri(), viewport={"width": 375, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_the_agenda_with_a_week_of_nights_prints_on_one_page(site: Path, open_page: Any) -> None:
    from pypdf import PdfReader

    page = open_page((site / "next-session.html").as_uri())
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "7 h 45 min" in text and "82%" in text  # the whole row is on the paper, not cut off at the side
