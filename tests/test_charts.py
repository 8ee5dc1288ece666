"""The charts as drawn: no two texts of a chart overlap and none leaves its drawing, on the sample journal and on
an 18-month and a 20-year one, wide and narrow; the long view is smoothed; the marks' colours keep 3:1 against
their background in light and dark mode. (tests/browser/test_charts_fit.py checks them in a real browser.)"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from generator.config import load_config
from generator.journal import Journal
from generator.store import read_journal
from generator.views.progress import progress_page, year_pages

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 23)
CHAR = 0.6  # a character's width as a share of the font size: the test's estimate, a little under the layout's
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Journal]:
    """The sample journal, and synthetic ones of 18 months and of 20 years (small enough to read in seconds)."""
    from benchmarks.synthetic import make_journal

    found = {"sample": read_journal(load_config(REPO / "entries", REPO / "output", config_path=REPO / "journal.yaml"))}
    for name, entries, years in (("18 months", 500, 1.5), ("20 years", 1500, 20.0)):
        root = tmp_path_factory.mktemp(name.replace(" ", "-"))
        make_journal(root / "entries", entries, years=years)
        found[name] = read_journal(load_config(root / "entries", root / "output"))
    return found


def _markups(value: Any) -> Iterator[str]:
    """Every drawing in a page's context."""
    if isinstance(value, Markup) and "<svg" in value:
        yield str(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _markups(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _markups(item)


def _pages(journal: Journal) -> dict[str, dict[str, Any]]:
    """progress.html's context, and the first, a middle and the last year page's."""
    main = progress_page(journal, TODAY)
    assert main.lazy is not None
    pages = {"progress.html": main.lazy()}
    years = year_pages(journal)
    for page in [*years[:1], *years[len(years) // 2 : len(years) // 2 + 1], *years[-1:]]:
        assert page.lazy is not None
        pages[page.path] = page.lazy()
    return pages


def _drawings(markup: str) -> list[ET.Element]:
    root = ET.fromstring(f'<root xmlns="http://www.w3.org/2000/svg">{markup}</root>')
    return list(root.iter(f"{SVG}svg"))


def _boxes(svg: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """Each text's words and estimated box (left, top, right, bottom) in the drawing's units."""
    font = float(svg.get("font-size", "0"))
    assert font, "a drawing sets its text size"
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        words = "".join(text.itertext())
        assert text.get("dy") is None and text.get("font-size") is None, "texts are placed by their baseline"
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        width = len(words) * font * CHAR
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
        boxes.append((words, left, y - 0.75 * font, left + width, y + 0.25 * font))
    return boxes


def _overlaps(boxes: list[tuple[str, float, float, float, float]]) -> list[tuple[str, str]]:
    found = []
    for i, (a, al, at, ar, ab) in enumerate(boxes):
        for b, bl, bt, br, bb in boxes[i + 1 :]:
            if min(ar, br) - max(al, bl) > 0.5 and min(ab, bb) - max(at, bt) > 0.5:
                found.append((a, b))
    return found


@pytest.mark.parametrize("name", ["sample", "18 months", "20 years"])
def test_no_two_texts_of_a_chart_overlap_and_none_leaves_it(journals: dict[str, Journal], name: str) -> None:
    drawn = 0
    for page, context in _pages(journals[name]).items():
        for markup in _markups(context):
            drawings = _drawings(markup)
            kinds = sorted(svg.get("class", "").split()[-1] for svg in drawings)
            if kinds != ["sparkline"]:  # a theme's bars: no text, one size
                assert len(drawings) == 2 and kinds[0].endswith("narrow") and kinds[1].endswith("wide"), kinds
            if kinds != ["sparkline"]:  # the narrow drawing's marks point at the wide one's words, one for one
                wide, narrow = (d for k in ("wide", "narrow") for d in drawings if d.get("class", "").endswith(k))
                titles = [t for t in wide.iter(f"{SVG}title") if t.get("id") is None]
                numbers = [int(e.get("data-t", "")) for e in narrow.iter() if e.get("data-t") is not None]
                assert numbers == list(range(len(titles)))
                assert [t for t in narrow.iter(f"{SVG}title") if t.get("id") is None] == []
            for svg in drawings if kinds != ["sparkline"] else []:
                _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
                boxes = _boxes(svg)
                where = f"{page} {svg.get('class')} {svg.get('aria-label') or ''}"
                assert _overlaps(boxes) == [], where
                outside = [
                    b[0] for b in boxes if b[1] < -0.5 or b[2] < -0.5 or b[3] > width + 0.5 or b[4] > height + 0.5
                ]
                assert outside == [], where
                drawn += 1
    assert drawn > 10


def test_a_long_journals_whole_view_is_a_smooth_line_over_monthly_points(journals: dict[str, Journal]) -> None:
    context = _pages(journals["20 years"])["progress.html"]
    view = context["charts"][0]["views"][0]
    assert view["scale"] == "month" and "average of the twelve months" in view["caption"]
    wide = _drawings(str(view["svg"]))[0]
    (dots_path,) = [p.get("d", "") for p in wide.iter(f"{SVG}path") if p.get("class") == "dots"]
    dots = [float(xy.split()[1].removesuffix("h0")) for xy in dots_path.split("M")[1:]]
    assert len(dots) > 200  # a point a month, drawn as one path

    def swing(ys: list[float]) -> float:
        return sum(abs(b - a) for a, b in itertools.pairwise(ys))

    line = [
        float(xy.split(",")[1])
        for p in wide.iter(f"{SVG}polyline")
        if p.get("class") == "avg-short"
        for xy in p.get("points", "").split()
    ]
    assert swing(line) < swing(dots) / 3  # the line is smooth, not a saw-tooth through the months
    assert [p for p in wide.iter(f"{SVG}polygon") if p.get("class") == "band"] == []  # no saw-tooth of bands
    # The caption says what the shading is: periods in therapy, or (therapy most of the time) the pauses.
    shaded = {r.get("class") for r in wide.iter(f"{SVG}rect")} & {"therapy", "pause"}
    assert shaded == ({"pause"} if "the pauses between them" in view["caption"] else {"therapy"})


def test_the_calendar_starts_at_a_young_journals_first_month(journals: dict[str, Journal]) -> None:
    journal = journals["sample"]
    grid = _pages(journal)["progress.html"]["calendar"]["grids"][0]
    first = journal.entries[0].day
    assert grid["name"] == f"Since {first:%B %Y}"
    narrow = _drawings(str(grid["svg"]))[1]
    names = [t.text for t in narrow.iter(f"{SVG}text")]
    assert names[0] == f"{first:%b %Y}"


# Contrast: the stylesheet's colours for marks, light and dark, against the paper they are drawn on.

STYLE = (REPO / "templates" / "static" / "style.css").read_text(encoding="utf-8")


def _properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def _schemes() -> dict[str, dict[str, str]]:
    light = _properties(STYLE[STYLE.index(":root {") : STYLE.index("}", STYLE.index(":root {"))])
    start = STYLE.index("@media (prefers-color-scheme: dark) {\n  :root {")
    dark = {**light, **_properties(STYLE[start : STYLE.index("}", start)])}
    return {"light": light, "dark": dark}


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour_of(selector: str, prop: str) -> str:
    """The custom property a rule of the stylesheet takes a colour from."""
    rule = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", STYLE)
    assert rule, selector
    found = re.search(prop + r":\s*var\((--[\w-]+)\)", rule.group(1))
    assert found, (selector, rule.group(1))
    return found.group(1)


MARKS = [  # (rule, property): the day's dots, the lines, scores, bars, sessions, milestones, calendar steps
    ("svg .dot", "fill"),
    ("svg .dots", "stroke"),
    ("svg .avg-short", "stroke"),
    ("svg .avg-long", "stroke"),
    ("svg .score", "fill"),
    ("svg .spark", "fill"),
    ("svg .hw-done", "fill"),
    ("svg .hw-set", "stroke"),
    ("svg .session", "stroke"),
    ("svg .milestone-mark", "fill"),
    (".cell.l1, .cell-l1", "fill"),
    (".cell.l2, .cell-l2", "fill"),
    (".cell.l3, .cell-l3", "fill"),
    (".cell.l4, .cell-l4", "fill"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rule, prop", MARKS)
def test_marks_keep_3_to_1_against_the_paper(scheme: str, rule: str, prop: str) -> None:
    colours = _schemes()[scheme]
    mark = colours[_colour_of(rule, prop)]
    assert contrast(mark, colours["--paper"]) >= 3, (rule, mark)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_worst_step_shows_on_its_track_and_the_steps_climb(scheme: str) -> None:
    colours = _schemes()[scheme]
    tones = [colours[f"--tone{n}"] for n in range(1, 6)]
    for tone in tones:  # a badge's bar of the worst value on its track, a day's square beside an empty one
        assert contrast(tone, colours["--track"]) >= 3, tone
    against = [contrast(t, colours["--paper"]) for t in tones]
    assert against == sorted(against) and all(b / a >= 1.2 for a, b in itertools.pairwise(against))
