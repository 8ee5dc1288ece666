"""Parser cases as data: each tests/cases/NAME.md is read and compared with NAME.json.

Adding a case is adding two files. NAME.json holds either the Entry fields to check (and html_contains, html_lacks, warnings…)
(only those given are checked) or {"error": "part of the message", "line": N or null}. A case that needs its
own settings gives them as "config", the text of a journal.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config, load_config
from generator.entries import Entry, MarkdownConverter, read_entry
from generator.errors import EntryError, EntryWarning

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.stem for p in CASES.glob("*.md"))
FIELDS = {
    "title",
    "date",
    "has_time",
    "type",
    "tags",
    "metrics",
    "discuss",
    "milestone",
    "private",
    "slug",
    "text",
    "extra",
    "refs",
}
CHECKS = {"warnings", "warning_contains", "warning_lines", "html_contains", "html_lacks", "config"}


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The default settings, with the cases folder as the entries folder."""
    return load_config(CASES, tmp_path_factory.mktemp("out") / "output")


@pytest.fixture(scope="module")
def converter(config: Config) -> MarkdownConverter:
    """One converter for all cases, as a build uses one for all entries."""
    return MarkdownConverter(config.markdown_extensions)


def actual(entry: Entry, key: str) -> Any:
    """An Entry field in the form the .json files write it."""
    if key == "date":
        return entry.date.isoformat()
    if key == "tags":
        return [[t.name, t.slug] for t in entry.tags]
    if key == "refs":
        return [[r.target, r.wiki, r.fragment, r.embed, r.line] for r in entry.refs]
    return getattr(entry, key)


def test_every_case_has_both_files() -> None:
    """A stray .md or .json would silently drop a case."""
    assert len(NAMES) >= 40
    assert sorted(p.stem for p in CASES.glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, config: Config, converter: MarkdownConverter, tmp_path: Path) -> None:
    expected = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    path = CASES / f"{name}.md"
    if "config" in expected:
        (tmp_path / "journal.yaml").write_text(expected["config"], encoding="utf-8")
        config = load_config(CASES, tmp_path / "output", config_path=tmp_path / "journal.yaml")
        converter = MarkdownConverter(config.markdown_extensions)
    if "error" in expected:
        assert set(expected) == {"error", "line"}, "an error case checks exactly error and line"
        with pytest.raises(EntryError) as caught:
            read_entry(path, path.name, config, converter)
        assert not isinstance(caught.value, EntryWarning)
        assert expected["error"] in caught.value.message
        assert caught.value.line == expected["line"]
        assert caught.value.path == path.name
        return
    unknown = set(expected) - FIELDS - CHECKS
    assert not unknown, f"unknown keys in {name}.json: {unknown}"
    entry = read_entry(path, path.name, config, converter)
    for key in sorted(set(expected) & FIELDS):
        assert actual(entry, key) == expected[key], key
    if "warnings" in expected:
        assert len(entry.warnings) == expected["warnings"], [w.show() for w in entry.warnings]
    for part in expected.get("warning_contains", []):
        assert any(part in w.message for w in entry.warnings), (part, [w.message for w in entry.warnings])
    if "warning_lines" in expected:
        assert [w.line for w in entry.warnings] == expected["warning_lines"]
    for part in expected.get("html_contains", []):
        assert part in entry.html
    for part in expected.get("html_lacks", []):
        assert part.lower() not in entry.html.lower(), part
