"""Warm builds: the cache in the output folder, exact invalidation, and output identical to a cold build."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.build import CACHE, build
from generator.config import load_config
from generator.output import MARKER
from tests.helpers import write_entry

TODAY = date(2024, 3, 20)


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name not in (MARKER, CACHE)
    }


def _journal(root: Path) -> Path:
    entries = root / "entries"
    for day in range(1, 13):
        kind = "session" if day % 4 == 0 else "reflection"
        write_entry(
            entries,
            f"2024-03-{day:02d}-e.md",
            f"2024-03-{day:02d} 20:00",
            f"Day {day}",
            f"Words of day {day}.",
            type=kind,
            mood=str(3 + day % 5),
            tags="[sleep, work]",
            discuss="true" if day > 9 else "false",
        )
    return entries


def test_warm_build_after_changes_equals_a_cold_build(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    warm = load_config(entries, tmp_path / "warm")
    assert build(warm, TODAY).written.written > 0
    write_entry(entries, "2024-03-05-e.md", "2024-03-05 20:00", "Day five, edited", "Changed.", mood="9")
    (entries / "2024-03-07-e.md").unlink()
    write_entry(entries, "2024-03-14-new.md", "2024-03-14 07:00", "New", "Added.", tags="[dreams]")
    report = build(load_config(entries, tmp_path / "warm"), TODAY)
    assert 0 < report.written.written < report.pages  # some pages kept, not everything rewritten
    assert report.changed == {"2024-03-05-e.md", "2024-03-07-e.md", "2024-03-14-new.md"}
    build(load_config(entries, tmp_path / "cold"), TODAY, cache=False)
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold")
    assert not (tmp_path / "warm" / "entries" / "2024-03-07-e.html").exists()


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    config = load_config(entries, tmp_path / "out")
    build(config, TODAY)
    inode = (tmp_path / "out").stat().st_ino
    report = build(config, TODAY)
    assert report.written.written == 0 and report.changed == set()
    assert (tmp_path / "out").stat().st_ino == inode  # not even swapped


def test_settings_change_invalidates_every_page(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    build(load_config(entries, tmp_path / "out"), TODAY)
    (tmp_path / "journal.yaml").write_text("title: Another name\n", encoding="utf-8")
    report = build(load_config(entries, tmp_path / "out", config_path=tmp_path / "journal.yaml"), TODAY)
    pages = [p for p in _files(tmp_path / "out") if p.endswith(".html")]
    assert report.written.written >= len(pages)
    assert all(b"Another name" in (tmp_path / "out" / p).read_bytes() for p in pages)


def test_template_change_invalidates_pages_using_it(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    theme = tmp_path / "theme"
    theme.mkdir()
    build(load_config(entries, tmp_path / "out", theme), TODAY)
    (theme / "tag.html").write_text(
        "{% extends 'base.html' %}{% block main %}TAG {{ tag.name }}{% endblock %}", encoding="utf-8"
    )
    build(load_config(entries, tmp_path / "out", theme), TODAY)
    assert "TAG sleep" in (tmp_path / "out" / "tags" / "sleep.html").read_text(encoding="utf-8")


def test_own_partials_are_used_on_every_page_that_shows_them(tmp_path: Path) -> None:
    """The badges, menu and scripts are made once and reused (render.py), but a theme's own file is still the one
    shown, with the names an {% include %} would give it (here `root` and `e`/`entry`, not only `bs`)."""
    entries = _journal(tmp_path)
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "_badges.html").write_text(
        "<b>{{ bs | length }} at {{ root }}{{ (e if e is defined else entry).title }}</b>", encoding="utf-8"
    )
    (theme / "_nav.html").write_text("<nav>{{ here }} {{ root }}</nav>", encoding="utf-8")
    build(load_config(entries, tmp_path / "out", theme), TODAY)
    out = tmp_path / "out"
    entry = (out / "entries" / "2024-03-05-day-5.html").read_text(encoding="utf-8")
    assert "<b>1 at ../Day 5</b>" in entry and "<nav>entries ../</nav>" in entry
    tag = (out / "tags" / "sleep.html").read_text(encoding="utf-8")
    assert "<b>1 at ../Day 5</b>" in tag and "<nav>tags ../</nav>" in tag
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>1 at Day 5</b>" in index and "<nav>index.html </nav>" in index


def test_markdown_settings_change_rereads_entries(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(entries, "2024-03-01-q.md", "2024-03-01", "Quotes", '"Quoted" words.')
    build(load_config(entries, tmp_path / "out"), TODAY)
    assert "&ldquo;" not in (tmp_path / "out" / "entries" / "2024-03-01-quotes.html").read_text(encoding="utf-8")
    (tmp_path / "journal.yaml").write_text("markdown_extensions: [smarty]\n", encoding="utf-8")
    build(load_config(entries, tmp_path / "out", config_path=tmp_path / "journal.yaml"), TODAY)
    assert "&ldquo;" in (tmp_path / "out" / "entries" / "2024-03-01-quotes.html").read_text(encoding="utf-8")


def test_deleting_the_output_folder_gives_a_cold_build(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    config = load_config(entries, tmp_path / "out")
    build(config, TODAY)
    shutil.rmtree(tmp_path / "out")
    report = build(config, TODAY)
    assert len(report.changed) == 12 and report.written.unchanged == 0


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    config = load_config(entries, tmp_path / "out")
    build(config, TODAY)
    (tmp_path / "out" / CACHE).write_bytes(b"not a pickle")
    write_entry(entries, "2024-03-03-e.md", "2024-03-03 20:00", "Day three again", "Edited.")
    report = build(config, TODAY)
    assert len(report.changed) == 12  # the cache was unusable, so everything was read again
    assert len(build(config, TODAY, cache=True).changed) == 0  # and it is whole again
    build(load_config(entries, tmp_path / "cold"), TODAY, cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "cold")


def test_problems_are_reported_by_every_build(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    (entries / "2024-03-20-bad.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    config = load_config(entries, tmp_path / "out")
    first, second = build(config, TODAY), build(config, TODAY)
    for report in (first, second):
        assert len(report.problems) == 1 and report.problems[0].path.endswith("entries/2024-03-20-bad.md")
        assert report.exit_code == 1


def test_another_day_rewrites_only_what_depends_on_the_day(tmp_path: Path) -> None:
    entries = _journal(tmp_path)
    config = load_config(entries, tmp_path / "out")
    build(config, TODAY)
    report = build(config, date(2024, 4, 2))  # "on this day" now finds 2 March, a month ago
    assert report.written.written == 1
    assert "On this day" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
