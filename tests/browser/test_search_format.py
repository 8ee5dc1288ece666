"""The browser's decoder against the Python encoder: a journal in many scripts is built, its site opened from
file:// in Chromium, and what templates/static/search-index.js decodes from the shards it loaded (every word,
the entries holding it, every row) is compared with what the entries say, worked out here from the text
written into them with generator.views.search.words(), not from the encoder."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator import searchformat
from generator.build import build
from generator.config import load_config
from generator.journal import Journal
from generator.store import read_journal
from generator.views.search import SNIPPET_WORDS, inverted_index, words
from tests.browser.conftest import Watched
from tests.browser.test_browser import ready
from tests.helpers import write_entry

TODAY = date(2026, 1, 10)
PLAIN = [
    "The kettle sang while the rain kept on",
    "A long walk by the river after lunch",
    "Could not sleep again",
    "Talked with Ruth about the move",
    "Wrote three pages and felt lighter",
    "Breathing practice, ten minutes",
]
ACCENTED = [
    "Café crème à Zürich, très naïve",
    "Smörgåsbord and Ærøskøbing façade",
    "El niño soñó con la señora",
    "Ça déçoit, répété à l’été",
]
SCRIPTS = [
    "今日は家族と夕ご飯を食べた。",
    "夢の話をした。",
    "先週より少しだけ楽になった気がする。",
    "我们的家很安静",
    "ภาษาไทยง่าย",
    "Привет, мир: тревога утихла",
    "Γειά σου, ύπνος ήσυχος",
    "한국어 일기 오늘",
    "मैंने आज ध्यान किया",
    "מחר יום חדש",
]
ASTRAL = ["𠀋𠀌𠀍 in the old book", "𐌰𐌱𐌲 and 𐌰𐍃𐍅 in Gothic", "𝐁𝐨𝐥𝐝 letters"]
LONG = [
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "pneumonoultramicroscopicsilicovolcanoconioses",
    "pneumonoultramicroscopicsilicovolcano",
]
TYPES = ["reflection", "dream", "thought-record", "session"]
TAGS = ["sleep", "Café", "家族", "work-stress", "Ängste"]
MANY = 130  # entries in 2025, one a day from 1 January (one half-year shard): more than HALF apart, so steps need two digits


def _journal(entries: Path) -> dict[str, dict[str, Any]]:
    """Write the journal; what each file says, by file name: title, body, type, tags, flags, time."""
    rng = random.Random(18)
    written: dict[str, dict[str, Any]] = {}
    day = date(2025, 1, 1)
    for n in range(MANY + 6):
        when = day + timedelta(days=n) if n < MANY else date(2024, 3, 1 + n - MANY)
        sentences = [rng.choice(PLAIN), rng.choice(ACCENTED), rng.choice(SCRIPTS)]
        if n % 9 == 0:
            sentences.append(ASTRAL[n // 9 % len(ASTRAL)])
        if n % 11 == 0:
            sentences.append(" ".join(LONG))
        if n in (0, MANY - 1):
            sentences.append("A lighthouse")  # in the first and the last entry of 2025 only (one shard): one long step
        body = ". ".join(sentences) + "."
        title = rng.choice(["Morning", "Évening", "夢", "Тревога", "Night walk", "After session"]) + f" {n}"
        spec: dict[str, Any] = {
            "title": title,
            "body": body,
            "type": TYPES[n % len(TYPES)],
            "tags": rng.sample(TAGS, n % 3),
            "private": n % 7 == 0,
            "discuss": n % 5 == 0,
            "milestone": n % 13 == 0,
            "time": f"{7 + n % 15:02d}:{n % 60:02d}" if n % 4 else "",
        }
        meta = {"type": spec["type"]}
        if spec["tags"]:
            meta["tags"] = "[" + ", ".join(spec["tags"]) + "]"
        if spec["private"]:
            meta["private"] = "true"
        if spec["discuss"]:
            meta["discuss"] = "true"
        if spec["milestone"]:
            meta["milestone"] = "true"
        name = f"{when}-{n}.md"
        write_entry(entries, name, f"{when} {spec['time']}".strip(), title, body, **meta)
        written[name] = spec
    return written


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Journal, dict[str, dict[str, Any]]]:
    """The site, the journal as Python read it, and what was written."""
    root = tmp_path_factory.mktemp("scripts")
    written = _journal(root / "entries")
    config = load_config(root / "entries", root / "output")
    build(config, today=TODAY, cache=False)
    return root / "output", read_journal(config), written


@pytest.fixture
def page(browser: Any, built: tuple[Path, Journal, dict[str, dict[str, Any]]]) -> Iterator[Any]:
    """search.html of the built site, its index loaded."""
    context = browser.new_context()
    watched = Watched(context.new_page(), built[0])
    try:
        shown = watched.open("search.html")
        ready(shown)
        yield shown
    finally:
        context.close()
    assert watched.outside == [] and watched.errors == []


def _units(word: str) -> bytes:
    """JavaScript's order of strings: by UTF-16 code units."""
    return word.encode("utf-16-be", "surrogatepass")


