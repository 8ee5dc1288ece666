"""The charts in a real browser at a phone's widths: each fits its column with no sideways scrolling, shows its
whole time range and its y axis, draws every text at 11 CSS px or more, is shown once (its other drawing hidden),
and a tap on a point shows its date and value. On the sample journal and an 18-month one, main page and year page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from tests.browser.conftest import TODAY, Watched

FITS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const figure of document.querySelectorAll('.chart-figure, .calendar-figure')) {
    if (figure.scrollWidth > figure.clientWidth + 1) found.push('scrolls: ' + figure.scrollWidth + ' > ' + figure.clientWidth);
    const drawings = [...figure.querySelectorAll('svg.chart, svg.calendar')];
    const shown = drawings.filter(svg => getComputedStyle(svg).display !== 'none');
    if (drawings.length && shown.length !== 1) found.push(shown.length + ' drawings shown of ' + drawings.length);
    for (const svg of shown) {
      const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
      if (box.left < -0.5 || box.right > width + 0.5) found.push('out of the screen: ' + box.left + '–' + box.right);
      for (const text of svg.querySelectorAll('text')) {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale, r = text.getBoundingClientRect();
        if (size < 10.95) found.push(text.textContent + ' at ' + size.toFixed(1) + ' px');
        if (r.left < -0.5 || r.right > width + 0.5) found.push(text.textContent + ' off the screen');
      }
      const axis = svg.querySelector('text[text-anchor="end"]');  // a chart's y axis, a calendar's weekdays
      if (axis && axis.getBoundingClientRect().left < 0) found.push('y axis out of view');
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def months_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 18-month synthetic journal, built once."""
    from benchmarks.synthetic import make_journal
    from generator.build import build

    root = tmp_path_factory.mktemp("eighteen")
    make_journal(root / "entries", 400, years=1.5)
    build(load_config(root / "entries", root / "output"), today=TODAY, cache=False)
    return root / "output"


@pytest.mark.parametrize("width", [320, 375, 430, 1280])
@pytest.mark.parametrize(
    "journal, rel", [("sample", "progress.html"), ("18", "progress.html"), ("18", "progress/2026.html")]
)
def test_charts_fit_the_screen_with_their_axes_in_view_and_readable_text(
    browser: Any, site: Path, months_site: Path, artifacts: Path, journal: str, rel: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 500, has_touch=True)
    try:
        watched = Watched(context.new_page(), site if journal == "sample" else months_site)
        page = watched.open(rel)
        assert page.locator("svg.chart").count() >= 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert page.evaluate(FITS) == []
        if width < 500:
            page.screenshot(path=str(artifacts / f"charts-{journal}-{rel.replace('/', '-')[:-5]}-{width}.png"))
        assert watched.outside == [] and watched.errors == []
    finally:
        context.close()


def test_a_tap_on_a_chart_shows_the_date_and_value_of_the_point_under_it(phone: Watched) -> None:
    page = phone.open("progress.html")
    dot = page.locator("svg.chart-narrow circle.dot").nth(5)
    figure = page.locator(".chart-figure", has=dot)
    # The narrow drawing numbers its marks; their words are the wide drawing's titles, once on the page.
    index = int(dot.get_attribute("data-t") or "-1")
    words = figure.locator("svg.chart-wide title:not([id])").nth(index).text_content()
    assert words and ":" in words and index >= 0
    dot.tap(force=True)
    tip = page.locator(".chart-tip")
    tip.wait_for(state="visible")
    assert tip.inner_text() == words
    page.locator("h1").tap()
    tip.wait_for(state="hidden")
