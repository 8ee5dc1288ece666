"""interlude share: a separate build for the therapist, made only from the entries chosen to share.

The design is one rule: pick the shared entries, build a Journal of just those, and run the normal
pipeline on it. Tags, progress, stretch summaries and the search index then come from shared entries
only, and a private entry cannot slip in through any of them.
"""

from __future__ import annotations

import base64
import dataclasses
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.build import render_site
from generator.config import Config
from generator.entries import Entry
from generator.errors import EntryError, ShareError
from generator.folders import SHARE_MARKER, check_share_output
from generator.journal import Journal
from generator.links import without_folders
from generator.output import WriteReport, write_site
from generator.render import make_environment, render, theme_statics
from generator.sources import files_by_name, folders_of_entries
from generator.store import read_journal
from generator.views import Page
from generator.views.agenda import agenda
from generator.views.attachments import copy_of, preview_of
from generator.words import counted

SHARE_NOTE = b"Made by `interlude share`: only the entries chosen to share; private entries are never included.\n"
MODES = ("agenda", "since", "all")


@dataclass(frozen=True)
class Scope:
    """Which entries a share holds: the next session's agenda, everything from a date, or everything."""

    mode: str = "agenda"
    since: date | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown share mode {self.mode!r}")
        if (self.mode == "since") != (self.since is not None):
            raise ValueError("a date goes with the 'since' mode, and only with it")


@dataclass(frozen=True)
class ShareInfo:
    """What a share holds, in words its pages show."""

    scope: Scope
    made: date
    count: int
    first: date | None
    last: date | None

    @property
    def heading(self) -> str:
        """The share's name."""
        if self.scope.mode == "agenda":
            return "For the next session"
        if self.scope.since is not None:
            return f"Entries since {self.scope.since.day} {self.scope.since:%B %Y}"
        return "Journal entries"

    @property
    def summary(self) -> str:
        """One sentence on what the share holds."""
        entries = counted(self.count, "entry")
        span = f", {_span(self.first, self.last)}" if self.first and self.last else ""
        if self.scope.mode == "agenda":
            return f"{entries} marked to talk about in the next session{span}."
        return f"{entries}{span}."


def _span(first: date, last: date) -> str:
    """ "written on 5 March 2024", "written between 5 and 9 March 2024", or across months and years."""
    if first == last:
        return f"written on {first.day} {last:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        start = f"{first.day}"
    elif first.year == last.year:
        start = f"{first.day} {first:%B}"
    else:
        start = f"{first.day} {first:%B %Y}"
    return f"written between {start} and {last.day} {last:%B %Y}"


