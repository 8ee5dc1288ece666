"""Printing the pages a person takes to a session: headings stay with what follows them, no page holds a lone
line, and the calendar's shades survive a black-and-white printer. Printed by Chromium to PDF and read back."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

PRINTED = ["progress.html", "next-session.html"]


def printed_pages(page: Any) -> list[list[str]]:
    """The page as Chromium prints it on A4: each sheet's lines of text, blank ones left out."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [
        [line.strip() for line in (sheet.extract_text() or "").splitlines() if line.strip()] for sheet in reader.pages
    ]


@pytest.mark.parametrize("name", PRINTED)
def test_no_heading_is_left_at_the_foot_of_a_printed_sheet_and_no_sheet_holds_a_lone_line(
    browser: Any, site: Path, name: str
) -> None:
    page = browser.new_page()
    try:
        page.goto((site / name).as_uri())
        headings = [
            text.strip()
            for text in page.eval_on_selector_all(
                "main h2, main h3, main caption", "els => els.map(e => e.textContent)"
            )
        ]
        sheets = printed_pages(page)
    finally:
        page.close()
    assert len(sheets) >= 2, "the sample prints on more than one sheet, or this test shows nothing"
    for number, lines in enumerate(sheets, start=1):
        assert len(lines) > 1, f"sheet {number} of {name} holds a single line: {lines}"
        if number < len(sheets):  # a heading, or a heading and its two-line note, at the foot of a sheet
            stranded = [line for line in lines[-3:] if line in headings]
            assert not stranded, f"sheet {number} of {name} ends with the heading {stranded[0]!r}: {lines[-3:]}"


def test_the_calendar_prints_in_distinct_greys(browser: Any, site: Path) -> None:
    page = browser.new_page()
    try:
        page.goto((site / "progress.html").as_uri())
        page.emulate_media(media="print")
        swatches = page.eval_on_selector_all(
            ".legend .swatch:not(.cell-l0)",
            "els => els.map(e => getComputedStyle(e).borderTopColor)",  # the steps; "no entry" is an outline
        )
        cells = page.eval_on_selector_all(
            "svg.calendar .cell", "els => [...new Set(els.map(e => getComputedStyle(e).fill))]"
        )
    finally:
        page.close()
    for colours in (swatches, cells):
        values = [tuple(int(v) for v in re.findall(r"\d+", c)[:3]) for c in colours]
        assert values and all(r == g == b for r, g, b in values), colours  # grey: nothing left to colour alone
    swatch_levels = [v[0] for v in (tuple(int(x) for x in re.findall(r"\d+", c)[:3]) for c in swatches)]
    assert swatch_levels == sorted(swatch_levels, reverse=True) and len(set(swatch_levels)) == len(swatch_levels), (
        "the legend runs from light to dark, each step its own grey"
    )


def _filled(sheet: Any) -> tuple[float, str]:
    """How far down a printed sheet its content reaches, as a share of the space between the margins (the
    running heads and the page number, in the margins, left out), and the sheet's text."""
    top, bottom = float(sheet.mediabox.top), float(sheet.mediabox.bottom)
    margin = (top - bottom) * 0.06  # the running heads and "Page n of m" sit in the outer 6% of an A4 sheet
    lows: list[float] = []

    def seen(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's place on the sheet: its matrix, then the page's
        if text.strip() and bottom + margin < y < top - margin:
            lows.append(y)

    words = sheet.extract_text(visitor_text=seen) or ""
    if not lows:
        return 0.0, words
    return (top - margin - min(lows)) / (top - bottom - 2 * margin), words


def test_the_printed_progress_page_opens_with_its_summary_and_no_sheet_is_nearly_empty(
    browser: Any, site: Path
) -> None:
    page = browser.new_page()
    try:
        page.goto((site / "progress.html").as_uri())
        reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    finally:
        page.close()
    sheets = [_filled(sheet) for sheet in reader.pages]
    assert len(sheets) >= 2
    assert "At a glance" in sheets[0][1], "the summary is not on the first printed sheet"
    first_chart = next(n for n, (_, words) in enumerate(sheets) if "Over time" in words)
    assert first_chart == 0 or "At a glance" not in "".join(w for _, w in sheets[first_chart:])
    for number, (filled, words) in enumerate(sheets[:-1], start=1):  # the last sheet may hold a little
        assert filled >= 1 / 3, f"printed sheet {number} of {len(sheets)} is {filled:.0%} full: {words[:200]!r}"


@pytest.fixture(scope="module")
def twenty_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of twenty years (thinly written, so that it builds in a few seconds), built once."""
    from benchmarks.synthetic import make_journal
    from generator.build import build
    from generator.config import load_config
    from tests.browser.conftest import TODAY

    root = tmp_path_factory.mktemp("twenty")
    make_journal(root / "entries", 800, years=20)
    build(load_config(root / "entries", root / "output"), today=TODAY, cache=False)
    return root / "output"


@pytest.mark.parametrize("name", ["progress.html", "progress/2016.html"])
def test_a_twenty_year_report_prints_summary_first_and_without_empty_sheets(
    browser: Any, twenty_years: Path, name: str
) -> None:
    page = browser.new_page()
    try:
        page.goto((twenty_years / name).as_uri())
        reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    finally:
        page.close()
    sheets = [_filled(sheet) for sheet in reader.pages]
    assert len(sheets) >= 3, "twenty years print on more than two sheets, or this test shows nothing"
    if name == "progress.html":
        assert "At a glance" in sheets[0][1]
    for number, (filled, words) in enumerate(sheets[:-1], start=1):
        assert filled >= 1 / 3, f"{name}: sheet {number} of {len(sheets)} is {filled:.0%} full: {words[:200]!r}"
