"""`interlude watch` with real watchdog on real files: every editor save pattern, errors, deletes, renames."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from generator.build import Changes, start_watching
from generator.config import load_config
from generator.sources import shown
from generator.watch import watch
from tests.helpers import Session, fresh_live_build, site_files, without_moves, write_entry


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    write_entry(s.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Second words.")
    s.start()
    yield s
    s.finish()


def test_watch_adds_only_the_live_stamp_to_the_pages_a_build_makes(session: Session, tmp_path: Path) -> None:
    """Pages are the same under watch and after a plain build (so a watch start rewrites none of them); only
    watch writes the live-refresh script and its stamp: a plain build's live.js looks for nothing."""
    from generator.build import build

    live = ("live-stamp.js", "static/live.js")
    watched = site_files(tmp_path / "output")
    assert b"static/live.js" in watched["index.html"]
    assert b"window.interludeLive(" in watched["live-stamp.js"]
    assert b"setInterval" in watched["static/live.js"]
    build(load_config(session.entries, tmp_path / "plain", session.templates))
    plain = site_files(tmp_path / "plain")
    assert "live-stamp.js" not in plain
    assert b"setInterval" not in plain["static/live.js"] and b"live-stamp" not in plain["static/live.js"]
    assert {rel: data for rel, data in watched.items() if rel not in live} == {
        rel: data for rel, data in plain.items() if rel not in live
    }


