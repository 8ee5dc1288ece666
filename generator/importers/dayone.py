"""Day One's JSON export (the .zip it writes, or that folder unzipped) → Imported records.

The export holds one `<Journal name>.json` per journal, each {"metadata": …, "entries": [...]}, and the
attached files by their MD5: photos/<md5>.<type> (Photos/ in some versions), videos/, audios/, pdfs/.
An entry's creationDate is UTC; its timeZone names where it was written, so its wall-clock time is
worked out there. Its text is Markdown in which Day One escapes punctuation (`\\.`, `\\-`, `\\!`…); the
escapes that only protect plain text are undone, those that keep a character from becoming Markdown
(`\\*`, `\\_`, `\\[`, a `\\-` that would start a list) are kept, and so every backslash the person wrote
stays.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.importers.imported import Attached, Imported, ImportFailed, Skipped, title_from
from generator.importers.photos import without_location

_MOMENT = re.compile(r"!?\[([^\]]*)\]\(dayone-moment:/{1,2}(?:(video|audio|pdfAttachment|photo)/)?([A-Za-z0-9-]+)\)")
_URL = r"dayone2?://view\?entryId=([A-Za-z0-9-]+)(?:&[\w=%-]*)*"
# A link to another entry: with its own words, or bare (as a URL, or a link whose words are the URL).
_ENTRY_LINK = re.compile(rf"\[([^\]]*)\]\(<?{_URL}>?\)|<{_URL}>|{_URL}")
KINDS = {
    "photo": ("photos", "photos"),
    "video": ("videos", "videos"),
    "audio": ("audios", "audios"),
    "pdfAttachment": ("pdfAttachments", "pdfs"),
}  # kind in the text → (key in the entry, folder)
ENTRY_LINK_MARK = "interlude-origin:"  # a link to another imported entry, made a path when files are named


class _Export:
    """The files of an export, from a .zip or a folder, by their path inside it."""

    def __init__(self, path: Path):
        self.path = path
        self.names: dict[str, Path | zipfile.ZipInfo]  # files of a folder, or members of a zip
        if path.is_dir():
            self.names = {p.relative_to(path).as_posix(): p for p in sorted(path.rglob("*")) if p.is_file()}
            self.zip = None
        else:
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ImportFailed(
                    f"{path} is not a Day One export (neither a .zip nor a folder); export from Day One as JSON"
                ) from exc
            self.names = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}
        # An unzipped export may sit inside one more folder: the journals are the .json files nearest the top.
        journals = [n for n in self.names if n.lower().endswith(".json") and "__MACOSX" not in n]
        depth = min((n.count("/") for n in journals), default=0)
        self.journals = sorted(n for n in journals if n.count("/") == depth)
        self.top = posixpath.dirname(self.journals[0]) if self.journals else ""
        self.by_stem: dict[tuple[str, str], str] = {}  # (folder in lower case, md5) → file
        for name in self.names:
            folder, _, file = name[len(self.top) + 1 if self.top else 0 :].rpartition("/")
            self.by_stem.setdefault((folder.lower(), file.rsplit(".", 1)[0].lower()), name)

    def read(self, name: str) -> bytes:
        """The bytes of one file of the export."""
        if self.zip is not None:
            return self.zip.read(cast(zipfile.ZipInfo, self.names[name]))
        return cast(Path, self.names[name]).read_bytes()

    def media(self, folder: str, md5: str) -> str | None:
        """The file an attachment's MD5 names in one of the export's folders, if it is there."""
        return self.by_stem.get((folder.lower(), md5.lower()))


def unescape(text: str) -> str:
    """Day One's Markdown with the escapes undone that only protect plain text."""
    out = []
    in_code = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        out.append(line if in_code else _unescape_line(line))
    return "\n".join(out)


_ESCAPE = re.compile(r"\\([\\.\-!()+#>|~{}=:;,'\"$%&?@^/<])")
_LINE_START = re.compile(r"^(\s*)\\([-+#>=])")  # would start a list, a heading, a quote or an underline
_NUMBERED = re.compile(r"^(\s*\d+)\\([.)])")  # "1\." would start a numbered list


def _unescape_line(line: str) -> str:
    """One line, unescaped where that changes nothing in the Markdown."""
    kept: dict[int, str] = {}
    for pattern in (_LINE_START, _NUMBERED):
        found = pattern.match(line)
        if found:
            kept[found.end() - 2] = found.group(2)  # the escape at the start of the line stays

    def plain(found: re.Match[str]) -> str:
        char, start = found.group(1), found.start()
        if start in kept:
            return found.group(0)
        following = line[found.end() : found.end() + 1]
        if char == "\\":  # a backslash the person wrote: it stays escaped where it would escape what follows
            return found.group(0) if following and not following.isalnum() and not following.isspace() else "\\"
        if char == "!" and following == "[":
            return found.group(0)  # ![ would start a picture
        if char == "(" and line[start - 1 : start] == "]":
            return found.group(0)  # ]( would make a link
        if char == "<":
            return found.group(0)  # < could open HTML
        return char

    return _ESCAPE.sub(plain, line)


def read(path: Path, with_location: bool = False) -> tuple[list[Imported], list[Skipped], list[str]]:
    """Every entry of every journal in a Day One export."""
    export = _Export(path)
    if not export.journals:
        raise ImportFailed(f"{path} holds no journal (.json file); export from Day One as JSON")
    items: list[Imported] = []
    skipped: list[Skipped] = []
    notes: list[str] = []
    several = len(export.journals) > 1
    for name in export.journals:
        journal = posixpath.splitext(posixpath.basename(name))[0]
        try:
            data = json.loads(export.read(name).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"{path}: {name} is not a Day One journal (not JSON: {exc})") from exc
        records = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise ImportFailed(f"{path}: {name} is not a Day One journal (it has no entries list)")
        for number, record in enumerate(records, start=1):
            where = f"{posixpath.basename(name)} entry {number}"
            try:
                items.append(_entry(record, export, journal if several else None, with_location, notes))
                items[-1].where = where
            except _Bad as bad:
                skipped.append(Skipped(where, str(bad)))
    return items, skipped, notes