@dataclass
class ShareReport:
    """What a share build did."""

    entries: int
    private_left_out: int
    open_path: Path
    problems: list[EntryError]
    written: WriteReport
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 when every entry was read cleanly, 1 when some had problems."""
        return 1 if self.problems else 0


def candidates(journal: Journal, scope: Scope) -> list[Entry]:
    """The entries the scope asks for, oldest first, private ones included."""
    if scope.mode == "agenda":
        plan = agenda(journal)
        return [e for e in plan.since if e.discuss]
    if scope.mode == "since":
        assert scope.since is not None
        return [e for e in journal.entries if e.day >= scope.since]
    return list(journal.entries)


def chosen_entries(journal: Journal, scope: Scope) -> list[Entry]:
    """The entries a share holds, oldest first; never a private one, whatever the scope."""
    return [e for e in candidates(journal, scope) if not e.private]


def shared_journal(journal: Journal, entries: list[Entry]) -> Journal:
    """A Journal of just these entries: copies, so page names are assigned afresh (a "-2" suffix
    would hint at an unshared entry of the same day and title) and the full journal is untouched."""
    copies = [dataclasses.replace(e, warnings=[]) for e in entries if not e.private]
    root = journal.config.entries_dir
    # A ![[name]] finds no file in a folder of an entry left out: its name alone could bring a private photo.
    hidden = folders_of_entries(root, {e.source for e in copies})
    return Journal(journal.config, copies, [], files=lambda: without_folders(files_by_name(root), hidden))


def share_info(shared: Journal, scope: Scope, made: date) -> ShareInfo:
    """The description of a share, from the shared entries only."""
    days = [e.day for e in shared.entries]
    return ShareInfo(scope, made, len(days), min(days, default=None), max(days, default=None))


def site_files(shared: Journal, info: ShareInfo) -> dict[str, bytes]:
    """A whole browsable site of the shared entries: timeline, entries, tags, progress, agenda, search."""
    files = render_site(shared, info.made, {"share": info})
    files[SHARE_MARKER] = SHARE_NOTE
    return files


def single_file_name(info: ShareInfo) -> str:
    """The one file of a --single-file share."""
    return f"shared-{info.made:%Y-%m-%d}.html"


PICTURE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
LARGEST_INLINE = 3_000_000  # a picture larger than this (and not resized) would make the one file too heavy to send


def pictures_as_data(shared: Journal) -> dict[str, str]:
    """The shared entries' pictures as data: addresses, by the address a page shows them from: the resized
    copy of a large photo, else the file itself (a file too large to carry is left out, and shown as words)."""
    pictures = {}
    for attachment in shared.attachments.values():
        kind = PICTURE_TYPES.get(Path(attachment.rel).suffix.lower())
        if kind is None:
            continue
        if attachment.preview:
            data, kind, url = preview_of(attachment.path), "image/webp", attachment.preview_url
        elif attachment.signature[0] <= LARGEST_INLINE:
            data, url = copy_of(attachment.path), attachment.url
        else:
            continue
        pictures[url] = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return pictures


def single_file(shared: Journal, info: ShareInfo) -> dict[str, bytes]:
    """One printable, self-contained HTML file: the agenda first, then every shared entry in full."""
    config = shared.config
    css = theme_statics(config).get("static/style.css", b"").decode("utf-8")
    pictures = pictures_as_data(shared)
    keys = {e.key for e in shared.entries}
    page = Page(
        single_file_name(info),
        "share-single.html",
        {
            "page_title": info.heading,
            "agenda": agenda(shared),
            "entries": shared.entries,
            "css": css,
            "bodies": {e.key: e.one_file_html(pictures, keys) for e in shared.entries},
        },
    )
    html = render(make_environment(config), page, {"share": info})
    return {page.path: html.encode("utf-8"), SHARE_MARKER: SHARE_NOTE}


def share(
    config: Config, scope: Scope, today: date | None = None, single: bool = False, own_site: Path = Path("output")
) -> ShareReport:
    """Build a share of the journal into config.output_dir and say what it holds."""
    started = time.perf_counter()
    check_share_output(config.output_dir, own_site)
    journal = read_journal(config)
    asked = candidates(journal, scope)
    entries = [e for e in asked if not e.private]
    if not entries:
        raise ShareError(_nothing_to_share(scope))
    shared = shared_journal(journal, entries)
    info = share_info(shared, scope, today or date.today())
    files = single_file(shared, info) if single else site_files(shared, info)
    written = write_site(config.output_dir, config.entries_dir, files)
    opened = config.output_dir / (single_file_name(info) if single else "index.html")
    left_out = len(asked) - len(entries)  # private entries the scope would have taken, and only those
    return ShareReport(len(entries), left_out, opened, journal.problems, written, time.perf_counter() - started)


def _nothing_to_share(scope: Scope) -> str:
    if scope.mode == "agenda":
        return (
            "nothing to share: no entry since your last session is marked `discuss: true` "
            "(use --since DATE or --all to share more)"
        )
    if scope.mode == "since":
        return f"nothing to share: no entry that is not private is dated {scope.since} or later"
    return "nothing to share: every entry is private, or the journal is empty"
