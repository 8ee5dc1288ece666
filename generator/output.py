"""The only module that writes: a staged copy of the site swapped in atomically, behind a marker file."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

from generator import __version__
from generator.errors import OutputError

MARKER = ".interlude-site"
FILE_MODE = 0o600  # a journal is private: only its owner may read the output
DIR_MODE = 0o700
_RENAME_EXCHANGE = 2


OURS_PREFIX = ".interlude-"  # the marker, the cache, a share's note: files Interlude keeps beside the pages
TEMPORARY_SUFFIX = ".interlude-tmp"


@dataclass
class WriteReport:
    """What a write changed on disk; `kept` names files in the output folder that Interlude did not make,
    noticed for the first time (kept as they are, and said once)."""

    written: int
    unchanged: int
    removed: int
    kept: list[str] = field(default_factory=list)

    def kept_note(self, output: Path) -> str:
        """The one-time note on files in the output folder that Interlude did not make."""
        one = len(self.kept) == 1
        shown = ", ".join(self.kept[:5]) + (f" and {len(self.kept) - 5} more" if len(self.kept) > 5 else "")
        return (
            f"Kept {'this' if one else 'these'} in {output}/, as {'it is' if one else 'they are'}: {shown} "
            f"(not made by Interlude; builds leave {'it' if one else 'them'} alone)."
        )


def digest(data: bytes) -> str:
    """A short content hash, to tell which files changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def check_output_dir(output: Path, entries: Path) -> None:
    """Refuse an output folder that would put the journal or someone else's files at risk."""
    out, src = output.resolve(), entries.resolve()
    if out == src or out in src.parents:
        raise OutputError(f"the output folder {output} holds the entries folder; choose another --output")
    if src in out.parents:
        raise OutputError(f"the output folder {output} is inside the entries folder; choose another --output")
    inside = next((parent for parent in out.parents if (parent / MARKER).is_file()), None)
    if inside is not None:
        raise OutputError(
            f"the output folder {output} is inside another site Interlude made ({inside}), which its "
            "next build would replace; choose a folder outside it"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"{output} exists and is not a folder; choose another --output")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputError(f"{output} holds files Interlude did not make; empty it or choose another --output")


