"""The sample journal in a real browser, from file://: navigation, search, accessibility, phone layout.

Screenshots of every main page (light, dark, 375 px) are saved to tests/artifacts/ for a person to look at."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from generator.journal import Journal
from generator.store import read_journal
from generator.views.search import words
from tests.browser.conftest import REPO, TODAY, Watched

MAIN_PAGES = {
    "index": "index.html",
    "entry": "entries/2026-11-17-a-wobble.html",
    "tag": "tags/sleep.html",
    "progress": "progress.html",
    "next-session": "next-session.html",
    "search": "search.html",
    "archive": "archive.html",
    "month": "timeline/2026-10.html",
}
BOX = "#site-search-input"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def journal(site: Path) -> Journal:
    """The sample journal as Python reads it: the expected answers for the searches."""
    return read_journal(load_config(REPO / "entries", site, config_path=REPO / "journal.yaml"))


def ready(page: Any) -> None:
    """Wait until the search index is loaded (no eval: the pages' CSP forbids it)."""
    page.wait_for_function("() => window.interludeSearch && window.interludeSearch.state === 'ready'")


def type_in_box(page: Any, text: str) -> list[str]:
    """Type into the header box; the result links shown (without the 'search page' option)."""
    page.fill(BOX, "")
    page.type(BOX, text)
    page.wait_for_selector("[data-search-panel]:not([hidden])")
    return page.eval_on_selector_all(
        "#site-search-results a.result-option:not(.result-more)", "els => els.map(a => a.getAttribute('href'))"
    )


class StampReads:
    """Counts a page's reads of live-stamp.js (it reads it once a second while open, across reloads): what the
    live tests wait on instead of a pause."""

    def __init__(self, page: Any):
        self.page = page
        self.count = 0
        page.on("requestfinished", self.seen)

    def seen(self, request: Any) -> None:
        if "live-stamp.js" in request.url:
            self.count += 1

    def wait(self, more: int) -> None:
        """Wait for `more` further reads; a read that starts after one ended means that one has been run."""
        target = self.count + more
        while self.count < target:
            self.page.wait_for_event("requestfinished", timeout=10_000)


def page_results(page: Any) -> list[str]:
    """The entry keys listed on search.html."""
    hrefs = page.eval_on_selector_all(".search-results .result-title a", "els => els.map(a => a.getAttribute('href'))")
    return [re.sub(r"^entries/(.*)\.html$", r"\1", h) for h in hrefs]


def test_click_through_timeline_entry_tag_progress_agenda(web: Watched, artifacts: Path) -> None:
    page = web.open("index.html")
    first = page.locator(".row .row-title a").first
    title = first.inner_text()
    first.click()
    assert web.here().startswith("entries/") and page.locator("h1").inner_text() == title
    page.screenshot(path=str(artifacts / "walk-1-entry.png"))
    page.locator(".entry-foot .tags a").first.click()
    assert web.here().startswith("tags/") and page.locator(f"text={title}").count() >= 1
    page.locator(".item .item-title a").first.click()
    page.locator(".eyebrow a").first.click()  # back to the entry's month on the timeline
    assert web.here().startswith("timeline/")
    page.get_by_role("link", name="Progress", exact=True).click()
    assert web.here() == "progress.html" and page.locator("figure figcaption").count() >= 3
    page.get_by_role("link", name="Next session", exact=True).click()
    assert web.here() == "next-session.html" and page.locator(".agenda-item").count() >= 1
    page.get_by_role("link", name="Search", exact=True).click()
    assert web.here() == "search.html"


def test_results_as_you_type_with_highlight(web: Watched) -> None:
    page = web.open("index.html")
    hrefs = type_in_box(page, "tram")
    assert "entries/2026-11-21-the-tram-that-waited.html" in hrefs
    first = page.locator("#site-search-results a.result-option").first
    assert first.locator(".result-title mark").inner_text().lower() == "tram"
    assert re.search(r"\w{3} \d+ \w{3} 2026", first.locator(".result-date").inner_text())
    assert page.get_attribute(BOX, "aria-expanded") == "true"
    page.wait_for_function("() => /found/.test(document.querySelector('[data-search-status]').textContent)")


def test_a_word_finds_exactly_the_entries_holding_it(web: Watched, journal: Journal) -> None:
    page = web.open("search.html")
    ready(page)
    for word in ("tram", "kettle", "ruth", "sleep", "pip"):
        expected = {
            e.key
            for e in journal.entries
            if word in words(" ".join([e.text, e.title, e.type.replace("-", " "), *(t.name for t in e.tags)]))
        }
        found = page.evaluate("(w) => window.interludeSearch.search(w + ' ')", word)  # trailing space: whole word
        assert set(found) == expected, word


def test_typing_matches_the_start_of_a_word(web: Watched, journal: Journal) -> None:
    page = web.open("search.html")
    page.fill("#search-q", "anxi")
    page.wait_for_selector(".search-results .result")
    expected = {
        e.key
        for e in journal.entries
        if any(w.startswith("anxi") for w in words(" ".join([e.text, e.title, *(t.name for t in e.tags)])))
    }
    assert set(page.evaluate("() => window.interludeSearch.search('anxi')")) == expected
    assert page.locator(".search-results mark").count() > 0


def test_quoted_phrase_ranks_the_exact_phrase_first(web: Watched) -> None:
    page = web.open("search.html")
    page.fill("#search-q", '"name card"')
    page.wait_for_selector(".search-results .result")
    found = page_results(page)
    assert found[0] == "2026-11-22-christmas-decided"
    assert "2026-11-14-marta-didn-t-reply" in found  # holds the phrase further on


def test_type_filter(web: Watched, journal: Journal) -> None:
    page = web.open("search.html")
    ready(page)
    page.select_option("#search-type", "dream")
    page.wait_for_selector(".search-results .result")
    dreams = [e.key for e in reversed(journal.entries) if e.type == "dream"]
    assert page_results(page) == dreams  # newest first
    assert "type=dream" in page.url  # the address keeps the search: back/forward and bookmarks work
    page.fill("#search-q", "tram")
    page.wait_for_function("() => document.querySelectorAll('.search-results .result').length === 1")
    assert page_results(page) == ["2026-11-21-the-tram-that-waited"]
    assert page.evaluate("() => window.interludeSearch.search('type:dream tram')") == [
        "2026-11-21-the-tram-that-waited"
    ]


def test_tag_filter(web: Watched, journal: Journal) -> None:
    page = web.open("search.html?tag=sleep")
    page.wait_for_selector(".search-results .result")
    tagged = {e.key for e in journal.entries if any(t.slug == "sleep" for t in e.tags)}
    assert set(page_results(page)) == tagged
    assert page.input_value("#search-tag") == "sleep"
    page.select_option("#search-tag", "")
    page.fill("#search-q", "tag:sleep walk")
    page.wait_for_selector(".search-results .result")
    assert set(page_results(page)) <= tagged


def test_enter_opens_the_first_result(web: Watched) -> None:
    page = web.open("tags/sleep.html")
    hrefs = type_in_box(page, "tram")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entries/"))
    assert web.here() == "entries/" + hrefs[0].split("entries/", 1)[1]  # relative link right from tags/


def test_keyboard_arrows_escape_and_slash(web: Watched) -> None:
    page = web.open("timeline/2026-10.html")
    page.keyboard.press("/")  # jumps to the search box
    assert page.evaluate("() => document.activeElement.id") == BOX[1:]
    hrefs = type_in_box(page, "session")
    assert len(hrefs) >= 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.get_attribute(BOX, "aria-activedescendant")
    option = page.locator(f"#{active}")
    assert option.get_attribute("aria-selected") == "true" and "is-active" in option.get_attribute("class")
    outline = option.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the chosen result is visibly marked
    page.keyboard.press("Escape")
    assert page.get_attribute(BOX, "aria-expanded") == "false" and page.is_hidden("[data-search-panel]")
    page.keyboard.press("ArrowDown")  # opens again
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # opens the chosen (second) result, not the first
    page.wait_for_url(re.compile(r"/entries/"))
    assert web.here() == "entries/" + hrefs[1].split("entries/", 1)[1]


def test_search_page_keyboard(web: Watched) -> None:
    page = web.open("search.html?q=walk")
    page.wait_for_selector(".search-results .result")
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    links = page.locator(".search-results .result-title a")
    assert page.evaluate("() => document.activeElement.closest('.result-title') !== null")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.href") == links.nth(1).evaluate("a => a.href")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "search-q"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entries/"))


