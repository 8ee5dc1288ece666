"""The journal that uses every form of writing (tests/journals/everything) in a real browser: search in
scripts written without spaces, pictures and sounds shown from file://, and the same through the lock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.config import load_config
from generator.lock import build_locked
from tests.browser.conftest import Watched
from tests.browser.test_browser import BOX, page_results, ready, type_in_box

EVERYTHING = Path(__file__).parent.parent / "journals" / "everything"
TODAY = date(2026, 12, 3)
PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def journal_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("everything")
    shutil.copytree(EVERYTHING, root, dirs_exist_ok=True)
    config = load_config(root / "entries", root / "output", config_path=root / "journal.yaml")
    build(config, today=TODAY)
    build_locked(
        load_config(root / "entries", root / "locked", config_path=root / "journal.yaml"),
        PASSPHRASE,
        today=TODAY,
        iterations=1000,
    )
    return root


@pytest.fixture
def web(browser: Any, journal_root: Path) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    watched = Watched(context.new_page(), journal_root / "output")
    try:
        yield watched
    finally:
        context.close()
    assert watched.outside == [] and watched.errors == []


JAPANESE = "2026-11-15-家族のこと"


@pytest.mark.parametrize("query", ["家", "夢", "家族", "夕ご飯"])
def test_a_character_or_a_few_in_a_row_find_a_japanese_entry(web: Watched, query: str) -> None:
    page = web.open(f"search.html?q={query}")
    ready(page)
    page.wait_for_selector(".search-results .result-title a")
    assert page_results(page) == [JAPANESE]
    marked = page.eval_on_selector_all(".search-results mark", "els => els.map(m => m.textContent)")
    assert query in marked or query[:2] in marked


def test_the_header_box_finds_one_character_as_it_is_typed(web: Watched) -> None:
    page = web.open("index.html")
    assert type_in_box(page, "夢") == [f"entries/{JAPANESE}.html"]
    assert page.input_value(BOX) == "夢"


def test_a_word_that_is_not_there_finds_nothing(web: Watched) -> None:
    page = web.open("search.html?q=猫")
    ready(page)
    page.wait_for_selector(".search-status")
    assert page_results(page) == []


def test_pictures_show_and_link_to_their_file(web: Watched) -> None:
    page = web.open("entries/2026-11-01-the-house.html")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    sizes = page.eval_on_selector_all(".prose img", "els => els.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[240, 160]]  # the drawing, as drawn
    page.click(".prose a.picture")
    page.wait_for_url("**/attachments/drawings/house.png")


def test_a_locked_site_shows_its_pictures_once_opened(browser: Any, journal_root: Path) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    watched = Watched(context.new_page(), journal_root / "locked")
    try:
        page = watched.open("index.html")
        page.fill("#passphrase", PASSPHRASE)
        page.keyboard.press("Enter")
        page.wait_for_selector(BOX)
        page.click("text=The house")
        page.wait_for_function(
            "() => { const i = document.querySelector('.prose img'); return i && i.complete && i.naturalWidth > 0; }"
        )
        assert page.eval_on_selector(".prose img", "i => [i.naturalWidth, i.src.slice(0, 5)]") == [240, "blob:"]
        assert watched.outside == [] and watched.errors == []
    finally:
        context.close()
