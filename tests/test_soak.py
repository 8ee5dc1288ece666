"""A long watch session: hundreds of saves in bursts, in every way editors save, against a real `watch`.
Afterwards the output equals a fresh build's, watch is still running, and it uses no CPU while nothing changes."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import Session, fresh_live_build, site_files, without_moves

BURSTS = 60
SAVES_PER_BURST = 10
TITLES = ["Walk", "Sleep", "Work", "A long day", "Session notes", "Dream"]  # few: same-day, same-title entries happen
FOLDERS = ["", "2024/", "2024/05/", "dreams/"]
SENTINEL = "2024-07-01-sentinel.md"


class Journal:
    """The entries the test has made, and how to change them as an editor would."""

    def __init__(self, entries: Path, seed: int):
        self.entries = entries
        self.random = random.Random(seed)
        self.good: list[str] = []  # entries that read
        self.bad: list[str] = []  # entries saved broken, to be fixed later
        self.count = 0  # versions written
        self.changes = 0  # saves, deletes, renames

    def text(self) -> str:
        """A new version of an entry: date, title, tags, a metric, a body no other version has."""
        self.count += 1
        r = self.random
        day = f"2024-{r.randint(4, 6):02d}-{r.randint(1, 3):02d}"
        time_of_day = r.choice(["", f" {r.randint(6, 23):02d}:{r.choice(['00', '30'])}"])
        tags = ", ".join(r.sample(["sleep", "work", "family", "Work", "sea"], r.randint(0, 3)))
        kind = r.choice(["reflection", "reflection", "session", "dream"])
        return (
            f"---\ntitle: {r.choice(TITLES)}\ndate: {day}{time_of_day}\ntype: {kind}\ntags: [{tags}]\n"
            f"mood: {r.randint(1, 10)}\ndiscuss: {r.choice(['true', 'false'])}\n---\n\nVersion {self.count}.\n"
        )

    def new_name(self) -> str:
        """A file that does not exist yet, in one of a few folders."""
        while True:
            rel = f"{self.random.choice(FOLDERS)}e{self.random.randint(0, 10**6)}.md"
            if not (self.entries / rel).exists():
                return rel

    def path(self, rel: str) -> Path:
        path = self.entries / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    # --- the ways editors save ---------------------------------------------------------------------------------

    def in_place(self, rel: str, text: str) -> None:
        """nano, vim with backupcopy=yes: truncate and write, here in two chunks with a flush between."""
        with open(self.path(rel), "w", encoding="utf-8") as handle:
            handle.write(text[: len(text) // 2])
            handle.flush()
            handle.write(text[len(text) // 2 :])

    def temporary_then_rename(self, rel: str, text: str) -> None:
        """VS Code, gedit, Sublime: a temporary file beside it, renamed over it."""
        path = self.path(rel)
        temporary = path.with_name(f".{path.name}.tmp{self.count}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def vim(self, rel: str, text: str) -> None:
        """vim's default: swap file, the 4913 probe, the old file moved to a backup, a new file, backup removed."""
        path = self.path(rel)
        swap = path.with_name(f".{path.name}.swp")
        swap.write_bytes(b"b0VIM 9.0\x00" * 50)
        probe = path.with_name("4913")
        probe.write_bytes(b"")
        probe.unlink()
        backup = path.with_name(path.name + "~")
        if path.exists():
            os.replace(path, backup)
        path.write_text(text, encoding="utf-8")
        backup.unlink(missing_ok=True)
        swap.unlink()

    def emacs(self, rel: str, text: str) -> None:
        """Emacs: a lock symlink (dangling), an autosave file, the first save renames the old file to name~
        (which stays), then the lock and the autosave go."""
        path = self.path(rel)
        lock = path.with_name(f".#{path.name}")
        lock.unlink(missing_ok=True)
        lock.symlink_to(f"me@host.{os.getpid()}:1700000000")
        autosave = path.with_name(f"#{path.name}#")
        autosave.write_text(text[:20], encoding="utf-8")
        if path.exists():
            os.replace(path, path.with_name(path.name + "~"))
        path.write_text(text, encoding="utf-8")
        autosave.unlink()
        lock.unlink()

    # --- what a burst is made of -------------------------------------------------------------------------------

    def save(self) -> None:
        """Edit an entry, or start a new one, saving it one of the editors' ways."""
        rel = self.random.choice(self.good) if self.good and self.random.random() < 0.7 else self.new_name()
        self.random.choice([self.in_place, self.temporary_then_rename, self.vim, self.emacs])(rel, self.text())
        if rel not in self.good:
            self.good.append(rel)

    def delete(self) -> None:
        if self.good:
            rel = self.good.pop(self.random.randrange(len(self.good)))
            (self.entries / rel).unlink()

    def rename(self) -> None:
        if self.good:
            rel = self.good.pop(self.random.randrange(len(self.good)))
            new = self.new_name()
            os.replace(self.entries / rel, self.path(new))
            self.good.append(new)

    def rename_folder(self) -> None:
        """A folder of entries moved: watch has to look at everything again."""
        folder = self.entries / "dreams"
        if folder.is_dir():
            target = self.entries / f"dreams-{self.count}"
            os.replace(folder, target)
            self.good = [
                f"{target.name}/{rel[len('dreams/') :]}" if rel.startswith("dreams/") else rel for rel in self.good
            ]
            self.count += 1

    def break_one(self) -> None:
        """Saved half-written: front matter that does not parse, or bytes that are not text."""
        rel = self.random.choice(self.good) if self.good else self.new_name()
        if rel in self.good:
            self.good.remove(rel)
        broken = self.random.choice(
            [
                b"---\ntitle: [unclosed\ndate: 2024-05-01\n---\nHalf.\n",
                b"---\ntitle: x\n",
                b"\xff\xfe\x00garbage",
                b"---\ndate: 2024-02-30\n---\n",
            ]
        )
        self.path(rel).write_bytes(broken)
        self.bad.append(rel)

    def fix_one(self) -> None:
        if self.bad:
            rel = self.bad.pop(0)
            self.random.choice([self.in_place, self.temporary_then_rename, self.vim, self.emacs])(rel, self.text())
            self.good.append(rel)

    def burst(self, number: int) -> None:
        """A burst of saves, then the sentinel: once its page shows this burst, watch has seen all of it."""
        actions: list[tuple[Callable[[], None], int]] = [
            (self.save, 12),
            (self.delete, 2),
            (self.rename, 2),
            (self.break_one, 1),
            (self.fix_one, 2),
            (self.rename_folder, 1 if number % 10 == 5 else 0),
        ]
        for _ in range(SAVES_PER_BURST - 1):
            self.random.choices([a for a, _ in actions], [w for _, w in actions])[0]()
            self.changes += 1
        if number == BURSTS - 1:
            self.break_one()  # the session ends with a file still broken
        self.in_place(SENTINEL, f"---\ntitle: Sentinel\ndate: 2024-07-01\n---\nBurst {number}.\n")


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Session, Journal]]:
    """A journal of 20 entries and a watch running over it."""
    session = Session(tmp_path)
    session.templates.mkdir()
    journal = Journal(session.entries, seed=0)
    for _ in range(20):
        journal.save()
    journal.in_place(SENTINEL, "---\ntitle: Sentinel\ndate: 2024-07-01\n---\nStart.\n")
    session.start()
    yield session, journal
    session.finish()


