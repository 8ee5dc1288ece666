"""Links resolved once the whole journal is known: an entry's file or a wikilink becomes that entry's page, a
picture or a PDF becomes its copy under attachments/. Each entry's Refs (generator.refs, found when its file was
read) get what they point at now: that changes when other files do (an entry renamed, a picture added), so it is
never part of the cached entry, only of the Journal made from it."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from generator.entries import Entry
from generator.errors import EntryWarning
from generator.refs import Ref, Resolved
from generator.sources import ENTRY_SUFFIXES, FileNames, Signature, files_by_name, has_entry_suffix, may_be_copied
from generator.words import listed

ATTACHMENTS = "attachments"
# Photos from a phone are 4–12 MB: a page shows a resized copy of any picture this large, linking to the file.
PREVIEW_FROM = 400_000
PREVIEW_WIDTH = 1600
PREVIEWABLE = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an entry links to or shows, copied into the site (and shown resized, if a large photo)."""

    rel: str  # relative to the entries folder
    path: Path
    signature: Signature
    preview: bool

    @property
    def url_path(self) -> str:
        """The copy's file in the site."""
        return f"{ATTACHMENTS}/{self.rel}"

    @property
    def preview_path(self) -> str:
        """The resized copy's file in the site."""
        return f"{self.url_path}.preview.webp"

    @property
    def url(self) -> str:
        """The copy's address, from the site's top folder."""
        return quote(self.url_path)

    @property
    def preview_url(self) -> str:
        """The resized copy's address, from the site's top folder."""
        return quote(self.preview_path)


@dataclass
class Links:
    """Every entry's links resolved: what each entry's marks point at, who mentions whom, what is attached."""

    mentions: dict[str, list[Entry]]  # an entry's page name → the entries linking to it, oldest first
    attachments: dict[str, Attachment]  # by path relative to the entries folder
    warnings: list[EntryWarning]
    names: dict[str, str] | None = None  # entry_names(), if it was needed: a journal changed in place reuses it


class _Index:
    """The journal's entries by every name a link can use, and its other files by name."""

    def __init__(
        self,
        entries: list[Entry],
        root: Path,
        files: Callable[[], FileNames] | None = None,
        names: dict[str, str] | None = None,
    ):
        self.root, self.entries = root, entries
        self.by_source = {e.source: e for e in entries}
        self.by_key = {e.key: e for e in entries}
        self.names = names
        self._files = files
        self._file_names: FileNames | None = None
        self._stats: dict[str, Attachment | None] = {}
        self.clashes: dict[str, tuple[Entry, Ref, list[str]]] = {}  # a ![[name]] many files have: the first use

    def named(self, name: str) -> Entry | None:
        """The entry a wikilink's name (in lower case) points at."""
        if self.names is None:
            self.names = entry_names(self.entries)
        key = self.names.get(name)
        return self.by_key.get(key) if key is not None else None

    def entry(self, ref: Ref, own: Entry) -> Entry | None:
        """The entry a link points at, if it is one."""
        if ref.wiki:
            if not ref.target:
                return own  # [[#heading]]: a heading of this entry
            name = " ".join(ref.target.split()).casefold()
            for suffix in ENTRY_SUFFIXES:
                name = name.removesuffix(suffix)
            return self.named(name)
        if not has_entry_suffix(ref.target):
            return None
        found = self.by_source.get(ref.target)
        if found is None and "/" not in ref.written:  # Obsidian's "shortest path" links name the file alone
            found = self.named(posixpath.splitext(posixpath.basename(ref.target))[0].casefold())
        return found

    def attachment(self, ref: Ref, own: Entry) -> Attachment | None:
        """The file a link points at, if it is inside the entries folder and not an entry or hidden. A Markdown
        link's path starts from the entry's own folder, and nothing else is tried; a ![[path]] starts from the
        entry's folder or the top folder, else it is a file of that name (and folders) anywhere, the nearest."""
        if has_entry_suffix(ref.target):
            return None  # an entry's file is never copied, only linked to as a page
        if not ref.wiki:
            return self._stat(ref.target)
        folder = posixpath.dirname(own.source)
        paths = [posixpath.join(folder, ref.target)] + ([ref.target] if "/" in ref.target else [])
        for rel in paths:  # a path from the entry's folder, or from the top folder (a name alone: the nearest)
            found = self._stat(posixpath.normpath(rel))
            if found is not None:
                return found
        written = ref.target.replace("\\", "/").strip("/").casefold()
        named = self.files().get(posixpath.basename(written), ())
        candidates = [rel for rel in named if ("/" + rel.casefold()).endswith("/" + written)]
        candidates = [rel for rel in nearest_first(candidates, folder) if self._stat(rel) is not None]
        if len(candidates) > 1:
            self.clashes.setdefault(written, (own, ref, candidates))
        return self._stat(candidates[0]) if candidates else None

    def _stat(self, rel: str) -> Attachment | None:
        """The file at rel, if it may be copied."""
        if rel in self._stats:
            return self._stats[rel]
        found = None
        if may_be_copied(rel):
            path = self.root / rel
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
            if stat is not None and os.path.isfile(path):
                suffix = posixpath.splitext(rel)[1].lower()
                found = Attachment(
                    rel,
                    path,
                    (stat.st_size, stat.st_mtime_ns, stat.st_ino),
                    suffix in PREVIEWABLE and stat.st_size >= PREVIEW_FROM,
                )
        self._stats[rel] = found
        return found

    def files(self) -> FileNames:
        """files_by_name(root), looked up once."""
        if self._file_names is None:
            self._file_names = self._files() if self._files else files_by_name(self.root)
        return self._file_names


