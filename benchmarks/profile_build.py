"""Where a cold build's time goes: cProfile in the build process and in each worker process, summed by phase.

    python benchmarks/profile_build.py benchmarks/work/journal-10000-linked/entries   # a cold build into a temporary folder
    python benchmarks/profile_build.py ENTRIES --top 40                             # and each process's 40 costliest calls
    KEEP_PROFILE=1 python benchmarks/profile_build.py ENTRIES                      # keep the .prof files (for pstats)

A phase is the time spent inside the functions PHASES names for it, less the phases nested in them, so the phases
of one process add up to its total (processor time of its main thread). Profiling slows Python down by about a half, evenly enough that the
shares hold; wall times come from an unprofiled build. Not part of the test suite."""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing.util
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# Each phase: the functions whose cumulative time it is (module file's tail, name), less the phases nested inside them.
PHASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ("start: made once for the workers (Markdown, templates)", [("generator/build.py", "_for_workers")], []),
    ("read: look for entry files", [("generator/sources.py", "look")], []),
    ("templates: compiled while the workers read", [("generator/build.py", "compile_templates")], []),
    (
        "read: the workers' entries taken in",
        [("generator/store.py", "_read")],
        [
            "templates: compiled while the workers read",
            "read: Markdown → HTML",
            "read: YAML front matter",
            "read: the rest (fields, links, HTML clean-up)",
        ],
    ),
    ("read: Markdown → HTML", [("generator/converter.py", "convert")], []),
    ("read: YAML front matter", [("generator/frontmatter.py", "split")], []),
    (
        "read: the rest (fields, links, HTML clean-up)",
        [("generator/entries.py", "read_entry")],
        ["read: Markdown → HTML", "read: YAML front matter"],
    ),
    ("model: the Journal (order, names, links)", [("generator/journal.py", "journal")], []),
    ("plan: views and fingerprints", [("generator/plan.py", "site_jobs"), ("generator/plan.py", "make_plan")], []),
    ("search index", [("generator/views/search.py", "shard_script")], []),
    ("views: page contexts made when rendered", [("generator/views/__init__.py", "made_context")], []),
    ("templates: list items and rows, as entries are read", [("generator/render.py", "read_items")], []),
    (
        "templates: list items (_item.html, _row.html) otherwise",
        [("generator/render.py", "__call__"), ("generator/render.py", "each"), ("generator/render.py", "list_items")],
        [],
    ),
    (
        "templates: pages (Jinja)",
        [("generator/render.py", "render")],
        ["views: page contexts made when rendered", "templates: list items (_item.html, _row.html) otherwise"],
    ),
    ("write: files", [("generator/output.py", "write_file")], ["write: cache (pickle)"]),
    ("write: cache (pickle)", [("generator/build.py", "save_cache")], []),
]


def by_phase(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of each phase in one process (cumulative times, nested phases taken out), and "other": the rest
    (starting, pickling work and results between processes, handing files to the writer)."""
    raw = stats.stats  # type: ignore[attr-defined]
    cumulative: dict[tuple[str, str], float] = {}
    for (filename, _, name), (_, _, _, cum, _) in raw.items():
        for tail, function in {(t, f) for _, funcs, _ in PHASES for t, f in funcs}:
            if name == function and filename.endswith(tail):
                cumulative[(tail, function)] = cumulative.get((tail, function), 0.0) + cum
    gross = {phase: sum(cumulative.get(f, 0.0) for f in funcs) for phase, funcs, _ in PHASES}
    net = {phase: gross[phase] - sum(gross[n] for n in nested) for phase, _, nested in PHASES}
    net = {phase: seconds for phase, seconds in net.items() if seconds > 0}
    net["other"] = stats.total_tt - sum(net.values())  # type: ignore[attr-defined]
    return net


def _profile_workers(folder: Path) -> None:
    """Profile every worker process from its start: each dumps its stats into `folder` when it exits."""
    from generator import workers

    start = workers._start

    def profiled_start(config, prepared):  # type: ignore[no-untyped-def]
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()

        def dump() -> None:
            profiler.disable()
            profiler.dump_stats(str(folder / f"worker-{os.getpid()}.prof"))

        multiprocessing.util.Finalize(None, dump, exitpriority=100)
        start(config, prepared)

    workers._start = profiled_start  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("entries", type=Path)
    parser.add_argument("--top", type=int, default=0, help="also list each process's costliest functions")
    args = parser.parse_args()

    from generator.build import build
    from generator.config import load_config

    work = Path(tempfile.mkdtemp(prefix="interlude-profile-"))
    try:
        config = load_config(args.entries.resolve(), work / "plain")
        started = time.perf_counter()
        build(config)
        wall = time.perf_counter() - started
        print(f"Unprofiled cold build: {wall:.2f} s wall")

        config = load_config(args.entries.resolve(), work / "profiled")
        _profile_workers(work)
        profiler = cProfile.Profile(time.thread_time)
        started = time.perf_counter()
        profiler.enable()
        build(config)
        profiler.disable()
        print(f"Profiled cold build: {time.perf_counter() - started:.2f} s wall\n")
        profiler.dump_stats(str(work / "parent.prof"))
        for path in sorted(work.glob("*.prof"), key=lambda p: (p.name != "parent.prof", p.name)):
            stats = pstats.Stats(str(path))
            phases = by_phase(stats)
            total = sum(phases.values())
            print(f"{path.stem}: {total:.2f} s of processor time")
            for phase, seconds in sorted(phases.items(), key=lambda item: -item[1]):
                if seconds >= 0.005:
                    print(f"  {seconds:7.2f} s  {100 * seconds / total:5.1f}%  {phase}")
            if args.top:
                stats.sort_stats("tottime").print_stats(args.top)
            print()
    finally:
        (print("kept", work) if os.environ.get("KEEP_PROFILE") else shutil.rmtree(work, ignore_errors=True))


if __name__ == "__main__":
    main()
