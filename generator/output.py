"""The only module that writes: a staged copy of the site swapped in atomically, behind a marker file."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Callable

from generator import __version__
from generator.errors import OutputError

MARKER = ".interlude-site"
FILE_MODE = 0o600  # a journal is private: only its owner may read the output
DIR_MODE = 0o700
_RENAME_EXCHANGE = 2


@dataclass
class WriteReport:
    """What a write changed on disk."""

    written: int
    unchanged: int
    removed: int


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


def write_file(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Create or overwrite a file readable by its owner only; `data` is the bytes, or writes them."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileNotFoundError:  # its folder is not there yet (the folder is made once, not asked about per file)
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        fd = os.open(path, flags, FILE_MODE)
    if callable(data):
        with os.fdopen(fd, "wb") as handle:
            data(handle)
        return
    try:
        view = memoryview(data)
        while view:  # plain system calls: no buffered file object for a page written in one go
            view = view[os.write(fd, view):]
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
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


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
            self.build_key = marker.get("build") if marker.get("version") == __version__ else None
        except OSError as exc:
            raise self.failed(exc) from exc

    def _start(self) -> None:
        """Make the folder written into and claim it with the marker, before the first file."""
        if self._started:
            return
        self._started = True
        try:
            self.target.mkdir(mode=DIR_MODE, parents=True, exist_ok=not self.atomic)
            if self.atomic or not (self.output / MARKER).exists():
                write_file(self.target / MARKER, json.dumps({"generator": "interlude", "files": self.previous}).encode())
        except OSError as exc:
            raise self.failed(exc) from exc

    def begin(self) -> Path:
        """Make sure the folder written into exists; where files go (for workers writing directly)."""
        self._start()
        return self.target

    def record(self, rel: str, fingerprint: str) -> None:
        """Note a file that a worker wrote into `begin()`'s folder."""
        self.files[rel] = fingerprint
        self.written += 1

    def failed(self, exc: OSError) -> OutputError:
        """The error to raise when writing failed; a half-made staging folder is removed."""
        if self.atomic:
            _cleanup(self.output)
        reason = exc.strerror or str(exc)
        return OutputError(f"cannot write the site to {self.output}: {reason}; the previous site is unchanged")

    def is_current(self, rel: str, fingerprint: str) -> bool:
        """Whether the previous build already wrote this file from the same inputs."""
        if not self.atomic:  # watch wrote it, in place, and remembers: no need to look on disk
            return self.previous.get(rel) == fingerprint
        return self.previous.get(rel) == fingerprint and (self.output / rel).is_file()

    def keep(self, rel: str, fingerprint: str) -> bool:
        """Carry an unchanged file over from the previous build; False if it has to be written."""
        if not self.is_current(rel, fingerprint):
            return False
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
                _replace(self.target / rel, data)
        except OSError as exc:
            raise self.failed(exc) from exc
        self.files[rel] = fingerprint
        self.written += 1

    def put_private(self, rel: str, write: Callable[[BinaryIO], None]) -> None:
        """A file the site does not link to (the build cache), streamed by `write` and put in place whole:
        with this build's files if it writes any, else straight into the current site."""
        try:
            _replace((self.target if self._started else self.output) / rel, write)
        except OSError as exc:
            raise self.failed(exc) from exc

    def complete(self) -> bool:
        """Every file the previous build made is still there."""
        return all((self.output / rel).is_file() for rel in self.previous)

    def stamp(self, build_key: str | None) -> None:
        """Record, without writing anything else, that the current site is exactly this build."""
        marker = {"generator": "interlude", "version": __version__, "build": build_key, "files": self.previous}
        try:
            _replace(self.output / MARKER, json.dumps(marker).encode())
        except OSError as exc:
            raise self.failed(exc) from exc

    def commit(self, build_key: str | None = None) -> WriteReport:
        """Finish the build: swap the staging folder in, or remove what the previous build made and this one did not.
        `build_key` names everything this build was made from, so that an identical next build can stop early."""
        self._start()
        stale = set(self.previous) - set(self.files)
        marker = {"generator": "interlude", "version": __version__, "build": build_key,
                  "files": dict(sorted(self.files.items()))}
        try:
            _replace(self.target / MARKER, json.dumps(marker).encode())
            if self.atomic:
                _swap_in(self.target, self.output)
            else:
                for rel in sorted(stale):
                    _remove_made(self.output, rel)
        except OSError as exc:
            raise self.failed(exc) from exc
        report = WriteReport(self.written, self.unchanged, len(stale))
        # In place (watch), the same writer serves the next rebuild, which starts from this one.
        self.previous, self.files = dict(self.files), {}
        self.written = self.unchanged = 0
        return report

    def abort(self) -> None:
        """Give up: the previous site stays as it was."""
        if self.atomic:
            _cleanup(self.output)


def _replace(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write a file whole: to a temporary name beside it, then renamed over the old one."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
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
        target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.link(existing, target)
        return True
    except OSError:
        return False


def _swap_in(staging: Path, output: Path) -> None:
    """Put the staged site in place of the current one."""
    if not output.exists():
        staging.rename(output)
        output.chmod(DIR_MODE)
        return
    if _exchange(staging, output):
        _remove_ours(staging)
        return
    old = _sibling(output, "old")
    output.rename(old)
    staging.rename(output)
    _remove_ours(old)


def _cleanup(output: Path) -> None:
    """After a failed write, drop the half-made staging folder; the current site is untouched."""
    try:
        _discard(_sibling(output, "new"))
    except (OSError, OutputError):
        pass
