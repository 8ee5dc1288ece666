"""Faults: a build killed at any moment, a full or unwritable disk, an output folder that must not be used.
Each leaves the previous site exactly as it was, and the next normal build is right."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator import output as output_module
from generator.build import CACHE, build
from generator.cli import main
from generator.config import load_config
from generator.output import MARKER, write_site
from generator.render import default_theme
from tests.helpers import write_entry

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 450  # enough pages (≥ 400) for a build to share rendering with its worker processes, as large journals do


def make_journal(root: Path, changed: bool = False, count: int = ENTRIES) -> Path:
    """A generated journal in root/entries; `changed` gives journal B: edits, deletions, additions, new settings."""
    entries = root / "entries"
    for i in range(count):
        if changed and i % 10 == 3:
            continue  # deleted in B
        day = f"2024-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        words = f"Entry {i}, {'edited in B' if changed and i % 7 == 0 else 'as first written'}. " * 20
        write_entry(
            entries,
            f"{day[:7]}/{day}-e{i}.md",
            f"{day} {8 + i % 12:02d}:00",
            f"Entry {i}",
            words,
            mood=str(1 + i % 10),
            tags=f"[t{i % 15}, x{i % 4}]",
            type="session" if i % 9 == 0 else "reflection",
        )
    if changed:
        for i in range(20):
            write_entry(entries, f"new/2024-05-{1 + i:02d}-n{i}.md", f"2024-05-{1 + i:02d} 07:00", f"New {i}", "Added.")
        (root / "journal.yaml").write_text(
            "title: Journal B\nmetrics:\n  mood: {label: Mood, min: 1, max: 10}\n"
            "  focus: {label: Focus, min: 0, max: 5}\n",
            encoding="utf-8",
        )
    return entries


def site(folder: Path) -> dict[str, bytes]:
    """What a reader sees: every file and its bytes, without the marker and the cache."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (MARKER, CACHE)
    }


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, marker and cache included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- a build killed at any moment -------------------------------------------------------------------------------


class Run:
    """`python -m generator build` of journal B over an output folder, in a subprocess that can be killed."""

    def __init__(self, root: Path, b: Path, output: Path):
        self.output = output
        self.staging = output.parent / f".{output.name}.interlude-new"
        self.argv = [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--entries",
            str(b / "entries"),
            "--output",
            str(output),
            "--templates",
            str(root / "theme"),
            "--config",
            str(b / "journal.yaml"),
        ]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.cwd = root

    def complete(self) -> float:
        """Run to the end; how long it took."""
        started = time.monotonic()
        subprocess.run(self.argv, env=self.env, cwd=self.cwd, check=True, capture_output=True, timeout=120)
        return time.monotonic() - started

    def killed_when(self, moment: Moment) -> None:
        """Start the build and SIGKILL it (only it, not its workers) at the moment, or once it has ended."""
        now = moment()
        process = subprocess.Popen(
            self.argv, env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while process.poll() is None and not now() and time.monotonic() < deadline:
            time.sleep(0.0005)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)

    def leftover_processes(self) -> list[str]:
        """Processes of a killed build still running (forked workers carry their parent's command line)."""
        found = []
        for entry in Path("/proc").iterdir() if Path("/proc/self").exists() else []:
            try:
                if str(self.output).encode() in (entry / "cmdline").read_bytes():
                    found.append(entry.name)
            except OSError:
                continue
        return found


Moment = Callable[[], Callable[[], bool]]  # called as the build starts; returns "is it time yet?"


def _inode(path: Path) -> int | None:
    """A folder's inode number, which changes when another folder is swapped into its place."""
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def after(seconds: float) -> Moment:
    """A fixed time after the build started."""

    def start() -> Callable[[], bool]:
        begun = time.monotonic()
        return lambda: time.monotonic() >= begun + seconds

    return start


def in_new_staging(run: Run, ready: Callable[[Path], bool]) -> Moment:
    """When this build's staging folder shows something (a folder a previous kill left is removed first)."""

    def start() -> Callable[[], bool]:
        gone = not run.staging.exists()

        def now() -> bool:
            nonlocal gone
            if not gone:
                gone = not run.staging.exists()
                return False
            try:
                return run.staging.exists() and ready(run.staging)
            except OSError:
                return False

        return now

    return start


def swapped(run: Run) -> Moment:
    """Just after the new site took the old one's place."""

    def start() -> Callable[[], bool]:
        old = _inode(run.output)
        return lambda: _inode(run.output) != old

    return start


