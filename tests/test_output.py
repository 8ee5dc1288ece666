"""write_site: private modes, atomic swap, the marker file, and refusing folders that are not ours."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator import output as output_module
from generator.errors import OutputError
from generator.output import MARKER, check_output_dir, read_manifest, write_site
from tests.helpers import as_ordinary_user

SITE = {"index.html": b"<p>home</p>", "entries/2024-03-05-a.html": b"<p>a</p>", "static/style.css": b"body{}"}


ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (the marker included) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def entries(tmp_path: Path) -> Path:
    folder = tmp_path / "entries"
    folder.mkdir()
    (folder / "2024-03-05-a.md").write_text("Text.\n", encoding="utf-8")
    return folder


def test_writes_every_file_private(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    report = write_site(output, entries, SITE)
    assert (report.written, report.unchanged, report.removed) == (3, 0, 0)
    written = tree(output)
    assert {k: v for k, v in written.items() if k != MARKER} == SITE
    for path in [output, *output.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert sorted(read_manifest(output)) == sorted(SITE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]  # no staging left


def test_second_write_removes_pages_no_longer_present(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    smaller = {"index.html": b"<p>home, again</p>", "static/style.css": b"body{}"}
    report = write_site(output, entries, smaller)
    assert (report.written, report.unchanged, report.removed) == (1, 1, 1)
    assert {k: v for k, v in tree(output).items() if k != MARKER} == smaller
    assert not (output / "entries").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_unchanged_file_keeps_private_mode(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    write_site(output, entries, SITE)
    assert stat.S_IMODE((output / "static" / "style.css").stat().st_mode) == 0o600
    assert (output / "static" / "style.css").read_bytes() == b"body{}"


def test_refuses_a_folder_with_foreign_files(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "documents"
    output.mkdir()
    (output / "taxes.pdf").write_bytes(b"%PDF")
    with pytest.raises(OutputError, match="did not make"):
        write_site(output, entries, SITE)
    assert tree(output) == {"taxes.pdf": b"%PDF"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "entries"]


def test_an_empty_existing_folder_is_used(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    write_site(output, entries, SITE)
    assert (output / "index.html").read_bytes() == b"<p>home</p>"


@pytest.mark.parametrize("where", ["same", "parent", "inside", "deep inside"])
def test_refuses_output_that_holds_or_is_inside_entries(tmp_path: Path, entries: Path, where: str) -> None:
    output = {
        "same": entries,
        "parent": tmp_path,
        "inside": entries / "site",
        "deep inside": entries / "2024" / "site",
    }[where]
    before = tree(tmp_path)
    with pytest.raises(OutputError, match="entries folder"):
        write_site(output, entries, SITE)
    assert tree(tmp_path) == before


def test_refuses_entries_reached_through_a_symlink(tmp_path: Path, entries: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(entries)
    with pytest.raises(OutputError, match="entries folder"):
        check_output_dir(link / "site", entries)


def test_refuses_a_file_as_output(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    output.write_bytes(b"not a folder")
    with pytest.raises(OutputError, match="not a folder"):
        write_site(output, entries, SITE)
    assert output.read_bytes() == b"not a folder"


def test_leftover_staging_folder_is_replaced(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    staging = tmp_path / ".output.interlude-new"  # what a build killed while writing leaves
    (staging / "entries").mkdir(parents=True)
    (staging / MARKER).write_bytes(b"{}")
    (staging / "entries" / "half.html").write_bytes(b"<p>ha")
    write_site(output, entries, {"index.html": b"new"})
    assert {k: v for k, v in tree(output).items() if k != MARKER} == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_empty_leftover_staging_folder_is_replaced(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    (tmp_path / ".output.interlude-new").mkdir()  # killed between making the folder and claiming it
    write_site(output, entries, SITE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_foreign_folder_in_the_staging_place_is_not_deleted(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    staging = tmp_path / ".output.interlude-new"
    staging.mkdir()
    (staging / "mine.txt").write_bytes(b"keep me")
    with pytest.raises(OutputError, match="not made by Interlude"):
        write_site(output, entries, {"index.html": b"new"})
    assert tree(staging) == {"mine.txt": b"keep me"}
    assert (output / "index.html").read_bytes() == b"<p>home</p>"


def test_swap_killed_halfway_brings_the_previous_site_back(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    before = tree(output)
    output.rename(tmp_path / ".output.interlude-old")  # killed after moving the old site aside
    with pytest.raises(OutputError):  # this build fails too, after recovering
        write_site(output, entries, {"a": b"x", "a/b.html": b"y"})
    assert tree(output) == before
    write_site(output, entries, {"index.html": b"new"})
    assert {k: v for k, v in tree(output).items() if k != MARKER} == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_swap_without_renameat2(tmp_path: Path, entries: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system cannot exchange two folders at once (macOS, some file systems): rename twice."""
    monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    write_site(output, entries, {"index.html": b"new"})
    assert {k: v for k, v in tree(output).items() if k != MARKER} == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_failure_while_writing_keeps_the_previous_site(tmp_path: Path, entries: Path) -> None:
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    before = tree(output)
    # "a" is written as a file, so "a/b.html" cannot be: an OSError halfway through the write.
    with pytest.raises(OutputError, match="previous site is unchanged"):
        write_site(output, entries, {"index.html": b"new", "a": b"x", "a/b.html": b"y"})
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]


