"""Plan: every file of the site as a Job (where it goes, its fingerprint, how to make it), and which of them the
output does not hold yet. Nothing is rendered or written here; build, watch, share and lock all plan this way."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from generator.fingerprint import fingerprint
from generator.journal import Journal
from generator.output import digest
from generator.views import Job, Page
from generator.views.agenda import agenda_page
from generator.views.attachments import attachment_files
from generator.views.diary_cards import diary_card_pages
from generator.views.entry import entry_page, entry_pages
from generator.views.forms import form_pages
from generator.views.progress import progress_page, year_pages
from generator.views.search import search_data, search_page
from generator.views.tags import tag_pages
from generator.views.timeline import timeline_pages

LIVE_STAMP = "live-stamp.js"


@dataclass
class Plan:
    """Every file of the site, in the order they are best made (pages of a few entries first), and the stale ones."""

    jobs: list[Job]
    stale: list[Job]

    @property
    def wanted(self) -> dict[str, str]:
        """Path → fingerprint of every file the site should hold."""
        return {job.path: job.fingerprint for job in self.jobs}


def page_jobs(pages: Iterable[Page], base: str) -> list[Job]:
    """Pages as jobs, fingerprinted under a theme and settings (`base`)."""
    return [Job(page.path, fingerprint(page, base), page) for page in pages]


def file_jobs(files: dict[str, bytes]) -> list[Job]:
    """Files whose bytes are known already (the theme's static files) as jobs."""
    return [Job(rel, digest(data), data=data) for rel, data in files.items()]


def edited_jobs(journal: Journal, sources: Iterable[str], base: str) -> list[Job]:
    """The pages of just these entry files: what a save must show first."""
    wanted = set(sources)
    by_source = {entry.source: entry for entry in journal.entries if entry.source in wanted}
    return page_jobs((entry_page(journal, by_source[s]) for s in sorted(by_source)), base)


def site_jobs(journal: Journal, base: str, today: date, statics: dict[str, bytes]) -> list[Job]:
    """Every file of the site: the pages made from a few entries each (an entry's page, a half-year's search file,
    an attached file), then the pages that show many entries, then the theme's files."""
    few = [*entry_pages(journal), *search_data(journal), *attachment_files(journal)]
    many = [  # the pages that list entries last: by then the workers have made most of their list items
        progress_page(journal, today),
        *year_pages(journal),
        agenda_page(journal),
        *diary_card_pages(journal),
        *form_pages(journal),
        search_page(journal),
        *timeline_pages(journal, today),
        *tag_pages(journal),
    ]
    return [*page_jobs(few, base), *page_jobs(many, base), *file_jobs(statics)]


def live_stamp(files: dict[str, str], moved: dict[str, str]) -> Job:
    """live-stamp.js, which open pages load every second: it changes exactly when some other file does (`files`:
    path → fingerprint of every other file), and says where pages went whose entry got a new page name."""
    stamp = digest(repr(sorted(item for item in files.items() if item[0] != LIVE_STAMP)).encode())
    follow = json.dumps(moved, ensure_ascii=True, sort_keys=True)
    data = f'window.interludeLive && window.interludeLive("{stamp}", {follow});\n'.encode()
    return Job(LIVE_STAMP, digest(data), data=data)


def make_plan(jobs: list[Job], is_current: Callable[[str, str], bool]) -> Plan:
    """Compare the jobs with what the output holds (`is_current(path, fingerprint)`): the stale ones are made."""
    return Plan(jobs, [job for job in jobs if not is_current(job.path, job.fingerprint)])