def moments(run: Run, full: float) -> list[tuple[str, Moment]]:
    """When to kill: spread over the run (reading, rendering), then at points the files show, up to the swap."""
    spread: list[tuple[str, Moment]] = [
        (f"{f:.0%} in", after(f * full)) for f in (0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85)
    ]
    return spread + [
        ("as the staging folder is made", in_new_staging(run, lambda staging: True)),
        ("with 100 pages rendered", in_new_staging(run, lambda staging: len(os.listdir(staging / "entries")) >= 100)),
        # Only the marker written just before the swap says which version made it.
        (
            "just before the swap",
            in_new_staging(run, lambda staging: b'"version"' in (staging / MARKER).read_bytes()[:100]),
        ),
        ("just after the swap", swapped(run)),
    ]


def test_a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix(tmp_path: Path) -> None:
    shutil.copytree(default_theme(), tmp_path / "theme")  # the whole theme, so the sites cannot change under the test
    make_journal(tmp_path / "A")
    b = tmp_path / "B"
    make_journal(b, changed=True)
    output, snapshot = tmp_path / "output", tmp_path / "snapshot"
    build(load_config(tmp_path / "A" / "entries", snapshot, tmp_path / "theme"))
    build(load_config(b / "entries", tmp_path / "fresh-b", tmp_path / "theme", b / "journal.yaml"), cache=False)
    site_a, site_b = site(snapshot), site(tmp_path / "fresh-b")
    assert site_a != site_b and len(site_b) > 400
    run = Run(tmp_path, b, output)
    shutil.copytree(snapshot, output)
    full = run.complete()
    assert site(output) == site_b
    seen = []
    for label, moment in moments(run, full):
        shutil.rmtree(output)
        shutil.copytree(snapshot, output)  # a staging folder a previous kill left stays: the next build must cope
        run.killed_when(moment)
        assert output.is_dir(), f"killed {label}: the output folder is missing"
        now = site(output)
        assert now in (site_a, site_b), f"killed {label}: the output is a mix of the old and the new site"
        seen.append("A" if now == site_a else "B")
        deadline = time.monotonic() + 5
        while run.leftover_processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not run.leftover_processes(), f"killed {label}: worker processes outlived the build"
    assert seen[0] == "A" and seen[-1] == "B", seen
    run.complete()  # a normal build after the last kill
    assert site(output) == site_b
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A", "B", "fresh-b", "output", "snapshot", "theme"]


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even the build's own clean-up."""


class MarkerFirst:
    """A folder listing with the marker first, as some file systems give it (the order is theirs to choose)."""

    def __init__(self, listing: Iterator[os.DirEntry[str]]):
        self.entries = sorted(listing, key=lambda entry: entry.name != MARKER)
        getattr(listing, "close", lambda: None)()

    def __enter__(self) -> MarkerFirst:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def close(self) -> None:
        """Nothing to release: the listing was read whole."""


def test_a_build_killed_while_removing_the_old_site_does_not_block_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the swap, the old site is deleted file by file; a kill at any of those files must leave
    something the next build recognises as its own (the marker goes last)."""
    entries = tmp_path / "entries"
    entries.mkdir()
    old = {f"entries/{n}.html": b"x" * n for n in range(1, 20)} | {"index.html": b"old", "static/a.css": b"a"}
    unlink, scandir = os.unlink, os.scandir
    monkeypatch.setattr(output_module, "_cleanup", lambda output: None)
    monkeypatch.setattr(os, "scandir", lambda *args: MarkerFirst(scandir(*args)))
    for cut in range(1, 100):
        output = tmp_path / f"output{cut}"
        write_site(output, entries, old)
        calls = 0

        def cut_short(*args, cut=cut, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            if calls == cut:
                raise Killed
            return unlink(*args, **kwargs)

        monkeypatch.setattr(os, "unlink", cut_short)
        try:
            write_site(output, entries, {"index.html": b"new"})
            break  # the removal had fewer files than `cut`: every point was tried
        except Killed:
            pass
        finally:
            monkeypatch.setattr(os, "unlink", unlink)
        write_site(output, entries, {"index.html": b"newer"})
        assert tree(output).keys() == {MARKER, "index.html"} and (output / "index.html").read_bytes() == b"newer"
        assert not (tmp_path / f".output{cut}.interlude-new").exists()
    assert cut > len(old)


# --- a full or unwritable disk ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small journal (pages written one by one) and a large one (shared with worker processes), each built once."""
    roots = {"small": tmp_path_factory.mktemp("small"), "large": tmp_path_factory.mktemp("large")}
    make_journal(roots["small"], count=30)
    make_journal(roots["large"])
    for root in roots.values():
        build(load_config(root / "entries", root / "output"))
    return roots


