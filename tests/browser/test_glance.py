"""The front page of twenty years in Chromium: an overview first and no taller than about ten screens; the agenda's
topics lead to their texts; printed sheets carry the journal's title and page numbers instead of the browser's
file:/// path, and the first sheet holds the start of the document, not just its heading."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from benchmarks.synthetic import make_journal
from tests.browser.conftest import REPO, TODAY, Watched

SCREEN = {"width": 1280, "height": 800}
SCREENS = 10  # the bound: a front page of twenty years no taller than about ten screens
DENSITY_YEARS = 300 / 500  # with make_journal's 1.7 entries a writing day: the density of 10,000 entries in 20 years


@pytest.fixture(scope="module")
def twenty_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The last seven months of a 20-year journal as densely written as the benchmark's 10,000 entries, and one
    entry in each earlier year back to 2006, built."""
    from generator.build import build
    from generator.config import load_config

    root = tmp_path_factory.mktemp("twenty")
    entries = root / "entries"
    make_journal(entries, 300, years=DENSITY_YEARS)
    for year in range(2006, 2026):
        (entries / f"{year}-06-02-then.md").write_text(f"---\ndate: {year}-06-02\n---\nIn {year}.\n", encoding="utf-8")
    config = load_config(entries, root / "output", config_path=REPO / "journal.yaml")
    build(config, today=date(2026, 11, 23), cache=False)
    return root / "output"


def sheets(pdf: bytes) -> list[str]:
    """Each printed sheet's text, with ligatures (ﬁ) undone."""
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def test_twenty_years_open_with_the_overview_and_stay_within_ten_screens(browser: Any, twenty_years: Path) -> None:
    context = browser.new_context(viewport=SCREEN, color_scheme="light")
    try:
        watched = Watched(context.new_page(), twenty_years)
        page = watched.open("index.html")
        height = page.evaluate("document.documentElement.scrollHeight")
        shown = page.locator("article.row").count()
        overview_bottom = page.evaluate("document.querySelector('.overview').getBoundingClientRect().bottom")
        first_row_top = page.evaluate("document.querySelector('article.row').getBoundingClientRect().top")
        years = page.locator(".overview-years a").count()
        cells = page.locator(".month-strip .strip-cell").count()
        dates = page.eval_on_selector_all(".day-date time", "els => els.map(e => e.getAttribute('datetime'))")
    finally:
        context.close()
    assert watched.errors == [] and watched.outside == []
    assert shown >= 100, f"the front page shows {shown} entries: too few for this test to say anything"
    assert height <= SCREENS * SCREEN["height"], f"{shown} entries make the front page {height} px tall"
    assert overview_bottom <= SCREEN["height"] < first_row_top + SCREEN["height"], "the overview is on the first screen"
    assert overview_bottom < first_row_top
    assert (years, cells) == (21, 12)
    assert len(dates) == len(set(dates)), "a day's date is a heading once, over all its entries"


def test_twenty_years_fit_a_phone(browser: Any, twenty_years: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = Watched(context.new_page(), twenty_years).open("index.html")
        width = page.evaluate("document.documentElement.scrollWidth")
        targets = page.eval_on_selector_all(
            ".month-strip a, .overview-years a",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })",
        )
    finally:
        context.close()
    assert width <= 375, "nothing sideways on a phone"
    assert targets and all(w >= 44 and h >= 44 for w, h in targets), "the overview's links are touch targets"


def test_each_topic_of_the_agenda_leads_to_its_full_text(web: Watched) -> None:
    page = web.open("next-session.html")
    topics = page.locator(".topic-list a")
    assert topics.count() >= 2
    title = topics.nth(1).inner_text()
    topics.nth(1).click()
    page.wait_for_function("location.hash === '#topic-2'")
    heading = page.locator("#topic-2 h3")
    assert heading.inner_text() == title
    top = heading.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 900, "the text is scrolled into view"


@pytest.mark.parametrize(
    ("name", "head", "first"),
    [
        (
            "next-session.html",
            "For the next session · since 19 November 2026",
            ["To talk about", "Since the last session"],
        ),
        ("index.html", "Timeline · August 2026 to November 2026", ["NOVEMBER 2026", "Christmas, decided"]),
    ],
)
def test_printed_sheets_carry_title_and_page_numbers_not_the_file_path(
    browser: Any, site: Path, name: str, head: str, first: list[str]
) -> None:
    page = browser.new_page()
    try:
        page.goto((site / name).as_uri())
        # As a person prints with the browser's "Headers and footers" ticked: Chromium leaves its own out only
        # because the page has margin boxes of its own.
        printed = sheets(page.pdf(format="A4", display_header_footer=True))
    finally:
        page.close()
    assert len(printed) >= 2
    for number, text in enumerate(printed, start=1):
        assert "file:" not in text and str(site) not in text, f"sheet {number} prints the file's path"
        assert "Elin's journal" in text and head in text, f"sheet {number} has no running head: {text[:200]!r}"
        assert f"Page {number} of {len(printed)}" in text
    for words in first:
        assert words in printed[0], f"{words!r} is not on the first sheet of {name}"
    if name == "next-session.html":
        assert printed[0].index("To talk about") < printed[0].index("Since the last session")
        if "The entries in full" in printed[0]:
            assert printed[0].index("Since the last session") < printed[0].index("The entries in full")


def test_a_locked_site_prints_its_running_heads_too(browser: Any, tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.lock import build_locked

    entries = tmp_path / "entries"
    entries.mkdir()
    (tmp_path / "journal.yaml").write_text("title: Ann's journal\n", encoding="utf-8")
    (entries / "a.md").write_text("---\ndate: 2026-11-20\ndiscuss: true\n---\nA day.\n", encoding="utf-8")
    config = load_config(entries, tmp_path / "locked", config_path=tmp_path / "journal.yaml")
    build_locked(config, "correct horse battery", today=TODAY, iterations=1000)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        watched = Watched(context.new_page(), tmp_path / "locked")
        page = watched.open("index.html")
        page.fill("#passphrase", "correct horse battery")
        page.keyboard.press("Enter")
        page.wait_for_selector(".page-timeline")
        printed = sheets(page.pdf(format="A4", display_header_footer=True))
    finally:
        context.close()
    assert watched.errors == [] and watched.outside == []
    assert "Ann's journal" in printed[0] and "Timeline · November 2026" in printed[0] and "Page 1 of" in printed[0]
    assert all("file:" not in text for text in printed)
