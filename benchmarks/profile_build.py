"""Where a cold build's time goes: cProfile in the build process and in each worker process, summed by phase.

    python benchmarks/profile_build.py benchmarks/work/journal-10000-linked/entries   # a cold build into a temporary folder
    python benchmarks/profile_build.py ENTRIES --top 40                             # and each process's 40 costliest calls
    KEEP_PROFILE=1 python benchmarks/profile_build.py ENTRIES                      # keep the .prof files (for pstats)

A phase is the time spent inside one of the functions named in PHASES (the innermost one, if they nest), so the
phases of one process add up to its total. Profiling slows Python down by about a half, evenly enough that the
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

# (module file's tail, function name) → phase. The innermost phase on the stack gets the time.
PHASES: dict[tuple[str, str], str] = {
    ("generator/entries.py", "read_entry"): "read: the rest of reading",
    ("generator/frontmatter.py", "split"): "read: YAML front matter",
    ("generator/converter.py", "convert"): "read: Markdown → HTML",
    ("generator/links.py", "find_refs"): "read: links in the entry",
    ("generator/entries.py", "clean_html"): "read: HTML clean-up",
    ("generator/entries.py", "lead_text"): "read: lead text",
    ("generator/links.py", "resolve"): "model: links resolved",
    ("generator/entries.py", "_read_file"): "read: file I/O",
    ("generator/journal.py", "journal"): "model: Journal (order, links, tags)",
    ("generator/plan.py", "site_jobs"): "plan: views and fingerprints",
    ("generator/plan.py", "make_plan"): "plan: views and fingerprints",
    ("generator/render.py", "render"): "render: Jinja templates",
    ("generator/render.py", "make_environment"): "render: template set-up and compiles",
    ("jinja2/environment.py", "get_template"): "render: template set-up and compiles",
    ("generator/views/search.py", "shard_script"): "search index",
    ("generator/views/search.py", "entry_terms"): "search index",
    ("generator/output.py", "put"): "write: files",
    ("generator/output.py", "commit"): "write: swap in, marker",
    ("generator/output.py", "put_private"): "write: cache (pickle)",
    ("generator/build.py", "save_cache"): "write: cache (pickle)",
    ("concurrent/futures/_base.py", "result"): "wait for workers",
    ("concurrent/futures/_base.py", "as_completed"): "wait for workers",
    ("concurrent/futures/process.py", "_process_worker"): "worker: wait and IPC",
    ("generator/execute.py", "_make_batch"): "worker: other page work",
    ("generator/journal.py", "_read_in_worker"): "read: other",
    ("generator/execute.py", "make"): "render: page contexts (views)",
    ("generator/views/__init__.py", "made_context"): "render: page contexts (views)",
    ("generator/cli.py", "main"): "start-up: CLI, settings",
}


def _phase_of(func: tuple[str, int, str]) -> str | None:
    filename, _, name = func
    for (tail, function), phase in PHASES.items():
        if name == function and filename.endswith(tail):
            return phase
    return None


def by_phase(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of each phase: a function's own time goes to the innermost phase function above it on the stack.

    cProfile keeps caller → callee edges, not stacks: a function's own time is split among its callers in
    proportion to the calls' cumulative times, followed up to the first phase function (or "other")."""
    raw = stats.stats  # type: ignore[attr-defined]
    memo: dict[tuple[str, int, str], dict[str, float]] = {}

    def shares(func: tuple[str, int, str], depth: int = 0) -> dict[str, float]:
        """How a unit of time spent in `func` divides among phases."""
        phase = _phase_of(func)
        if phase is not None:
            return {phase: 1.0}
        if func in memo:
            return memo[func]
        memo[func] = {"other": 1.0}  # recursion: provisional
        callers = raw[func][4]
        total = sum(c[3] for c in callers.values())
        if not callers or total <= 0 or depth > 60:
            return {"other": 1.0}
        result: dict[str, float] = {}
        for caller, (_, _, _, cum) in callers.items():
            for phase_name, share in shares(caller, depth + 1).items():
                result[phase_name] = result.get(phase_name, 0.0) + share * cum / total
        memo[func] = result
        return result

    totals: dict[str, float] = {}
    for func, (_, _, own, _, _) in raw.items():
        for phase, share in shares(func).items():
            totals[phase] = totals.get(phase, 0.0) + own * share
    return totals


def _profile_workers(folder: Path) -> None:
    """Profile every worker process from its start: each dumps its stats into `folder` when it exits."""
    from generator import execute

    start = execute._start

    def profiled_start(config):  # type: ignore[no-untyped-def]
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()

        def dump() -> None:
            profiler.disable()
            profiler.dump_stats(str(folder / f"worker-{os.getpid()}.prof"))

        multiprocessing.util.Finalize(None, dump, exitpriority=100)
        start(config)

    execute._start = profiled_start  # type: ignore[assignment]


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