def expected_shards(journal: Journal, written: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """For each half-year (2024-1: January to June): its words in JavaScript's order, each with the entries
    holding it (their places in the half-year), and each entry's row as the result list needs it."""
    years: dict[str, list[Any]] = {}
    for entry in journal.entries:  # the journal's order, oldest first
        years.setdefault(f"{entry.date.year}-{1 if entry.date.month < 7 else 2}", []).append(entry)
    shards = {}
    for year, entries in years.items():
        holding: dict[str, list[int]] = {}
        rows = []
        for number, entry in enumerate(entries):
            spec = written[Path(entry.source).name]
            text = " ".join([spec["body"], spec["title"], spec["type"].replace("-", " "), *spec["tags"]])
            for word in sorted(set(words(text))):
                holding.setdefault(word, []).append(number)
            rows.append(
                {
                    "key": entry.key,
                    "title": spec["title"],
                    "time": spec["time"],
                    "type": spec["type"],
                    "tags": [[t.slug, t.name] for t in entry.tags],
                    "snippet": entry.excerpt(SNIPPET_WORDS),
                    "private": spec["private"],
                    "discuss": spec["discuss"],
                    "milestone": spec["milestone"],
                }
            )
            assert [t.name for t in entry.tags] == spec["tags"]
        order = sorted(holding, key=_units)
        shards[year] = {"terms": order, "postings": [holding[w] for w in order], "entries": rows}
    return shards


DECODED = """() => {
  const search = window.interludeSearch, index = search.index;
  return index.shards.map(shard => ({
    name: shard.name,
    terms: shard.terms,
    postings: shard.lists.map(list => index.decoder.postings(list)),
    entries: index.entries.slice(shard.base, shard.base + shard.count).map(e => ({
      key: e.key, title: e.title, time: e.time, type: e.type, tags: e.tags, snippet: e.snippet,
      private: e.private, discuss: e.discuss, milestone: e.milestone}))
  }));
}"""


def test_the_journal_exercises_the_hard_parts(built: tuple[Path, Journal, dict[str, dict[str, Any]]]) -> None:
    """The comparison below covers steps of two digits, unspaced scripts, accents and words beyond 16 bits."""
    _, journal, written = built
    expected = expected_shards(journal, written)
    year = expected["2025-1"]
    lists = dict(zip(year["terms"], year["postings"]))
    assert lists["lighthouse"] == [0, MANY - 1] and MANY - 1 > searchformat.HALF
    assert {"家族", "族と", "cafe", "zurich", "naive", "привет", "ภา", "𠀋𠀌", "𐌰𐌱𐌲", "𐌰𐍃𐍅"} <= set(lists)
    assert sum(len(w) > len(searchformat.SHARED) for w in lists) >= 3  # longer than one front-coding character says
    assert {row["private"] for row in year["entries"]} == {True, False} and any(r["milestone"] for r in year["entries"])


def test_the_browser_decodes_each_shard_as_python_meant_it(
    page: Any, built: tuple[Path, Journal, dict[str, dict[str, Any]]]
) -> None:
    _, journal, written = built
    expected = expected_shards(journal, written)
    decoded = {shard.pop("name"): shard for shard in page.evaluate(DECODED)}
    assert sorted(decoded) == sorted(expected) == ["2024-1", "2025-1"]
    for year, shard in expected.items():
        assert decoded[year]["terms"] == shard["terms"], year
        assert decoded[year]["postings"] == shard["postings"], year
        assert decoded[year]["entries"] == shard["entries"], year


def test_the_browser_decodes_numbers_of_three_digits(page: Any) -> None:
    """An index made by the Python encoder from made-up entries, decoded by the page's decoder with the format
    its manifest gave: lists longer than a site for a browser test would build, and words beyond 16 bits."""
    sets = [{"a", "first"}, {"a", "𐌰𐌱"}, set(), *({"a"} for _ in range(3000)), {"a", "𐌰𐍃", "last"}]
    terms, postings = inverted_index(frozenset(s) for s in sets)
    decoded = page.evaluate(
        """([terms, postings]) => {
      const decoder = new window.interludeSearch.Decoder(window.interludeSearch.index.manifest.format);
      return [decoder.terms(terms), postings.split(" ").map(list => decoder.postings(list))];
    }""",
        [terms, postings],
    )
    holding: dict[str, list[int]] = {}
    for number, found in enumerate(sets):
        for word in found:
            holding.setdefault(word, []).append(number)
    order = sorted(holding, key=_units)
    assert decoded == [order, [holding[w] for w in order]]
    assert len(sets) - 1 > searchformat.HALF**2  # the last step needs three digits


def test_the_results_show_the_flags_the_rows_carry(
    page: Any, built: tuple[Path, Journal, dict[str, dict[str, Any]]]
) -> None:
    """The views read a row's flags by their names: a private milestone's result says both."""
    _, journal, written = built
    entry = next(e for e in journal.entries if e.private and e.milestone and not e.discuss)
    page.fill("#search-q", written[Path(entry.source).name]["title"])
    page.wait_for_selector(".search-results .result")
    first = page.locator(".search-results .result").first
    assert first.locator(".result-title a").get_attribute("href") == f"entries/{entry.key}.html"
    assert first.locator(".flag-private").count() == 1 and first.locator(".flag-milestone").count() == 1
    assert first.locator(".flag-discuss").count() == 0
