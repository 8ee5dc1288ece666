"""Whole journals through the command line: the sample journal, and a large one from another tool."""

from __future__ import annotations

import re
import sys
from collections import deque
from pathlib import Path

import pytest

from generator.cli import main
from tests.test_site import parse, target

ROOT = Path(__file__).resolve().parent.parent


def reachable(output: Path, start: str = "index.html") -> set[str]:
    """Every page reached from `start` by following links, as a reader clicking through would."""
    seen = {start}
    queue = deque([start])
    while queue:
        page = queue.popleft()
        for _, _, href in parse((output / page).read_bytes()).links:
            path, _ = target(page, href)
            if path.endswith(".html") and path not in seen and (output / path).is_file():
                seen.add(path)
                queue.append(path)
    return seen


def test_the_sample_journal_builds_cleanly_and_every_link_resolves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["build", "--output", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().err == ""
    output = tmp_path / "site"
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    entries = sorted(ROOT.glob("entries/**/*.md"))
    assert len([p for p in pages if p.startswith("entries/")]) == len(entries) >= 60
    for page in pages:
        for tag, _, href in parse((output / page).read_bytes()).links:
            assert not re.match(r"^[a-z]+:|^//", href), f"{page}: {tag} loads {href}"
            path, _ = target(page, href)
            assert (output / path).is_file(), f"{page}: {href} points at nothing"
    assert set(pages) <= reachable(output) | {"search.html"}


def test_a_large_journal_with_undated_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two thousand entries written by another tool, three of them with no date anywhere."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import make_journal

    make_journal(tmp_path / "entries", 2000, seed=3)
    undated = ["notes/undated-one.md", "notes/another without date.md", "loose.md"]
    for name in undated:
        (tmp_path / "entries" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "entries" / name).write_text(
            "---\ntitle: Somewhere in time\n---\nNo date here.\n", encoding="utf-8"
        )
    (tmp_path / "journal.yaml").write_text("timeline_size: 60\n", encoding="utf-8")  # tags split by year
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    for name in undated:
        assert f"entries/{name}: has no date" in err
    output = tmp_path / "output"
    entry_pages = {p.relative_to(output).as_posix() for p in (output / "entries").glob("*.html")}
    assert len(entry_pages) == 2000
    assert entry_pages <= reachable(output)
    lists = [*(output / "timeline").glob("*.html"), *(output / "tags").glob("*.html"), output / "index.html"]
    most = max(len(re.findall(rb'<article class="item', p.read_bytes())) for p in lists)
    assert most <= 300  # no timeline or tag page lists more than a few hundred entries
    assert any(re.fullmatch(r".+-\d{4}\.html", p.name) for p in (output / "tags").iterdir())  # large tags by year