def test_output_whose_parent_is_a_file(tmp_path: Path, entries: Path) -> None:
    """A parent no one can write to, not even root: it is a file."""
    (tmp_path / "blocker").write_bytes(b"file")
    with pytest.raises(OutputError, match="cannot write the site"):
        write_site(tmp_path / "blocker" / "output", entries, SITE)
    assert (tmp_path / "blocker").read_bytes() == b"file"


def test_unwritable_parent_keeps_the_previous_site(tmp_path: Path, entries: Path) -> None:
    parent = tmp_path / "sites"
    output = parent / "output"
    write_site(output, entries, SITE)
    before = tree(output)
    parent.chmod(0o500)
    attempt = (
        "import sys; from pathlib import Path; from generator.errors import OutputError;"
        "from generator.output import write_site\n"
        "try:\n write_site(Path(sys.argv[1]), Path(sys.argv[2]), {'index.html': b'new'})\n"
        "except OutputError as error:\n print(error)"
    )
    try:
        done = subprocess.run(
            as_ordinary_user([sys.executable, "-c", attempt, str(output), str(entries)]),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    finally:
        parent.chmod(0o700)
    assert "previous site is unchanged" in done.stdout, done.stderr
    assert tree(output) == before
    assert sorted(p.name for p in parent.iterdir()) == ["output"]


def _build_as_ordinary_user(journal: Path) -> subprocess.CompletedProcess[str]:
    """`interlude build` in the journal's folder, without root's power over file modes."""
    return subprocess.run(
        as_ordinary_user([sys.executable, "-m", "generator", "build"]),
        cwd=journal,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under `folder` (itself included): its mode, and a file's bytes."""
    return {
        p.relative_to(folder.parent).as_posix(): (
            stat.S_IMODE(p.lstat().st_mode),
            p.read_bytes() if p.is_file() else b"",
        )
        for p in [folder, *sorted(folder.rglob("*"))]
    }


def test_a_read_only_output_folder_fails_cleanly_and_the_build_after_fixing_it_succeeds(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    (journal / "entries").mkdir(parents=True)
    (journal / "entries" / "2024-03-05-a.md").write_text("---\ntitle: A\n---\nFirst.\n", encoding="utf-8")
    assert _build_as_ordinary_user(journal).returncode == 0
    output = journal / "output"
    output.chmod(0o555)
    before = _state(output)
    (journal / "entries" / "2024-03-05-a.md").write_text("---\ntitle: A\n---\nChanged.\n", encoding="utf-8")
    try:
        for _ in range(2):  # and again: a failed build leaves nothing that makes the next one fail differently
            done = _build_as_ordinary_user(journal)
            assert done.returncode == 2, done.stderr
            assert done.stderr == (
                "interlude: cannot write the site to output: Permission denied; the previous site is unchanged\n"
            )
            assert _state(output) == before
            assert sorted(p.name for p in journal.iterdir()) == ["entries", "output"]
    finally:
        output.chmod(0o755)
    done = _build_as_ordinary_user(journal)
    assert done.returncode == 0, done.stderr
    assert "Changed." in (output / "entries" / "2024-03-05-a.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in journal.iterdir()) == ["entries", "output"]


def test_a_read_only_folder_left_by_an_earlier_build_is_cleared(tmp_path: Path, entries: Path) -> None:
    """An earlier version could leave the old site, made read-only, in the staging place; it must not block builds."""
    output = tmp_path / "output"
    write_site(output, entries, SITE)
    staging = tmp_path / ".output.interlude-new"
    write_site(staging, entries, SITE)
    (staging / "entries").chmod(0o555)
    staging.chmod(0o555)
    attempt = (
        "import sys; from pathlib import Path; from generator.output import write_site\n"
        "write_site(Path(sys.argv[1]), Path(sys.argv[2]), {'index.html': b'new'})"
    )
    done = subprocess.run(
        as_ordinary_user([sys.executable, "-c", attempt, str(output), str(entries)]),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert {k: v for k, v in tree(output).items() if k != MARKER} == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "output"]
