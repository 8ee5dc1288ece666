"""Other journals → entry files. Each importer reads an export into Imported records (and the problems of
the records it had to skip); `write_imported` then writes each record as a new Markdown file with front
matter, as the README documents, never over an existing file and never twice.

Every imported entry carries `imported: <app>:<id>` in its front matter: a second run finds those and adds
nothing. Each file (entry or photo) is written as files.py says: whole, under a temporary name then linked
into place (which fails rather than replace a file that appeared meanwhile), an entry's photos before it.
"""

from __future__ import annotations

import posixpath
import re
import signal
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from generator.importers import daylio, dayone, jrnl
from generator.importers.files import Pending, holds, make_folders, tidy, write_new
from generator.importers.imported import (
    Imported,
    ImportFailed,
    ImportReport,
    ImportStopped,
    Skipped,
    Warned,
)
from generator.slugs import slugify
from generator.sources import is_entry_name, walk

ORIGIN_KEY = "imported"
_ORIGIN_LINE = re.compile(rb"^imported:[ \t]*['\"]?([^'\"\r\n]+?)['\"]?[ \t]*\r?$", re.M)


def existing_origins(entries: Path) -> dict[str, str]:
    """Every `imported:` origin already in the journal → its file, relative to the entries folder (read from
    the files' front matter, quickly)."""
    found: dict[str, str] = {}
    for rel, item in walk(entries):
        if not is_entry_name(item.name):
            continue
        try:
            front = _front_matter_of(item.path)
        except OSError:
            continue
        if b"imported:" in front:
            for found_origin in _ORIGIN_LINE.finditer(front):
                found.setdefault(found_origin.group(1).decode("utf-8", "replace"), rel)
    return found


_CLOSE = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?\n")


def _front_matter_of(path: str) -> bytes:
    """The front matter of a file, however long (b"" if it has none): read a few KB at a time, not whole."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if not head.startswith(b"---"):
            return b""
        while not (close := _CLOSE.search(head, 3)):
            more = handle.read(65536)
            if not more:
                close = _CLOSE.search(head + b"\n", 3)  # a file that ends with its closing line
                return head[: close.start()] if close else head
            head += more
        return head[: close.start()]


def front_matter(item: Imported) -> str:
    """The entry's front matter: title, date, tags, the importer's other keys, and where it came from."""
    meta: dict[str, Any] = {}
    if item.title:
        meta["title"] = item.title
    meta["date"] = item.when.strftime("%Y-%m-%d %H:%M") if item.has_time else item.when.strftime("%Y-%m-%d")
    if item.tags:
        meta["tags"] = item.tags
    meta.update(item.meta)
    meta[ORIGIN_KEY] = item.origin
    return "---\n" + "".join(f"{key}: {_yaml_value(value)}\n" for key, value in meta.items()) + "---\n"


def _yaml_value(value: Any) -> str:
    """A value as YAML writes it on one line (quoted where it has to be: a date written as text, say)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).rstrip("\n")
    return text[:-4].rstrip("\n") if text.endswith("\n...") else text


def plan(items: list[Imported], entries: Path, origins: dict[str, str]) -> tuple[list[Imported], int]:
    """The records not imported before, each given a file name that no file has (nor another record)."""
    new = [item for item in items if item.origin not in origins]
    taken: set[str] = set()
    for item in sorted(new, key=lambda i: (i.when, i.origin)):
        base = f"{item.when:%Y-%m-%d}-{slugify(item.title or '', fallback='') or item.when.strftime('%H-%M')}"
        name, n = f"{item.folder}/{base}.md", 2
        while name in taken or (entries / name).exists():
            name, n = f"{item.folder}/{base}-{n}.md", n + 1
        taken.add(name)
        item.file_name = name
    return new, len(items) - len(new)


def write_imported(
    items: list[Imported], entries: Path, dry_run: bool = False, on_written: Callable[[int], None] | None = None
) -> ImportReport:
    """Write the records an earlier import did not bring in; photos go beside their entry. Ctrl-C stops it
    between two entries (ImportStopped says how far it came)."""
    report = ImportReport()
    new: list[Imported] = []
    try:
        if not dry_run:
            tidy(entries)
        origins = existing_origins(entries)
        new, report.already = plan(items, entries, origins)
        paths = origins | {item.origin: item.file_name for item in new}
        titles = {item.origin: item.title for item in new if item.title}
        with ctrl_c_waits() as stopped:
            for item in new:
                body = entry_links(item.body, item.file_name, paths, titles)
                if dry_run:
                    _came_in(item, [attached.name for attached in item.files], report, on_written)
                else:
                    _write_entry(item, entries, body, report, on_written)
                if stopped():
                    raise KeyboardInterrupt
    except KeyboardInterrupt:
        raise ImportStopped(report, len(new)) from None
    return report