class _Bad(Exception):
    """A record that cannot be imported, and why."""


def _entry(record: Any, export: _Export, journal: str | None, with_location: bool, notes: list[str]) -> Imported:
    """One Day One entry."""
    if not isinstance(record, dict):
        raise _Bad("is not an entry")
    uuid = record.get("uuid")
    if not isinstance(uuid, str) or not uuid:
        raise _Bad("has no uuid")
    when = _local_time(record.get("creationDate"), record.get("timeZone"), notes)
    written = record.get("text")
    text = written if isinstance(written, str) else ""
    tags = [" ".join(str(t).split()) for t in record.get("tags") or [] if str(t).strip()]
    if journal:
        tags.append(journal)
    meta: dict[str, Any] = {}
    if record.get("starred") is True:
        meta["starred"] = True
    if with_location:
        place = _place(record.get("location"))
        if place:
            meta["place"] = place
    # The links to photos are made first: an entry usually opens with its photo, and its title is the first
    # line of text after it.
    missing: list[str] = []
    body, files = _attachments(unescape(text), record, export, when, with_location, missing)
    title, body = title_from(body, _only_attachments)
    body = _ENTRY_LINK.sub(_entry_link, body)
    item = Imported(f"dayone:{uuid}", when, True, title, body, tags, meta, files)
    item.warnings = [f"{what} is not in the export; the entry says so where it was" for what in missing]
    return item


def _entry_link(found: re.Match[str]) -> str:
    """A link to another Day One entry as a link to its origin, made a path to its file when files are named;
    a bare one gets no words of its own (the entry's title is given then)."""
    words, uuid = found.group(1) or "", found.group(2) or found.group(3) or found.group(4)
    if re.fullmatch(_URL, words):
        words = ""
    return f"[{words}]({ENTRY_LINK_MARK}dayone:{uuid})"


_ONLY_ATTACHED = re.compile(  # pictures, links to files beside the entry, or the words for one not in the export
    r"(?:\s*(?:!\[[^\]]*\]\([^()\s]+\)|\[[^\]]*\]\([^()\s:]+\)|\*\([a-zA-Z]+ not in the export\)\*)\s*)+"
)


def _only_attachments(line: str) -> bool:
    """Whether a line holds nothing but photos or other attached files (or what stands for a missing one)."""
    return _ONLY_ATTACHED.fullmatch(line) is not None


def _local_time(created: Any, zone: Any, notes: list[str]) -> datetime:
    """The wall-clock time an entry was written, where it was written."""
    if not isinstance(created, str):
        raise _Bad("has no creationDate")
    try:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Bad(f"creationDate {created!r} is not a date") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        place = ZoneInfo(zone) if isinstance(zone, str) and zone else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        place = timezone.utc
        note = f"time zone {zone!r} is unknown here; those entries keep their UTC time"
        if note not in notes:
            notes.append(note)
    return moment.astimezone(place).replace(tzinfo=None, microsecond=0)


def _place(location: Any) -> str:
    """A location as a few words (only ever asked for with --with-location)."""
    if not isinstance(location, dict):
        return ""
    parts = [location.get(k) for k in ("placeName", "localityName", "administrativeArea", "country")]
    return ", ".join(dict.fromkeys(str(p) for p in parts if p))


def _attachments(
    body: str, record: dict[str, Any], export: _Export, when: datetime, with_location: bool, missing: list[str]
) -> tuple[str, list[Attached]]:
    """The text with each dayone-moment link made a link to a file beside the entry, and those files; the
    attachments the export lacks are named in `missing` ("photo 4F2A…")."""
    known: dict[str, tuple[str, str, str]] = {}  # identifier → (kind, md5, type)
    for kind, (key, _) in KINDS.items():
        for item in record.get(key) or []:
            if isinstance(item, dict) and item.get("identifier") and item.get("md5"):
                known[str(item["identifier"])] = (kind, str(item["md5"]), str(item.get("type") or ""))
    files: list[Attached] = []
    names: dict[str, str] = {}

    def link(found: re.Match[str]) -> str:
        identifier = found.group(3)
        kind, md5, kind_type = known.get(identifier, (found.group(2) or "photo", "", ""))
        folder = KINDS[kind][1]
        stored = export.media(folder, md5) or (export.media("Photos", md5) if kind == "photo" else None)
        if not md5 or stored is None:
            what = "PDF" if kind == "pdfAttachment" else kind
            missing.append(f"{what} {identifier}")
            return f"*({what} not in the export)*"
        if identifier not in names:
            suffix = posixpath.splitext(stored)[1].lower() or f".{kind_type}"
            names[identifier] = f"{when:%Y-%m-%d}-{md5[:8].lower()}{suffix}"
            files.append(Attached(names[identifier], _reader(export, stored, with_location)))
        words = found.group(1)
        if kind == "pdfAttachment":
            return f"[{words or 'PDF'}]({names[identifier]})"
        return f"![{words}]({names[identifier]})"

    return _MOMENT.sub(link, body), files


def _reader(export: _Export, name: str, with_location: bool) -> Callable[[], bytes]:
    """What reads an attached file when it is written: a photo without where it was taken, unless asked."""

    def data() -> bytes:
        content = export.read(name)
        return content if with_location else without_location(content)

    return data
