"""What an importer hands back: each entry read from an export (Imported, with the files beside it), the records
it had to skip, what an import did, the ways it fails; and the title rules importers share."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from generator.errors import InterludeError
from generator.sources import IMAGE_SUFFIXES
from generator.words import counted, plural

MAX_TITLE = 80


class ImportFailed(InterludeError):
    """The export cannot be read at all (not the format asked for, missing, unreadable)."""


class ImportStopped(InterludeError):
    """The import was stopped (Ctrl-C), between two entries: how far it came, and how to finish."""

    exit_code = 130

    def __init__(self, report: ImportReport | None = None, new: int = 0):
        self.report = report
        if report is None or not (new or report.written):
            super().__init__("stopped before anything was written; run the same command again to import")
            return
        came = len(report.written)
        photos = f" and {counted(report.photos, 'photo')}" if report.photos else ""
        super().__init__(
            f"stopped: {came} of {new} new {plural(new, 'entry')} came in{photos}, each whole; "
            "run the same command again to bring in the rest"
        )


@dataclass
class Skipped:
    """A record of the export that could not be imported: where it is in the export, and why."""

    where: str  # "entry 12", "line 40"
    message: str

    def show(self, export: str) -> str:
        return f"{export}: {self.where}: {self.message}; skipped"


@dataclass
class Warned:
    """An entry imported without something it had (a photo the export lacks): which entry, and what."""

    where: str  # "Journal.json entry 3 (2026-04/2026-04-03-tokyo.md)"
    message: str

    def show(self, export: str) -> str:
        return f"{export}: {self.where}: {self.message}"


@dataclass
class Attached:
    """A file that goes beside an imported entry (a photo): its bytes, made when it is written."""

    name: str  # the file's name beside the entry, as the entry's text links to it
    data: Callable[[], bytes]


@dataclass
class Imported:
    """One entry read from another app's export, ready to be written as an entry file."""

    origin: str  # "dayone:<uuid>": what tells a second import that this entry is already in the journal
    when: datetime  # wall-clock time where it was written
    has_time: bool
    title: str | None
    body: str  # Markdown
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # further front-matter keys: mood, starred, type…
    files: list[Attached] = field(default_factory=list)
    file_name: str = ""  # set when its place is chosen: relative to the entries folder
    where: str = ""  # where it is in the export, for a message: "Journal.json entry 3"
    warnings: list[str] = field(default_factory=list)  # what of it could not come in (a photo not in the export)

    @property
    def folder(self) -> str:
        """The month folder it goes in, as the sample journal has them."""
        return f"{self.when:%Y-%m}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    written: list[str] = field(default_factory=list)  # entry files, relative to the entries folder
    photos: int = 0  # pictures written beside their entries
    files: int = 0  # other attached files (sounds, videos, PDFs)
    already: int = 0  # entries an earlier import brought in
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Warned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to know that are not errors (a renamed Daylio mood)

    @property
    def exit_code(self) -> int:
        """0 when every record was imported whole (or already was), 1 when some were skipped or lack a part."""
        return 1 if self.skipped or self.warnings else 0

    def count(self, name: str) -> None:
        """Count one attached file written, a picture or another file."""
        if posixpath.splitext(name)[1].lower() in IMAGE_SUFFIXES:
            self.photos += 1
        else:
            self.files += 1


def title_from(text: str, skip: Callable[[str], bool] = lambda line: False) -> tuple[str | None, str]:
    """A title from the first line of text: a `# Heading` (taken out of the text), else a short first line
    (taken out too), else the first sentence of a long line (the text keeps it). Lines before it that `skip`
    says are not text (a photo) stay where they are; with no text at all there is no title."""
    lines = text.strip("\n").split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip() and not skip(line)), len(lines))
    if at == len(lines):
        return None, text.strip("\n")
    first = lines[at].strip()
    before, after = "\n".join(lines[:at]).strip("\n"), "\n".join(lines[at + 1 :]).strip("\n")
    heading = re.match(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", first)
    title = heading.group(1).strip() if heading else first
    if len(title) <= MAX_TITLE:
        return title, f"{before}\n\n{after}".strip("\n") if before else after
    return first_sentence(title), text.strip("\n")


def first_sentence(text: str) -> str:
    """The first sentence of a text, at most MAX_TITLE characters (cut at a word, with …)."""
    found = re.match(r"^(.+?[.!?。！？])(?:\s|$)", text.strip())
    sentence = found.group(1) if found else text.strip()
    if len(sentence) <= MAX_TITLE:
        return sentence
    return sentence[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + "…"