def fill_disk(monkeypatch: pytest.MonkeyPatch, code: int, after: int | str) -> Callable[[], None]:
    """Make writing fail with `code` after `after` files (or only for the cache); returns the undo.
    Only output.py writes (the worker processes write a build's pages with its write_file too, forked after the
    patch), so patching it there is enough."""
    real = output_module.write_file
    written = 0

    def failing(path: Path, data: bytes) -> None:
        nonlocal written
        written += 1
        if ("interlude-cache" in path.name) if after == "cache" else written > int(after):
            raise OSError(code, os.strerror(code), str(path))
        real(path, data)

    def undo() -> None:
        monkeypatch.setattr(output_module, "write_file", real)

    monkeypatch.setattr(output_module, "write_file", failing)
    return undo


def changed_copy(built: Path, tmp_path: Path, size: str) -> list[str]:
    """The built site copied into tmp_path and its journal changed; the CLI arguments that build it.
    The small journal gets one entry edited; the large one new settings (every page again, no entry re-read)."""
    shutil.copytree(built / "output", tmp_path / "output")
    if size == "large":
        (tmp_path / "journal.yaml").write_text("title: A new title on every page\n", encoding="utf-8")
        return ["build", "--entries", str(built / "entries"), "--config", "journal.yaml"]
    shutil.copytree(built / "entries", tmp_path / "entries")
    write_entry(tmp_path / "entries", "2024-01/2024-01-05-e4.md", "2024-01-05 12:00", "Entry 4", "Edited.")
    return ["build"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES], ids=["ENOSPC", "EACCES"])
@pytest.mark.parametrize(
    "size, after",
    [
        ("small", 0),  # the very first file: the staging folder's marker
        ("small", 3),  # some pages written
        ("small", "cache"),  # everything but the cache, just before the swap
        ("large", 3),  # this process and the workers all fail
        ("large", 200),  # workers fail after 200 files; this process finishes its own pages
    ],
)
def test_a_full_or_unwritable_disk_keeps_the_previous_site(
    built_journals: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    size: str,
    after: int | str,
) -> None:
    argv = changed_copy(built_journals[size], tmp_path, size)
    before = sorted(p.name for p in tmp_path.iterdir())
    site_before = tree(tmp_path / "output")
    fill_disk(monkeypatch, code, after)
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    _out, err = capsys.readouterr()
    assert err == f"interlude: cannot write the site to output: {os.strerror(code)}; the previous site is unchanged\n"
    assert tree(tmp_path / "output") == site_before
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no staging folder left behind


@pytest.mark.parametrize("size", ["small", "large"])
def test_after_a_full_disk_the_next_build_is_whole(
    built_journals: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    size: str,
) -> None:
    argv = changed_copy(built_journals[size], tmp_path, size)
    undo = fill_disk(monkeypatch, errno.ENOSPC, 3)
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    undo()
    assert main(argv) == 0
    entries = Path(argv[2]) if size == "large" else tmp_path / "entries"
    config = tmp_path / "journal.yaml" if size == "large" else None
    build(load_config(entries, tmp_path / "cold", config_path=config), cache=False)
    assert site(tmp_path / "output") == site(tmp_path / "cold")


# --- an output folder that must not be used -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "output, message",
    [
        ("entries", "holds the entries folder"),
        (".", "holds the entries folder"),
        ("..", "holds the entries folder"),
        ("entries/2024/site", "is inside the entries folder"),
        ("documents", "holds files Interlude did not make"),
        ("dotfiles", "holds files Interlude did not make"),
        ("notes.txt", "is not a folder"),
    ],
)
def test_an_output_folder_that_would_put_files_at_risk_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    journal = tmp_path / "journal"
    write_entry(journal / "entries", "2024/2024-03-05-walk.md", "2024-03-05", "Walk")
    (journal / "documents").mkdir()
    (journal / "documents" / "taxes.pdf").write_bytes(b"%PDF")
    (journal / "dotfiles" / ".git").mkdir(parents=True)
    (journal / "dotfiles" / ".git" / "HEAD").write_bytes(b"ref: refs/heads/main\n")
    (journal / "notes.txt").write_bytes(b"notes")
    before = tree(tmp_path)
    monkeypatch.chdir(journal)
    assert main(["build", "--output", output]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("interlude: ") and message in err and len(err.splitlines()) == 1, err
    assert tree(tmp_path) == before  # nothing deleted, nothing added
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal"]
