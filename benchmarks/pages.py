"""How heavy the pages of a long journal are: progress.html's size and SVG marks, the largest page of all.

    python benchmarks/pages.py [--entries 10000] [--years 20] [--pause 183]

Builds a deterministic synthetic journal (benchmarks/synthetic.py: by default 10,000 entries over 20 years with
a six-month pause halfway) in benchmarks/work/ and prints the figures the README gives. Not a test: sizes are
measured, and the targets (progress.html at most 300 KB and 4,000 marks, no page over 500 KB) are read off."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synthetic import make_journal  # noqa: E402
from generator.build import build  # noqa: E402
from generator.config import load_config  # noqa: E402

MARK = re.compile(r"<(?:circle|rect|line|polyline|polygon|path|text)\b")


def measure(output: Path) -> dict[str, object]:
    """progress.html's size and marks, the year pages' largest, and the largest page of the site."""
    progress = (output / "progress.html").read_bytes()
    pages = sorted(output.rglob("*.html"), key=lambda p: p.stat().st_size)
    years = sorted((output / "progress").glob("*.html"), key=lambda p: p.stat().st_size)
    return {
        "progress.html KB": round(len(progress) / 1024),
        "progress.html SVG marks": len(MARK.findall(progress.decode("utf-8"))),
        "year pages": len(years),
        "largest year page KB": round(years[-1].stat().st_size / 1024) if years else 0,
        "largest page": f"{pages[-1].relative_to(output)} ({round(pages[-1].stat().st_size / 1024)} KB)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--years", type=float, default=20)
    parser.add_argument("--pause", type=int, default=183, help="days without entries halfway")
    args = parser.parse_args()
    root = HERE / "work" / f"pages-{args.entries}-{args.years:g}y-{args.pause}d"
    if not (root / "entries").is_dir():
        make_journal(root / "entries", args.entries, years=args.years, pause_days=args.pause)
    if (root / "output").exists():
        shutil.rmtree(root / "output")
    build(load_config(root / "entries", root / "output"), cache=False)
    for name, value in measure(root / "output").items():
        print(f"{name}: {value}")
    opened = open_time(root / "output" / "progress.html")
    if opened is not None:
        print(f"progress.html open in headless Chromium (median of 5, load event): {opened:.2f} s")


def open_time(page: Path) -> float | None:
    """How long Chromium takes to open a page from disk to its load event, median of five; None without it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import statistics
    import time

    from benchmarks.search_bench import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        times = []
        for _ in range(5):
            tab = browser.new_page()
            started = time.perf_counter()
            tab.goto(page.as_uri(), wait_until="load")
            times.append(time.perf_counter() - started)
            tab.close()
        browser.close()
    return statistics.median(times)


if __name__ == "__main__":
    main()