def test_all_results_link_carries_the_query(web: Watched) -> None:
    page = web.open("entries/2026-11-17-a-wobble.html")
    type_in_box(page, "work")
    page.locator("#site-search-results .result-more").click()
    page.wait_for_url(re.compile(r"search\.html\?q=work"))
    assert page.input_value("#search-q") == "work"
    page.wait_for_selector(".search-results .result")


def test_a_miss_says_so(web: Watched) -> None:
    page = web.open("search.html?q=zzzyzzx")
    page.wait_for_function("() => /No entries match/.test(document.querySelector('[data-search-status]').textContent)")
    assert page.locator(".search-results .result").count() == 0


@pytest.mark.parametrize("name", [name for name in MAIN_PAGES if name != "month"])  # month: same template as index
def test_no_serious_accessibility_violations(web_scheme: Watched, name: str, artifacts: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = web_scheme.open(MAIN_PAGES[name])
    if name == "search":
        page.fill("#search-q", "sleep")
        page.wait_for_selector(".search-results .result")
    elif name == "index":
        type_in_box(page, "tram")  # the open results list is checked too
    scheme = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'")
    page.screenshot(path=str(artifacts / f"{name}-{scheme}.png"))
    # No preload: axe would fetch the stylesheets itself, which the pages' CSP (rightly) refuses.
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], results.generate_report()


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_phone_has_no_sideways_scrolling(phone: Watched, name: str, artifacts: Path) -> None:
    page = phone.open(MAIN_PAGES[name])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts / f"{name}-375.png"), full_page=True)
    small = page.evaluate("""() => [...document.querySelectorAll('.site-header a, .search-input, .pager a, .toc a, select')]
        .filter(el => el.offsetParent !== null)
        .filter(el => el.getBoundingClientRect().height < 43.5).map(el => el.outerHTML.slice(0, 80))""")
    assert small == [], "touch targets under 44 px"