def read_marker(output: Path) -> dict[str, Any]:
    """What the last build recorded in the marker file (empty when unknown)."""
    try:
        data = json.loads((output / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_manifest(output: Path) -> dict[str, str]:
    """Path → fingerprint of every file the last build wrote (empty when unknown)."""
    return _manifest(read_marker(output))


def _manifest(marker: dict[str, Any]) -> dict[str, str]:
    files = marker.get("files", {})
    return files if isinstance(files, dict) else {}


def make_folders(folder: Path) -> None:
    """Make a folder and any missing folders above it, each readable by its owner only, whatever the umask
    (Path.mkdir(parents=True) gives the folders above the umask's mode, often 0755)."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not made.is_dir():
                raise
            continue  # made meanwhile by another process: not ours to change
        made.chmod(DIR_MODE)  # mkdir's mode is masked by the umask


def write_file(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Create or overwrite a file readable by its owner only, whatever the umask; `data` is the bytes, or
    writes them."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileNotFoundError:  # its folder is not there yet (the folder is made once, not asked about per file)
        make_folders(path.parent)
        fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # os.open's mode is masked by the umask, and an existing file keeps its own
    except BaseException:
        os.close(fd)
        raise
    if callable(data):
        with os.fdopen(fd, "wb") as handle:
            data(handle)
        return
    try:
        view = memoryview(data)
        while view:  # plain system calls: no buffered file object for a page written in one go
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS):
            return False
        raise OSError(code, os.strerror(code), str(a))
    return True


def _sibling(output: Path, what: str) -> Path:
    return output.parent / f".{output.name}.interlude-{what}"


def _discard(folder: Path) -> None:
    """Remove a leftover staging folder, but only one Interlude made."""
    if folder.exists():
        # An empty one is ours too: a build killed between making the folder and claiming it.
        if not (folder / MARKER).is_file() and (not folder.is_dir() or any(folder.iterdir())):
            raise OutputError(f"{folder} is in the way and was not made by Interlude; move it away")
        _remove_ours(folder)


def _remove_ours(folder: Path) -> None:
    """Delete a folder Interlude made, its marker last: a removal cut short (a killed build) leaves a folder
    that is still marked as ours, or empty, so that the next build can finish removing it."""
    for child in _listing(folder):
        if child.name != MARKER:
            _remove_any(child)
    _writable(folder, lambda: (folder / MARKER).unlink(missing_ok=True))
    _writable(folder.parent, folder.rmdir)


def _listing(folder: Path) -> list[Path]:
    """A folder's items; a folder made unreadable is first given back to its owner."""
    try:
        return list(folder.iterdir())
    except PermissionError:
        folder.chmod(DIR_MODE)
        return list(folder.iterdir())


def _writable(folder: Path, action: Callable[[], object]) -> None:
    """Do something that changes `folder`, making the folder writable again first if someone made it read-only
    (only inside folders Interlude is removing: a read-only folder must not keep a leftover for ever)."""
    try:
        action()
    except PermissionError:
        folder.chmod(DIR_MODE)
        action()


def _remove_any(path: Path) -> None:
    """Delete a file, link or whole folder inside a folder Interlude is removing."""
    if path.is_dir() and not path.is_symlink():
        for child in _listing(path):
            _remove_any(child)
        _writable(path.parent, path.rmdir)
    else:
        _writable(path.parent, path.unlink)


def _ours_by_name(name: str) -> bool:
    """Interlude's own files beside the pages (the marker, the cache, a share's note, a half-written file)."""
    return name.startswith(OURS_PREFIX) or name.endswith(TEMPORARY_SUFFIX)


def foreign_files(output: Path, made: Iterable[str]) -> list[str]:
    """What the output folder holds that no build made: each such file, and each such folder as a whole
    (written "photos/"), relative to the output folder, sorted. Interlude's own files (.interlude-…) are not."""
    made = set(made)
    folders = {""}
    for rel in made:
        while "/" in rel:
            rel = rel.rsplit("/", 1)[0]
            folders.add(rel)
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
        for item in items:
            rel = prefix + item.name
            if item.is_dir(follow_symlinks=False):
                if rel in folders:
                    walk(item.path, rel + "/")
                else:
                    found.append(rel + "/")
            elif rel not in made and not _ours_by_name(item.name):
                found.append(rel)

    if output.is_dir():
        walk(str(output), "")
    return found


def _carry(source: Path, target: Path, shown: str) -> list[str]:
    """Put a person's file or folder from the current site into the staged one, unchanged: a hard link (the
    same file, no copy), or a copy where the disk has no hard links. Returns the files carried, relative."""
    if source.is_symlink():
        _claim(target, shown)
        os.symlink(os.readlink(source), target)
        return [shown]
    if source.is_dir():
        if target.is_dir() and not target.is_symlink():
            pass  # a folder this build makes too: the person's files go in beside its own
        else:
            _claim(target, shown)
            make_folders(target)
            shutil.copymode(source, target)
        carried = []
        for child in sorted(source.iterdir()):
            carried += _carry(child, target / child.name, f"{shown}/{child.name}")
        return carried
    if not source.is_file():
        raise OutputError(
            f"{shown} in the output folder is not a file or a folder, and Interlude cannot keep it "
            "across a build; move it out and build again"
        )
    _claim(target, shown)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return [shown]


def _claim(target: Path, shown: str) -> None:
    """Refuse to carry a person's file where this build puts one of its own (never overwrite either)."""
    if os.path.lexists(target):
        raise OutputError(
            f"{shown} in the output folder was not made by Interlude, and this build needs its name; "
            "move it out of the output folder and build again"
        )
    make_folders(target.parent)


def _clear_old(old: Path, output: Path, removable: set[str]) -> None:
    """Empty the previous site's folder after the swap: files earlier builds made, and the person's files now in
    the new site, are deleted; anything else (a file put there while this build ran) is moved into the new site."""

    def clear(folder: Path, prefix: str) -> bool:
        empty = True
        for child in _listing(folder):
            rel = prefix + child.name
            if rel == MARKER:
                continue  # removed last: a removal cut short leaves a folder still marked as Interlude's
            if child.is_dir() and not child.is_symlink():
                if clear(child, rel + "/"):
                    _writable(folder, child.rmdir)
                else:
                    empty = False
            elif rel in removable or _ours_by_name(child.name):
                _writable(folder, child.unlink)
            elif not os.path.lexists(output / rel):
                make_folders((output / rel).parent)
                child.rename(output / rel)
            else:
                empty = False
        return empty

    if clear(old, ""):
        _writable(old, lambda: (old / MARKER).unlink(missing_ok=True))
        _writable(old.parent, old.rmdir)


def _check_writable(folder: Path) -> None:
    """Fail now, before anything is swapped, if the current site's folder cannot be changed (a person made it
    read-only): its files could not be removed after the swap, and the build would be half done."""
    if os.access in os.supports_effective_ids:  # asks without leaving anything behind, should the build be killed
        if not os.access(folder, os.W_OK | os.X_OK, effective_ids=True):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return
    probe = folder / f"{OURS_PREFIX}probe"
    write_file(probe, b"")
    probe.unlink()


def recover(output: Path) -> None:
    """Finish a swap that a killed build left half done, so the previous site is back in place."""
    old = _sibling(output, "old")
    if not output.exists() and (old / MARKER).is_file():
        old.rename(output)
    _discard(old)
    _discard(_sibling(output, "new"))


class SiteWriter:
    """Writes one build: into a staging folder swapped in at the end (atomic), or file by file in place (watch).

    Either way each file is written whole, unchanged files are kept rather than rewritten,
    and files of the previous build that this one does not make are removed."""

    def __init__(self, output: Path, entries: Path, atomic: bool = True):
        check_output_dir(output, entries)
        self.output, self.atomic = output, atomic
        self.files: dict[str, str] = {}
        self.written = self.unchanged = 0
        self.target = _sibling(output, "new") if atomic else output
        self._started = False
        try:
            recover(output)
            marker = read_marker(output) if output.is_dir() else {}
            self.previous = _manifest(marker)
            kept = marker.get("kept")
            self.kept: list[str] = [str(k) for k in kept] if isinstance(kept, list) else []
            self.build_key = marker.get("build") if marker.get("version") == __version__ else None
        except OSError as exc:
            raise self.failed(exc) from exc

    def _start(self) -> None:
        """Make the folder written into and claim it with the marker, before the first file."""
        if self._started:
            return
        self._started = True
        try:
            if self.atomic and self.target.exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(self.target))
            make_folders(self.target)
            if self.atomic or not (self.output / MARKER).exists():
                write_file(
                    self.target / MARKER, json.dumps({"generator": "interlude", "files": self.previous}).encode()
                )
        except OSError as exc:
            raise self.failed(exc) from exc

    def failed(self, exc: OSError) -> OutputError:
        """The error to raise when writing failed; a half-made staging folder is removed."""
        if self.atomic:
            _cleanup(self.output)
        reason = exc.strerror or str(exc)
        return OutputError(f"cannot write the site to {self.output}: {reason}; the previous site is unchanged")

    def is_current(self, rel: str, fingerprint: str) -> bool:
        """Whether the previous build (or, in place, this one) already wrote this file from the same inputs."""
        if not self.atomic:  # watch wrote it, in place, and remembers: no need to look on disk
            return self.files.get(rel, self.previous.get(rel)) == fingerprint
        return self.previous.get(rel) == fingerprint and (self.output / rel).is_file()

    def keep(self, rel: str, fingerprint: str) -> bool:
        """Carry an unchanged file over from the previous build; False if it has to be written. Asks the manifest
        only: a file that is gone from the disk fails to be linked into the staging folder, and is written."""
        if self.files.get(rel, self.previous.get(rel)) != fingerprint:
            return False
        if rel in self.files:
            return True  # written by this build already (in place: the edited entry's page, first)
        self._start()
        if self.atomic and not _link(self.output / rel, self.target / rel):
            return False
        self.files[rel] = fingerprint
        self.unchanged += 1
        return True

    def put(self, rel: str, data: bytes, fingerprint: str) -> None:
        """Write one file of the site."""
        self._start()
        try:
            if self.atomic:
                write_file(self.target / rel, data)
            else:
                if rel not in self.previous and os.path.lexists(self.target / rel):
                    _claim(self.target / rel, rel)  # a person's own file where a new page would go: refused
                _replace(self.target / rel, data)
        except OSError as exc:
            raise self.failed(exc) from exc
        self.files[rel] = fingerprint
        self.written += 1

    def direct(self) -> Path | None:
        """The folder other processes may write this build's new files into themselves (output.write_file, then
        record): the staging folder of an atomic build, made now. None in place (watch), where each file is
        checked before it replaces one."""
        if not self.atomic:
            return None
        self._start()
        return self.target

    def record(self, rel: str, fingerprint: str) -> None:
        """A file of the site written into the direct() folder by another process."""
        self.files[rel] = fingerprint
        self.written += 1

    def put_private(self, rel: str, write: Callable[[BinaryIO], None], current: bool = False) -> None:
        """A file the site does not link to (the build cache), streamed by `write` and put in place whole: with
        this build's files, or (`current`: a build that found nothing to change) straight into the current site."""
        if not current:
            self._start()
        try:
            _replace((self.output if current else self.target) / rel, write)
        except OSError as exc:
            raise self.failed(exc) from exc

    def holds(self, build_key: str) -> bool:
        """Whether the output is exactly the clean build that `build_key` names, with every file still there."""
        return self.build_key == build_key and self.complete()

    def complete(self) -> bool:
        """Every file the previous build made is still there."""
        folder = os.fspath(self.output)
        return all(os.path.isfile(os.path.join(folder, rel)) for rel in self.previous)

    def stamp(self, build_key: str | None) -> None:
        """Record, without writing anything else, that the current site is exactly this build."""
        marker = {
            "generator": "interlude",
            "version": __version__,
            "build": build_key,
            "files": self.previous,
            "kept": self.kept,
        }
        try:
            _replace(self.output / MARKER, json.dumps(marker).encode())
        except OSError as exc:
            raise self.failed(exc) from exc

    def commit(self, build_key: str | None = None, survey: bool = False) -> WriteReport:
        """Finish the build: swap the staging folder in, or remove what the previous build made and this one did not.
        `build_key` names everything this build was made from, so that an identical next build can stop early.
        Files in the output folder that Interlude did not make are looked for in every atomic build, and in place
        when asked (`survey`: watch's start)."""
        self._start()
        stale = set(self.previous) - set(self.files)
        try:
            if self.atomic or survey:  # in place, what this build wrote is in the folder already
                foreign = foreign_files(self.output, self.previous if self.atomic else {**self.previous, **self.files})
            else:
                foreign = self.kept
            marker = {
                "generator": "interlude",
                "version": __version__,
                "build": build_key,
                "files": dict(sorted(self.files.items())),
                "kept": foreign,
            }
            if self.atomic:
                carried = [
                    rel
                    for item in foreign
                    for rel in _carry(self.output / item.rstrip("/"), self.target / item.rstrip("/"), item.rstrip("/"))
                ]
            _replace(self.target / MARKER, json.dumps(marker).encode())
            if self.atomic:
                if self.output.exists():
                    _check_writable(self.output)
                _swap_in(self.target, self.output, set(self.previous) | set(carried))
            else:
                for rel in sorted(stale):
                    _remove_made(self.output, rel)
        except OutputError:
            self.abort()
            raise
        except OSError as exc:
            raise self.failed(exc) from exc
        report = WriteReport(self.written, self.unchanged, len(stale), sorted(set(foreign) - set(self.kept)))
        self.kept = foreign
        # In place (watch), the same writer serves the next rebuild, which starts from this one.
        self.previous, self.files = dict(self.files), {}
        self.written = self.unchanged = 0
        return report

    def abort(self) -> None:
        """Give up: the previous site stays as it was. In place (watch), the pages already written stay, and
        are recorded as Interlude's, so that the next rebuild replaces or removes them."""
        if self.atomic:
            _cleanup(self.output)
        elif self.files:
            self.previous.update(self.files)
            self.files, self.written, self.unchanged = {}, 0, 0
            with contextlib.suppress(OutputError):
                self.stamp(None)


class Writer(Protocol):
    """Where the files of a plan go: memory (shares, the lock), a staging folder (build) or in place (watch)."""

    previous: dict[str, str]
    files: dict[str, str]

    def is_current(self, rel: str, fingerprint: str) -> bool: ...
    def keep(self, rel: str, fingerprint: str) -> bool: ...
    def put(self, rel: str, data: bytes, fingerprint: str) -> None: ...
    def direct(self) -> Path | None: ...
    def record(self, rel: str, fingerprint: str) -> None: ...
    def failed(self, exc: OSError) -> OutputError: ...
    def abort(self) -> None: ...


class Unwritten(OSError):
    """A file another process could not write into a direct() folder (it travels back to the build as this)."""


class MemoryWriter:
    """Files kept in memory, by path (shares and locked builds, which write them whole afterwards)."""

    def __init__(self) -> None:
        self.previous: dict[str, str] = {}
        self.files: dict[str, str] = {}
        self.data: dict[str, bytes] = {}

    def is_current(self, rel: str, fingerprint: str) -> bool:
        """Nothing is in memory before the build."""
        return False

    def keep(self, rel: str, fingerprint: str) -> bool:
        """Nothing to carry over."""
        return False

    def put(self, rel: str, data: bytes, fingerprint: str) -> None:
        """Keep one file."""
        self.data[rel] = data
        self.files[rel] = fingerprint

    def direct(self) -> Path | None:
        """No folder: every file is handed over (put)."""
        return None

    def record(self, rel: str, fingerprint: str) -> None:
        raise AssertionError("nothing is written into memory by another process")

    def failed(self, exc: OSError) -> OutputError:
        raise AssertionError("nothing is written into memory by another process") from exc

    def abort(self) -> None:
        """Drop what was kept."""
        self.data.clear()
        self.files.clear()


def _replace(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write a file whole: to a temporary name beside it, then renamed over the old one."""
    make_folders(path.parent)
    temporary = path.with_name(f".{path.name}.interlude-tmp")
    write_file(temporary, data)
    os.replace(temporary, path)


def _remove_made(output: Path, rel: str) -> None:
    """Remove a file an earlier build made, and its folder once empty (never anything outside the output)."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        return
    path = output / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != output and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def write_site(output: Path, entries: Path, files: dict[str, bytes]) -> WriteReport:
    """Write a whole site atomically from memory (shares and small builds)."""
    writer = SiteWriter(output, entries)
    try:
        for rel, data in files.items():
            fingerprint = digest(data)
            if not writer.keep(rel, fingerprint):
                writer.put(rel, data, fingerprint)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def _link(existing: Path, target: Path) -> bool:
    """Reuse an unchanged file from the current site instead of writing it again."""
    try:
        make_folders(target.parent)
        os.link(existing, target)
        return True
    except OSError:
        return False


def _swap_in(staging: Path, output: Path, removable: set[str]) -> None:
    """Put the staged site in place of the current one, then empty the old one of what may be removed."""
    if not output.exists():
        staging.rename(output)
        output.chmod(DIR_MODE)
        return
    if _exchange(staging, output):
        old = staging
    else:
        old = _sibling(output, "old")
        output.rename(old)
        staging.rename(output)
    try:
        _clear_old(old, output, removable)
    except OSError:
        pass  # the new site is in place; what is left of the old one is finished off by the next build


def _cleanup(output: Path) -> None:
    """After a failed write, drop the half-made staging folder; the current site is untouched."""
    try:
        _discard(_sibling(output, "new"))
    except (OSError, OutputError):
        pass
