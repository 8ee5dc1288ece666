"""Search in headless Chromium, from file://: how soon the index is ready, how long each query takes.

    python benchmarks/search_bench.py            # builds a synthetic 10,000-entry journal, prints figures
    python benchmarks/search_bench.py --size 1000

`measure(output_dir)` is what benchmarks/bench.py calls on a built site. Targets: ready within 1 s of
page load (or of the first focus of the header box, which is when other pages start loading it), each
query within 50 ms including rendering the results. Work files go to benchmarks/work/ (git-ignored)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Words of several frequencies, a prefix being typed, phrases, filters, and a miss: about 20 in all.
QUERIES = [
    "the",
    "i",
    "sleep",
    "anxiety",
    "kettle",
    "work meeting",
    "mum sister",
    "an",
    "sle",
    "anxi",
    '"the tram"',
    '"felt a"',
    "tag:sleep",
    "type:dream",
    "type:session tired",
    "tag:work tag:anxiety",
    "noword",
    "morning walk rain",
]
SAMPLED = 4  # plus this many words taken from the index itself (rare ones), so any journal is exercised


def _index_bytes(output_dir: Path) -> int:
    return sum(p.stat().st_size for p in (output_dir / "search").glob("*.js"))


def _time_queries(page: Any, selector: str, queries: list[str]) -> list[float]:
    """Milliseconds per query: set the box, fire `input`, and force layout of the rendered results."""
    times = []
    for query in queries:
        times.append(
            page.evaluate(
                """([selector, q]) => {
                const input = document.querySelector(selector);
                const t = performance.now();
                input.value = q;
                input.dispatchEvent(new Event("input", {bubbles: true}));
                void document.body.offsetHeight;
                return performance.now() - t;
            }""",
                [selector, query],
            )
        )
        page.evaluate(
            """(selector) => { const i = document.querySelector(selector); i.value = "";
                          i.dispatchEvent(new Event("input", {bubbles: true})); }""",
            selector,
        )
    return times


def measure(output_dir: Path) -> dict[str, float]:
    """Ready times and query times (ms) for the built site in output_dir, plus the index size."""
    from playwright.sync_api import sync_playwright

    output_dir = Path(output_dir).resolve()
    result: dict[str, float] = {"index_mb": _index_bytes(output_dir) / 2**20}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            # search.html loads the index at once: ready time from the start of navigation.
            page.goto((output_dir / "search.html").as_uri())
            page.wait_for_function(
                "() => window.interludeSearch && window.interludeSearch.state === 'ready'", timeout=30_000
            )
            result["page_ready_ms"] = page.evaluate(
                "performance.getEntriesByName('interlude-search-ready')[0].startTime"
            )
            queries = QUERIES + page.evaluate(f"window.interludeSearch.sample({SAMPLED})")
            _time_queries(page, "#search-q", ["warm up"])  # not counted: the first call compiles the code
            page_times = _time_queries(page, "#search-q", queries)
            pure = [
                page.evaluate(
                    """(q) => { const t = performance.now(); window.interludeSearch.search(q);
                                               return performance.now() - t; }""",
                    q,
                )
                for q in queries
            ]

            # Any other page loads the index on the first focus of the header box.
            page.goto((output_dir / "index.html").as_uri())
            page.wait_for_load_state("load")
            started = page.evaluate("performance.now()")
            page.focus("#site-search-input")
            page.wait_for_function("() => window.interludeSearch.state === 'ready'", timeout=30_000)
            result["focus_ready_ms"] = (
                page.evaluate("performance.getEntriesByName('interlude-search-ready')[0].startTime") - started
            )
            popup_times = _time_queries(page, "#site-search-input", queries)
        finally:
            browser.close()
    result.update(
        {
            "queries": float(len(queries)),
            "query_median_ms": statistics.median(page_times),
            "query_max_ms": max(page_times),
            "popup_median_ms": statistics.median(popup_times),
            "popup_max_ms": max(popup_times),
            "match_median_ms": statistics.median(pure),
            "match_max_ms": max(pure),
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--output", type=Path, help="measure an already built site instead")
    args = parser.parse_args()
    if args.output:
        output = args.output
    else:
        sys.path.insert(0, str(HERE.parent))
        from benchmarks.synthetic import make_journal
        from generator.build import build
        from generator.config import load_config

        journal = HERE / "work" / f"search-{args.size}"
        if not (journal / "entries").is_dir():
            make_journal(journal / "entries", args.size)
        output = journal / "output"
        started = time.perf_counter()
        build(load_config(journal / "entries", output))
        print(f"Built {args.size} entries in {time.perf_counter() - started:.1f} s")
        text = sum(p.stat().st_size for p in (journal / "entries").rglob("*.md"))
        print(
            f"Index {_index_bytes(output) / 2**20:.2f} MB for {text / 2**20:.2f} MB of entries: "
            f"ratio {_index_bytes(output) / text:.3f}"
        )
    for key, value in measure(output).items():
        print(f"  {key:18} {value:10.2f}")


if __name__ == "__main__":
    main()