@contextmanager
def ctrl_c_waits() -> Iterator[Callable[[], bool]]:
    """While entries are written, Ctrl-C stops the import once the entry being written is in place, not in
    the middle of it; a second Ctrl-C stops it at once (the next import takes back what that left)."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False  # only the main thread is told of Ctrl-C
        return
    pressed: list[bool] = []

    def press(signum: int, frame: FrameType | None) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(True)

    previous = signal.signal(signal.SIGINT, press)
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def _write_entry(
    item: Imported, entries: Path, body: str, report: ImportReport, on_written: Callable[[int], None] | None
) -> None:
    """Write one entry and its photos (the photos first), or nothing of it (and why, in the report)."""
    try:  # every file an entry shows is read before any is written: an entry comes in whole or not at all
        contents = [(attached.name, attached.data()) for attached in item.files]
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        report.skipped.append(Skipped(item.origin, f"a file it shows cannot be read from the export ({exc})"))
        return
    folder = entries / item.folder
    make_folders(folder)
    path = entries / item.file_name
    text = b""
    pending: Pending | None = None
    try:
        if contents:
            pending = Pending(folder, posixpath.basename(item.file_name))
            for name, data in contents:
                written = _free_name(folder, name, data, pending)
                if written != name:
                    body = body.replace(f"]({name})", f"]({written})")
        text = (front_matter(item) + body.rstrip("\n") + "\n").encode("utf-8")
        if not write_new(path, text):
            report.skipped.append(Skipped(item.origin, f"{item.file_name} appeared while importing"))
    finally:
        # Whether the entry is in place is asked of the file: a Ctrl-C can come just after it was linked.
        in_place = bool(text) and holds(path, text)
        if pending:
            pending.close(entry_written=in_place)  # stopped, or failed, before the entry: its photos go
        if in_place:
            _came_in(item, [name for name, _ in contents], report, on_written)


def _came_in(item: Imported, files: list[str], report: ImportReport, on_written: Callable[[int], None] | None) -> None:
    """Count an entry written (or, in a dry run, one that would be), its files, and what it came without."""
    report.written.append(item.file_name)
    for name in files:
        report.count(name)
    where = f"{item.where} ({item.file_name})" if item.where else item.file_name
    report.warnings.extend(Warned(where, message) for message in item.warnings)
    if on_written:
        on_written(1)


ENTRY_LINK = re.compile(r"\[([^\]]*)\]\(interlude-origin:([^)\s]+)\)")
NOT_IMPORTED = "(an entry that was not imported)"


def entry_links(body: str, file_name: str, paths: dict[str, str], titles: dict[str, str] | None = None) -> str:
    """The text with each link to another imported entry (`[words](interlude-origin:app:id)`, as the importers
    write them) made a path to its file from this one's folder; a link to an entry not imported is its words.
    A link without words gets the entry's title (or its date), or says that the entry was not imported."""
    if "interlude-origin:" not in body:
        return body

    def path(found: re.Match[str]) -> str:
        words, target = found.group(1), paths.get(found.group(2))
        if target is None:
            return words or NOT_IMPORTED
        words = words or (titles or {}).get(found.group(2)) or _entry_words(target)
        return f"[{words}]({posixpath.relpath(target, posixpath.dirname(file_name) or '.')})"

    return ENTRY_LINK.sub(path, body)


def _entry_words(file_name: str) -> str:
    """How a link names an entry whose title it does not know: by the date its file name starts with."""
    stem = posixpath.splitext(posixpath.basename(file_name))[0]
    try:
        day = datetime.strptime(stem[:10], "%Y-%m-%d")
    except ValueError:
        return stem
    return f"the entry of {day.day} {day:%B %Y}"


def _free_name(folder: Path, name: str, content: bytes, pending: Pending) -> str:
    """Write an attached file under `name` (as the entry's pending note records), or under a new name if
    another file has it; the same bytes already there under that name are kept, not made again."""
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while True:
        path = folder / candidate
        if path.exists():
            if path.is_file() and holds(path, content):
                return candidate
        elif pending.make(candidate, content):
            return candidate
        candidate, n = f"{stem}-{n}{dot}{suffix}" if dot else f"{name}-{n}", n + 1


def import_journal(
    source: str,
    path: Path,
    entries: Path,
    dry_run: bool = False,
    with_location: bool = False,
    timeformat: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Read an export of `source` (dayone, jrnl, daylio) and write what it holds into the entries folder."""
    if not path.exists():
        raise ImportFailed(f"{path} does not exist; give the file (or folder) the app exported")
    _check_entries_folder(entries)
    try:
        if source == "dayone":
            items, skipped, notes = dayone.read(path, with_location)
        elif source == "jrnl":
            items, skipped, notes = jrnl.read(path, timeformat)
        else:
            items, skipped, notes = daylio.read(path)
    except KeyboardInterrupt:
        raise ImportStopped() from None
    bar = _progress_bar(len(items), progress)
    try:
        report = write_imported(items, entries, dry_run, bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    report.skipped[:0] = skipped
    report.notes.extend(notes)
    return report


def _check_entries_folder(entries: Path) -> None:
    """Fail in one line when the entries folder cannot be one: it is a file, or inside a file."""
    if entries.exists() and not entries.is_dir():
        raise ImportFailed(
            f"--entries {entries} is a file; give the folder that holds your entries, or a new folder's name"
        )
    file = next((p for p in entries.parents if p.exists() and not p.is_dir()), None)
    if file is not None:
        raise ImportFailed(f"--entries {entries} is inside {file}, which is a file; give a folder")


def _progress_bar(total: int, enabled: bool):  # type: ignore[no-untyped-def]
    """A progress bar on the terminal for a large import; None otherwise."""
    import sys

    if not enabled or total < 500 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="Importing", unit="entry", delay=1.0, leave=False, file=sys.stderr)


def numbered(records: Iterable[Any], what: str) -> Iterable[tuple[str, Any]]:
    """Records with how a message names each: "entry 1", "entry 2"…"""
    for number, record in enumerate(records, start=1):
        yield f"{what} {number}", record