def entry_names(entries: list[Entry]) -> dict[str, str]:
    """Every name a wikilink can give an entry by, in lower case → its page name. Where two share a name, a
    file's path wins over a file's name, that over a page name, that over a title; of two of a kind, the
    earlier entry."""
    paths = [(e.source.rsplit(".", 1)[0].casefold(), e.key) for e in reversed(entries)]
    names = {" ".join(e.title.split()).casefold(): e.key for e in reversed(entries)}
    names.update((e.key.casefold(), e.key) for e in reversed(entries))
    names.update((path.rsplit("/", 1)[-1], key) for path, key in paths)
    names.update(paths)
    return names


def nearest_first(paths: Iterable[str], folder: str) -> list[str]:
    """Files in order of nearness to an entry in `folder`: its own folder, then each folder up from it (the
    closest first), then the others by how few folders lie between, then in folder order."""
    here = [part for part in folder.split("/") if part]

    def distance(rel: str) -> tuple[int, int, int, str]:
        there = [part for part in posixpath.dirname(rel).split("/") if part]
        common = 0
        while common < min(len(here), len(there)) and here[common] == there[common]:
            common += 1
        up, down = len(here) - common, len(there) - common
        return (0 if down == 0 else 1, up, down, rel)

    return sorted(paths, key=distance)


def without_folders(files: FileNames, hidden: set[str]) -> FileNames:
    """files_by_name() without the files in `hidden` folders (relative, "" for the top one) or in folders below
    them (below any but the top one): what a share may find by name when those folders hold entries it leaves
    out."""

    def hidden_file(rel: str) -> bool:
        folder = posixpath.dirname(rel)
        if folder in hidden:
            return True
        while folder:
            folder = posixpath.dirname(folder)
            if folder and folder in hidden:
                return True
        return False

    kept = {name: tuple(rel for rel in paths if not hidden_file(rel)) for name, paths in files.items()}
    return {name: paths for name, paths in kept.items() if paths}


