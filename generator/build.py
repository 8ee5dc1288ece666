"""build(config) → BuildReport: read → model → views → render → write, re-doing only what changed."""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import hashlib
import json
import pickle
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import jinja2

from generator import __version__
from generator.config import Config
from generator.entries import Entry
from generator.errors import EntryError
from generator.folders import check_build_output
from generator.fingerprint import base_fingerprint, fingerprint
from generator.journal import PARALLEL_FROM, EntryStore, Journal, Signature, _shown, look, read_journal
from generator.output import MARKER, SiteWriter, WriteReport, digest, write_file
from generator.render import make_environment, render, theme_dirs, theme_statics
from generator.views import DataFile, Page
from generator.views.agenda import agenda_page
from generator.views.attachments import attachment_files
from generator.views.entry import entry_page, entry_pages
from generator.views.progress import progress_page, year_pages
from generator.views.search import search_data, search_files, search_page, shard_path
from generator.views.tags import tag_pages
from generator.views.timeline import timeline_pages
from generator.workers import Workers, collector_paused, local

CACHE = ".interlude-cache"
CACHE_FORMAT = 4  # bump when Entry changes shape or how a file is read: older caches are then ignored
LIVE_STAMP = "live-stamp.js"
LIVE_SCRIPT = "static/live.js"
PARALLEL_RENDER = 400  # below this many pages, sharing them with worker processes costs more than it saves


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


def site_pages(journal: Journal, today: date) -> list[Page]:
    """Every page of the site, from the pure views, and the files its entries attach."""
    return [*entry_pages(journal), *list_pages(journal, today), *attachment_files(journal)]


def list_pages(journal: Journal, today: date) -> list[Page]:
    """The pages that show many entries: timeline, months, tags, progress, agenda, search."""
    return [*timeline_pages(journal, today), *tag_pages(journal), progress_page(journal, today), *year_pages(journal),
            agenda_page(journal),
            search_page(journal)]


def produce(env: jinja2.Environment, page: Page, extra: dict[str, object]) -> bytes:
    """A page's bytes: rendered from its template, or made by its own function (search shards)."""
    if isinstance(page, DataFile):
        return page.make()
    return render(env, page, extra).encode("utf-8")