def test_phone_search_results_fit(phone: Watched, artifacts: Path) -> None:
    page = phone.open("entries/2026-11-17-a-wobble.html")
    page.tap(BOX)
    type_in_box(page, "sleep")
    panel = page.locator("[data-search-panel]").bounding_box()
    assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= 375
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts / "search-popup-375.png"))


def test_search_in_a_locked_site(browser: Any, tmp_path: Path) -> None:
    """In a site built with --lock the index is sealed too, and opened through the lock."""
    from generator.lock import build_locked

    output = tmp_path / "locked"
    config = load_config(REPO / "entries", output, config_path=REPO / "journal.yaml")
    build_locked(config, "correct horse battery", today=TODAY, iterations=1000)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        watched = Watched(context.new_page(), output)
        page = watched.open("index.html")
        page.fill("#passphrase", "correct horse battery")
        page.keyboard.press("Enter")
        page.wait_for_selector(BOX)
        hrefs = type_in_box(page, "tram")
        assert "entries/2026-11-21-the-tram-that-waited.html" in hrefs
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('h1') && /tram/i.test(document.querySelector('h1').textContent)"
        )
        assert watched.outside == [] and watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize(
    "days_ago, words",
    [(0, "today"), (1, "yesterday"), (5, "five days ago"), (21, "three weeks ago"), (400, "a year ago")],
)
def test_entry_dates_carry_a_relative_hint(browser: Any, tmp_path: Path, days_ago: int, words: str) -> None:
    """Worked out by the reader's browser from today's date, so a built page never goes stale."""
    from datetime import date, timedelta

    from generator.build import build
    from generator.config import load_config
    from tests.helpers import write_entry

    when = date.today() - timedelta(days=days_ago)
    write_entry(tmp_path / "entries", f"{when}-x.md", f"{when} 12:00", "Then")
    build(load_config(tmp_path / "entries", tmp_path / "out"))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "out" / "entries" / f"{when}-then.html").as_uri())
        assert page.locator(".dateline .relative-hint").inner_text().strip() == f"· {words}"
    finally:
        page.close()


def test_a_page_open_under_watch_reloads_itself_after_a_rebuild(browser: Any, tmp_path: Path) -> None:
    """From file://, without a server: the page polls live-stamp.js and reloads when it changes."""
    from generator.build import Changes, start_watching
    from generator.config import load_config
    from tests.helpers import write_entry

    entries = tmp_path / "entries"
    write_entry(entries, "2024-03-01-a.md", "2024-03-01 09:00", "Alpha", "Before the save.")
    config = load_config(entries, tmp_path / "out")
    site, _ = start_watching(config, datetime.date.today(), lambda applied, quick: None)
    page = browser.new_page()
    reads = StampReads(page)
    try:
        page.goto((tmp_path / "out" / "entries" / "2024-03-01-alpha.html").as_uri())
        reads.wait(2)  # the page has read and run the first stamp (the site's CSP forbids evaluating a check)
        write_entry(entries, "2024-03-01-a.md", "2024-03-01 09:00", "Alpha", "After the save.")
        site.apply(Changes(entries={"2024-03-01-a.md"}))
        page.get_by_text("After the save.").wait_for(timeout=10_000)  # reloaded by itself
    finally:
        page.close()


