"""The timeline: index.html with the newest entries, a page per month, and the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.entries import Entry
from generator.journal import Journal
from generator.views import Page


@dataclass
class MonthGroup:
    """One month of the timeline, newest entry first."""

    year: int
    month: int
    entries: list[Entry]

    @property
    def url(self) -> str:
        """The month's own page."""
        return month_url(self.year, self.month)

    @property
    def anchor(self) -> str:
        """The id of this month's heading on a timeline page."""
        return f"m{self.year}-{self.month:02d}"

    @property
    def first(self) -> date:
        """The first day of the month, for formatting its name."""
        return date(self.year, self.month, 1)


def month_url(year: int, month: int) -> str:
    """The page of one month's entries."""
    return f"timeline/{year}-{month:02d}.html"


def month_of(entry: Entry) -> str:
    """The month page an entry appears on."""
    return month_url(entry.date.year, entry.date.month)


def month_groups(journal: Journal) -> list[MonthGroup]:
    """Every month with entries, newest month first, each newest entry first."""
    return [MonthGroup(y, m, entries[::-1]) for (y, m), entries in reversed(journal.months().items())]


def index_page(journal: Journal, groups: list[MonthGroup]) -> Page:
    """index.html: whole months, newest first, until the page holds about `timeline_size` entries."""
    shown: list[MonthGroup] = []
    count = 0
    for group in groups:
        if shown and count + len(group.entries) > journal.config.timeline_size:
            break
        shown.append(group)
        count += len(group.entries)
    older = groups[len(shown)] if len(shown) < len(groups) else None
    return Page("index.html", "timeline.html", {
        "groups": shown, "older": older, "newer": None, "is_index": True,
        "page_title": journal.config.title, "total": len(journal.entries),
    })


def month_pages(journal: Journal, groups: list[MonthGroup]) -> list[Page]:
    """A timeline page per month, with links to the neighbouring months."""
    pages = []
    for index, group in enumerate(groups):
        pages.append(Page(group.url, "timeline.html", {
            "groups": [group], "is_index": False,
            "newer": groups[index - 1] if index > 0 else None,
            "older": groups[index + 1] if index + 1 < len(groups) else None,
            "page_title": f"{group.first:%B %Y}",
        }))
    return pages


def archive_page(journal: Journal, groups: list[MonthGroup]) -> Page:
    """archive.html: every year with its months and how many entries each holds."""
    years: dict[int, list[MonthGroup]] = {}
    for group in groups:
        years.setdefault(group.year, []).append(group)
    return Page("archive.html", "archive.html", {
        "years": [(year, months, sum(len(g.entries) for g in months)) for year, months in years.items()],
        "page_title": "Archive",
    })


def timeline_pages(journal: Journal) -> list[Page]:
    """The index, one page per month, and the archive."""
    groups = month_groups(journal)
    return [index_page(journal, groups), *month_pages(journal, groups), archive_page(journal, groups)]
