"""The timeline: index.html with the newest entries, a page per month, and the archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.config import Metric
from generator.entries import Entry
from generator.journal import Journal
from generator.stats import average
from generator.views import Page, entries_deps
from generator.views.metrics import goodness

STRETCH_METRICS = 2


@dataclass
class StretchInfo:
    """A stretch between sessions as the timeline shows it: its session, size and averages."""

    session: Entry | None
    number: int  # the session's number, 0 for the entries before the first session
    count: int  # entries written after the session (the session's own note not counted)
    discuss: int
    averages: list[tuple[Metric, float]]
    current: bool


@dataclass
class Day:
    """The entries of one day within a run, newest first: one date heading over them."""

    day: date
    entries: list[Entry]
    continued: bool = False  # the day's later entries are in the run above (a session that day began a stretch)

    @property
    def anchor(self) -> str:
        """The id of this day's heading on a timeline page (a continued day's heading has its own)."""
        return f"d{self.day.isoformat()}" + ("-before" if self.continued else "")


@dataclass
class Run:
    """Consecutive entries of one month that belong to the same stretch, newest first, by day."""

    stretch: StretchInfo
    entries: list[Entry] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)


@dataclass
class MonthGroup:
    """One month of the timeline, newest entry first."""

    year: int
    month: int
    entries: list[Entry]
    runs: list[Run] = field(default_factory=list)

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


def stretch_infos(journal: Journal) -> dict[str, StretchInfo]:
    """Entry key → the stretch it belongs to, with that stretch's numbers."""
    infos: dict[str, StretchInfo] = {}
    stretches = journal.stretches()
    numbered = 0
    for index, stretch in enumerate(stretches):
        if stretch.session is not None:
            numbered += 1
        after = [e for e in stretch.entries if e is not stretch.session]  # what was written since the session
        averages = [
            (m, value) for key, m in journal.config.metrics.items() if (value := average(after, key)) is not None
        ][:STRETCH_METRICS]
        info = StretchInfo(
            stretch.session,
            numbered if stretch.session else 0,
            len(after),
            sum(1 for e in after if e.discuss),
            averages,
            current=index == len(stretches) - 1 and stretch.session is not None,
        )
        for entry in stretch.entries:
            infos[entry.key] = info
    return infos


def month_groups(journal: Journal) -> list[MonthGroup]:
    """Every month with entries, newest month first, each newest entry first, cut into stretch runs."""
    infos = stretch_infos(journal)
    groups = []
    for (year, month), entries in reversed(journal.months().items()):
        group = MonthGroup(year, month, entries[::-1])
        seen: set[date] = set()
        for entry in group.entries:
            info = infos[entry.key]
            if not group.runs or group.runs[-1].stretch is not info:
                group.runs.append(Run(info))
            run = group.runs[-1]
            run.entries.append(entry)
            if not run.days or run.days[-1].day != entry.day:
                run.days.append(Day(entry.day, [], continued=entry.day in seen))
                seen.add(entry.day)
            run.days[-1].entries.append(entry)
        groups.append(group)
    return groups


ON_THIS_DAY_SHOWN = 3  # past dates shown in the box; further years are a link each
HARD_DAY = 0.3  # a value in the worst 30% of a metric's range marks a hard day, not brought back unasked


def gentle(entry: Entry, metrics: dict[str, Metric]) -> bool:
    """Whether an entry may come back by itself: not marked `resurface: false`, and no value of it in the
    worst part of its metric's range (a hard day from a year ago should not greet someone unasked)."""
    if not entry.resurface:
        return False
    return all(goodness(metrics[key], value) >= HARD_DAY for key, value in entry.metrics.items() if key in metrics)


def on_this_day(journal: Journal, today: date) -> dict[str, Any]:
    """What was written on this date a month ago and in earlier years, nearest first: the nearest few dates
    with one gentle entry each, and the further years as links. Empty when turned off in journal.yaml."""
    if not journal.config.on_this_day:
        return {"shown": [], "more": []}
    wanted: list[tuple[str, date]] = []
    month_ago = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    try:
        wanted.append(("A month ago", date(month_ago[0], month_ago[1], today.day)))
    except ValueError:
        pass  # no such day last month (31 March → 31 February)
    first_year = journal.entries[0].date.year if journal.entries else today.year
    for year in range(today.year - 1, first_year - 1, -1):
        try:
            then = date(year, today.month, today.day)
        except ValueError:
            continue  # 29 February
        years = today.year - year
        wanted.append(("A year ago" if years == 1 else f"{years} years ago", then))
    days = {day for _, day in wanted}
    by_day: dict[date, list[Entry]] = {}
    for entry in journal.entries:
        if entry.day in days and gentle(entry, journal.config.metrics):
            by_day.setdefault(entry.day, []).append(entry)
    found = [(label, by_day[day][0]) for label, day in wanted if day in by_day]
    return {"shown": found[:ON_THIS_DAY_SHOWN], "more": found[ON_THIS_DAY_SHOWN:]}


STRIP_MONTHS = 12  # the front page's overview: the last twelve months with entries, or since the first
STRIP_LEVELS = 10  # a month's bar is drawn in tenths of the fullest month shown


