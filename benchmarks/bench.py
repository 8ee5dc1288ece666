"""Interlude's benchmark: cold build, warm build, edit latency under watch and peak memory,
at 1,000 and 10,000 synthetic entries, optionally beside Pelican on the same journal.

    python benchmarks/bench.py                    # 1,000 and 10,000 entries
    python benchmarks/bench.py --sizes 1000       # just one size
    python benchmarks/bench.py --compare-pelican  # also build the same journal with Pelican
    python benchmarks/bench.py --compare-hugo     # also with Hugo (Debian's `hugo`; the layout in benchmarks/hugo/)
    python benchmarks/bench.py --repeat 5         # more cold builds per size (medians; default 3)
    python benchmarks/bench.py --baseline ../old  # also cold-build with another checkout of Interlude, in turn

Not part of the test suite. Work files go to benchmarks/work/ (git-ignored)."""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synthetic import make_journal  # noqa: E402

WORK = HERE / "work"
HUGO_SITE = HERE / "hugo"  # a minimal Hugo layout: a page per entry, per month folder, per tag, and a front page
# This checkout's Interlude, whatever else is installed (an editable install of another checkout, say).
OWN_ENV = {**os.environ, "PYTHONPATH": str(HERE.parent)}
TRASH = WORK / "trash"
EDITS = 21


def move_aside(folder: Path) -> None:
    """Clear the way for a cold build without deleting: on ext4 without a journal (this machine), creating
    files is several times slower for minutes after thousands were deleted (the kernel skips the inodes
    of recently deleted files one by one), which would time the deletion rather than the build.
    Old outputs are removed once every figure is taken (remove_trash)."""
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(TRASH / f"{folder.parent.name}-{folder.name}-{time.time_ns()}")


def byte_compile(checkout: Path) -> None:
    """Compile a checkout's modules, as `pip install` does for an installed Interlude: where Python may not write
    its .pyc files itself (PYTHONDONTWRITEBYTECODE, as on this machine), every build would compile the whole
    package again first (about 0.07 s), which no installed copy does."""
    compileall.compile_dir(checkout / "generator", quiet=1)


def remove_trash() -> None:
    """Delete the outputs moved aside during the run."""
    shutil.rmtree(TRASH, ignore_errors=True)


def _pss(process: psutil.Process) -> int:
    """Proportional set size: pages shared between processes (a forked worker and its parent) count once."""
    try:
        return process.memory_full_info().pss
    except (psutil.AccessDenied, AttributeError):
        return process.memory_info().rss


