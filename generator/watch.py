"""`interlude watch`: build, then rebuild what each save touched; survive every error; Ctrl-C stops."""

from __future__ import annotations

import datetime
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from generator.build import Applied, Changes, Site, start_watching
from generator.config import Config, load_config
from generator.errors import EntryError, InterludeError
from generator.sources import is_entry, may_be_attached
from generator.words import counted

# What changes a file or folder; not a file opened or closed unwritten, which a build does to every entry (asked
# of the kernel, so that reading ten thousand files does not hand watch thirty thousand events to drop).
CHANGES = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
]
QUIET = 0.03  # seconds without events that end a burst: one rebuild per save, and per git checkout
LONGEST_BURST = 1.0  # a burst that never goes quiet is still rebuilt after this long


@dataclass
class Burst(Changes):
    """What a burst of file events touched: the save's changes, and what watch itself looks after."""

    config: bool = False  # journal.yaml
    folders: bool = False  # the entries or templates folder came or went: watch the folders again
    heard: set[str] = field(default_factory=set)  # every path an event named, ignored ones too, as watchdog gave it

    def __bool__(self) -> bool:
        return bool(self.entries or self.rescan or self.theme or self.config or self.files)

    def describe(self) -> str:
        """A few words on what changed, for the one-line report."""
        named = sorted(self.entries) + sorted(self.files)
        parts = named[:3] + (["…"] if len(named) > 3 else [])
        if self.config:
            parts.append("settings")
        if self.theme:
            parts.append("templates")
        if self.rescan and not parts:
            parts.append("entries folder")
        return ", ".join(parts)


class _Collector(FileSystemEventHandler):
    """Turns watchdog events into paths on a queue; the main loop does the work."""

    def __init__(self, events: queue.Queue[tuple[str, bool] | None]):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                # A folder's "modified" only echoes changes to its files, which arrive as their own events;
                # folders created, moved or deleted are what call for looking at everything again.
                folder_changed = event.is_directory and event.event_type != "modified"
                self.events.put((path if isinstance(path, str) else path.decode(), folder_changed))