@dataclass
class StripMonth:
    """One month of the front page's overview: how many entries, and where they are."""

    first: date  # the month's first day
    count: int
    sessions: int
    href: str  # its part of the front page (#m2026-11), its own page, or "" for a month without entries
    level: int  # 0 (none) to STRIP_LEVELS (the fullest month shown)

    @property
    def name(self) -> str:
        """ "November 2026"."""
        return f"{self.first:%B %Y}"


def months_back(year: int, month: int, back: int) -> tuple[int, int]:
    """The month `back` months before (year, month)."""
    index = year * 12 + month - 1 - back
    return index // 12, index % 12 + 1


def overview(journal: Journal, groups: list[MonthGroup], shown: list[MonthGroup]) -> dict[str, Any]:
    """The front page's overview: the last twelve months (or since the journal began, if later), each with its
    number of entries and sessions, linked to its part of the page or its own page; and every year with its
    number of entries, linked to its latest month."""
    if not groups:
        return {"months": [], "years": []}
    by_month = {(g.year, g.month): g for g in groups}
    on_page = {(g.year, g.month) for g in shown}
    newest, oldest = groups[0], groups[-1]
    span = min(STRIP_MONTHS, (newest.year - oldest.year) * 12 + newest.month - oldest.month + 1)
    months = []
    for back in range(span - 1, -1, -1):
        year, month = months_back(newest.year, newest.month, back)
        group = by_month.get((year, month))
        entries = group.entries if group else []
        href = "" if group is None else f"#{group.anchor}" if (year, month) in on_page else group.url
        sessions = sum(1 for e in entries if e.type == journal.config.session_type)
        months.append(StripMonth(date(year, month, 1), len(entries), sessions, href, 0))
    fullest = max(m.count for m in months)
    for m in months:
        m.level = -(-m.count * STRIP_LEVELS // fullest) if m.count else 0  # any entry shows: rounded up
    counts: dict[int, int] = {}
    for group in groups:
        counts[group.year] = counts.get(group.year, 0) + len(group.entries)
    return {"months": months, "years": [(year, url, counts[year]) for year, url in year_links(groups)]}


def year_links(groups: list[MonthGroup]) -> list[tuple[int, str]]:
    """Each year with entries, newest first, and the page of its latest month: the timeline's year jump."""
    years: dict[int, str] = {}
    for group in groups:  # newest month first, so the first month seen of a year is its latest
        years.setdefault(group.year, group.url)
    return list(years.items())


def group_deps(group: MonthGroup) -> tuple[Any, ...]:
    """What a month's part of a timeline page is made from: its entries, and the numbers of the stretches they
    belong to (which may reach into other months)."""
    return (
        (group.year, group.month),
        entries_deps(group.entries),
        tuple(
            (
                run.stretch.session.key if run.stretch.session else None,
                run.stretch.number,
                run.stretch.count,
                run.stretch.discuss,
                tuple((m.key, v) for m, v in run.stretch.averages),
                run.stretch.current,
                len(run.entries),
            )
            for run in group.runs
        ),
    )


def index_page(journal: Journal, groups: list[MonthGroup], today: date) -> Page:
    """index.html: whole months, newest first, until the page holds about `timeline_size` entries."""
    shown: list[MonthGroup] = []
    count = 0
    for group in groups:
        if shown and count + len(group.entries) > journal.config.timeline_size:
            break
        shown.append(group)
        count += len(group.entries)
    older = groups[len(shown)] if len(shown) < len(groups) else None
    return Page(
        "index.html",
        "timeline.html",
        {
            "groups": shown,
            "older": older,
            "newer": None,
            "is_index": True,
            "page_title": journal.config.title,
            "total": len(journal.entries),
            "on_this_day": on_this_day(journal, today),
            "today": today,
            "years": year_links(groups),
            "this_year": None,
            "overview": overview(journal, groups, shown),
        },
        deps=("index", today, entries_deps(journal.entries), tuple((g.year, g.month) for g in groups)),
    )


def month_pages(journal: Journal, groups: list[MonthGroup]) -> list[Page]:
    """A timeline page per month, with links to the neighbouring months."""
    pages = []
    years = year_links(groups)
    months = tuple((g.year, g.month) for g in groups)  # the neighbours' links and the year jump follow from these
    for index, group in enumerate(groups):
        pages.append(
            Page(
                group.url,
                "timeline.html",
                {
                    "groups": [group],
                    "is_index": False,
                    "years": years,
                    "this_year": group.year,
                    "newer": groups[index - 1] if index > 0 else None,
                    "older": groups[index + 1] if index + 1 < len(groups) else None,
                    "page_title": f"{group.first:%B %Y}",
                },
                deps=("month", months, group_deps(group)),
            )
        )
    return pages


def archive_page(journal: Journal, groups: list[MonthGroup]) -> Page:
    """archive.html: every year with its months and how many entries each holds."""
    years: dict[int, list[MonthGroup]] = {}
    for group in groups:
        years.setdefault(group.year, []).append(group)
    return Page(
        "archive.html",
        "archive.html",
        {
            "years": [(year, months, sum(len(g.entries) for g in months)) for year, months in years.items()],
            "page_title": "Archive",
        },
        deps=("archive", tuple((g.year, g.month, len(g.entries)) for g in groups)),
    )


def timeline_pages(journal: Journal, today: date) -> list[Page]:
    """The index, one page per month, and the archive."""
    groups = month_groups(journal)
    return [index_page(journal, groups, today), *month_pages(journal, groups), archive_page(journal, groups)]