class PeakMemory:
    """Samples the memory of a process and all its children (worker processes count too), as PSS."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                total = sum(_pss(p) for p in procs if p.is_running())
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.05)  # reading /proc/*/smaps is not free: sample gently, not to slow the build

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def timed(
    command: list[str], cwd: Path, memory: bool = True, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Run a command; its wall time in seconds, if `memory` its peak memory in MB (else 0), and the processor
    time (user and system, in seconds) of it and every process it waited for (worker processes, threads).

    Sampling memory costs about a second of processor time in a 10,000-entry build (reading the
    memory maps of every process 20 times a second), taken from a build that keeps both cores busy
    but not from a single-process one: timed runs are therefore not sampled."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=OWN_ENV if env is None else env
    )
    sampler = PeakMemory(process.pid) if memory else None
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = sampler.stop() if sampler else 0.0
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, peak, cpu


def interlude(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def pages_of(journal: Path, sources: list[Path]) -> list[Path]:
    """The output page of each entry file (via Interlude's own reader, outside any timing)."""
    from generator.config import load_config
    from generator.store import read_journal

    config = load_config(journal / "entries", journal / "output")
    urls = {entry.source: entry.url for entry in read_journal(config).entries}
    return [journal / "output" / urls[source.relative_to(journal / "entries").as_posix()] for source in sources]


def start_watch(journal: Path) -> tuple[subprocess.Popen[str], float]:
    """Start `interlude watch`; the process and the seconds until it says it is watching."""
    started = time.perf_counter()
    process = subprocess.Popen(
        interlude("watch", "--entries", "entries", "--output", "output"),
        cwd=journal,
        env=OWN_ENV,
        # Ctrl-C as a person's terminal gives it, even when this benchmark runs in the background (where a shell
        # starts it with SIGINT ignored, which watch would inherit, and never stop).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    while line and "Watching" not in line:
        line = process.stdout.readline()
    if "Watching" not in line:
        raise SystemExit("watch did not start")
    return process, time.perf_counter() - started


def stop_watch(process: subprocess.Popen[str]) -> None:
    """Stop watch as Ctrl-C would."""
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)


def wait_for(page: Path, marker: str, started: float) -> float:
    """Seconds from `started` until the page shows the marker."""
    while marker not in page.read_text(encoding="utf-8", errors="replace"):
        if time.perf_counter() - started > 10:
            raise SystemExit(f"{page} was not rewritten within 10 s")
        time.sleep(0.002)
    return time.perf_counter() - started


def edit_latency(journal: Path, edits: int = EDITS) -> dict[str, float]:
    """Under `interlude watch`, started over a warm output folder: the seconds until it watches, then (a second
    later) for `edits` saves one at a time (each after the last rebuild is done): save → its page rewritten, and
    save → the rebuild's report line (every page the save touched is written); then a burst of ten saves 20 ms
    apart, which must give one rebuild whose page shows the last save. Peak memory of the whole session."""
    files = sorted((journal / "entries").rglob("*.md"))
    chosen = [files[(i * 7919) % len(files)] for i in range(edits)]
    pages = pages_of(journal, chosen)
    originals = {source: source.read_bytes() for source in chosen}
    process, ready = start_watch(journal)
    memory = PeakMemory(process.pid)
    time.sleep(1.0)  # as a person starts watch, then opens the page and the editor, before the first save
    assert process.stdout is not None
    first_write, settled = [], []
    try:
        for n, (source, page) in enumerate(zip(chosen, pages)):
            marker = f"benchmarkmarker{n}x{time.time_ns()}"
            text = originals[source].decode("utf-8") + f"\n{marker}\n"
            started = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            first_write.append(wait_for(page, marker, started))
            process.stdout.readline()  # the rebuild's report line: every touched page is written
            settled.append(time.perf_counter() - started)
            time.sleep(0.3)
        source, page = chosen[0], pages[0]
        started = time.perf_counter()
        for n in range(10):  # a burst: ten saves of one entry, 20 ms apart (an editor saving all, a checkout)
            marker = f"burstmarker{n}x{time.time_ns()}"
            source.write_text(originals[source].decode("utf-8") + f"\n{marker}\n", encoding="utf-8")
            time.sleep(0.02)
        burst_page = wait_for(page, marker, started)
        time.sleep(2.0)  # any further rebuild of the burst would report by now
    finally:
        try:
            stop_watch(process)
        finally:
            for source, data in originals.items():  # the journal stays as generated: later runs measure the same one
                source.write_bytes(data)
    rest = process.stdout.read()
    burst_rebuilds = sum(1 for line in rest.splitlines() if " written" in line)
    return {
        "watch_ready_s": ready,
        "edit_median_s": statistics.median(first_write),
        "edit_max_s": max(first_write),
        "edit_settled_median_s": statistics.median(settled),
        "edit_settled_max_s": max(settled),
        "burst_rebuilds": burst_rebuilds,
        "burst_last_page_s": burst_page,
        "watch_mb": memory.stop(),
    }


def pelican_copy(journal: Path) -> Path:
    """The same entries in Pelican's metadata format (key: value lines instead of YAML front matter)."""
    target = journal / "pelican"
    if target.exists():
        return target
    content = target / "content"
    content.mkdir(parents=True)
    for index, path in enumerate(sorted((journal / "entries").rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.strip().splitlines() if ": " in line)
        tags = meta.get("tags", "").strip("[]")
        lines = [
            f"Title: {meta.get('title', path.stem)}",
            f"Date: {meta['date']}",
            f"Tags: {tags}",
            f"Slug: e{index}",
            f"Category: {meta.get('type', 'reflection')}",
            "",
            body,
        ]
        (content / f"e{index}.md").write_text("\n".join(lines), encoding="utf-8")
    (target / "pelicanconf.py").write_text(
        "SITENAME = 'Bench'\nPATH = 'content'\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = 100\n"
        "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n",
        encoding="utf-8",
    )
    return target


def hugo_copy(journal: Path) -> Path:
    """The same entries as a Hugo site (benchmarks/hugo/ and a content/ folder): the same files in the same
    folders, the date written as ISO 8601 (Hugo 0.111 reads `2026-09-14 07:10` as no date at all)."""
    site = journal / "hugo"
    content = site / "content"
    if not content.is_dir():
        entries = journal / "entries"
        for path in sorted(p for p in entries.rglob("*") if p.is_file()):
            target = content / path.relative_to(entries)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix != ".md":
                shutil.copyfile(path, target)
                continue
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            front = re.sub(r"^date: (\d{4}-\d\d-\d\d) (\d\d:\d\d)$", r"date: \1T\2:00", front, flags=re.M)
            target.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    shutil.copytree(HUGO_SITE, site, dirs_exist_ok=True)  # the layout as this checkout has it
    return site


def hugo_cold(site: Path, memory: bool = False) -> tuple[float, float, float]:
    """One cold Hugo build: no output, no resources or cache folder left from an earlier one."""
    for folder in ("public", "resources", "cache"):
        move_aside(site / folder)
    return timed(["hugo", "--quiet", "--cacheDir", str(site / "cache")], site, memory=memory)


def bench(
    size: int,
    compare_pelican: bool,
    repeat: int = 3,
    baseline: Path | None = None,
    cold_only: bool = False,
    compare_hugo: bool = False,
) -> dict[str, object]:
    """Every figure for one journal size."""
    journal = WORK / f"journal-{size}-linked"
    if not (journal / "entries").is_dir():
        make_journal(journal / "entries", size, links=True)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in (journal / "entries").rglob("*.md"))
    result: dict[str, object] = {"entries": size, "words_per_entry": round(words / size)}
    build = interlude("build", "--entries", "entries", "--output", "output")
    pelican = compare_pelican and shutil.which("pelican")
    site = pelican_copy(journal) if pelican else None
    if compare_hugo and not shutil.which("hugo"):
        print("Hugo: not installed, skipped (apt-get install hugo)")
    hugo = hugo_copy(journal) if compare_hugo and shutil.which("hugo") else None
    # Cold builds, each tool in turn: on a shared machine the speed drifts over minutes, and a ratio of
    # neighbouring runs is steadier than one of runs minutes apart. Medians of `repeat` rounds.
    colds, cpus, pelicans, ratios, olds, old_cpus, old_ratios, hugos, hugo_cpus, hugo_ratios = ([] for _ in range(10))
    # Another checkout of Interlude (an earlier commit), found first on the path: the same cold build by both.
    old_env = {**os.environ, "PYTHONPATH": str(baseline.resolve())} if baseline else None
    for _ in range(repeat):
        move_aside(journal / "output")
        seconds, _, cpu = timed(build, journal, memory=False)
        colds.append(seconds)
        cpus.append(cpu)
        if hugo is not None:
            seconds, _, cpu = hugo_cold(hugo)
            hugos.append(seconds)
            hugo_cpus.append(cpu)
            hugo_ratios.append(colds[-1] / seconds)
        if old_env is not None:
            move_aside(journal / "output")
            seconds, _, cpu = timed(build, journal, memory=False, env=old_env)
            olds.append(seconds)
            old_cpus.append(cpu)
            old_ratios.append(colds[-1] / olds[-1])
        if site is not None:
            move_aside(site / "output")
            pelicans.append(
                timed(["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], site, memory=False)[0]
            )
            ratios.append(colds[-1] / pelicans[-1])
    result["cold_s"] = statistics.median(colds)
    result["cold_runs_s"] = " ".join(f"{s:.2f}" for s in colds)
    result["cold_cpu_s"] = statistics.median(cpus)
    if hugos:
        result["hugo_s"] = statistics.median(hugos)
        result["hugo_runs_s"] = " ".join(f"{s:.2f}" for s in hugos)
        result["hugo_cpu_s"] = statistics.median(hugo_cpus)
        result["cold_vs_hugo"] = statistics.median(hugo_ratios)
    if olds:
        result["baseline_s"] = statistics.median(olds)
        result["baseline_runs_s"] = " ".join(f"{s:.2f}" for s in olds)
        result["baseline_cpu_s"] = statistics.median(old_cpus)
        result["cold_vs_baseline"] = statistics.median(old_ratios)
    if pelicans:
        result["pelican_s"] = statistics.median(pelicans)
        result["pelican_runs_s"] = " ".join(f"{s:.2f}" for s in pelicans)
        result["cold_vs_pelican"] = statistics.median(ratios)
    if cold_only:
        return result
    move_aside(journal / "output")
    result["cold_mb"] = timed(build, journal)[1]  # one more cold build, its memory sampled
    if hugo is not None:
        result["hugo_mb"] = hugo_cold(hugo, memory=True)[1]
    result["warm_s"], result["warm_mb"], _ = timed(build, journal)
    result.update(edit_latency(journal))
    result["ready_vs_warm"] = result["watch_ready_s"] / result["warm_s"]  # type: ignore[operator]
    move_aside(journal / "output")  # watch over a cold output folder, against the cold build
    process, result["watch_cold_ready_s"] = start_watch(journal)
    stop_watch(process)
    try:
        from benchmarks.search_bench import measure

        result.update({f"search_{k}": v for k, v in measure(journal / "output").items()})
    except ImportError:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--compare-pelican", action="store_true")
    parser.add_argument("--compare-hugo", action="store_true", help="also cold-build with Hugo, in turn, if installed")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds per size (each tool in turn); medians")
    parser.add_argument("--baseline", type=Path, help="a checkout of another Interlude version to cold-build in turn")
    parser.add_argument("--cold-only", action="store_true", help="only the cold builds (no watch, memory, search)")
    args = parser.parse_args()
    for checkout in [HERE.parent, *([args.baseline] if args.baseline else [])]:
        byte_compile(checkout)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    try:
        results = [
            bench(size, args.compare_pelican, args.repeat, args.baseline, args.cold_only, args.compare_hugo)
            for size in args.sizes
        ]
    finally:
        remove_trash()
    for result in results:
        print()
        for key, value in result.items():
            print(f"  {key:26} {value:.3f}" if isinstance(value, float) else f"  {key:26} {value}")
    if len(results) > 1 and "edit_median_s" in results[0]:
        small, large = results[0], results[-1]
        ratio = large["edit_median_s"] / small["edit_median_s"]  # type: ignore[operator]
        print(f"\nEdit cost {large['entries']} vs {small['entries']} entries: {ratio:.2f}x")


if __name__ == "__main__":
    main()