def resolve(
    entries: list[Entry],
    root: Path,
    shown: Callable[[str], str],
    files: Callable[[], FileNames] | None = None,
    names: dict[str, str] | None = None,
) -> Links:
    """Resolve every entry's links against the whole journal; each entry gets its `links` and `linked`.
    `files` gives files_by_name(root), and `names` is entry_names(entries), either perhaps remembered from
    an earlier call (watch)."""
    if not any(entry.refs or entry.links for entry in entries):
        return Links({}, {}, [])
    index = _Index(entries, root, files, names)
    mentions: dict[str, list[Entry]] = {}
    attachments: dict[str, Attachment] = {}
    warnings: list[EntryWarning] = []
    for entry in entries:
        if not entry.refs:
            if entry.links:
                entry.links, entry.linked = (), ""
            continue
        resolved = []
        for ref in entry.refs:
            target = index.entry(ref, entry)
            if target is not None:
                fragment = ref.fragment and f"#{quote(ref.fragment)}"
                resolved.append(Resolved(f"{target.url}{fragment}", embed=target.key if ref.embed else ""))
                if target is not entry and entry not in mentions.setdefault(target.key, []):
                    mentions[target.key].append(entry)
                continue
            found = index.attachment(ref, entry)
            if found is not None:
                attachments[found.rel] = found
                resolved.append(Resolved(found.url, found.preview_url if found.preview and ref.embed else found.url))
                continue
            resolved.append(Resolved(None, shown=posixpath.basename(ref.target)))
            warnings.append(EntryWarning(shown(entry.source), _not_found(ref), ref.line))
        entry.links, entry.linked = tuple(resolved), _linked(resolved)
    warnings += _without_loops(entries, shown)
    for own, ref, paths in index.clashes.values():
        shown_paths = listed(paths)
        warnings.append(
            EntryWarning(
                shown(own.source),
                f"{'!' if ref.embed else ''}{ref.written}: {len(paths)} files have this name ({shown_paths}); the "
                f"nearest, {paths[0]}, is shown; to show another, write its path, as in ![[{paths[1]}]]",
                ref.line,
            )
        )
    return Links(mentions, attachments, warnings, index.names)


def _linked(resolved: Iterable[Resolved]) -> str:
    """A short hash of where an entry's links point: its page changes when this does."""
    return hashlib.blake2b(repr(tuple(resolved)).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _without_loops(entries: list[Entry], shown: Callable[[str], str]) -> list[EntryWarning]:
    """Each ![[Entry]] that would show the entry inside itself (itself, or one that shows it back, however far
    round) made a plain link, and reported."""
    by_key = {e.key: e for e in entries}
    embeds = {e.key: [i for i, link in enumerate(e.links) if link.embed] for e in entries if e.links}
    embeds = {key: found for key, found in embeds.items() if found}
    if not embeds:
        return []
    warnings: list[EntryWarning] = []

    def leads_back(start: str, first: str) -> bool:
        """Whether the entries shown from `first`, and those they show, however far, come back to `start`."""
        seen, waiting = {first}, [first]
        while waiting:
            key = waiting.pop()
            for index in embeds.get(key, []):
                inner = by_key[key].links[index].embed
                if inner == start:
                    return True
                if inner and inner not in seen:
                    seen.add(inner)
                    waiting.append(inner)
        return False

    for key, found in embeds.items():
        entry = by_key[key]
        for index in found:
            target = entry.links[index].embed
            if target == key or leads_back(key, target):
                links = list(entry.links)
                links[index] = dataclasses.replace(links[index], embed="")
                entry.links, entry.linked = tuple(links), _linked(links)
                ref = entry.refs[index]
                what = "itself" if target == key else "an entry that shows this one in turn"
                warnings.append(
                    EntryWarning(
                        shown(entry.source),
                        f"!{ref.written} would show {what}, endlessly; it is shown as a link instead",
                        ref.line,
                    )
                )
    return warnings


def _not_found(ref: Ref) -> str:
    """The warning for a link that points at nothing."""
    if ref.target.startswith("../") or ref.target == "..":
        return (
            f"{ref.written} is outside the entries folder, so it is not copied into the site; "
            "move the file into the entries folder"
        )
    if ref.wiki:
        return (
            f"{ref.written} matches no entry's file name or title, nor a file in the entries folder; "
            "it is shown as plain text"
        )
    folder = posixpath.dirname(ref.target)
    where = f"in {folder}/" if folder else "in the entries folder"
    hint = (
        f"; to find a file by its name in any folder, write {'!' if ref.embed else ''}[[{unquote(ref.written)}]]"
        if "/" not in ref.written and "\\" not in ref.written
        else ""
    )
    return (
        f"{ref.written} not found {where} (a Markdown link's path starts from its entry's folder); it is shown "
        f"as plain text{hint}"
    )
