"""A journal full of bad input, built once through the CLI: every bad file is one line naming it (and its
line where known), every good file still gets its page, and nothing else is read or written.

The folder is tests/journals/bad/entries; what the build must give is tests/journals/bad/expected.json.
Adding a case is adding a file there and a line to expected.json."""

from __future__ import annotations

import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

HERE = Path(__file__).parent / "journals" / "bad"
EXPECTED: dict[str, Any] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
BIG_ENTRY_BYTES = 2_500_000


def several_megabytes(path: Path) -> None:
    """An entry of a few megabytes: a long pasted text, in paragraphs, with some Markdown."""
    paragraph = "A *long* night.\n" + "".join(
        f"Line {n} of it, written down before it fades away.\n" for n in range(40)
    )
    count = BIG_ENTRY_BYTES // len(paragraph) + 1
    body = "\n".join(paragraph for _ in range(count)) + "\nThe end of the long entry.\n"
    path.write_text("---\ntitle: Several megabytes\ndate: 2024-03-20 23:00\n---\n" + body, encoding="utf-8")


GENERATED: dict[str, Callable[[Path], None]] = {
    "2024-03-20-several-megabytes.md": several_megabytes,
    ".#2024-03-01-plain.md": lambda path: path.symlink_to("user@host.1234:1700000000"),  # Emacs's lock, dangling
    "2024/loop": lambda path: path.symlink_to(".."),  # a symlink loop: the folder holding it
}


def test_generated_files_are_the_ones_expected_names() -> None:
    assert sorted(GENERATED) == sorted(EXPECTED["generated"])


def test_bad_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Built once; each part of the outcome is checked by one function below."""
    shutil.copytree(HERE / "entries", tmp_path / "entries", symlinks=True)
    for rel, make in GENERATED.items():
        make(tmp_path / "entries" / rel)
    monkeypatch.chdir(tmp_path)
    code = main(["build", "--entries", "entries", "--output", "output"])
    out, err = capsys.readouterr()
    assert code == EXPECTED["exit"]
    assert out.startswith(f"Built {len(EXPECTED['pages'])} entries into output/")
    check_problems(err)
    check_pages(tmp_path / "output" / "entries")
    check_names(tmp_path)
    check_every_file_accounted_for(tmp_path / "entries")


def check_problems(err: str) -> None:
    """Every problem is one line naming its file (and line), and no other line is printed."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1] == f"{len(EXPECTED['problems'])} problems listed above; the rest of the journal was built."
    shown = lines[:-1]
    for problem in EXPECTED["problems"]:
        where = f"entries/{problem['file']}" + (f":{problem['line']}" if problem["line"] else "")
        mine = [line for line in shown if line.startswith(f"{where}: ")]
        assert len(mine) == 1, (where, shown)
        assert problem["message"] in mine[0]
    assert len(shown) == len(EXPECTED["problems"]), shown


def check_pages(pages: Path) -> None:
    """Exactly the good entries have pages, with their titles as written."""
    assert sorted(p.name for p in pages.iterdir()) == sorted(f"{key}.html" for key in EXPECTED["pages"].values())
    for source, title in EXPECTED["titles"].items():
        page = pages / f"{EXPECTED['pages'][source]}.html"
        assert f"<h1>{html.escape(title, quote=False)}</h1>" in page.read_text(encoding="utf-8"), source
    big = (pages / "2024-03-20-several-megabytes.html").read_text(encoding="utf-8")
    assert len(big) > BIG_ENTRY_BYTES and "The end of the long entry." in big


def check_names(root: Path) -> None:
    """Every file written is inside the output, with a short name; nothing is written beside it."""
    assert sorted(p.name for p in root.iterdir()) == ["entries", "output"]
    output = (root / "output").resolve()
    for path in output.rglob("*"):
        assert output in path.resolve().parents
        assert len(path.name) <= 80, path.name


def check_every_file_accounted_for(entries: Path) -> None:
    """A file neither built, nor reported, nor deliberately ignored would be silently lost."""
    files = set()
    for folder, _, names in os.walk(entries):  # symlinks to folders (the loop) are not followed
        files.update(Path(folder, name).relative_to(entries).as_posix() for name in names)
    failed = {p["file"] for p in EXPECTED["problems"]} - set(EXPECTED["pages"])
    assert files == failed | set(EXPECTED["pages"]) | set(EXPECTED["ignored"])