def render_site(journal: Journal, today: date | None = None,
                extra: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Every output file's path and bytes, in memory (shares, locked builds, tests of small journals);
    `extra` is added to every page's context (a share's description, say)."""
    statics = theme_statics(journal.config)
    env = make_environment(journal.config, statics)
    pages = site_pages(journal, today or date.today())
    files = {page.path: produce(env, page, extra or {}) for page in pages}
    files.update(statics)
    files.pop(LIVE_SCRIPT, None)
    files.update(search_files(journal))
    return files


def _cache_key(config: Config) -> str:
    """What parsed entries depend on besides their bytes: reading them again is needed when it changes.
    Hashed: the cache sits in the output folder, which must not name the folders of the build machine."""
    key = (f"{__version__}|{CACHE_FORMAT}|{_reader_code()}|{sorted(config.metrics.items())!r}|"
           f"{config.markdown_extensions!r}|{config.hashtags}|{config.filename_date}|{_shown(config, '')}")
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=1)
def _reader_code() -> str:
    """A hash of the code that turns a file into an Entry: a cache made by any other reading of the files
    (a page name, a `private:` value read differently) is never used, even without a new version number."""
    from generator import converter, entries, frontmatter, links, slugs

    code = b"".join(Path(module.__file__).read_bytes() for module in (entries, frontmatter, links, slugs, converter)
                    if module.__file__)
    return hashlib.blake2b(code, digest_size=8).hexdigest()


def _warnings_naming(entries: dict[str, tuple[Signature, Entry]],
                     name: Callable[[str], str]) -> dict[str, tuple[Signature, Entry]]:
    """The entries with each warning naming its file as `name(entry.source)`."""
    return {rel: (sig, dataclasses.replace(entry, warnings=[type(w)(name(entry.source), w.message, w.line)
                                                            for w in entry.warnings]) if entry.warnings else entry)
            for rel, (sig, entry) in entries.items()}


class Site:
    """A journal kept in memory between builds: re-reads the files that changed, re-renders the pages they touch."""

    def __init__(self, config: Config, live: bool = False, today: date | None = None, cache: bool = True,
                 large: bool = False):
        # Plain builds only: a locked build (generator.lock) renders in memory and never reads or writes
        # the cache, which holds every entry in plain text; this refuses to go over a locked site or a share.
        check_build_output(config.output_dir)
        self.config, self.live, self.use_cache = config, live, cache
        self.cache_written = False  # whether the last write() put the cache into the staging folder itself
        self.today = today
        self.workers = Workers(config)
        if large:
            # Start the workers now, before the cache is loaded: a worker forked from a large process ends up
            # with a copy of it, as the parent writes to the memory they shared (reference counts, the allocator).
            self.workers.start()
        self.store = EntryStore(config, self._load_cache() if cache else None, self.workers, keep_last_good=live)
        self.urls: dict[str, str] | None = None  # live: each entry's page at the last write, by its file
        self.moved: dict[str, str] = {}  # live: pages gone since watch started → where their entry is now
        self.reload_theme()

    def close(self) -> None:
        """Stop the worker processes, if any were started; a later read or write starts them again."""
        self.workers.close()

    @contextlib.contextmanager
    def session(self, writer: SiteWriter) -> Iterator[None]:
        """Read and write with `writer`, the workers stopped at the end. If anything fails, they stop before
        the writer gives up, so that none still writes into the staging folder it removes."""
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
        self.statics = theme_statics(self.config)
        self.env = make_environment(self.config, self.statics)
        self.base = base_fingerprint(self.config, theme_dirs(self.config), "live" if self.live else "plain")

    def _load_cache(self) -> dict[str, tuple[Signature, Entry]] | None:
        """Entries parsed by the last build into this output folder, if still valid."""
        path = self.config.output_dir / CACHE
        if not (self.config.output_dir / MARKER).is_file():
            return None
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)  # noqa: S301 - our own file, in the owner-only output folder
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != _cache_key(self.config):
            return None
        return _warnings_naming(data.get("entries") or {}, lambda source: _shown(self.config, source))

    def save_cache(self, handle: BinaryIO) -> None:
        """Write the parsed entries for the next build to start from, streamed (no copy in memory). Their
        warnings name files inside the entries folder only: no folder of the build machine in the output."""
        pickle.dump({"key": _cache_key(self.config), "entries": _warnings_naming(self.store.entries, str)},
                    handle, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, sources: Iterable[str] | None = None, progress: bool = False,
             found: dict[str, tuple[Path, Signature]] | None = None) -> set[str]:
        """Bring the entries up to date: everything (None) or just the given sources. `found` is what
        look() just saw in the entries folder, so that a build walks it once."""
        if sources is not None:
            return self.store.update(sources)
        if found is None:
            found = look(self.config.entries_dir)
        bar = _progress_bar(sum(1 for rel, (_, sig) in found.items() if self.store.is_stale(rel, sig)),
                            "Reading", progress)
        try:
            return self.store.scan(found, bar.update if bar else None)
        finally:
            if bar:
                bar.close()

    def fingerprint(self, page: Page) -> str:
        """The page's fingerprint under this site's theme, settings and mode."""
        return fingerprint(page, self.base)

    def write(self, writer: SiteWriter, first: Iterable[str] = (), progress: bool = False) -> tuple[Journal, int]:
        """Render and write every page whose inputs changed; pages of `first` entries go out first."""
        journal = self.store.journal()
        self.cache_written = False
        extra_context = {"live": self.live}
        first = set(first)
        for source in sorted(first):  # an edited entry's page, before anything else is worked out
            if source in self.store.entries:
                page = entry_page(journal, self.store.entries[source][1])
                fp = self.fingerprint(page)
                if not writer.keep(page.path, fp):
                    writer.put(page.path, render(self.env, page, extra_context).encode("utf-8"), fp)
        # The pages made from a few entries each (an entry's page, a year's search shard), then the others.
        few = [(page, self.fingerprint(page))
               for page in [*entry_pages(journal), *search_data(journal), *attachment_files(journal)]]
        helpers = None
        stale = [(page, fp) for page, fp in few if not writer.is_current(page.path, fp)]
        if stale and writer.atomic and self.workers.running:
            # The workers are up (they have just read many files): they start on these while the pages
            # that show many entries are worked out here.
            helpers = _Helpers(self.workers, writer, extra_context)
            helpers.send(stale)
        planned = [(page, self.fingerprint(page)) for page in list_pages(journal, self.today or date.today())]
        planned += few
        extra = dict(self.statics)
        if not self.live:
            extra.pop(LIVE_SCRIPT, None)  # plain builds carry nothing of live refresh
        planned_files = [(rel, data, digest(data)) for rel, data in extra.items()]
        if self.live:  # the stamp changes exactly when some file does; open pages reload when it changes
            every = sorted([(page.path, fp) for page, fp in planned] + [(rel, fp) for rel, _, fp in planned_files])
            stamp = digest(repr(every).encode())
            moved = json.dumps(self.follow(journal), ensure_ascii=True, sort_keys=True)
            data = f'window.interludeLive && window.interludeLive("{stamp}", {moved});\n'.encode()
            planned_files.append((LIVE_STAMP, data, digest(data)))
        total = len(planned) + len(planned_files)
        if writer.atomic and self._nothing_to_do(writer, planned, planned_files):
            return journal, 0
        sent = helpers.sent if helpers else set()
        to_render = [(page, fp) for page, fp in planned
                     if page.path not in sent and writer.files.get(page.path) != fp and not writer.keep(page.path, fp)]
        bar = _progress_bar(len(to_render) + len(sent), "Writing", progress)
        if helpers is None and writer.atomic and len(to_render) >= PARALLEL_RENDER and self.workers.useful:
            helpers = _Helpers(self.workers, writer, extra_context)
        if helpers:
            # The cache is written while the workers render, rather than by itself at the end.
            cache = (lambda folder: write_file(folder / CACHE, self.save_cache)) if self.use_cache else None
            helpers.finish(self.env, helpers.send(to_render), bar, cache)
            self.cache_written = self.use_cache
        else:
            for page, fp in to_render:
                writer.put(page.path, produce(self.env, page, extra_context), fp)
                if bar:
                    bar.update(1)
        for rel, data, fp in planned_files:
            if not writer.keep(rel, fp):
                writer.put(rel, data, fp)
        if bar:
            bar.close()
        return journal, total

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

    def finish(self, writer: SiteWriter, journal: Journal, total: int, changed: set[str],
               key: str | None = None) -> WriteReport:
        """End a full build that write() made: commit what it wrote, or, when the output already held exactly
        this build (write() returned 0), only record that, so the current site stays as it is."""
        clean_key = key if not journal.problems else None  # problems must be shown again next time
        if total == 0:
            if self.use_cache and changed:  # same pages from re-read entries: keep the cache current anyway
                writer.put_private(CACHE, self.save_cache)
            writer.stamp(clean_key)
            return WriteReport(0, len(writer.previous), 0)
        if self.use_cache and not self.cache_written:
            writer.put_private(CACHE, self.save_cache)
        return writer.commit(clean_key)

    @staticmethod
    def _nothing_to_do(writer: SiteWriter, planned: list[tuple[Page, str]],
                       planned_files: list[tuple[str, bytes, str]]) -> bool:
        """True when the output already holds exactly this build."""
        wanted = {page.path: fp for page, fp in planned} | {rel: fp for rel, _, fp in planned_files}
        return wanted.keys() == writer.previous.keys() and all(writer.is_current(r, f) for r, f in wanted.items())


class _Helpers:
    """The worker processes rendering pages made from a few entries (an entry's page, a search shard), sent in
    batches with their entries pickled, while this process renders the pages that show many entries (each
    entry's list item is rendered once here for all of them). Everyone writes straight into the staging folder."""

    def __init__(self, workers: Workers, writer: SiteWriter, extra: dict[str, object]):
        self.pool, self.cores = workers.pool(), workers.size
        self.writer, self.target, self.extra = writer, writer.begin(), extra
        self.futures: dict[concurrent.futures.Future[None], list[tuple[Page, str]]] = {}
        self.sent: set[str] = set()

    def send(self, pages: list[tuple[Page, str]]) -> list[tuple[Page, str]]:
        """Hand the workers what they can take: consecutive entry pages in batches (an entry's neighbours
        travel once per batch), each year's search shard first in the first batch of that year's pages
        (its entries travel once), other shards on their own. Returns the rest."""
        shards = {item[0].path: item for item in pages if isinstance(item[0], DataFile)}
        single = [item for item in pages if item[0].deps is not None and not isinstance(item[0], DataFile)]
        size = max(20, min(250, len(single) // (self.cores * 8) + 1))
        batches: list[list[tuple[Page, str]]] = []
        for item in single:
            shard = _shard_of(item[0])
            if not batches or len(batches[-1]) >= size or _shard_of(batches[-1][-1][0]) != shard:
                batches.append([shards.pop(shard)] if shard in shards else [])
            batches[-1].append(item)
        with_shard = [batch for batch in batches if isinstance(batch[0][0], DataFile)]
        without = [batch for batch in batches if not isinstance(batch[0][0], DataFile)]
        for batch in [*with_shard, *([item] for item in shards.values()), *without]:  # the longest first
            future = self.pool.submit(_render_batch, self.target, [page for page, _ in batch], self.extra)
            self.futures[future] = batch
            self.sent.update(page.path for page, _ in batch)
        return [item for item in pages if item[0].deps is None]

    def finish(self, env: jinja2.Environment, own: list[tuple[Page, str]], bar,  # type: ignore[no-untyped-def]
               meanwhile: Callable[[Path], None] | None = None) -> None:
        """Do `meanwhile` (given the staging folder), render this process's pages, then the batches no worker
        has started yet (last first, so that everyone finishes together), wait for the workers' and record
        them all."""
        if bar:  # the workers' batches count as they finish, not all at the end
            for future, batch in self.futures.items():
                future.add_done_callback(lambda done, n=len(batch): None if done.cancelled() else bar.update(n))
        try:
            if meanwhile:
                meanwhile(self.target)
            _render_into(self.target, env, [page for page, _ in own], self.extra, bar)
            for future in reversed(list(self.futures)):
                if future.cancel():
                    _render_into(self.target, env, [page for page, _ in self.futures[future]], self.extra, bar)
            for future in concurrent.futures.as_completed([f for f in self.futures if not f.cancelled()]):
                future.result()
        except BaseException as exc:
            for future in self.futures:
                future.cancel()
            concurrent.futures.wait(self.futures)  # nothing may still write into the folder that is removed next
            if isinstance(exc, OSError):
                raise self.writer.failed(exc) from exc
            raise
        for page, fp in [*own, *(item for batch in self.futures.values() for item in batch)]:
            self.writer.record(page.path, fp)


def _shard_of(page: Page) -> str | None:
    """The search shard an entry's page goes with."""
    entry = page.context.get("entry")
    return shard_path(entry) if isinstance(entry, Entry) else None


def _render_into(target: Path, env: jinja2.Environment, pages: list[Page], extra: dict[str, object],
                 bar=None) -> None:  # type: ignore[no-untyped-def]
    """Render and write pages into the staging folder, counting each on the progress bar if there is one."""
    for page in pages:
        write_file(target / page.path, produce(env, page, extra))
        if bar:
            bar.update(1)


def _render_batch(target: Path, pages: list[Page], extra: dict[str, object]) -> None:
    """In a worker: render and write some pages with the worker's own Jinja environment."""
    _render_into(target, local("jinja", make_environment), pages, extra)


def _progress_bar(total: int, what: str, enabled: bool):  # type: ignore[no-untyped-def]
    """A progress bar on the terminal for work that takes more than a second; None otherwise."""
    if not enabled or total < 50 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=what, unit="entry" if what == "Reading" else "page", delay=1.0,
                leave=False, file=sys.stderr)


def build_key(config: Config, today: date, found: dict[str, tuple[Path, Signature]],
              others: dict[str, Signature]) -> str:
    """A hash of everything a plain build is made from, read without parsing a single entry:
    Interlude's version, the settings, the theme, the day, and the signature of every entry file and of
    every other file an entry might attach."""
    files = [(rel, sig) for rel, (_, sig) in found.items()] + sorted(others.items())
    base = base_fingerprint(config, theme_dirs(config), "plain")
    return digest(f"{base}|{today}|{files!r}".encode())


def build(config: Config, today: date | None = None, progress: bool = False, cache: bool = True) -> BuildReport:
    """Build the whole site into the output folder, atomically, and say what happened."""
    with collector_paused():  # in the worker processes too: they are forked from here
        return _build(config, today, progress, cache)


def _build(config: Config, today: date | None, progress: bool, cache: bool) -> BuildReport:
    started = time.perf_counter()
    today = today or date.today()
    writer = SiteWriter(config.output_dir, config.entries_dir)
    others: dict[str, Signature] = {}
    found = look(config.entries_dir, others)
    key = build_key(config, today, found, others) if cache else None
    if key is not None and writer.build_key == key and writer.complete():
        # Exactly the last build, which had no problems to report: nothing to read or write.
        return BuildReport(len(found), len(writer.previous), [], WriteReport(0, len(writer.previous), 0),
                           time.perf_counter() - started)
    site = Site(config, today=today, cache=cache, large=len(found) >= PARALLEL_FROM)
    with site.session(writer):
        changed = site.read(progress=progress, found=found)
        journal, total = site.write(writer, progress=progress)
        written = site.finish(writer, journal, total, changed, key)
    return BuildReport(len(journal.entries), written.written + written.unchanged, journal.problems, written,
                       time.perf_counter() - started, changed)


def check(config: Config) -> Journal:
    """Read and validate every entry; write nothing."""
    return read_journal(config)
