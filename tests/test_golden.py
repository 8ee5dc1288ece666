"""The small journal, built, must match tests/golden/small/ byte for byte.

After a deliberate change to the pages: `python -m tests.regenerate_golden`, then read the diff."""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

from tests.regenerate_golden import GOLDEN, SMALL, build_small, site_files

HOW = "if the change is deliberate, run `python -m tests.regenerate_golden` and review the diff"


def assert_matches_golden(site: Path) -> None:
    """Every file of the built site equals its golden copy; a readable diff otherwise."""
    built, golden = site_files(site), site_files(GOLDEN)
    assert sorted(built) == sorted(golden), HOW
    for rel, data in built.items():
        if data != golden[rel]:
            diff = difflib.unified_diff(
                golden[rel].decode("utf-8", "replace").splitlines(),
                data.decode("utf-8", "replace").splitlines(),
                f"golden/{rel}",
                f"built/{rel}",
                lineterm="",
                n=2,
            )
            raise AssertionError(f"{rel} differs; {HOW}\n" + "\n".join(list(diff)[:60]))


def test_small_journal_matches_golden(tmp_path: Path) -> None:
    report = build_small(tmp_path / "site")
    assert report.problems == []
    assert_matches_golden(tmp_path / "site")


def test_rebuild_over_a_different_site_matches_golden(tmp_path: Path) -> None:
    """Unchanged pages are kept between builds: after edits are undone, the site is exactly the golden one."""
    journal = tmp_path / "journal"
    shutil.copytree(SMALL, journal)
    entries = journal / "entries"
    walk = entries / "2024-03-05-walked-home.md"
    original = walk.read_bytes()
    walk.write_bytes(original.replace(b"title: Walked all the way home", b"title: Walked home"))
    private = entries / "2024-03-06-just-for-me.md"
    kept = private.read_bytes()
    private.unlink()
    (entries / "2024-03-07-extra.md").write_text("---\ntags: [family, new]\n---\nOne more.\n", encoding="utf-8")
    build_small(tmp_path / "site", journal)
    assert (tmp_path / "site" / "entries" / "2024-03-05-walked-home.html").is_file()
    walk.write_bytes(original)
    private.write_bytes(kept)
    os.remove(entries / "2024-03-07-extra.md")
    report = build_small(tmp_path / "site", journal)
    assert report.problems == []
    assert_matches_golden(tmp_path / "site")


def test_golden_has_nothing_volatile() -> None:
    """A golden file holding the build's date, time or a timestamp would fail tomorrow: the only
    years are the journal's (2024), the year before it (the calendar shows the twelve months to the last entry)
    and the pinned TODAY's (2025), and no long numbers appear."""
    files = site_files(GOLDEN)
    assert len(files) > 10
    years: set[str] = set()
    for rel, data in files.items():
        text = data.decode("utf-8")
        years.update(re.findall(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])", text))
        assert not re.search(r"[0-9]{10,}", text), rel
    assert years <= {"2023", "2024", "2025"}
