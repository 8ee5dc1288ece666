"""generator/sources.py: the one place that says which files of the entries folder are entries, attachments or
hidden, and the one walker of the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.sources import files_by_name, folders_of_entries, is_entry, look, may_be_attached, walk


@pytest.mark.parametrize(
    ("rel", "entry"),
    [
        ("2026-01-02.md", True),
        ("notes/2026-01-02.markdown", True),
        ("NOTES.MD", True),
        (".2026-01-02.md", False),  # hidden
        ("#2026-01-02.md#", False),  # Emacs' autosave
        ("~2026-01-02.md", False),
        ("2026-01-02.md~", False),  # a backup
        ("_drafts/2026-01-02.md", False),  # a folder set aside
        (".obsidian/2026-01-02.md", False),
        ("photo.jpg", False),
    ],
)
def test_which_files_are_entries(rel: str, entry: bool) -> None:
    assert is_entry(rel) is entry


@pytest.mark.parametrize(
    ("rel", "attached"),
    [
        ("photos/walk.jpg", True),
        ("_assets/plan.pdf", True),
        (".trash/walk.jpg", False),
        ("photos/.walk.jpg", False),
        ("walk.jpg~", False),
        ("walk.jpg.swp", False),
        ("2026-01-02.md", False),
        ("README", False),
    ],
)
def test_which_files_may_be_attached(rel: str, attached: bool) -> None:
    assert may_be_attached(rel) is attached


def test_one_walk_sees_what_each_rule_asks_for(tmp_path: Path) -> None:
    for rel in ["b.md", "a/c.md", "a/pic.png", "_drafts/d.md", "_drafts/pic.png", ".git/e.md", "a/.f.png", "x/g.md~"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")  # a folder met twice is walked once
    assert [rel for rel, _ in walk(tmp_path)] == [
        "b.md",
        "_drafts/d.md",
        "_drafts/pic.png",
        "a/.f.png",
        "a/c.md",
        "a/pic.png",
        "x/g.md~",
    ]
    others: dict[str, tuple[int, int, int]] = {}
    assert sorted(look(tmp_path, others)) == ["a/c.md", "b.md"]
    assert sorted(others) == ["_drafts/d.md", "_drafts/pic.png", "a/pic.png", "x/g.md~"]
    assert sorted(look(tmp_path)) == ["a/c.md", "b.md"]
    assert files_by_name(tmp_path) == {"pic.png": ("_drafts/pic.png", "a/pic.png"), "g.md~": ("x/g.md~",)}
    assert folders_of_entries(tmp_path, {"b.md"}) == {"a", "_drafts"}
