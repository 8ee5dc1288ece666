"""build(config) → BuildReport: read → model → views → render → write, re-doing only what changed."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import jinja2

from generator import __version__
from generator.config import Config
from generator.entries import Entry
from generator.errors import EntryError
from generator.execute import Executor, for_pages
from generator.fingerprint import base_fingerprint
from generator.folders import check_build_output
from generator.journal import Journal
from generator.output import MARKER, MemoryWriter, SiteWriter, Unwritten, Writer, WriteReport, digest
from generator.plan import LIVE_STAMP, Plan, edited_jobs, file_jobs, live_stamp, make_plan, site_jobs
from generator.render import make_environment, read_items, take_items, theme_dirs, theme_statics
from generator.sources import Signature, look, shown
from generator.store import PARALLEL_FROM, EntryStore, for_reading, read_journal, reader_code
from generator.views import Job
from generator.workers import collector_paused, settle

CACHE = ".interlude-cache"
CACHE_FORMAT = 5  # bump when Entry changes shape or how a file is read: older caches are then ignored
LIVE_SCRIPT = "static/live.js"
# What a plain build writes in place of the live-refresh script: pages are the same with or without watch (so a
# watch start rewrites none), and an open page of a built site looks for nothing.
QUIET_LIVE = (
    b"/* Live refresh runs while `interlude watch` does: it puts its script here. This site was made by "
    b"`interlude build`, so open pages look for no changes. */\n"
)
OWN_SITE = {"live": True}  # the site's own pages carry live refresh; a share's and the lock's do not
__all__ = ["CACHE", "LIVE_STAMP", "Applied", "BuildReport", "Changes", "Site", "build", "check", "render_site"]


@dataclass
class BuildReport:
    """What a build did, for the one-line summary and the exit code."""

    entries: int
    pages: int
    problems: list[EntryError] = field(default_factory=list)
    written: WriteReport | None = None
    seconds: float = 0.0
    changed: set[str] = field(default_factory=set)

    @property
    def exit_code(self) -> int:
        """0 when every entry built cleanly, 1 when some had problems."""
        return 1 if self.problems else 0


def render_site(journal: Journal, today: date | None = None, extra: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Every output file's path and bytes, in memory (shares, locked builds): the same plan, made by the same
    executor (with worker processes for a large journal), written to memory. `extra` is added to every page's
    context (a share's description, say). Nothing of live refresh."""
    config = journal.config
    statics, env, base = theme(config)  # the same scripts' nonce as the site's own pages
    files = {rel: data for rel, data in statics.items() if rel != LIVE_SCRIPT}
    writer = MemoryWriter()
    executor = Executor(config)
    try:
        with collector_paused():
            write_all(executor.run(env, site_jobs(journal, base, today or date.today(), files), extra or {}), writer)
    finally:
        executor.close()
    return writer.data


def theme(config: Config) -> tuple[dict[str, bytes], jinja2.Environment, str]:
    """The theme as a build uses it: its static files, a Jinja environment over its templates, and the part of
    every page's fingerprint that comes from the theme, the settings and Interlude's version."""
    statics = theme_statics(config)
    return statics, make_environment(config, statics), base_fingerprint(config, theme_dirs(config), "site")


def start_live(writer: SiteWriter, statics: dict[str, bytes]) -> WriteReport:
    """Watch over a site that a build of the same files made, in place: every page stays as it is; the
    live-refresh script (the theme's, from `statics`) and its stamp are put in."""
    for rel, fp in list(writer.previous.items()):
        writer.keep(rel, fp)
    script = file_jobs({LIVE_SCRIPT: statics[LIVE_SCRIPT]})
    for job in [*script, live_stamp({**writer.previous, **writer.files, script[0].path: script[0].fingerprint}, {})]:
        if not writer.keep(job.path, job.fingerprint):
            writer.put(job.path, job.data or b"", job.fingerprint)
    return writer.commit(survey=True)


