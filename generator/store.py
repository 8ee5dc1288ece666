"""Every entry file → Entry, read once and kept (EntryStore): later reads re-read only the files that changed on
disk, in the worker processes when there are many; the Journal of what was read."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.config import Config
from generator.converter import MarkdownConverter
from generator.entries import Entry, read_entry, shared_tags
from generator.errors import EntryError
from generator.journal import Journal
from generator.sources import FileNames, Signature, files_by_name, is_entry, look, shown, signature
from generator.workers import Workers, collector_paused, local, settings, young_garbage

PARALLEL_FROM = 200  # below this many files, starting worker processes costs more than it saves


def _converter(config: Config) -> MarkdownConverter:
    return MarkdownConverter(config.markdown_extensions)


def for_reading(config: Config) -> dict[str, Any]:
    """What the workers need to read entries, made here before they are forked: a Markdown converter with its
    extensions loaded (each worker would import them again, 0.04 s)."""
    converter = _converter(config)
    converter.convert("")
    return {"markdown": converter}


def _read_in_worker(item: tuple[Path, str], also: Callable[[Entry], Any] | None) -> tuple[Entry | EntryError, Any]:
    """In a worker process: read one file with the worker's own converter, and make `also(entry)` of what it read."""
    young_garbage()
    result = _read_or_error(item, settings(), local("markdown", _converter))
    return result, (also(result) if also is not None and isinstance(result, Entry) else None)


def _read_or_error(item: tuple[Path, str], config: Config, converter: MarkdownConverter) -> Entry | EntryError:
    path, rel = item
    try:
        return read_entry(path, rel, config, converter, shown(config.entries_dir, rel))
    except EntryError as error:
        return error
    except Exception as error:
        return EntryError(
            shown(config.entries_dir, rel), f"could not be read ({type(error).__name__}: {error}); please report this"
        )