def test_a_long_session_ends_where_a_fresh_build_starts_and_then_idles(
    watched: tuple[Session, Journal], tmp_path: Path
) -> None:
    session, journal = watched
    for number in range(BURSTS):
        journal.burst(number)
        session.wait_text("2024-07-01-sentinel", f"Burst {number}.")
    assert journal.changes >= 500 and journal.bad
    session.settle()
    assert session.thread is not None and session.thread.is_alive() and session.error is None
    assert not any("rebuild failed" in line or "Traceback" in line for line in session.lines)
    assert any(journal.bad[-1] in line for line in session.lines)  # the broken file was reported
    # A broken file keeps its last good page while watching (a fresh build leaves it out): mend them all, then compare.
    while journal.bad:
        journal.fix_one()
    journal.in_place(SENTINEL, "---\ntitle: Sentinel\ndate: 2024-07-01\n---\nMended.\n")
    session.wait_text("2024-07-01-sentinel", "Mended.")
    session.settle()
    fresh = fresh_live_build(session.config(), tmp_path / "fresh")
    assert sum(rel.startswith("entries/") for rel in fresh) == len(journal.good) + 1  # the sentinel too
    # The live stamp also lists the pages that moved during the session (a fresh build has seen none move).
    assert without_moves(site_files(tmp_path / "output")) == without_moves(fresh)
    started = time.process_time()
    time.sleep(1.5)
    assert time.process_time() - started < 0.1, "watch uses CPU while nothing changes"
    assert session.thread.is_alive()
