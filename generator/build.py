"""build(config) → BuildReport: read → model → views → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from generator.config import Config
from generator.errors import EntryError
from generator.journal import Journal, read_journal
from generator.output import WriteReport, check_output_dir, write_site
from generator.render import make_environment, render, theme_dirs
from generator.views import Page
from generator.views.agenda import agenda_page
from generator.views.entry import entry_pages
from generator.views.progress import progress_page
from generator.views.tags import tag_pages
from generator.views.timeline import timeline_pages


@dataclass
class BuildReport:
    """What a build did, for the one-line summary and the exit code."""

    entries: int
    pages: int
    problems: list[EntryError] = field(default_factory=list)
    written: WriteReport | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every entry built cleanly, 1 when some had problems."""
        return 1 if self.problems else 0


def site_pages(journal: Journal, today: date) -> list[Page]:
    """Every page of the site, from the pure views."""
    return [*timeline_pages(journal, today), *entry_pages(journal), *tag_pages(journal),
            progress_page(journal), agenda_page(journal)]


def static_files(config: Config) -> dict[str, bytes]:
    """The theme's static/ files (stylesheet, scripts), the journal's own overriding by name."""
    files: dict[str, bytes] = {}
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[f"static/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    return files


def render_site(journal: Journal, today: date | None = None) -> dict[str, bytes]:
    """Every output file's path and bytes; `today` decides what "on this day" shows."""
    env = make_environment(journal.config)
    pages = site_pages(journal, today or date.today())
    files = {page.path: render(env, page).encode("utf-8") for page in pages}
    files.update(static_files(journal.config))
    return files


def check(config: Config) -> Journal:
    """Read and validate every entry; write nothing."""
    return read_journal(config)


def build(config: Config, today: date | None = None) -> BuildReport:
    """Build the whole site into the output folder and say what happened."""
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.entries_dir)
    journal = read_journal(config)
    files = render_site(journal, today)
    written = write_site(config.output_dir, config.entries_dir, files)
    return BuildReport(len(journal.entries), len(files), journal.problems, written,
                       time.perf_counter() - started)
