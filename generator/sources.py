"""The entries folder's files, and what each is: every rule about which files are entries, which may be attached
to one (a picture, a sound, a PDF) and which are hidden, the kinds of file by suffix (each attached one with the
media type it is served as: the lock hands that table to lock.js), how a file is named in messages, and the one
walker of the folder. Reading, links, share, the importers and watch all ask here."""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG

ENTRY_SUFFIXES = frozenset({".md", ".markdown"})

# Suffix → media type. A locked site decrypts each attached file in memory and shows it from a blob: URL of
# this type; one it does not know is application/octet-stream, which a browser neither shows nor plays.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
}
AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".flac": "audio/flac",
    ".aac": "audio/aac",
    ".opus": "audio/ogg",
    ".webm": "audio/webm",  # shown in an <audio> player: phones record voice notes as WebM
}
VIDEO_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".m4v": "video/mp4", ".ogv": "video/ogg"}
OTHER_TYPES = {".pdf": "application/pdf"}  # a worksheet the therapist gave: linked, opened in the browser

IMAGE_SUFFIXES = frozenset(IMAGE_TYPES)
AUDIO_SUFFIXES = frozenset(AUDIO_TYPES)
VIDEO_SUFFIXES = frozenset(VIDEO_TYPES)
MEDIA_TYPES = {**IMAGE_TYPES, **AUDIO_TYPES, **VIDEO_TYPES, **OTHER_TYPES}

_TEMPORARY = {".swp", ".swx", ".swo", ".tmp", ".crswap", ".part", ".crdownload", ".kate-swp"}  # editors' and browsers'

Signature = tuple[int, int, int]  # size, modification time in ns, inode
FileNames = dict[str, tuple[str, ...]]  # a file's name in lower case → every such file, in folder order


# ---- the rules ------------------------------------------------------------------------------------------------


def is_entry_name(name: str) -> bool:
    """A Markdown file's name that is not hidden, a backup or an editor's leftover."""
    return (
        os.path.splitext(name)[1].lower() in ENTRY_SUFFIXES
        and not name.startswith((".", "#", "~"))
        and not name.endswith("~")
    )


def has_entry_suffix(rel: str) -> bool:
    """Whether a file's name ends as an entry's does (.md, .markdown): such a file is never attached."""
    return posixpath.splitext(rel)[1].lower() in ENTRY_SUFFIXES


def in_set_aside(rel: str) -> bool:
    """Inside a folder the reader skips for entries (hidden, or starting with _, as drafts and templates are)."""
    return any(part.startswith((".", "_")) for part in rel.split("/")[:-1])


def is_entry(rel: str) -> bool:
    """Whether a path relative to the entries folder is an entry's file."""
    return is_entry_name(posixpath.basename(rel)) and not in_set_aside(rel)


def is_hidden(rel: str) -> bool:
    """A file that is hidden, or inside a hidden folder: never read, found, copied or shown."""
    return any(part.startswith(".") for part in rel.split("/"))


def may_be_copied(rel: str) -> bool:
    """Whether a link's path (relative to the entries folder) may name a file to copy into the site: inside the
    folder, not hidden."""
    return bool(rel) and not rel.startswith("../") and rel != ".." and not is_hidden(rel)


def may_be_attached(rel: str) -> bool:
    """Whether a file in the entries folder could be one an entry shows (not hidden, not an editor's leftover)."""
    name = posixpath.basename(rel)
    return (
        not is_hidden(rel)
        and not name.startswith(("~", "#"))
        and not name.endswith("~")
        and "." in name.strip(".")
        and posixpath.splitext(name)[1].lower() not in _TEMPORARY
        and not has_entry_suffix(name)
    )


def signature(path: Path) -> Signature | None:
    """What tells that a file changed without reading it; None when it is gone or not a file."""
    try:
        return _signature_of(path.stat())
    except OSError:
        return None


def _signature_of(stat: os.stat_result) -> Signature | None:
    """A file's signature from its status; None when it is not a regular file."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) if S_ISREG(stat.st_mode) else None


def shown(entries: Path, rel: str) -> str:
    """How a file is named in messages: as the person would type it from the current folder."""
    folder = _shown_folder(entries, os.getcwd())
    return rel if folder == "." else f"{folder}/{rel}"


@functools.lru_cache(maxsize=16)
def _shown_folder(entries: Path, cwd: str) -> str:
    """The entries folder as named in messages from `cwd` (worked out once, not for every file)."""
    try:
        return entries.relative_to(cwd).as_posix()
    except ValueError:
        return entries.as_posix()


# ---- the walker -----------------------------------------------------------------------------------------------


def walk(root: Path, set_aside: bool = True) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under root (hidden names too) as (path relative to root, its directory entry), each folder's
    files by name and then its subfolders by name. Hidden folders are never entered, folders starting with _
    only with `set_aside`; a folder met twice (a symlink loop) is walked once; one gone or unreadable is empty."""
    yield from _walk(str(root), "", set(), set_aside)


def _walk(
    folder: str, prefix: str, seen: set[tuple[int, int]], set_aside: bool
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """walk() from one folder."""
    try:
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            return
        seen.add((stat.st_dev, stat.st_ino))
        with os.scandir(folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
    except OSError:
        return  # gone or unreadable: nothing to read there
    folders = []
    for item in items:
        try:
            is_folder = item.is_dir()
        except OSError:
            continue
        if not is_folder:
            yield prefix + item.name, item
        elif not item.name.startswith(".") and (set_aside or not item.name.startswith("_")):
            folders.append(item)
    for item in folders:
        yield from _walk(item.path, f"{prefix}{item.name}/", seen, set_aside)


def look(root: Path, others: dict[str, Signature] | None = None) -> dict[str, tuple[Path, Signature]]:
    """Every entry file under root, recursively, relative path → (path, signature), without reading any (one
    stat per file). With `others`, every other file that is not hidden (a picture an entry may show, in _
    folders too) goes there."""
    found: dict[str, tuple[Path, Signature]] = {}
    for rel, item in walk(root, set_aside=others is not None):
        entry = is_entry(rel)
        if not entry and (others is None or item.name.startswith(".")):
            continue
        try:
            sig = _signature_of(item.stat())
        except OSError:
            continue
        if sig is not None:
            if entry:
                found[rel] = (Path(item.path), sig)
            elif others is not None:
                others[rel] = sig
    return found


def files_by_name(root: Path) -> FileNames:
    """Every file under the entries folder that is not an entry nor hidden, by its name in lower case: where a
    ![[name]] that is no path finds its file."""
    found: dict[str, list[str]] = {}
    for rel, item in walk(root):
        if not item.name.startswith(".") and not has_entry_suffix(item.name):
            found.setdefault(item.name.casefold(), []).append(rel)
    return {name: tuple(paths) for name, paths in found.items()}


def folders_of_entries(root: Path, leaving_out: set[str]) -> set[str]:
    """The folders (relative, "" for the top one) that hold a file named as an entry's other than those in
    `leaving_out` (sources), whether or not it could be read (one in doubt counts: it decides what a share hides)."""
    return {posixpath.dirname(rel) for rel, _ in walk(root) if has_entry_suffix(rel) and rel not in leaving_out}