def write_all(execution: Iterable[tuple[Job, bytes | None]], writer: Writer, bar: Any = None) -> None:
    """Hand each file the executor makes to the writer, as it comes (None: a worker wrote it into the writer's
    direct() folder; the writer records it)."""
    try:
        for job, data in execution:
            if data is None:
                writer.record(job.path, job.fingerprint)
            else:
                writer.put(job.path, data, job.fingerprint)
            if bar:
                bar.update(1)
    except Unwritten as exc:
        raise writer.failed(exc) from exc


def _cache_key(config: Config) -> str:
    """What parsed entries depend on besides their bytes: reading them again is needed when it changes.
    Hashed: the cache sits in the output folder, which must not name the folders of the build machine."""
    key = (
        f"{__version__}|{CACHE_FORMAT}|{reader_code()}|{sorted(config.metrics.items())!r}|"
        f"{config.markdown_extensions!r}|{config.hashtags}|{config.filename_date}|{shown(config.entries_dir, '')}|"
        f"{config.diary_card!r}"
    )
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _warnings_naming(
    entries: dict[str, tuple[Signature, Entry]], name: Callable[[str], str]
) -> dict[str, tuple[Signature, Entry]]:
    """The entries with each warning naming its file as `name(entry.source)`."""
    return {
        rel: (
            sig,
            dataclasses.replace(
                entry, warnings=[type(w)(name(entry.source), w.message, w.line) for w in entry.warnings]
            )
            if entry.warnings
            else entry,
        )
        for rel, (sig, entry) in entries.items()
    }


@dataclass
class Changes:
    """What a save changed, as Site.apply takes it."""

    entries: set[str] = field(default_factory=set)  # entry files, relative to the entries folder
    files: set[str] = field(default_factory=set)  # other files in the entries folder: pictures an entry may show
    rescan: bool = False  # a folder moved or vanished, or the settings changed: look at everything
    theme: bool = False  # a template or a static file


@dataclass
class Applied:
    """What a save did to a site kept in memory: what was written, and the problems now of every file it touched
    (by file, as messages name it; [] for one that has none), also `listed` in the order a build lists them;
    `total`: how many the whole journal has."""

    written: WriteReport
    problems: dict[str, list[EntryError]]
    listed: list[EntryError]
    total: int
    entries: int


def _lines(problems: list[EntryError] | None) -> list[str]:
    """Problems as they are shown, to compare them."""
    return [problem.show() for problem in problems or []]