@dataclass
class Watcher:
    """The watch loop's state: the site in memory, where to look, how to report. `templates` and `settings`
    are where a templates folder and journal.yaml would be picked up if they appear while watching."""

    config: Config
    report: Callable[[str], None]
    templates: Path | None = None
    settings: Path | None = None
    site: Site | None = None
    events: queue.Queue[tuple[str, bool] | None] = field(default_factory=queue.Queue)  # None: stop was asked
    observer: Any = None
    idle: Callable[[], None] | None = None  # work that readies the first save, done once nothing else happens
    reported: dict[str, Counter[str]] = field(default_factory=dict)  # each file's problems as last reported, by line
    settled: Callable[[frozenset[str]], None] = lambda heard: None  # told what each burst named, once dealt with

    def __post_init__(self) -> None:
        self.templates = self.config.templates_dir or self.templates
        self.settings = self.config.config_path or self.settings

    def classify(self, raw: str, folder_changed: bool, changes: Burst) -> None:
        """Sort one event path into entries, theme or settings; ignore the rest (the output, say)."""
        changes.heard.add(raw)
        path = Path(raw).absolute()
        entries = self.config.entries_dir.absolute()
        templates = self.templates.absolute() if self.templates is not None else None
        if self.settings is not None and path == self.settings.absolute():
            changes.config = True
        elif templates is not None and (path == templates or templates in path.parents):
            changes.theme = True
            changes.folders = changes.folders or (path == templates and folder_changed)
        elif path == entries:
            if folder_changed:  # made, moved or deleted (a "modified" only echoes its files' own events)
                changes.rescan = changes.folders = True
        elif entries in path.parents:
            if folder_changed:
                changes.rescan = True
            elif is_entry(rel := path.relative_to(entries).as_posix()):  # never an editor's swap or backup file
                changes.entries.add(rel)
            elif may_be_attached(rel):
                changes.files.add(rel)

    def watch_folders(self) -> None:
        """(Re)start watchdog on the folders as they are now: the entries and templates folders, and the
        folders that hold them and journal.yaml, where they can appear, vanish or come back."""
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)
        self.observer = _observe(self)

    def settings_changed(self) -> None:
        """Read journal.yaml and the templates folder again: either may have appeared or gone."""
        config = self.config
        templates = self.templates if self.templates is not None and self.templates.is_dir() else None
        settings = self.settings if self.settings is not None and self.settings.is_file() else None
        self.config = load_config(config.entries_dir, config.output_dir, templates, settings)
        assert self.site is not None
        self.site = self.site.renewed(self.config)

    def next_burst(self, stop: threading.Event) -> Burst:
        """Wait for events, then gather them until they go quiet. What comes back may change nothing (an editor's
        swap file alone) or be empty (stop was asked). Waiting costs nothing: the queue is woken by each event and
        by stop, and looked at every 0.1 s only while there is idle work to do."""
        changes = Burst()
        while not changes.heard and not stop.is_set():
            try:
                event = self.events.get(timeout=None if self.idle is None else 0.1)
            except queue.Empty:
                ready, self.idle = self.idle, None
                if ready is not None:
                    ready()
                    self.settled(frozenset())  # the first save is readied: nothing is left to do
                continue
            if event is not None:
                self.classify(*event, changes)
        started = time.monotonic()
        while not stop.is_set() and time.monotonic() - started < LONGEST_BURST:
            try:
                event = self.events.get(timeout=QUIET)
            except queue.Empty:
                break
            if event is not None:
                self.classify(*event, changes)
        return changes

    def first_build(self) -> None:
        """The build watch starts with; later rebuilds write in place. An output folder that holds exactly what a
        build of these files makes (the last `interlude build`, say) is kept as it is: only the live-refresh
        stamp is added, watching starts, and then the journal is taken from the cache, before any save is
        handled (saves made meanwhile wait in the queue); the templates are compiled once nothing happens."""
        started = time.perf_counter()

        def up(applied: Applied, quick: bool) -> None:
            entries = counted(applied.entries, "entry")
            self.report_start(applied, f"The site is up to date ({entries})" if quick else f"Built {entries}", started)

        self.site, quick = start_watching(self.config, datetime.date.today(), up)
        if quick:
            self.idle = self.site.prepare

    def report_start(self, applied: Applied, done: str, started: float) -> None:
        """The lines watch starts with: files it keeps that are not its own, problems, and that it watches."""
        if applied.written.kept:
            self.report(applied.written.kept_note(self.config.output_dir))
        for problem in self.unreported(applied):
            self.report(problem.show())
        self.report(
            f"{done} in {time.perf_counter() - started:.2f} s. "
            f"Open {self.config.output_dir / 'index.html'}; it refreshes itself after each save. "
            "Watching for changes (Ctrl-C stops)."
        )

    def rebuild(self, changes: Burst) -> None:
        """Re-read what changed and rewrite the pages it touched."""
        assert self.site is not None
        self.idle = None  # this save readies what the next one needs
        started = time.perf_counter()
        if changes.folders:
            self.watch_folders()
        if not self.config.entries_dir.is_dir():
            self.report(
                f"{time.strftime('%H:%M:%S')}  the entries folder {self.config.entries_dir} is gone; "
                "the site is kept as it was, and watch goes on when the folder is back"
            )
            return
        templates_there = self.templates is not None and self.templates.is_dir()
        renewed = changes.config or (self.config.templates_dir is not None) != templates_there
        if renewed:
            self.settings_changed()
            changes.rescan = True
        # A new site has read its theme already.
        applied = self.site.apply(
            Changes(changes.entries, changes.files, changes.rescan, changes.theme and not renewed)
        )
        new_problems = self.unreported(applied)
        for problem in new_problems:
            self.report(problem.show())
        seconds = time.perf_counter() - started
        written = applied.written
        remaining = applied.total - len(new_problems)
        self.report(
            f"{time.strftime('%H:%M:%S')}  {changes.describe() or 'no change'} · "
            f"{counted(written.written, 'page')} written"
            f"{f', {written.removed} removed' if written.removed else ''} · {seconds:.2f} s"
            + (f" · {remaining} earlier problem{'s remain' if remaining != 1 else ' remains'}" if remaining else "")
        )

    def unreported(self, applied: Applied) -> list[EntryError]:
        """The problems of the files a save touched that were not reported while they last stood, in the order a
        build lists them; each touched file's problems are remembered as reported. A save can break a link in any
        entry (a picture deleted, an entry retitled): the site tells every file whose problems changed. One that
        went and came back is new."""
        now: dict[str, Counter[str]] = {path: Counter() for path in applied.problems}
        fresh = []
        for problem in applied.listed:
            line = problem.show()
            now[problem.path][line] += 1
            if now[problem.path][line] > self.reported.get(problem.path, Counter())[line]:
                fresh.append(problem)
        for path, lines in now.items():
            if lines:
                self.reported[path] = lines
            else:
                self.reported.pop(path, None)
        return fresh

    def save_cache(self) -> None:
        """Leave the parsed entries for the next build (watch writes no cache while running)."""
        if self.site is not None:
            try:
                self.site.keep_cache()
            except InterludeError:
                pass


