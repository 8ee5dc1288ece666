"""All entries → the Journal model: ordering, unique page names, tags, months, sessions, stretches."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field

from generator.config import Config
from generator.entries import Entry, Tag
from generator.errors import EntryError
from generator.links import Attachment, resolve
from generator.sources import FileNames, shown


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
    ordered: InitVar[dict[str, int] | None] = None  # entries already in order, keyed, at these positions
    files: InitVar[Callable[[], FileNames] | None] = None  # the entries folder's other files by name
    names: InitVar[dict[str, str] | None] = None  # entry_names() of these entries, if known
    within: InitVar[Journal | None] = None  # a stretch of this journal (a year): its links are that journal's
    _tags: dict[str, tuple[Tag, list[Entry]]] | None = field(default=None, init=False, repr=False, compare=False)
    # Worked out from the links: who mentions whom (page name → entries, oldest first), what is attached.
    mentions: dict[str, list[Entry]] = field(default_factory=dict, init=False, repr=False, compare=False)
    attachments: dict[str, Attachment] = field(default_factory=dict, init=False, repr=False, compare=False)
    link_names: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(
        self,
        ordered: dict[str, int] | None,
        files: Callable[[], FileNames] | None,
        names: dict[str, str] | None,
        within: Journal | None,
    ) -> None:
        if ordered is not None:
            self.position = ordered
        else:
            self.entries.sort(key=lambda e: (e.date, e.source))
            assign_keys(self.entries)
            self.position = {e.key: i for i, e in enumerate(self.entries)}
        if within is not None:  # resolved against the whole journal already: a stretch must not resolve them again
            self.mentions, self.attachments, self.link_names = within.mentions, within.attachments, within.link_names
            return
        links = resolve(
            self.entries, self.config.entries_dir, lambda source: shown(self.config.entries_dir, source), files, names
        )
        self.mentions, self.attachments, self.link_names = links.mentions, links.attachments, links.names
        self.problems = [*self.problems, *links.warnings]

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
        if self._tags is None:
            self._tags = self._group_tags()
        return self._tags

    def _group_tags(self) -> dict[str, tuple[Tag, list[Entry]]]:
        grouped: dict[str, list[Entry]] = {}
        names: dict[str, Counter[str]] = {}
        for entry in self.entries:
            for tag in entry.tags:
                grouped.setdefault(tag.slug, []).append(entry)
                spellings = names.get(tag.slug)
                if spellings is None:  # (not setdefault: it would make a Counter for every use of a tag)
                    spellings = names[tag.slug] = Counter()
                spellings[tag.name] += 1
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


def page_name(entry: Entry) -> str:
    """The page name an entry has unless an earlier one of the same day and slug has it: its date and slug."""
    return f"{entry.date:%Y-%m-%d}-{entry.slug}"


def assign_keys(entries: list[Entry]) -> None:
    """Give each entry a unique page name: its date and slug. Of several entries with the same date and slug,
    the earliest keeps that name and each later one adds its own time (or, without one, a mark made from
    its file's name), so that an entry written later that day never renames the pages before it."""
    taken: set[str] = set()
    for entry in entries:  # oldest first
        base = page_name(entry)
        key = base
        if key in taken:
            mark = hashlib.blake2b(entry.source.encode("utf-8", "surrogatepass"), digest_size=2).hexdigest()
            own = [f"{entry.date:%H%M}"] if entry.has_time and not entry.slug.endswith(f"{entry.date:%H-%M}") else []
            key = next((f"{base}-{part}" for part in [*own, mark] if f"{base}-{part}" not in taken), "")
            n = 2
            while not key or key in taken:
                key, n = f"{base}-{mark}-{n}", n + 1
        taken.add(key)
        entry.key = key
