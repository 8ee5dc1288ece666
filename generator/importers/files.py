"""How an import writes into the entries folder: only new files, each whole, only the owner may read them
(files 0600, folders 0700, whatever the umask), and an entry never without its photos nor a photo without
its entry.

Every file is written under a temporary name of this process's own (`.interlude-import-<pid>-<random>`) and
then linked to its name, which fails rather than replace a file that appeared meanwhile. Before an entry's
photos are written, a note beside them (`….pending`) names the entry and each photo about to be made, with
its checksum; the note goes once the entry is in place. An entry that fails halfway (a second Ctrl-C, a
full disk) takes its photos back with it; an import that was killed leaves its note, and the next import
takes back those photos whose entry never came, if they still hold what it wrote, and removes the temporary
files of an import that is no longer running. Nothing else is ever removed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
from pathlib import Path

from generator.sources import walk

TEMPORARY = ".interlude-import-"
# This process's temporary files, and those of earlier versions (tempfile's eight letters, no process id).
_LEFTOVER = re.compile(r"\.interlude-import-(?:(\d+)-[0-9a-f]{12}(\.pending)?|[a-z0-9_]{8})")
FILE_MODE, FOLDER_MODE = 0o600, 0o700


def make_folders(folder: Path) -> None:
    """A folder and those above it that are missing, each only the owner may open."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            made.mkdir()
        except FileExistsError:  # made meanwhile (by another import): not ours to change
            continue
        os.chmod(made, FOLDER_MODE)  # mkdir's mode is cut by the umask; this is not


def _create(folder: Path, suffix: str = "") -> tuple[int, Path]:
    """A new file of this import's own in `folder`, open for writing, that only its owner may read."""
    while True:
        path = folder / f"{TEMPORARY}{os.getpid()}-{secrets.token_hex(6)}{suffix}"
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
        except FileExistsError:
            continue
        if hasattr(os, "fchmod"):
            os.fchmod(handle, FILE_MODE)  # os.open's mode is cut by the umask; this is not
        return handle, path


def write_new(path: Path, data: bytes) -> bool:
    """Write a file whole, only if no file has that name: False (and nothing written) if one does."""
    handle, temporary = _create(path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)  # fails if the name is taken: a file is never replaced
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def holds(path: Path, data: bytes) -> bool:
    """Whether a file is there and holds exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def checksum(data: bytes) -> str:
    """What a note records of a photo's bytes, to know it again."""
    return hashlib.sha256(data).hexdigest()


class Pending:
    """The note that says which entry is being written in a folder, and which photos were made for it."""

    def __init__(self, folder: Path, entry: str):
        self.folder = folder
        self.handle, self.path = _create(folder, ".pending")
        self.made: list[tuple[str, bytes]] = []  # the photos made for the entry, and what each holds
        self._add(f"entry\t{entry}\n")

    def _add(self, line: str) -> None:
        """One line more, written before anything it names is made (what a killed process wrote stays)."""
        os.write(self.handle, line.encode("utf-8"))

    def make(self, name: str, data: bytes) -> bool:
        """Write a photo for the entry under a name no file has (noted first); False if the name is taken."""
        self._add(f"file\t{name}\t{checksum(data)}\n")
        if not write_new(self.folder / name, data):
            return False
        self.made.append((name, data))
        return True

    def close(self, entry_written: bool) -> None:
        """The entry is in place, or will not be: its photos go unless it is; then the note goes."""
        try:
            if not entry_written:
                for name, data in self.made:
                    if holds(self.folder / name, data):
                        os.unlink(self.folder / name)
        finally:
            os.close(self.handle)
            os.unlink(self.path)


def tidy(entries: Path) -> None:
    """Take back what an import that was killed left in the entries folder: its temporary files, and the
    photos of an entry it was writing that never came (only those that still hold what it wrote)."""
    for _rel, item in walk(entries):
        found = _LEFTOVER.fullmatch(item.name)
        if not found or (found.group(1) and _running(int(found.group(1)))):
            continue
        path = Path(item.path)
        if found.group(2):
            _take_back(path)
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _take_back(note: Path) -> None:
    """The photos a note names, if its entry is not there and they still hold what was written."""
    try:
        lines = note.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return
    entry = next((line.split("\t")[1] for line in lines if line.startswith("entry\t")), None)
    if entry is None or (note.parent / entry).exists():
        return
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] != "file" or "/" in parts[1] or parts[1].startswith("."):
            continue  # a line cut short, or not one an import wrote
        photo = note.parent / parts[1]
        try:
            if photo.is_file() and checksum(photo.read_bytes()) == parts[2]:
                photo.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    """Whether another process with that id is running (one that may still be importing)."""
    if pid == os.getpid():
        return False  # an earlier import of this process, which is over: this one has written nothing yet
    if os.name == "nt":
        return True  # no safe way to ask here: what it left stays
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True