def test_an_open_page_follows_its_entry_under_watch_and_survives_a_broken_save(browser: Any, tmp_path: Path) -> None:
    """A new title gives the entry a new page name: the open page goes there. A save that cannot be read for a
    moment (half-typed YAML) keeps the page as it was, and the fix shows on it."""
    from tests.helpers import Session, write_entry

    session = Session(tmp_path)
    session.templates.mkdir()
    write_entry(session.entries, "2024-03-01-a.md", "2024-03-01 09:00", "Alpha", "Before the save.")
    write_entry(session.entries, "2024-03-02-b.md", "2024-03-02 09:00", "Beta", "Another entry.")
    session.start()
    page = browser.new_page()
    reads = StampReads(page)
    try:
        page.goto(session.page("2024-03-01-alpha").as_uri())
        reads.wait(2)  # the page has read and run the first stamp
        write_entry(session.entries, "2024-03-01-a.md", "2024-03-01 09:00", "Alpha renamed", "After the save.")
        page.wait_for_url("**/entries/2024-03-01-alpha-renamed.html", timeout=10_000)
        page.get_by_text("After the save.").wait_for(timeout=10_000)
        write_entry(session.entries, "2024-03-01-a.md", "2024-03-01 09:00", "Алфа", "Moved again.")
        page.wait_for_url(re.compile(r".*/entries/2024-03-01-(%D0%B0%D0%BB%D1%84%D0%B0|алфа)\.html$"), timeout=10_000)
        page.get_by_text("Moved again.").wait_for(timeout=10_000)
        rebuilds = session.rebuilds()
        (session.entries / "2024-03-01-a.md").write_text("---\ntitle: [unclosed\n---\nHalf typed.\n", encoding="utf-8")
        session.wait(
            lambda: session.rebuilds() > rebuilds or any("not valid YAML" in line for line in session.lines),
            "the broken save",
        )
        session.settle()
        reads.wait(2)  # two reads of the stamp after the broken save: the page must still be there
        assert page.locator("h1").inner_text() == "Алфа"
        write_entry(session.entries, "2024-03-01-a.md", "2024-03-01 09:00", "Алфа", "Fixed at last.")
        page.get_by_text("Fixed at last.").wait_for(timeout=10_000)
        assert page.locator("h1").inner_text() == "Алфа"
        (session.entries / "2024-03-01-a.md").unlink()  # the entry goes: the page goes to the front page
        page.wait_for_url("**/index.html", timeout=10_000)
    finally:
        page.close()
        session.finish()


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 18-month synthetic journal (benchmarks/synthetic.py), built once: year pages and the longer views."""
    from benchmarks.synthetic import make_journal
    from generator.build import build

    root = tmp_path_factory.mktemp("long")
    make_journal(root / "entries", 800, years=1.5)
    build(load_config(root / "entries", root / "output"), today=TODAY, cache=False)
    return root / "output"


@pytest.mark.parametrize("rel", ["progress.html", "progress/2025.html"])
@pytest.mark.parametrize("scheme, width", [("light", 1100), ("dark", 1100), ("light", 375)])
def test_a_long_journals_progress_and_year_pages_read_well(
    browser: Any, long_site: Path, artifacts: Path, rel: str, scheme: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        watched = Watched(context.new_page(), long_site)
        page = watched.open(rel)
        assert page.locator("svg.chart").count() >= 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts / f"long-{rel.replace('/', '-')[:-5]}-{scheme}-{width}.png"), full_page=True)
        results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
        serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
        assert serious == [], results.generate_report()
        if rel == "progress.html":  # the table of years opens each year's page
            page.locator("#years a", has_text="2025").click()
            page.wait_for_url("**/progress/2025.html")
            assert page.locator("h1").inner_text() == "Progress in 2025"
        assert watched.outside == [] and watched.errors == []
    finally:
        context.close()