class Site:
    """A journal kept in memory between builds: re-reads the files that changed, then plans the site, makes
    the stale files and writes them. Build, watch, share and lock all go this one way."""

    def __init__(
        self, config: Config, live: bool = False, today: date | None = None, cache: bool = True, large: bool = False
    ):
        # Plain builds only: a locked build (generator.lock) renders in memory and never reads or writes
        # the cache, which holds every entry in plain text; this refuses to go over a locked site or a share.
        check_build_output(config.output_dir)
        self.config, self.live, self.use_cache = config, live, cache
        self.today = today
        self.reload_theme()
        self.executor = Executor(config, large, self._for_workers)
        self._store: EntryStore | None = None
        self.urls: dict[str, str] | None = None  # live: each entry's page at the last write, by its file
        self.moved: dict[str, str] = {}  # live: pages gone since watch started → where their entry is now
        # Live (watch): the writer in place, the journal of the last save, and each file's problems then.
        self.writer: SiteWriter | None = None
        self.journal: Journal | None = None
        self.problems: dict[str, list[EntryError]] = {}

    def _for_workers(self) -> dict[str, Any]:
        """Made once here, just before the workers are forked, rather than by each of them."""
        return {**for_reading(self.config), **for_pages(self.env)}

    @property
    def store(self) -> EntryStore:
        """The entries read so far: made on first use, from the cache the last build left here if it is valid (watch
        says it is watching before it takes a large journal from the cache)."""
        if self._store is None:
            cached = self._load_cache() if self.use_cache else None
            self._store = EntryStore(
                self.config,
                cached,
                self.executor.workers,
                keep_last_good=self.live,
                also=read_items,
                meanwhile=self.compile_templates,
            )
        return self._store

    def close(self) -> None:
        """Stop the worker processes, if any were started; a later read or write starts them again."""
        self.executor.close()

    @contextlib.contextmanager
    def session(self, writer: Writer) -> Iterator[None]:
        """Read and write with `writer`, the workers stopped at the end. If anything fails, they stop before
        the writer gives up."""
        try:
            yield
        except BaseException:
            self.close()
            writer.abort()
            raise
        finally:
            self.close()

    def reload_theme(self) -> None:
        """Pick up changed templates or static files: every page's fingerprint changes with them."""
        self.statics, self.env, self.base = theme(self.config)

    def _load_cache(self) -> dict[str, tuple[Signature, Entry]] | None:
        """Entries parsed by the last build into this output folder, if still valid."""
        path = self.config.output_dir / CACHE
        if not (self.config.output_dir / MARKER).is_file():
            return None
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != _cache_key(self.config):
            return None
        return _warnings_naming(data.get("entries") or {}, lambda source: shown(self.config.entries_dir, source))

    def save_cache(self, handle: BinaryIO) -> None:
        """Write the parsed entries for the next build to start from, streamed (no copy in memory). Their
        warnings name files inside the entries folder only: no folder of the build machine in the output."""
        pickle.dump(
            {"key": _cache_key(self.config), "entries": _warnings_naming(self.store.entries, str)},
            handle,
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    def read(
        self,
        sources: Iterable[str] | None = None,
        progress: bool = False,
        found: dict[str, tuple[Path, Signature]] | None = None,
    ) -> set[str]:
        """Bring the entries up to date: everything (None) or just the given sources. `found` is what
        look() just saw in the entries folder, so that a build walks it once."""
        if sources is not None:
            changed = self.store.update(sources)
        else:
            if found is None:
                found = look(self.config.entries_dir)
            stale = self.store.stale(found)  # decided once: the bar counts what scan reads
            bar = _progress_bar(len(stale), "Reading", progress)
            try:
                changed = self.store.scan(found, stale, bar.update if bar else None)
            finally:
                if bar:
                    bar.close()
        for items in self.store.take_made():  # the list items the workers made as they read
            take_items(self.env, items)
        return changed

    def plan(self, journal: Journal, writer: Writer) -> Plan:
        """Every file of the site, and those `writer`'s output does not hold yet."""
        statics = self.statics if self.live else {**self.statics, LIVE_SCRIPT: QUIET_LIVE}
        jobs = site_jobs(journal, self.base, self.today or date.today(), statics)
        if self.live:
            jobs.append(live_stamp({job.path: job.fingerprint for job in jobs}, self.follow(journal)))
        return make_plan(jobs, writer.is_current)

    def build_into(
        self, writer: SiteWriter, changed: set[str], key: str | None = None, progress: bool = False
    ) -> tuple[Journal, WriteReport]:
        """A whole build into a staging folder, swapped in at the end. When the output already holds exactly
        this build, nothing is swapped: the current site stays, and only the marker (and the cache) are renewed.
        `key` names everything the build is made from (see build_key)."""
        journal = self.store.journal()
        plan = self.plan(journal, writer)
        clean_key = key if not journal.problems else None  # problems must be shown again next time
        if not plan.stale and plan.wanted.keys() == writer.previous.keys():
            if self.use_cache and changed:  # same pages from re-read entries: keep the cache current anyway
                writer.put_private(CACHE, self.save_cache, current=True)
            writer.stamp(clean_key)
            return journal, WriteReport(0, len(writer.previous), 0)
        stale = self._not_kept(plan, writer)
        bar = _progress_bar(len(stale), "Writing", progress)
        execution = self.executor.run(self.env, stale, OWN_SITE, into=writer.direct())
        if self.use_cache:  # written while the workers make their first pages
            writer.put_private(CACHE, self.save_cache)
        try:
            write_all(execution, writer, bar)
        finally:
            if bar:
                bar.close()
        return journal, writer.commit(clean_key)

    def _go_live(
        self,
        writer: SiteWriter,
        found: dict[str, tuple[Path, Signature]],
        quick: bool,
        up: Callable[[Applied, bool], None],
    ) -> None:
        """start_watching()'s work on this site, from what survey() gave (the collector paused)."""
        if quick:
            self.writer = SiteWriter(self.config.output_dir, self.config.entries_dir, atomic=False)
            up(Applied(start_live(self.writer, self.statics), {}, [], 0, len(found)), True)
            self.read(found=found)
            self.journal = self.store.journal()
            self.follow(self.journal)  # where each entry's page is, to follow new titles
            return
        with self.session(writer):  # no idle worker processes while watching
            changed = self.read(progress=True, found=found)
            self.journal, written = self.build_into(writer, set(), progress=True)
        self.writer = SiteWriter(self.config.output_dir, self.config.entries_dir, atomic=False)
        up(self._applied(self.journal, written, changed), False)

    def apply(self, changes: Changes) -> Applied:
        """Bring the site in place (watch) up to date with what a save changed: read again the files it touched,
        write the pages of edited entries first, then every other file whose inputs changed. Says what was written
        and the problems of every file the save touched, by file."""
        assert self.writer is not None, "start_watching() first"
        if changes.theme:
            self.reload_theme()
        if changes.files:
            self.store.forget_files()  # a picture came, went or changed: links look again
        with collector_paused(), self.session(self.writer):
            changed = self.read() if changes.rescan else self.read(changes.entries)
            self.journal, written = self._update(self.writer, first=changed)
        applied = self._applied(self.journal, written, changed)
        settle()
        return applied

    def _applied(self, journal: Journal, written: WriteReport, reread: Iterable[str]) -> Applied:
        """What a save did: `written`, and the problems now of every file it touched: those read again, and those
        whose problems changed without being read (a link to a picture that was deleted)."""
        now: dict[str, list[EntryError]] = {}
        for problem in journal.problems:
            now.setdefault(problem.path, []).append(problem)
        touched = {shown(self.config.entries_dir, rel) for rel in reread}
        before = self.problems
        touched |= {path for path in now.keys() | before.keys() if _lines(now.get(path)) != _lines(before.get(path))}
        self.problems = now
        listed = [problem for problem in journal.problems if problem.path in touched]
        by_file = {path: now.get(path, []) for path in sorted(touched)}
        return Applied(written, by_file, listed, len(journal.problems), len(journal.entries))

    def renewed(self, config: Config) -> Site:
        """This site under new settings (journal.yaml or the templates folder changed): a new Site over the same
        output, written in place by the same writer, which remembers each file's problems."""
        site = Site(config, live=True)
        site.writer, site.problems = self.writer, self.problems
        return site

    def keep_cache(self) -> None:
        """Leave the parsed entries for the next build (watch writes no cache while running)."""
        if self.writer is not None:
            self.writer.put_private(CACHE, self.save_cache)

    def _update(self, writer: SiteWriter, first: Iterable[str] = ()) -> tuple[Journal, WriteReport]:
        """Rewrite in place (watch) the files whose inputs changed; the pages of `first` entries go out before
        anything else is planned."""
        journal = self.store.journal()
        edited = make_plan(edited_jobs(journal, first, self.base), writer.is_current)
        write_all(self.executor.run(self.env, edited.stale, OWN_SITE, share=False), writer)
        stale = self._not_kept(self.plan(journal, writer), writer)
        write_all(self.executor.run(self.env, stale, OWN_SITE, share=False), writer)
        return journal, writer.commit()

    @staticmethod
    def _not_kept(plan: Plan, writer: SiteWriter) -> list[Job]:
        """The plan's stale files, and any current one that cannot be carried over after all: what is made. The
        current ones are carried over (linked into the staging folder, or, in place, left as they are)."""
        stale = {job.path for job in plan.stale}
        return [job for job in plan.jobs if job.path in stale or not writer.keep(job.path, job.fingerprint)]

    def prepare(self) -> None:
        """Ready a site that watch found up to date for its first save as for later ones: the templates compiled
        and the site planned once (every page's fingerprint kept)."""
        assert self.journal is not None and self.writer is not None, "start_watching() first"
        self.compile_templates()
        self.plan(self.journal, self.writer)

    def compile_templates(self) -> None:
        """Compile every template now (as the workers read the entries, say), rather than when its first page is
        made."""
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                pass  # a broken template is reported by the pages that use it, in one line

    def follow(self, journal: Journal) -> dict[str, str]:
        """Where a page open in the browser should go when its entry's page name changed (a new title) or the
        entry went: the entry's page now, or the front page. Kept for the whole watch session."""
        urls = {entry.source: entry.url for entry in journal.entries}
        for source, old in (self.urls or {}).items():
            if urls.get(source) != old:
                self.moved[old] = urls.get(source, "index.html")
        for url in urls.values():
            self.moved.pop(url, None)  # a page that is back (the old title again) stays where it is
        self.urls = urls
        for old, new in self.moved.items():
            seen = {old}
            while new in self.moved and new not in seen:  # renamed twice: go straight to the last name
                seen.add(new)
                new = self.moved[new]
            self.moved[old] = new
        return self.moved


def _progress_bar(total: int, what: str, enabled: bool):  # type: ignore[no-untyped-def]
    """A progress bar on the terminal for work that takes more than a second; None otherwise."""
    if not enabled or total < 50 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(
        total=total, desc=what, unit="entry" if what == "Reading" else "page", delay=1.0, leave=False, file=sys.stderr
    )


def build_key(
    config: Config, today: date, found: dict[str, tuple[Path, Signature]], others: dict[str, Signature]
) -> str:
    """A hash of everything a plain build is made from, read without parsing a single entry:
    Interlude's version, the settings, the theme, the day, and the signature of every entry file and of
    every other file an entry might attach."""
    files = [(rel, sig) for rel, (_, sig) in found.items()] + sorted(others.items())
    base = base_fingerprint(config, theme_dirs(config), "site")
    return digest(f"{base}|{today}|{files!r}".encode())


def survey(config: Config, today: date) -> tuple[SiteWriter, dict[str, tuple[Path, Signature]], str]:
    """Look at the output and the entries folder without reading an entry: the writer for the output, the entry
    files found, and the build key (`writer.holds(key)`: the output is exactly the clean build of these files)."""
    writer = SiteWriter(config.output_dir, config.entries_dir)
    others: dict[str, Signature] = {}
    found = look(config.entries_dir, others)
    return writer, found, build_key(config, today, found, others)


def start_watching(config: Config, today: date, up: Callable[[Applied, bool], None]) -> tuple[Site, bool]:
    """The site watch keeps in memory and writes in place, and whether it was found up to date. An output folder
    that holds exactly what a build of these files makes (the last `interlude build`, say) is kept as it is: only the
    live-refresh stamp is added, `up` is told, and then the journal is taken from the cache (Site.prepare readies
    the first save later). Else the site is built, and then `up` is told what was written and every problem."""
    with collector_paused():  # in the worker processes too: they are forked from here
        writer, found, key = survey(config, today)
        quick = writer.holds(key)  # a clean build of these very files
        site = Site(config, live=True, large=not quick and len(found) >= PARALLEL_FROM)
        site._go_live(writer, found, quick, up)
    settle()
    return site, quick


def build(config: Config, today: date | None = None, progress: bool = False, cache: bool = True) -> BuildReport:
    """Build the whole site into the output folder, atomically, and say what happened."""
    with collector_paused():  # in the worker processes too: they are forked from here
        return _build(config, today, progress, cache)


def _build(config: Config, today: date | None, progress: bool, cache: bool) -> BuildReport:
    started = time.perf_counter()
    today = today or date.today()
    writer, found, key = survey(config, today)
    if cache and writer.holds(key):
        # Exactly the last build, which had no problems to report: nothing to read or write.
        return BuildReport(
            len(found), len(writer.previous), [], WriteReport(0, len(writer.previous), 0), time.perf_counter() - started
        )
    site = Site(config, today=today, cache=cache, large=len(found) >= PARALLEL_FROM)
    with site.session(writer):
        changed = site.read(progress=progress, found=found)
        journal, written = site.build_into(writer, changed, key if cache else None, progress)
    return BuildReport(
        len(journal.entries),
        written.written + written.unchanged,
        journal.problems,
        written,
        time.perf_counter() - started,
        changed,
    )


def check(config: Config) -> Journal:
    """Read and validate every entry; write nothing."""
    return read_journal(config)