def _observe(watcher: Watcher) -> BaseObserver:
    """Start watchdog on the entries and templates folders (with everything inside), and on the folders holding
    them and journal.yaml (those alone); poll where inotify is unavailable or full."""
    config = watcher.config
    handler = _Collector(watcher.events)
    recursive = [folder for folder in (config.entries_dir, watcher.templates) if folder is not None and folder.is_dir()]
    around = {
        folder.absolute().parent
        for folder in (config.entries_dir, watcher.templates, watcher.settings)
        if folder is not None
    }
    folders = [(folder, True) for folder in recursive] + [
        (folder, False) for folder in sorted(around) if folder.is_dir()
    ]
    for observer_class in (Observer, PollingObserver):
        observer = observer_class()
        try:
            for folder, deep in folders:
                observer.schedule(handler, str(folder), recursive=deep, event_filter=CHANGES)
            observer.start()
            return observer
        except OSError:
            observer.stop()  # inotify's watch limit reached, or no inotify: poll instead
    raise InterludeError("cannot watch the entries folder for changes")


def _wake_on(stop: threading.Event, events: queue.Queue[tuple[str, bool] | None]) -> None:
    """Once stop is set, wake the watch loop that waits on the queue (None stands for "stop")."""
    stop.wait()
    events.put(None)


def watch(
    config: Config,
    report: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    templates: Path | None = None,
    settings: Path | None = None,
    settled: Callable[[frozenset[str]], None] | None = None,
) -> None:
    """Build, then rebuild after every change until Ctrl-C (or until `stop` is set: watch ends at once). `templates`
    and `settings` are where a templates folder and journal.yaml are picked up should they appear. `settled` is
    told, after each burst of events is dealt with (rebuilt, or found to change nothing), every path it named
    (once a path is in it, everything that happened before that path's event in the same watched folder has been
    dealt with too), and told nothing once the first save after a quick start has been readied."""
    stop = stop or threading.Event()
    watcher = Watcher(config, report, templates, settings)
    if settled is not None:
        watcher.settled = settled
    threading.Thread(target=_wake_on, args=(stop, watcher.events), daemon=True).start()
    watcher.watch_folders()  # before the first build, so that no save is missed meanwhile
    try:
        watcher.first_build()
        while not stop.is_set():
            changes = watcher.next_burst(stop)
            if changes:
                try:
                    watcher.rebuild(changes)
                except InterludeError as error:
                    report(f"{time.strftime('%H:%M:%S')}  {error.show()} (still watching)")
                except Exception as error:
                    report(
                        f"{time.strftime('%H:%M:%S')}  rebuild failed: {type(error).__name__}: {error} (still watching)"
                    )
            if changes.heard:
                watcher.settled(frozenset(changes.heard))
    finally:
        watcher.observer.stop()
        watcher.save_cache()
        watcher.observer.join(timeout=2)
        stop.set()  # the waker ends with watch, whatever ended it
