"""All entries → the Journal model: ordering, unique page names, tags, months, sessions, stretches."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from generator.config import Config
from generator.entries import Entry, MarkdownConverter, Tag, is_entry_file, read_entry
from generator.errors import EntryError


@dataclass
class Stretch:
    """The entries between one therapy session and the next (the session heads it, if any)."""

    session: Entry | None
    entries: list[Entry]

    @property
    def number(self) -> int:
        """How many entries, the session included."""
        return len(self.entries)


@dataclass
class Journal:
    """The whole journal in memory: everything a view needs, computed once."""

    config: Config
    entries: list[Entry]  # oldest first
    problems: list[EntryError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entries.sort(key=lambda e: (e.date, e.source))
        assign_keys(self.entries)
        self.position = {e.key: i for i, e in enumerate(self.entries)}

    def previous(self, entry: Entry) -> Entry | None:
        """The entry written just before this one."""
        index = self.position[entry.key]
        return self.entries[index - 1] if index > 0 else None

    def next(self, entry: Entry) -> Entry | None:
        """The entry written just after this one."""
        index = self.position[entry.key]
        return self.entries[index + 1] if index + 1 < len(self.entries) else None

    def tags(self) -> dict[str, tuple[Tag, list[Entry]]]:
        """Tag slug → (tag as most often written, its entries oldest first), most used first."""
        grouped: dict[str, list[Entry]] = {}
        names: dict[str, Counter[str]] = {}
        for entry in self.entries:
            for tag in entry.tags:
                grouped.setdefault(tag.slug, []).append(entry)
                names.setdefault(tag.slug, Counter())[tag.name] += 1
        ordered = sorted(grouped, key=lambda s: (-len(grouped[s]), s))
        return {s: (Tag(names[s].most_common(1)[0][0], s), grouped[s]) for s in ordered}

    def months(self) -> dict[tuple[int, int], list[Entry]]:
        """(year, month) → entries, oldest month first."""
        grouped: dict[tuple[int, int], list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault((entry.date.year, entry.date.month), []).append(entry)
        return grouped

    def sessions(self) -> list[Entry]:
        """Therapy-session entries, oldest first."""
        return [e for e in self.entries if e.type == self.config.session_type]

    def stretches(self) -> list[Stretch]:
        """The journal cut at every session: each stretch starts with its session, oldest first."""
        stretches = [Stretch(None, [])]
        for entry in self.entries:
            if entry.type == self.config.session_type:
                stretches.append(Stretch(entry, []))
            stretches[-1].entries.append(entry)
        return [s for s in stretches if s.entries]


def assign_keys(entries: list[Entry]) -> None:
    """Give each entry a unique page name, date first; two same-day, same-title entries both keep a page."""
    taken: set[str] = set()
    for entry in entries:
        base = f"{entry.date:%Y-%m-%d}-{entry.slug}"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        entry.key = key


def find_entry_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every entry file under root, recursively, as (path, path relative to root); symlink loops are safe."""
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            path = Path(folder, name)
            if is_entry_file(path) and path.is_file():
                yield path, path.relative_to(root).as_posix()


def read_journal(config: Config, on_read: Callable[[int, int], None] | None = None) -> Journal:
    """Read every entry under the entries folder into one Journal; bad entries become problems."""
    converter = MarkdownConverter(config.markdown_extensions)
    files = list(find_entry_files(config.entries_dir))
    entries: list[Entry] = []
    problems: list[EntryError] = []
    for done, (path, rel) in enumerate(files, start=1):
        try:
            entry = read_entry(path, rel, config, converter, _shown(config, rel))
        except EntryError as error:
            problems.append(error)
        else:
            entries.append(entry)
            problems.extend(entry.warnings)
        if on_read:
            on_read(done, len(files))
    return Journal(config, entries, problems)


def _shown(config: Config, rel: str) -> str:
    """How a file is named in messages: as the person would type it from the current folder."""
    try:
        return (config.entries_dir / rel).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return (config.entries_dir / rel).as_posix()
