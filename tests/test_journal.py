"""The Journal model: reading a folder of entries, ordering, page names, stretches, tags."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.build import render_site
from generator.store import read_journal
from tests.helpers import journal_config, write_entry


def titles(journal) -> list[str]:
    return [e.title for e in journal.entries]


def test_entries_are_ordered_oldest_first_across_date_forms(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    entries = config.entries_dir
    write_entry(entries, "a.md", "2024-03-05 08:00", "Morning")
    write_entry(entries, "b.md", "2024-03-05", "Midnight")  # a date alone sorts as 00:00
    write_entry(entries, "c.md", "2024-03-04T23:30:00+05:00", "Late, abroad")  # wall clock 23:30 on the 4th
    write_entry(entries, "2024-03-06-d.md", None, "From the name")
    write_entry(entries, "e.md", "2024-03-05T08:00:00Z", "Same minute, later file")
    write_entry(entries, "f.md", "2024-02-29 21:40:59", "Leap day")
    journal = read_journal(config)
    assert journal.problems == []
    assert titles(journal) == [
        "Leap day",
        "Late, abroad",
        "Midnight",
        "Morning",
        "Same minute, later file",
        "From the name",
    ]
    first, second = journal.entries[:2]
    assert journal.previous(first) is None
    assert journal.next(first) is second
    assert journal.previous(second) is first
    assert journal.next(journal.entries[-1]) is None


def test_same_title_same_day_gets_distinct_keys_and_pages(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2024-03-05 09:00", "Walk")
    write_entry(config.entries_dir, "b.md", "2024-03-05 18:00", "Walk")
    write_entry(config.entries_dir, "c.md", "2024-03-05 20:00", "Walk 2")  # its own slug is walk-2
    write_entry(config.entries_dir, "d.md", "2024-03-06", "Walk")
    write_entry(config.entries_dir, "e.md", "2024-03-06", "Walk")  # no time: a mark from its file's name
    journal = read_journal(config)
    mark = hashlib.blake2b(b"e.md", digest_size=2).hexdigest()
    assert [e.key for e in journal.entries] == [
        "2024-03-05-walk",
        "2024-03-05-walk-1800",
        "2024-03-05-walk-2",
        "2024-03-06-walk",
        f"2024-03-06-walk-{mark}",
    ]
    pages = render_site(journal)
    for entry in journal.entries:
        assert f"entries/{entry.key}.html" in pages
        assert entry.title.encode() in pages[f"entries/{entry.key}.html"]


def test_nested_folders_are_read_recursively(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "top.md", "2024-01-01", "Top")
    write_entry(config.entries_dir, "2024/03/mid.md", "2024-03-01", "Mid")
    write_entry(config.entries_dir, "2024/04/deep/er/low.markdown", "2024-04-01", "Low")
    journal = read_journal(config)
    assert [e.source for e in journal.entries] == ["top.md", "2024/03/mid.md", "2024/04/deep/er/low.markdown"]


def test_hidden_backup_and_editor_files_are_ignored(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    entries = config.entries_dir
    write_entry(entries, "real.md", "2024-03-05", "Real")
    for name in (
        ".hidden.md",
        "~backup.md",
        "real.md~",
        ".real.md.swp",
        "#real.md#",
        "real.md.bak",
        "notes.txt",
        ".git/x.md",
        "_drafts/x.md",
        ".obsidian/y.md",
    ):
        write_entry(entries, name, "2024-03-05", "Ignored")
    (entries / ".#real.md").symlink_to("root@host.1234:1700000000")  # Emacs lock: a dangling link
    (entries / "unfinished.md").write_bytes(b"")  # empty, but a real entry: reported, not ignored
    journal = read_journal(config)
    assert titles(journal) == ["Real"]
    assert [os.path.basename(p.path) for p in journal.problems] == ["unfinished.md"]


def test_symlink_loop_is_read_once(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    entries = config.entries_dir
    write_entry(entries, "a/x.md", "2024-03-05", "Once")
    (entries / "a" / "loop").symlink_to(entries / "a")
    (entries / "root").symlink_to(entries)
    (entries / "dangling").symlink_to(tmp_path / "nowhere")
    journal = read_journal(config)
    assert [e.source for e in journal.entries] == ["a/x.md"]


def test_bad_entry_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "good.md", "2024-03-05", "Good")
    write_entry(config.entries_dir, "bad.md", "2024-02-30", "Bad")
    write_entry(config.entries_dir, "warned.md", "2024-03-06", "Warned", mood="11")
    journal = read_journal(config)
    assert titles(journal) == ["Good", "Warned"]
    assert [(os.path.basename(p.path), p.line) for p in journal.problems] == [("bad.md", 3), ("warned.md", 4)]


def test_stretches_split_at_sessions(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "r1.md", "2024-03-01", "r1")
    write_entry(config.entries_dir, "s1.md", "2024-03-02 10:00", "s1", type="session")
    write_entry(config.entries_dir, "r2.md", "2024-03-02 21:00", "r2")
    write_entry(config.entries_dir, "r3.md", "2024-03-04", "r3", type="dream")
    write_entry(config.entries_dir, "s2.md", "2024-03-09", "s2", type="session")
    write_entry(config.entries_dir, "r4.md", "2024-03-10", "r4")
    journal = read_journal(config)
    assert [e.title for e in journal.sessions()] == ["s1", "s2"]
    shape = [
        (s.session.title if s.session else None, [e.title for e in s.entries], s.number) for s in journal.stretches()
    ]
    assert shape == [(None, ["r1"], 1), ("s1", ["s1", "r2", "r3"], 3), ("s2", ["s2", "r4"], 2)]


def test_journal_starting_with_a_session_has_no_empty_stretch(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "s1.md", "2024-03-02", "s1", type="session")
    write_entry(config.entries_dir, "r1.md", "2024-03-03", "r1")
    stretches = read_journal(config).stretches()
    assert [(s.session.title, [e.title for e in s.entries]) for s in stretches] == [("s1", ["s1", "r1"])]


def test_tags_are_counted_and_named_as_most_often_written(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "e1.md", "2024-03-01", "e1", tags="[Sleep, work]")
    write_entry(config.entries_dir, "e2.md", "2024-03-02", "e2", tags="[sleep]")
    write_entry(config.entries_dir, "e3.md", "2024-03-03", "e3", tags="sleep, family")
    write_entry(config.entries_dir, "e4.md", "2024-03-04", "e4", tags="[work, Family]")
    write_entry(config.entries_dir, "e5.md", "2024-03-05", "e5")
    tags = read_journal(config).tags()
    shape = [(slug, tag.name, [e.title for e in entries]) for slug, (tag, entries) in tags.items()]
    # sleep 3, then family and work with 2 each, ties by slug; "family" vs "Family" is a 1–1 tie,
    # which Counter.most_common settles by first seen.
    assert shape == [
        ("sleep", "sleep", ["e1", "e2", "e3"]),
        ("family", "family", ["e3", "e4"]),
        ("work", "work", ["e1", "e4"]),
    ]


def test_a_mathematical_capital_gives_a_lower_case_page_name(tmp_path: Path) -> None:
    # 𝝖 (U+1D756) has no lower case of its own; decomposed it is the Greek capital Α, which the name lowers.
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2024-03-05 09:00", "𝝖 and 𝐁", tags="['𝝖']")
    [entry] = read_journal(config).entries
    assert entry.key == "2024-03-05-α-and-b"
    assert [t.slug for t in entry.tags] == ["α"]


def test_titles_in_any_script_get_readable_page_names_that_other_entries_never_change(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2024-03-05 09:00", "Привет мир")
    write_entry(config.entries_dir, "b.md", "2024-03-05 12:00", "Καλημέρα")
    expected = {"a.md": "2024-03-05-привет-мир", "b.md": "2024-03-05-καλημέρα"}
    assert {e.source: e.key for e in read_journal(config).entries} == expected
    write_entry(config.entries_dir, "c.md", "2024-03-05 18:00", "日本語のタイトル")
    write_entry(config.entries_dir, "d.md", "2024-03-05 20:00", "Привет мир")  # the same title again, later
    expected |= {"c.md": "2024-03-05-日本語のタイトル", "d.md": "2024-03-05-привет-мир-2000"}
    assert {e.source: e.key for e in read_journal(config).entries} == expected
    (config.entries_dir / "b.md").unlink()
    del expected["b.md"]
    assert {e.source: e.key for e in read_journal(config).entries} == expected
    pages = render_site(read_journal(config))
    assert "日本語のタイトル".encode() in pages["entries/2024-03-05-日本語のタイトル.html"]
    assert (
        'href="../entries/2024-03-05-привет-мир-2000.html"'.encode()
        in pages["entries/2024-03-05-日本語のタイトル.html"]
    )