class EntryStore:
    """Every entry file, read once and kept: later reads re-read only the files that changed on disk."""

    def __init__(
        self,
        config: Config,
        cached: dict[str, tuple[Signature, Entry]] | None = None,
        pool: Workers | None = None,
        keep_last_good: bool = False,
        also: Callable[[Entry], Any] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ):
        self.config = config
        # Made in the worker processes of each entry they read (`also`, a module-level function, so that it can be
        # sent to them), kept here for whoever asks (take_made): work best done beside the reading.
        self.also = also
        self.made: list[Any] = []
        self.meanwhile = meanwhile  # done here while the workers read (this process would only wait for them)
        # Under watch, a file that stops reading (half-typed YAML) keeps its last good version, and so its page,
        # until it reads again; a build leaves it out.
        self.keep_last_good = keep_last_good
        self.workers = pool  # the build's worker processes; without them, many files start a pool of their own
        self.entries: dict[str, tuple[Signature, Entry]] = dict(cached or {})
        self.problems: dict[str, EntryError] = {}
        self._converter: MarkdownConverter | None = None
        # What changed since the last journal() call: entries replaced in place (same file, new text),
        # and whether any came or went, which means ordering everything again.
        self._last: Journal | None = None
        self._replaced: dict[str, Entry] = {}
        self._reshaped = False
        self._file_names: FileNames | None = None  # files_by_name, until a file may have come or gone

    def take_made(self) -> list[Any]:
        """What `also` made in the workers since the last call."""
        made, self.made = self.made, []
        return made

    def file_names(self) -> FileNames:
        """The entries folder's other files by name, walked once until forget_files() or a full scan."""
        if self._file_names is None:
            self._file_names = files_by_name(self.config.entries_dir)
        return self._file_names

    def forget_files(self) -> None:
        """A file other than an entry came, went or changed: look again when a link needs it."""
        self._file_names = None

    def _read(
        self, items: list[tuple[Path, str]], on_read: Callable[[int], None] | None = None
    ) -> list[Entry | EntryError]:
        """Read files, in worker processes on every core when there are many."""
        if len(items) >= PARALLEL_FROM:
            with contextlib.ExitStack() as stack:
                pool = self.workers or stack.enter_context(Workers(self.config))
                if pool.useful:
                    results = []
                    stack.enter_context(collector_paused())
                    reader = functools.partial(_read_in_worker, also=self.also)
                    read = pool.pool().map(reader, items, chunksize=64)  # every chunk handed out now
                    if self.meanwhile:
                        self.meanwhile()
                    for result, made in read:
                        results.append(result)
                        if made is not None:
                            self.made.append(made)
                        if on_read:
                            on_read(1)
                    return results
        if self._converter is None:
            self._converter = _converter(self.config)
        results = []
        for item in items:
            results.append(_read_or_error(item, self.config, self._converter))
            if on_read:
                on_read(1)
        return results

    def _refresh(
        self,
        found: dict[str, tuple[Path, Signature]],
        gone: Iterable[str],
        stale: list[tuple[Path, str]] | None = None,
        on_read: Callable[[int], None] | None = None,
    ) -> set[str]:
        """Re-read the found files that are `stale` (those whose signature changed, if not given); forget the gone
        ones. Returns what changed."""
        changed = set()
        for rel in gone:
            if self.entries.pop(rel, None) is not None or self.problems.pop(rel, None) is not None:
                changed.add(rel)
                self._reshaped = True
        if stale is None:
            stale = self.stale(found)
        for (_path, rel), result in zip(stale, self._read(stale, on_read)):
            before = self.entries.pop(rel, None)
            self.problems.pop(rel, None)
            if isinstance(result, EntryError):
                self.problems[rel] = result
                changed.add(rel)
                if before is not None and self.keep_last_good:
                    self.entries[rel] = before
                else:
                    self._reshaped = self._reshaped or before is not None
            else:
                shared_tags(result)
                self.entries[rel] = (found[rel][1], result)
                if before is None:
                    self._reshaped = True
                else:
                    self._replaced.setdefault(rel, before[1])
                if before is None or before[1].digest != result.digest:
                    changed.add(rel)
        return changed

    def stale(self, found: dict[str, tuple[Path, Signature]]) -> list[tuple[Path, str]]:
        """The found files that have to be read (again): new, changed on disk, or a problem last time."""
        entries, problems = self.entries, self.problems
        return [
            (path, rel)
            for rel, (path, sig) in found.items()
            if rel in problems or rel not in entries or entries[rel][0] != sig
        ]

    def scan(
        self,
        found: dict[str, tuple[Path, Signature]] | None = None,
        stale: list[tuple[Path, str]] | None = None,
        on_read: Callable[[int], None] | None = None,
    ) -> set[str]:
        """Bring every file under the entries folder up to date (`found`: what look() saw there, if it was just
        called; `stale`: which of them stale() says are to be read, if it was asked); returns the sources that
        changed."""
        if found is None:
            found = look(self.config.entries_dir)
        self._file_names = None
        gone = (set(self.entries) | set(self.problems)) - set(found)
        return self._refresh(found, gone, stale, on_read)

    def update(self, sources: Iterable[str]) -> set[str]:
        """Look again at just these files (relative to the entries folder); returns what changed."""
        found: dict[str, tuple[Path, Signature]] = {}
        gone = []
        for rel in sources:
            path = self.config.entries_dir / rel
            sig = signature(path) if is_entry(rel) else None
            if sig is None:
                gone.append(rel)
            else:
                found[rel] = (path, sig)
        return self._refresh(found, gone)

    def journal(self) -> Journal:
        """The Journal of everything read so far."""
        problems = [self.problems[rel] for rel in sorted(self.problems)]
        for rel in sorted(rel for rel, (_, entry) in self.entries.items() if entry.warnings):
            problems.extend(self.entries[rel][1].warnings)
        journal = self._in_place(problems) or Journal(
            self.config, [e for _, e in self.entries.values()], problems, files=self.file_names
        )
        self._last, self._replaced, self._reshaped = journal, {}, False
        return journal

    def _in_place(self, problems: list[EntryError]) -> Journal | None:
        """The last journal with edited entries swapped in, when no edit moved or renamed one (the usual
        save): no sorting of the whole journal again. None when it has to be built afresh."""
        last = self._last
        if last is None or self._reshaped:
            return None
        entries = list(last.entries)
        same_names = True
        for rel, old in self._replaced.items():
            new = self.entries[rel][1]
            index = last.position.get(old.key)
            if index is None or entries[index] is not old or (new.date, new.slug) != (old.date, old.slug):
                return None
            new.key = old.key
            entries[index] = new
            same_names = same_names and new.title == old.title
        return Journal(
            self.config,
            entries,
            problems,
            ordered=last.position,
            files=self.file_names,
            names=last.link_names if same_names else None,
        )


@functools.lru_cache(maxsize=1)
def reader_code() -> str:
    """A hash of the code that turns a file into an Entry: a cache made by any other reading of the files
    (a page name, a `private:` value read differently) is never used, even without a new version number."""
    from generator import (
        comments,
        converter,
        diarycard,
        entries,
        excerpts,
        formfields,
        frontmatter,
        hashtags,
        html_clean,
        markdown_forms,
        markdown_links,
        records,
        refs,
        slugs,
        tasks,
    )

    readers = [entries, frontmatter, refs, markdown_links, slugs, converter, comments, markdown_forms, diarycard]
    readers += [records, formfields, html_clean, hashtags, tasks, excerpts]
    code = b"".join(Path(module.__file__).read_bytes() for module in readers if module.__file__)
    return hashlib.blake2b(code, digest_size=8).hexdigest()


def read_journal(config: Config) -> Journal:
    """Read every entry under the entries folder into one Journal; bad entries become problems."""
    store = EntryStore(config)
    store.scan()
    return store.journal()
