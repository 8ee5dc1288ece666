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
from pathlib import Path

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


def read_manifest(output: Path) -> dict[str, str]:
    """Path → content hash of every file the last build wrote (empty when unknown)."""
    try:
        data = json.loads((output / MARKER).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError):
        return {}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


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
        shutil.rmtree(folder)


def recover(output: Path) -> None:
    """Finish a swap that a killed build left half done, so the previous site is back in place."""
    old = _sibling(output, "old")
    if not output.exists() and (old / MARKER).is_file():
        old.rename(output)
    _discard(old)
    _discard(_sibling(output, "new"))


def write_site(output: Path, entries: Path, files: dict[str, bytes]) -> WriteReport:
    """Write the whole site to a staging folder, then swap it in: readers see the old or the new site."""
    check_output_dir(output, entries)
    try:
        recover(output)
        previous = read_manifest(output) if output.is_dir() else {}
        staging = _sibling(output, "new")
        staging.mkdir(mode=DIR_MODE, parents=True)
        _write(staging / MARKER, b"{}")  # claims the folder before anything else goes in
        hashes: dict[str, str] = {}
        written = unchanged = 0
        for rel, data in files.items():
            hashes[rel] = digest(data)
            target = staging / rel
            if previous.get(rel) == hashes[rel] and _link(output / rel, target):
                unchanged += 1
                continue
            _write(target, data)
            written += 1
        marker = {"generator": "interlude", "version": __version__, "files": hashes}
        _write(staging / MARKER, json.dumps(marker, sort_keys=True).encode())
        _swap_in(staging, output)
    except OSError as exc:
        _cleanup(output)
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write the site to {output}: {reason}; the previous site is unchanged") from exc
    removed = len(set(previous) - set(files))
    return WriteReport(written, unchanged, removed)


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
        shutil.rmtree(staging)
        return
    old = _sibling(output, "old")
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old)


def _cleanup(output: Path) -> None:
    """After a failed write, drop the half-made staging folder; the current site is untouched."""
    try:
        _discard(_sibling(output, "new"))
    except (OSError, OutputError):
        pass