def test_a_watch_start_over_a_build_of_the_same_files_rewrites_nothing(tmp_path: Path) -> None:
    """The quick start: every page of the build keeps its file (same inode, same time), the live-refresh script
    and its stamp go in, and the site equals a fresh live build; a save afterwards rewrites its page as usual."""
    from generator.build import build

    entries = tmp_path / "entries"
    write_entry(entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    write_entry(entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Second words.")
    (tmp_path / "templates").mkdir()
    build(load_config(entries, tmp_path / "output", tmp_path / "templates"))
    before = {
        p.relative_to(tmp_path / "output").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in (tmp_path / "output").rglob("*")
        if p.is_file() and not p.name.startswith(".interlude")
    }
    s = Session(tmp_path)
    s.start()
    try:
        after = {
            p.relative_to(tmp_path / "output").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (tmp_path / "output").rglob("*")
            if p.is_file() and not p.name.startswith(".interlude")
        }
        assert set(after) == set(before) | {"live-stamp.js"}
        assert {rel: after[rel] for rel in before if rel != "static/live.js"} == {
            rel: stat for rel, stat in before.items() if rel != "static/live.js"
        }
        assert site_files(tmp_path / "output") == fresh_live_build(s.config(), tmp_path / "fresh")
        write_entry(entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Changed words.")
        s.wait_text("2024-03-02-two", "Changed words.")
        s.wait(lambda: s.rebuilds() >= 1, "the rebuild")
    finally:
        s.finish()
    assert site_files(tmp_path / "output") == fresh_live_build(s.config(), tmp_path / "fresh2")


def test_in_place_write(session: Session) -> None:
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Rewritten in place.")
    session.wait_text("2024-03-01-one", "Rewritten in place.")


def test_write_to_temporary_then_rename(session: Session) -> None:
    """VS Code, gedit and vim with backupcopy=no save this way."""
    temporary = session.entries / ".2024-03-02-two.md.tmp"
    write_entry(session.entries, temporary.name, "2024-03-02 09:00", "Two", "Saved atomically.")
    os.replace(temporary, session.entries / "2024-03-02-two.md")
    session.wait_text("2024-03-02-two", "Saved atomically.")


def test_vim_save_with_backup_swap_and_probe_files(session: Session) -> None:
    entry = session.entries / "2024-03-01-one.md"
    swap = session.entries / ".2024-03-01-one.md.swp"
    swap.write_bytes(b"b0VIM 9.0\x00" * 20)
    probe = session.entries / "4913"
    probe.write_text("")
    probe.unlink()
    os.replace(entry, session.entries / "2024-03-01-one.md~")  # vim's backup: the old file moved aside
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Saved by vim.")
    (session.entries / "2024-03-01-one.md~").unlink()
    swap.unlink()
    session.wait_text("2024-03-01-one", "Saved by vim.")
    output = session.root / "output"
    assert not any("~" in p.name or "swp" in p.name or p.name == "4913" for p in output.rglob("*"))
    assert not any("error" in line or (": " in line.split("·")[0][9:] and ".md:" in line) for line in session.lines)


def test_emacs_lock_link_and_autosave_are_ignored(session: Session) -> None:
    lock = session.entries / ".#2024-03-01-one.md"
    os.symlink("user@host.1234:1700000000", lock)  # Emacs's lock: a dangling symlink
    autosave = session.entries / "#2024-03-01-one.md#"
    autosave.write_text("---\ntitle: [half\n", encoding="utf-8")
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Saved by Emacs.")
    session.wait_text("2024-03-01-one", "Saved by Emacs.")
    lock.unlink()
    autosave.unlink()
    assert not any(".md:" in line for line in session.lines), session.lines


def test_delete_removes_the_page(session: Session) -> None:
    page = session.page("2024-03-02-two")
    assert page.is_file()
    (session.entries / "2024-03-02-two.md").unlink()
    session.wait(lambda: not page.exists(), "the deleted entry's page to go")
    nxt = session.page("2024-03-01-one").read_text(encoding="utf-8")
    assert "2024-03-02-two.html" not in nxt  # its neighbour no longer links to it


def test_rename_keeps_one_page(session: Session) -> None:
    os.replace(session.entries / "2024-03-02-two.md", session.entries / "renamed-two.md")
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "After the rename.")
    session.wait_text("2024-03-01-one", "After the rename.")
    pages = sorted(p.name for p in (session.root / "output" / "entries").iterdir())
    assert pages == ["2024-03-01-one.html", "2024-03-02-two.html"]


def test_bad_file_mid_session_is_reported_and_its_fix_rebuilds(session: Session) -> None:
    bad = session.entries / "2024-03-03-three.md"
    bad.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    session.wait(
        lambda: any("2024-03-03-three.md" in line and "YAML" in line for line in session.lines),
        "the bad file to be reported",
    )
    assert session.thread is not None and session.thread.is_alive()
    write_entry(session.entries, "2024-03-03-three.md", "2024-03-03 09:00", "Three", "Fixed now.")
    session.wait_text("2024-03-03-three", "Fixed now.")


def test_a_quick_start_survives_a_broken_template_no_page_uses(tmp_path: Path) -> None:
    """Watch compiles the theme's templates while it waits for the first save after starting over a current site:
    one that no page uses and that cannot be compiled (a file kept aside, say) changes nothing, as it changed
    nothing for the build."""
    from generator.build import build

    entries = tmp_path / "entries"
    write_entry(entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "aside.html").write_text("{% block %}", encoding="utf-8")
    assert build(load_config(entries, tmp_path / "output", tmp_path / "templates")).exit_code == 0
    s = Session(tmp_path)
    s.start()
    try:
        assert any("up to date" in line for line in s.lines), s.lines
        s.wait(s.readied.is_set, "watch to ready the first save")  # templates and all, while nothing happens
        write_entry(entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Saved again.")
        s.wait_text("2024-03-01-one", "Saved again.")
    finally:
        s.finish()


def test_template_error_is_reported_and_watch_survives(session: Session) -> None:
    broken = session.templates / "entry.html"
    broken.write_text("{% extends 'base.html' %}{% block main %}{{ entry.title }{% endblock %}", encoding="utf-8")
    session.wait(lambda: any("still watching" in line for line in session.lines), "the template error")
    reported = next(line for line in session.lines if "still watching" in line)
    assert f"a template cannot be used: {broken.as_posix()}, line 1: " in reported
    broken.unlink()
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Back to normal.")
    session.wait_text("2024-03-01-one", "Back to normal.")


def test_reading_an_entry_rebuilds_nothing(session: Session) -> None:
    """Opening and reading files (an editor showing an entry, a backup, a build) is no change."""
    before = session.rebuilds()
    for _ in range(20):
        for path in session.entries.rglob("*.md"):
            path.read_bytes()
    session.settle()
    assert session.rebuilds() == before, session.lines


def test_a_burst_is_one_rebuild(session: Session) -> None:
    before = session.rebuilds()
    for day in range(10, 40):
        write_entry(session.entries, f"burst/2024-04-{day - 9:02d}-b.md", f"2024-04-{day - 9:02d} 08:00", f"B{day}")
    session.wait(
        lambda: all(session.page(f"2024-04-{d - 9:02d}-b{d}").is_file() for d in range(10, 40)),
        "all 30 pages of the burst",
    )
    session.settle()
    assert session.rebuilds() - before <= 3  # one per burst; a loaded machine may split it once or twice


def test_output_after_a_session_equals_a_fresh_build(session: Session, tmp_path: Path) -> None:
    write_entry(session.entries, "2024-03-05-five.md", "2024-03-05 10:00", "Five", "New entry.", tags="[a, b]")
    session.wait_text("2024-03-05-five", "New entry.")
    (session.entries / "2024-03-01-one.md").unlink()
    session.wait(lambda: not session.page("2024-03-01-one").exists(), "the delete")
    write_entry(session.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Edited.", mood="6")
    session.wait_text("2024-03-02-two", "Edited.")
    session.settle()
    assert without_moves(site_files(tmp_path / "output")) == without_moves(
        fresh_live_build(session.config(), tmp_path / "fresh")
    )


def test_every_watch_start_leaves_the_whole_site(tmp_path: Path) -> None:
    """A build, then two watch sessions in a row: the second start finds the site exactly as it would make it,
    and must keep it (it once replaced it with an empty folder)."""
    from generator.build import build

    write_entry(tmp_path / "entries", "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    write_entry(tmp_path / "entries", "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Second words.")
    (tmp_path / "templates").mkdir()
    build(load_config(tmp_path / "entries", tmp_path / "output", tmp_path / "templates"))
    for start in range(3):
        s = Session(tmp_path)
        s.start()
        s.finish()
        assert (tmp_path / "output" / "index.html").is_file(), f"start {start + 1} emptied the site"
        assert site_files(tmp_path / "output") == fresh_live_build(s.config(), tmp_path / f"fresh{start}")


def test_watch_keeps_a_persons_files_in_the_output_and_never_writes_over_one(tmp_path: Path) -> None:
    from generator.build import build

    write_entry(tmp_path / "entries", "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    (tmp_path / "templates").mkdir()
    build(load_config(tmp_path / "entries", tmp_path / "output"))
    (tmp_path / "output" / "mynotes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "output" / "tags").mkdir()
    (tmp_path / "output" / "tags" / "grief.html").write_text("mine", encoding="utf-8")
    s = Session(tmp_path)
    s.start()
    try:
        assert any("Kept these in" in line and "mynotes.txt, tags/ " in line for line in s.lines), s.lines
        write_entry(s.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Grief words.", tags="[grief]")
        s.wait(
            lambda: any("tags/grief.html in the output folder was not made by Interlude" in line for line in s.lines),
            "the refusal",
        )
        write_entry(s.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Other words.", tags="[sorrow]")
        s.wait_text("2024-03-02-two", "Other words.")
    finally:
        s.finish()
    assert (tmp_path / "output" / "mynotes.txt").read_text(encoding="utf-8") == "x\n"
    assert (tmp_path / "output" / "tags" / "grief.html").read_text(encoding="utf-8") == "mine"


class _Plain(Session):
    """A watch over a journal that starts with no templates folder and no journal.yaml, as `interlude watch`
    is run in a new journal: both are picked up where they would be if they appear."""

    def config(self):  # type: ignore[no-untyped-def]
        return load_config(self.entries, self.root / "output")

    def start(self) -> None:
        import threading

        def run() -> None:
            try:
                watch(
                    self.config(),
                    report=self.lines.append,
                    stop=self.stop,
                    templates=self.templates,
                    settings=self.root / "journal.yaml",
                )
            except BaseException as error:
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self.wait(lambda: any("Watching" in line for line in self.lines), "the first build")


def test_a_templates_folder_and_settings_made_while_watching_are_picked_up(tmp_path: Path) -> None:
    from generator.render import default_theme

    s = _Plain(tmp_path)
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    s.start()
    try:
        s.templates.mkdir()
        base = (default_theme() / "base.html").read_text(encoding="utf-8")
        (s.templates / "base.html").write_text(base.replace("<body", "<body data-own-theme", 1), encoding="utf-8")
        s.wait_text("2024-03-01-one", "data-own-theme")
        (tmp_path / "journal.yaml").write_text("title: Elin's notebook\n", encoding="utf-8")
        s.wait_text("2024-03-01-one", "Elin&#39;s notebook")
        (s.templates / "base.html").unlink()
        s.templates.rmdir()
        s.wait(
            lambda: "data-own-theme" not in s.page("2024-03-01-one").read_text(encoding="utf-8"), "the own theme gone"
        )
    finally:
        s.finish()


def test_an_entries_folder_that_vanishes_keeps_the_site_and_watch_goes_on_when_it_is_back(tmp_path: Path) -> None:
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "First words.")
    write_entry(s.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Second words.")
    s.start()
    try:
        before = site_files(tmp_path / "output")
        s.entries.rename(tmp_path / "elsewhere")
        s.wait(lambda: any("the entries folder" in line and "is gone" in line for line in s.lines), "the warning")
        s.settle(tmp_path)  # the folder that held the entries folder is watched still
        assert site_files(tmp_path / "output") == before
        write_entry(tmp_path / "elsewhere", "2024-03-01-one.md", "2024-03-01 09:00", "One", "Edited away.")
        s.settle(tmp_path)  # edits in the moved folder are not the journal's
        assert site_files(tmp_path / "output") == before
        (tmp_path / "elsewhere").rename(s.entries)
        s.wait_text("2024-03-01-one", "Edited away.")
        write_entry(s.entries, "2024-03-02-two.md", "2024-03-02 09:00", "Two", "Saved after the return.")
        s.wait_text("2024-03-02-two", "Saved after the return.")
    finally:
        s.finish()


def _rebuilt(session: Session, name: str, change: Callable[[], object]) -> list[str]:
    """Make a change to the file `name` and wait for the rebuild that names it; what watch said meanwhile."""
    since = len(session.lines)
    change()

    def end() -> int | None:
        return next(
            (i for i in range(since, len(session.lines)) if f"  {name} · " in session.lines[i]),
            None,
        )

    session.wait(lambda: end() is not None, f"the rebuild after {name} changed")
    return session.lines[since : (end() or 0) + 1]


def test_a_deleted_picture_is_reported_in_the_entry_that_shows_it_once(tmp_path: Path) -> None:
    """Deleting a picture breaks the link of an entry that was not saved: reported once, as a build would; a save
    of that entry that keeps the broken link does not repeat it (it is counted); the picture back and deleted
    again: reported again."""
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "A drawing: ![the drawing](pic.png)")
    picture = s.entries / "pic.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    # The body is the file's fifth line, after the front matter's four.
    problem = (
        f"{s.entries.as_posix()}/2024-03-01-one.md:5: pic.png not found in the entries folder (a Markdown link's "
        "path starts from its entry's folder); it is shown as plain text; to find a file by its name in any "
        "folder, write ![[pic.png]]"
    )
    s.start()
    try:
        assert problem not in s.lines
        said = _rebuilt(s, "pic.png", picture.unlink)
        assert said.count(problem) == 1, said
        s.wait_text("2024-03-01-one", '<span class="unlinked">the drawing</span>')
        said = _rebuilt(
            s,
            "2024-03-01-one.md",
            lambda: write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "Still: ![it](pic.png)"),
        )
        assert problem not in said and said[-1].endswith(" · 1 earlier problem remains"), said
        said = _rebuilt(s, "pic.png", lambda: picture.write_bytes(b"\x89PNG\r\n\x1a\n"))
        assert problem not in said and "earlier problem" not in said[-1], said
        s.wait_text("2024-03-01-one", 'src="../attachments/pic.png"')
        said = _rebuilt(s, "pic.png", picture.unlink)
        assert said.count(problem) == 1, said
    finally:
        s.finish()


def test_an_entry_retitled_away_from_a_wikilink_is_reported_in_the_entry_that_links_to_it(tmp_path: Path) -> None:
    """Retitling "B entry" breaks [[B entry]] in another entry: reported once; another save of the retitled entry
    does not repeat it; the old title back fixes the link, and a new title again reports it again."""
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "See [[B entry]] for more.")
    write_entry(s.entries, "2024-03-02-b.md", "2024-03-02 09:00", "B entry", "Second words.")
    problem = (
        f"{s.entries.as_posix()}/2024-03-01-one.md:5: [[B entry]] matches no entry's file name or title, "
        "nor a file in the entries folder; it is shown as plain text"
    )
    s.start()
    try:
        assert problem not in s.lines
        for title, words, times in (
            ("C entry", "Second words.", 1),
            ("C entry", "Other words.", 0),
            ("B entry", "Other words.", 0),
            ("D entry", "Other words.", 1),
        ):
            save = functools.partial(write_entry, s.entries, "2024-03-02-b.md", "2024-03-02 09:00", title, words)
            said = _rebuilt(s, "2024-03-02-b.md", save)
            assert said.count(problem) == times, (title, words, said)
        s.wait_text("2024-03-01-one", '<span class="unlinked">B entry</span>')
    finally:
        s.finish()


def test_a_problem_reported_at_the_start_is_not_repeated_by_a_save_that_keeps_it(tmp_path: Path) -> None:
    """Reported as watch starts; not again when its entry is saved with it still there; fixed by an entry
    with that title, and reported again when that entry goes."""
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "See [[Nobody]].")
    problem = (
        f"{s.entries.as_posix()}/2024-03-01-one.md:5: [[Nobody]] matches no entry's file name or title, "
        "nor a file in the entries folder; it is shown as plain text"
    )
    s.start()
    try:
        assert s.lines.count(problem) == 1, s.lines
        said = _rebuilt(
            s,
            "2024-03-01-one.md",
            lambda: write_entry(s.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "See [[Nobody]], again."),
        )
        assert problem not in said, said
        said = _rebuilt(
            s,
            "2024-03-02-nobody.md",
            lambda: write_entry(s.entries, "2024-03-02-nobody.md", "2024-03-02 09:00", "Nobody", "Here now."),
        )
        assert problem not in said, said
        s.wait_text("2024-03-01-one", 'href="../entries/2024-03-02-nobody.html"')
        said = _rebuilt(s, "2024-03-02-nobody.md", (s.entries / "2024-03-02-nobody.md").unlink)
        assert said.count(problem) == 1, said
    finally:
        s.finish()


def test_a_problem_is_kept_by_its_own_file_not_by_one_whose_path_ends_the_same(tmp_path: Path) -> None:
    """A problem in xa/b.md, reported at the start, is not reported again when a/b.md is saved (problems are
    kept by file, not by how a path ends), and is still counted as remaining."""
    s = Session(tmp_path)
    s.templates.mkdir()
    write_entry(s.entries, "xa/b.md", "2024-03-01 09:00", "Far", "See [[Nobody]].")
    write_entry(s.entries, "a/b.md", "2024-03-02 09:00", "Near", "Nothing wrong.")
    problem = (
        f"{s.entries.as_posix()}/xa/b.md:5: [[Nobody]] matches no entry's file name or title, "
        "nor a file in the entries folder; it is shown as plain text"
    )
    s.start()
    try:
        assert s.lines.count(problem) == 1, s.lines
        save = functools.partial(write_entry, s.entries, "a/b.md", "2024-03-02 09:00", "Near", "Still fine.")
        said = _rebuilt(s, "a/b.md", save)
        assert problem not in said and said[-1].endswith(" · 1 earlier problem remains"), said
        save = functools.partial(write_entry, s.entries, "a/b.md", "2024-03-02 09:00", "Near", "See [[Nobody]] too.")
        said = _rebuilt(s, "a/b.md", save)
        assert problem not in said and any(line.startswith(f"{s.entries.as_posix()}/a/b.md:5: ") for line in said)
    finally:
        s.finish()


def test_site_apply_tells_the_problems_of_the_files_a_save_touched_by_file(tmp_path: Path) -> None:
    """Site.apply, watch's one door: what was written, and the problems of each file the save touched, keyed by
    the file as messages name it (a file with none has []); a file the save did not touch is not told."""
    write_entry(tmp_path / "entries", "xa/b.md", "2024-03-01 09:00", "Far", "See [[Nobody]].")
    write_entry(tmp_path / "entries", "a/b.md", "2024-03-02 09:00", "Near", "Nothing wrong.")
    config = load_config(tmp_path / "entries", tmp_path / "output")
    started: list[dict[str, int]] = []
    site, quick = start_watching(
        config,
        date(2024, 4, 1),
        lambda applied, quick: started.append({path: len(found) for path, found in applied.problems.items()}),
    )
    far, near = shown(config.entries_dir, "xa/b.md"), shown(config.entries_dir, "a/b.md")
    try:
        assert not quick and started == [{far: 1, near: 0}]  # a build reads every file
        write_entry(config.entries_dir, "a/b.md", "2024-03-02 09:00", "Near", "Other words.")
        applied = site.apply(Changes(entries={"a/b.md"}))
        assert applied.problems == {near: []} and applied.total == 1 and applied.written.written > 0
        write_entry(config.entries_dir, "a/b.md", "2024-03-02 09:00", "Near", "See [[Nobody]] as well.")
        applied = site.apply(Changes(entries={"a/b.md"}))
        assert list(applied.problems) == [near] and [p.line for p in applied.problems[near]] == [5]
        assert applied.total == 2 and applied.listed == applied.problems[near]
    finally:
        site.close()
