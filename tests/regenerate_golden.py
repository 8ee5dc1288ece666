"""Rebuild tests/golden/small/ from tests/journals/small/: `python -m tests.regenerate_golden`.

Run it after a deliberate change to the pages, then read the diff (`git diff tests/golden`)
before committing: the golden files are what test_golden.py holds every build to.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from generator.build import CACHE, BuildReport, build
from generator.config import load_config
from generator.output import MARKER

HERE = Path(__file__).resolve().parent
SMALL = HERE / "journals" / "small"
GOLDEN = HERE / "golden" / "small"
# "On this day" depends on the date of the build; the golden site is built on this day.
TODAY = date(2025, 3, 5)


def build_small(output: Path, journal: Path = SMALL) -> BuildReport:
    """Build the small test journal (or a copy of it) into `output`, as on TODAY."""
    config = load_config(journal / "entries", output, config_path=journal / "journal.yaml")
    return build(config, today=TODAY)


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path; left out are the marker (it records Interlude's
    version) and the build cache (file sizes, times and inodes: different on every machine)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (MARKER, CACHE)
    }


def main() -> None:
    """Replace the golden files with a fresh build."""
    with tempfile.TemporaryDirectory() as tmp:
        report = build_small(Path(tmp) / "site")
        if report.problems:
            raise SystemExit("the small journal has problems: " + "; ".join(p.show() for p in report.problems))
        files = site_files(Path(tmp) / "site")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, data in files.items():
        (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / rel).write_bytes(data)
    print(f"Wrote {len(files)} files to {GOLDEN.relative_to(HERE.parent)}/")


if __name__ == "__main__":
    main()
