"""The weekly diary card as a therapist reads it (with no serious accessibility problem, light or dark): each of the three hand-made weeks prints on one landscape A4
sheet (the page asks for it itself; other pages still print upright), and on a 375 px phone the card scrolls
inside its frame while the page does not. Printed by Chromium to PDF and read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.conftest import TODAY, Watched
from tests.diary_card_journal import write_journal

WEEKS = ["2026-W44", "2026-W45", "2026-W46"]


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made journal of three weeks of diary cards, built."""
    from generator.build import build
    from generator.config import load_config

    root = tmp_path_factory.mktemp("cards")
    settings = write_journal(root)
    build(load_config(root / "entries", root / "output", config_path=settings), today=TODAY, cache=False)
    return root / "output"


def sheets(page: Any) -> list[tuple[float, float]]:
    """The page printed as its own @page rule asks: each sheet's width and height, in points."""
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return [(float(sheet.mediabox.width), float(sheet.mediabox.height)) for sheet in reader.pages]


@pytest.mark.parametrize("week", WEEKS)
def test_each_weekly_card_prints_on_one_landscape_page(browser: Any, cards: Path, week: str) -> None:
    page = browser.new_page()
    try:
        page.goto((cards / "diary-cards" / f"{week}.html").as_uri())
        printed = sheets(page)
        text = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages[0].extract_text()
    finally:
        page.close()
    assert len(printed) == 1, f"{week} prints on {len(printed)} sheets"
    width, height = printed[0]
    assert round(width) == 842 and round(height) == 595, "A4 landscape: 297 × 210 mm is 842 × 595 points"
    assert "Card test" in text and "page 1 of 1" in text  # the journal's title at the top, the page number


def test_other_pages_still_print_upright(browser: Any, cards: Path) -> None:
    page = browser.new_page()
    try:
        page.goto((cards / "next-session.html").as_uri())
        printed = sheets(page)
    finally:
        page.close()
    assert all(width < height for width, height in printed)


def test_on_a_phone_the_card_scrolls_in_its_frame_and_the_page_does_not(
    browser: Any, cards: Path, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    watched = Watched(context.new_page(), cards)
    try:
        page = watched.open("diary-cards/2026-W45.html")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        frame = page.eval_on_selector(".card-wrap", "e => [e.scrollWidth, e.clientWidth]")
        assert frame[0] > frame[1], "the seven days are wider than a phone: the frame scrolls"
        page.screenshot(path=str(artifacts / "diary-card-375.png"), full_page=True)
    finally:
        context.close()
    assert watched.outside == [] and watched.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_weekly_card_in_light_and_dark(browser: Any, cards: Path, artifacts: Path, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    watched = Watched(context.new_page(), cards)
    try:
        page = watched.open("diary-cards/2026-W45.html")
        acted = page.eval_on_selector_all("td.acted", "els => els.map(e => e.innerText.replace(/\\s+/g, ' '))")
        results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})  # CSP refuses a preload
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], results.generate_report()
        page.screenshot(path=str(artifacts / f"diary-card-{scheme}.png"), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(artifacts / "diary-card-print.png"), full_page=True)
    finally:
        context.close()
    assert watched.outside == [] and watched.errors == []
    # Monday's and Wednesday's substances, Friday's self-harm: each says so in words, not by colour alone.
    assert sorted(acted) == ["0 ✔ ACTED ON", "3 ✔ ACTED ON", "3 ✔ ACTED ON"]
