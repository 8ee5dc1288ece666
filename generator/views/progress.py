"""progress.html: charts per metric, then and now, calendar, streaks, themes, thought records, milestones."""

from __future__ import annotations

import bisect
import functools
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from generator import charts
from generator.config import Metric
from generator.courses import DETERIORATION, IMPROVEMENT, RECOVERY, ReliableChange, judged, reliable_changes
from generator.entries import Entry
from generator.journal import Journal
from generator.patterns import FALSE_DISCOVERY, MIN_DAYS, MIN_SIDE, find
from generator.stats import (
    ENOUGH,
    Bucket,
    Change,
    Point,
    Streaks,
    arrow,
    bucket_averages,
    compare,
    daily_series,
    judge,
    mean,
    mean_of,
    metric_values,
    month_start,
    monthly_counts,
    months_between,
    per_week,
    rolling_average,
    streaks,
    threshold,
    top_tags,
    week_start,
    window,
)
from generator.views import Page, entries_deps
from generator.views.diary_cards import card_charts
from generator.views.forms import forms_on_progress
from generator.views.metrics import goodness
from generator.words import counted, listed

WINDOW_DAYS = 30
SHORT_AVERAGE, LONG_AVERAGE = 7, 30
THEMES = 8
CALENDAR_LEVELS = 4


@dataclass
class Period:
    """A stretch of days summarised: entries, metric averages, most used tags."""

    first: date
    last: date
    entries: list[Entry]
    tags: list[tuple[str, int]]


@dataclass
class ThenAndNow:
    """The first days of the journal beside the last ones."""

    then: Period
    now: Period
    changes: list[Change]
    overlap: bool
    year_ago: Period | None = None  # the same days a year before the last ones, in a journal old enough
    year_changes: list[Change] | None = None


def then_and_now(journal: Journal, days: int = WINDOW_DAYS) -> ThenAndNow | None:
    """The first `days` days (from the first entry) against the last `days` days (to the last entry)."""
    entries = journal.entries
    if not entries:
        return None
    start, end = entries[0].day, entries[-1].day
    then = window(entries, start, start + timedelta(days=days - 1))
    now = window(entries, end - timedelta(days=days - 1), end)
    result = ThenAndNow(
        Period(start, start + timedelta(days=days - 1), then, top_tags(then)),
        Period(end - timedelta(days=days - 1), end, now, top_tags(now)),
        compare(journal.config.metrics, then, now),
        overlap=(end - start).days < 2 * days - 1,
    )
    ago_last = _year_before(end)
    ago_first = ago_last - timedelta(days=days - 1)
    if ago_first >= start:  # the journal reaches back a year before its last 30 days
        ago = window(entries, ago_first, ago_last)
        if ago:
            result.year_ago = Period(ago_first, ago_last, ago, top_tags(ago))
            result.year_changes = compare(journal.config.metrics, ago, now)
    return result


def _year_before(day: date) -> date:
    """The same date a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def caption(metric: Metric, change: Change | None, latest: Point | None) -> str:
    """The chart in words, with its key numbers."""
    if change is None or change.before is None or change.after is None:
        return f"{metric.label}: not enough entries to compare yet."
    text = (
        f"{metric.label}: averaged {change.before:.1f} in the first {WINDOW_DAYS} days "
        f"and {change.after:.1f} in the last {WINDOW_DAYS} days"
    )
    verdict = change.verdict
    direction = "higher" if metric.higher_is_better else "lower"
    if verdict == "about the same":
        text += ", about the same as when you started"
    elif verdict == "too few to tell":
        text += ", too few entries yet to tell whether that is a change"
    elif verdict:
        text += f" ({verdict} than when you started; {direction} is better)"
    if latest is not None:
        text += f". Latest 7-day average: {latest.value:.1f}."
    return text


DAY_VIEW = 91  # days: the last three months, day by day
WEEK_VIEW = (
    364  # days: the last twelve months, week by week (the whole journal, up to two years, once past three months)
)
WEEK_VIEW_FROM = DAY_VIEW
MONTH_VIEW_FROM = 2 * 365 + 1  # days: past about two years, the whole journal month by month
PAUSE = 14  # days without a value that break a line: a pause in journaling is not drawn across


def metric_charts(journal: Journal, comparison: ThenAndNow | None, year: int | None = None) -> list[dict[str, Any]]:
    """For each metric with values, its charts at the scales the journal's length calls for, the whole journal
    (on a year's page: that year) first: by day up to three months, by week up to two years, then by month; then
    the detail, the last twelve months by week and the last three months by day, where the first is not them."""
    sessions = tuple(e.day for e in journal.sessions())
    milestones = tuple((e.day, e.milestone or e.title) for e in journal.entries if e.milestone)
    changes = {c.metric.key: c for c in comparison.changes} if comparison else {}
    journal_days = (journal.entries[-1].day - journal.entries[0].day).days + 1 if journal.entries else 0
    result = []
    series = daily_series(journal.entries, journal.config.metrics)
    for key, metric in journal.config.metrics.items():
        daily = tuple(series[key])
        if not daily:
            continue
        if metric.questionnaire:
            view = _drawn(by_score, metric, daily, sessions, milestones, year)
            result.append(
                {"metric": metric, "views": [view], "caption": view["caption"], "days": len(daily), "svg": view["svg"]}
            )
            continue
        views = [_drawn(by_day, metric, daily, changes.get(key), sessions, milestones, year, journal_days)]
        span = (daily[-1].day - daily[0].day).days
        if span >= MONTH_VIEW_FROM:
            views[:0] = [
                _drawn(by_month, metric, daily, sessions, milestones),
                _drawn(by_week, metric, daily, sessions, milestones, year),
            ]
        elif span >= WEEK_VIEW_FROM:
            views.insert(0, _drawn(by_week, metric, daily, sessions, milestones, year, True))
        result.append(
            {
                "metric": metric,
                "views": views,
                "caption": views[0]["caption"],
                "days": len(daily),
                "svg": views[0]["svg"],
            }
        )
    return result


@functools.lru_cache(maxsize=256)
def _drawn(view: Callable[..., dict[str, Any]], *inputs: Any) -> dict[str, Any]:
    """A chart view, drawn once for the same inputs: a save that leaves a metric's values, the sessions and the
    milestones as they were (most saves) reuses every chart of the progress pages while watching."""
    return view(*inputs)


def by_day(
    metric: Metric,
    daily: Sequence[Point],
    change: Change | None,
    sessions: Sequence[date],
    milestones: Sequence[tuple[date, str]],
    year: int | None = None,
    journal_days: int = 0,
) -> dict[str, Any]:
    """The last three months day by day: each day's value, its 7-day and 30-day averages."""
    last = daily[-1].day
    start = max(daily[0].day, last - timedelta(days=DAY_VIEW - 1))
    short = rolling_average(daily, SHORT_AVERAGE, start)  # averaged with the days before
    long = rolling_average(daily, LONG_AVERAGE, start)
    whole = start == daily[0].day
    stretch = f"the last three months of {year}" if year else "the last three months"
    young = journal_days < 2 * WINDOW_DAYS - 1  # the journal's first and last 30 days would overlap
    if whole and year is None and not young:
        words = caption(metric, change, short[-1] if short else None)
    else:
        over = stretch if not whole else str(year) if year else f"the journal's {counted(journal_days, 'day')} so far"
        words = (
            f"{metric.label} over {over}, day by day: the 7-day average went from "
            f"{short[0].value:.1f} to {short[-1].value:.1f}."
        )
    lines = [charts.Line(short, "avg-short", "7-day", PAUSE), charts.Line(long, "avg-long", "30-day", PAUSE)]
    svg = charts.metric_chart(
        metric,
        start,
        last,
        [p for p in daily if p.day >= start],
        lines,
        [],
        sessions,
        milestones,
        words,
        f"{metric.key}-day",
    )
    return {
        "scale": "day",
        "heading": "By day" if whole else f"{stretch.capitalize()}, by day",
        "caption": words,
        "svg": svg,
    }


QUESTIONNAIRE_GAP = 8 * 7  # days: questionnaires come every week or two; a longer gap breaks the line


def by_score(
    metric: Metric,
    daily: Sequence[Point],
    sessions: Sequence[date],
    milestones: Sequence[tuple[date, str]],
    year: int | None = None,
) -> dict[str, Any]:
    """A questionnaire score by score (they come every week or two, not daily): each score a point, joined
    by a line, over the metric's named bands; no running averages."""
    first, latest = daily[0], daily[-1]
    band = metric.band_of

    def said(point: Point) -> str:
        return f"{point.value:g}" + (f" ({band(point.value)})" if band(point.value) else "")

    stretch = f"in {year}" if year else f"since {first.day:%B %Y}"
    verdict = judge(metric, [first.value], [latest.value], (ENOUGH, ENOUGH)).verdict  # score against score
    direction = f"{'higher' if metric.higher_is_better else 'lower'} is better"
    judged = f"{verdict} than at first; {direction}" if verdict in ("better", "worse") else f"{verdict}; {direction}"
    words = (
        f"{metric.label}, {len(daily)} scores {stretch}: {said(first)} at first and {said(latest)} in the latest "
        f"({judged})."
        if len(daily) > 1
        else f"{metric.label}: one score so far, {said(first)}."
    )
    line = charts.Line(daily, "avg-short", "", QUESTIONNAIRE_GAP, whole=True)
    svg = charts.metric_chart(
        metric,
        first.day,
        max(latest.day, first.day + timedelta(days=7)),
        daily,
        [line],
        [],
        sessions,
        milestones,
        words,
        f"{metric.key}-score",
    )
    return {"scale": "score", "heading": "Score by score", "caption": words, "svg": svg}


def _bucket_change(
    metric: Metric,
    daily: Sequence[Point],
    start: Callable[[date], date],
    head: Sequence[Bucket],
    tail: Sequence[Bucket],
) -> Change:
    """A chart's first buckets' average beside its last ones', judged on the daily values in them (`start`: the
    first day of a day's bucket)."""
    first, now = mean([b.value for b in head]), mean([b.value for b in tail])
    sides = [_values_in(daily, start, {start(b.day) for b in chosen}) for chosen in (head, tail)]
    return Change(metric, first, now, threshold(metric, *sides), (len(sides[0]), len(sides[1])))


def _values_in(daily: Sequence[Point], start: Callable[[date], date], starts: set[date]) -> list[float]:
    """The daily values (in order) whose bucket begins on one of `starts`. Only the points from the first of those
    buckets' first day to the first point past the last bucket are looked at: the points are in order of day,
    and a later day's bucket never begins earlier, so no point outside them is in one (a chart's first and last
    buckets: a few weeks or months, not the whole journal)."""
    last = max(starts)
    values = []
    for point in itertools.islice(daily, bisect.bisect_left(daily, min(starts), key=lambda p: p.day), None):
        begins = start(point.day)
        if begins > last:
            break
        if begins in starts:
            values.append(point.value)
    return values


def _centred(buckets: list[Bucket], days: int) -> list[Bucket]:
    """Buckets placed at their middle (a week's Thursday, a month's 15th) rather than their first day."""
    return [b._replace(day=b.day + timedelta(days=days)) for b in buckets]


def by_week(
    metric: Metric,
    daily: Sequence[Point],
    sessions: Sequence[date],
    milestones: Sequence[tuple[date, str]],
    year: int | None = None,
    whole: bool = False,
) -> dict[str, Any]:
    """The last twelve months week by week (`whole`: every week of the journal): each week's average, and the
    middle half of its days."""
    whole = whole or daily[0].day >= daily[-1].day - timedelta(days=WEEK_VIEW)
    start = week_start(daily[0].day if whole else daily[-1].day - timedelta(days=WEEK_VIEW))
    weeks = _centred(bucket_averages([p for p in daily if p.day >= start], week_start), 3)
    points = [Point(b.day, b.value) for b in weeks]
    change = _bucket_change(metric, daily, week_start, weeks[:4], weeks[-4:])
    first, now, verdict = change.before, change.after, change.verdict
    stretch = (
        str(year) if year else f"the whole journal since {daily[0].day:%B %Y}" if whole else "the last twelve months"
    )
    words = (
        f"{metric.label} week by week over {stretch}: {first:.1f} in its first four weeks, "
        f"{now:.1f} in the last four ({verdict}). The line is each week's average; "
        "the band holds the middle half of each week's days." + charts.therapy_words(start, daily[-1].day, sessions)
    )
    line = charts.Line(points, "avg-short", "", 7 + PAUSE, tips="week")
    svg = charts.metric_chart(
        metric, start, daily[-1].day, [], [line], weeks, sessions, milestones, words, f"{metric.key}-week"
    )
    heading = str(year) if year else "The whole journal" if whole else "The last twelve months"
    return {"scale": "week", "heading": f"{heading}, by week", "caption": words, "svg": svg}


SMOOTH_FROM = 60  # months: past five years, a month's line is a saw-tooth; the line is the 12-month average


def twelve_month_average(months: Sequence[Point]) -> list[Point]:
    """Each month's point: the mean of the monthly averages of the twelve months to it (those with values)."""
    result = []
    for index, point in enumerate(months):
        since = point.day - timedelta(days=365)
        held = [p.value for p in months[max(0, index - 11) : index + 1] if p.day > since]
        result.append(Point(point.day, sum(held) / len(held)))
    return result


def by_month(
    metric: Metric, daily: Sequence[Point], sessions: Sequence[date], milestones: Sequence[tuple[date, str]]
) -> dict[str, Any]:
    """The whole journal month by month: each month's average, and the middle half of its days; past five years,
    the months as faint points under one smooth line, the average of the twelve months to each."""
    months = _centred(bucket_averages(daily, month_start), 14)
    points = [Point(b.day, b.value) for b in months]
    change = _bucket_change(metric, daily, month_start, months[:12], months[-12:])
    first, now, verdict = change.before, change.after, change.verdict
    start = month_start(daily[0].day)
    smooth = len(points) > SMOOTH_FROM
    how = (
        "Each point is a month's average; the line is the average of the twelve months to it."
        if smooth
        else "The line is each month's average; the band holds the middle half of each month's days."
    )
    words = (
        f"{metric.label} month by month since {daily[0].day:%B %Y}: {first:.1f} in the first twelve months "
        f"with values, {now:.1f} in the last twelve ({verdict}). {how}"
        + charts.therapy_words(start, daily[-1].day, sessions)
    )
    if smooth:
        line = charts.Line(twelve_month_average(points), "avg-short", "12-month", 31 + PAUSE, tips="12 months")
        dots, band = points, []
    else:
        line = charts.Line(points, "avg-short", "", 31 + PAUSE, tips="month")
        dots, band = [], months
    svg = charts.metric_chart(
        metric, start, daily[-1].day, dots, [line], band, sessions, milestones, words, f"{metric.key}-month", "month"
    )
    return {"scale": "month", "heading": "The whole journal, by month", "caption": words, "svg": svg}


def calendar_levels(
    journal: Journal, key: str | None, entries: Sequence[Entry] | None = None
) -> tuple[dict[date, int], dict[date, str]]:
    """Per day: a level 1–4 (entries written, or how good a metric was) and its words; of the days of `entries`
    (a window of the journal's), or of every day."""
    entries = journal.entries if entries is None else entries
    levels: dict[date, int] = {}
    titles: dict[date, str] = {}
    counts: dict[date, int] = {}
    for entry in entries:
        counts[entry.day] = counts.get(entry.day, 0) + 1
    metric = journal.config.metrics.get(key) if key else None
    values = {p.day: p.value for p in daily_series(entries, journal.config.metrics)[key]} if metric and key else {}
    named = metric.label.lower() if metric else ""
    for day, count in counts.items():
        words = f"{charts.day_words(day)}: {counted(count, 'entry')}"
        if metric and day in values:
            share = goodness(metric, values[day])
            levels[day] = 1 + min(CALENDAR_LEVELS - 1, int(share * CALENDAR_LEVELS))
            words += f", {named} {values[day]:.1f}"
        elif metric:
            levels[day] = 0
        else:
            levels[day] = min(CALENDAR_LEVELS, count)
        titles[day] = words
    return levels, titles


def calendars(journal: Journal, first: date | None = None, last: date | None = None) -> dict[str, Any]:
    """The days from `first` to `last` as one grid (a year on its year page), or, without them, the twelve
    months to the last entry; with what their colours mean."""
    key = journal.config.calendar
    metric = journal.config.metrics.get(key)
    if (first is None or last is None) and journal.entries:  # twelve months: no need to word every earlier day
        since = journal.entries[-1].day - timedelta(days=RECENT - 1)
        levels, titles = calendar_levels(journal, key if metric else None, window(journal.entries, since, date.max))
    else:
        levels, titles = calendar_levels(journal, key if metric else None)
    by = (
        f"{metric.label.lower()} ({'higher' if metric.higher_is_better else 'lower'} is better), in four steps "
        "from worse to better as in the key"
        if metric
        else "number of entries, in four steps as in the key"
    )
    legend = ["worse", "", "", "better"] if metric else ["1 entry", "2", "3", "4 or more"]
    if not levels:
        return {"grids": [], "by": by, "legend": legend}
    if first is None or last is None:
        last = max(levels)
        first = last - timedelta(days=RECENT - 1)
        name = "The last twelve months"
        if month_start(min(levels)) > first:  # a younger journal: from its first month, not from empty months
            first = month_start(min(levels))
            name = f"Since {first:%B %Y}"
    else:
        name = str(first.year)
    written = sum(1 for d in levels if first <= d <= last)
    label = f"{name}: {counted(written, 'day')} with entries, coloured by {by}"
    grid = {"name": name, "days": written, "svg": charts.day_grid(first, last, levels, titles, label)}
    return {"grids": [grid], "by": by, "legend": legend}


def weekly(entries: Sequence[Entry], weeks: int = 52) -> list[tuple[date, int]]:
    """Entries per week (Monday first) for the last `weeks` weeks of the journal."""
    if not entries:
        return []
    last = week_start(entries[-1].day)
    first = max(week_start(entries[0].day), last - timedelta(weeks=weeks - 1))
    counts = {first + timedelta(weeks=i): 0 for i in range((last - first).days // 7 + 1)}
    for entry in itertools.islice(entries, bisect.bisect_left(entries, first, key=lambda e: e.day), None):
        monday = week_start(entry.day)  # (the entries before `first` are in no week counted)
        if monday in counts:
            counts[monday] += 1
    return sorted(counts.items())


def themes(journal: Journal, count: int = THEMES) -> list[dict[str, Any]]:
    """The most used tags, each with its use month by month (year by year in a journal of more than three
    years, where monthly bars would be thinner than a pixel)."""
    if not journal.entries:
        return []
    months = months_between(journal.entries[0].day, journal.entries[-1].day)
    yearly = len(months) > 36
    years = sorted({year for year, _ in months})
    result = []
    for tag, entries in list(journal.tags().values())[:count]:
        if yearly:
            used = Counter(e.day.year for e in entries)
            counts = [used[year] for year in years]
            busiest = max(range(len(years)), key=lambda i: (counts[i], i))
            when = str(years[busiest])
        else:
            counts = monthly_counts(entries, months)
            busiest = max(range(len(months)), key=lambda i: (counts[i], i))
            year, month = months[busiest]
            when = f"{date(year, month, 1):%B %Y}"
        label = f"{tag.name}: {counted(len(entries), 'entry')}; most in {when} ({counts[busiest]})"
        result.append(
            {
                "tag": tag,
                "total": len(entries),
                "label": label,
                "by": "year" if yearly else "month",
                "svg": charts.sparkline(counts, label),
            }
        )
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 <= value <= 100 else None


def thought_records(journal: Journal) -> dict[str, Any]:
    """Entries giving an emotion's intensity before and after (0–100), and the relief over time."""
    rows: list[dict[str, Any]] = []
    for entry in journal.entries:
        before, after = _number(entry.extra.get("before")), _number(entry.extra.get("after"))
        if before is not None and after is not None:
            rows.append(
                {
                    "entry": entry,
                    "before": before,
                    "after": after,
                    "relief": before - after,
                    "emotion": str(entry.extra.get("emotion") or ""),
                }
            )
    if not rows:
        return {"rows": [], "svg": Markup(""), "caption": ""}
    half = max(1, len(rows) // 2)
    early = sum(r["relief"] for r in rows[:half]) / half
    late = sum(r["relief"] for r in rows[-half:]) / half
    words = (
        f"{counted(len(rows), 'thought record')}. Average relief "
        f"{early:.0f} points in the first {half}, {late:.0f} points in the latest {half}."
    )
    if len(rows) == 1:
        words = f"1 thought record: relief of {rows[0]['relief']:.0f} points."
    points = [(r["entry"].day, r["before"], r["after"]) for r in rows]
    return {"rows": rows[::-1], "svg": charts.relief_chart(points, words), "caption": words}


RECENT = 365  # days: the main page's calendar and thought records; older ones are on the year pages


def sub_journal(journal: Journal, entries: list[Entry]) -> Journal:
    """The journal's entries of one stretch (a year), keeping their page names."""
    return Journal(journal.config, entries, [], ordered={e.key: i for i, e in enumerate(entries)}, within=journal)


@dataclass
class YearRow:
    """One year in the table of years."""

    year: int
    entries: int
    averages: list[tuple[Metric, float | None, Change]]  # the metric, its year's average, against the year before
    tags: list[tuple[str, int]]


def by_year(entries: list[Entry]) -> dict[int, list[Entry]]:
    """Entries grouped by the year they were written, oldest year first."""
    grouped: dict[int, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.day.year, []).append(entry)
    return grouped


def years_table(journal: Journal) -> list[YearRow]:
    """Each year with entries, newest first: how many, each metric's average marked against the year before
    by the metric's direction, and its most used tags."""
    grouped = by_year(journal.entries)
    rows: list[YearRow] = []
    previous: dict[str, tuple[float | None, list[float], int]] = {}
    for year, entries in grouped.items():
        averages = []
        series = daily_series(entries, journal.config.metrics)  # summed once for the year's charts too
        given = metric_values(entries, journal.config.metrics)
        for key, metric in journal.config.metrics.items():
            value, days = mean_of(given[key]), [p.value for p in series[key]]
            count = len(given[key])
            before, before_days, before_count = previous.get(key, (None, [], 0))
            change = Change(metric, before, value, threshold(metric, before_days, days), (before_count, count))
            averages.append((metric, value, change))
            previous[key] = (value, days, count)
        rows.append(YearRow(year, len(entries), averages, top_tags(entries)))
    shown = [
        key
        for key in journal.config.metrics
        if any(v is not None for row in rows for m, v, _ in row.averages if m.key == key)
    ]
    for row in rows:
        row.averages = [item for item in row.averages if item[0].key in shown]
    return rows[::-1]


def homework_done(journal: Journal) -> dict[str, Any] | None:
    """The last sessions' homework, done out of set, for a row of bars; None when no session set any."""
    rows = [(e.day, sum(1 for done, _ in e.tasks if done), len(e.tasks)) for e in journal.sessions() if e.tasks]
    rows = rows[-charts.HOMEWORK_SESSIONS :]
    if not rows:
        return None
    done, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    words = (
        f"Homework over the last {counted(len(rows), 'session')} that set some: "
        f"{done} of {total} tasks done. Each bar is a session: its outline the tasks it set, the filled part those done."
    )
    return {"svg": charts.homework_bars(rows, words), "caption": words}


def at_a_glance(comparison: ThenAndNow | None, reliable: Sequence[ReliableChange]) -> list[dict[str, Any]]:
    """The answer first, a line per number: where it started, where it is now, and whether that change is real.
    A daily number: its first 30 days beside its last 30 (a year's page: the year before beside the year); a
    questionnaire: the latest course's first score beside its latest, judged for reliable change."""
    lines = []
    latest = {r.metric.key: r for r in reliable}  # the last course of each questionnaire
    for change in comparison.changes if comparison else []:
        if change.metric.questionnaire or change.after is None:
            continue
        lines.append(
            {
                "metric": change.metric,
                "then": change.before,
                "now": change.after,
                "arrow": change.arrow,
                "verdict": change.verdict,
                "kind": change.verdict,
            }
        )
    for r in latest.values():
        lines.append(
            {
                "metric": r.metric,
                "then": r.first.value if r.scores > 1 else None,
                "now": r.latest.value,
                "arrow": arrow(r.delta),
                "verdict": r.verdict if r.scores > 1 else "one score so far",
                "kind": {IMPROVEMENT: "better", RECOVERY: "better", DETERIORATION: "worse"}.get(r.verdict, "")
                if r.scores > 1
                else "",
            }
        )
    return lines


def patterns(entries: Sequence[Entry], metrics: dict[str, Metric]) -> dict[str, Any] | None:
    """The patterns section's context: what was tested, and each pattern that holds, in words. None when the
    journal records no daily number at all."""
    found = find(entries, metrics.values())
    if not found.metrics and not found.short:
        return None
    lines = []
    for p in found.shown:
        size = abs(p.difference)
        ends = sorted((abs(p.low), abs(p.high))) if p.low * p.high > 0 else sorted((p.low, p.high))
        lines.append(
            {
                "when": ("On the day after a day with " if p.next_day else "On days with ") + p.what,
                "metric": _in_a_sentence(p.metric.label),
                "size": size,
                "unit": p.metric.unit,
                "way": "higher" if p.difference > 0 else "lower",
                "verdict": "better" if p.better else "worse",
                "low": ends[0],
                "high": ends[1],
                "with": p.days_with,
                "without": p.days_without,
            }
        )
    return {
        "tested": found.tested,
        "lines": lines,
        "metrics": listed([_in_a_sentence(m.label) for m in found.metrics]),
        "short": listed([f"{counted(days, 'day')} of {_in_a_sentence(m.label)}" for m, days in found.short]),
        "min_days": MIN_DAYS,
        "min_side": MIN_SIDE,
        "rate": round(FALSE_DISCOVERY * 100),
    }


def _in_a_sentence(label: str) -> str:
    """A metric's label inside a sentence: "Mood" → "mood"; "PHQ-9" or "SUDS" as they are."""
    return label[0].lower() + label[1:] if label[1:] == label[1:].lower() else label


def progress_page(journal: Journal, today: date) -> Page:
    """Everything that shows change over time, on one page (`today` decides whether a writing streak is current).
    A journal of more than a year gets a table of years, and a page for each year. Made only when needed."""
    runs = streaks((e.day for e in journal.entries), today)  # the one part that depends on the day
    return Page(
        "progress.html",
        "progress.html",
        deps=("progress", repr(runs), entries_deps(journal.entries)),
        lazy=functools.partial(_progress_context, journal, runs),
    )


def _progress_context(journal: Journal, runs: Streaks) -> dict[str, Any]:
    """The main progress page's context."""
    comparison = then_and_now(journal)
    weeks = weekly(journal.entries)
    week_words = f"Entries per week over the last {len(weeks)} weeks" if weeks else ""
    recent = journal.entries
    if journal.entries:
        since = journal.entries[-1].day - timedelta(days=RECENT - 1)
        recent = [e for e in journal.entries if e.day >= since]
    years = years_table(journal)
    reliable = reliable_changes(journal.config.metrics, [e.day for e in journal.sessions()], journal.entries)
    return {
        "page_title": "Progress",
        "charts": metric_charts(journal, comparison),
        "comparison": comparison,
        "reliable": reliable,
        "thresholds": judged(reliable),
        "glance": at_a_glance(comparison, reliable),
        "span": (journal.entries[0].day, journal.entries[-1].day) if journal.entries else None,
        "calendar": calendars(journal),
        "streaks": runs,
        "per_week": per_week(journal.entries),
        "weeks_svg": charts.week_bars(weeks, week_words),
        "weeks_caption": week_words,
        "themes": themes(journal),
        "thoughts": thought_records(sub_journal(journal, recent)),
        "recent_only": len(recent) < len(journal.entries),
        "milestones": [e for e in reversed(recent) if e.milestone],
        "total": len(journal.entries),
        "years": years if len(years) > 1 else [],
        "year": None,
        "homework": homework_done(journal),
        "diary_card": card_charts(journal),
        "forms": forms_on_progress(journal),
        "patterns": patterns(journal.entries, journal.config.metrics),
    }


def year_pages(journal: Journal) -> list[Page]:
    """progress/YYYY.html for each year of a journal of more than one year: that year's charts, calendar,
    themes and thought records, beside the year before. A year's page follows from its entries, the year
    before's, its neighbours and the days of the sessions (where courses start): while watching, a save remakes the page of its own year (and the next one's
    comparison), not twenty years of charts."""
    grouped = by_year(journal.entries)
    if len(grouped) < 2:
        return []
    years = list(grouped)
    signatures = {year: entries_deps(entries) for year, entries in grouped.items()}
    courses = tuple(e.day for e in journal.sessions())  # where each course starts, for reliable change
    pages = []
    for index, year in enumerate(years):
        previous_year = years[index - 1] if index else None
        next_year = years[index + 1] if index + 1 < len(years) else None
        deps = (
            "year",
            year,
            signatures[year],
            previous_year,
            signatures.get(previous_year) if previous_year else None,
            next_year,
            courses,
        )
        pages.append(
            Page(
                f"progress/{year}.html",
                "progress.html",
                deps=deps,
                lazy=functools.partial(_year_context, journal, grouped, year, previous_year, next_year, courses),
            )
        )
    return pages


def _year_context(
    journal: Journal,
    grouped: dict[int, list[Entry]],
    year: int,
    previous_year: int | None,
    next_year: int | None,
    courses: Sequence[date],
) -> dict[str, Any]:
    """One year's progress page's context (`courses`: the days of every session of the journal)."""
    part = sub_journal(journal, grouped[year])
    previous = grouped[previous_year] if previous_year else None
    comparison = None
    if previous:
        comparison = ThenAndNow(
            Period(previous[0].day, previous[-1].day, previous, top_tags(previous)),
            Period(part.entries[0].day, part.entries[-1].day, part.entries, top_tags(part.entries)),
            compare(journal.config.metrics, previous, part.entries),
            overlap=False,
        )
    weeks = weekly(part.entries)
    week_words = f"Entries per week in {year}" if weeks else ""
    reliable = reliable_changes(journal.config.metrics, courses, part.entries)
    return {
        "page_title": f"Progress in {year}",
        "charts": metric_charts(part, None, year),
        "comparison": comparison,
        "reliable": reliable,
        "thresholds": judged(reliable),
        "glance": at_a_glance(comparison, reliable),
        "span": (part.entries[0].day, part.entries[-1].day),
        "calendar": calendars(part, date(year, 1, 1), date(year, 12, 31)),
        "streaks": streaks((e.day for e in part.entries), date(year, 12, 31)),
        "per_week": per_week(part.entries),
        "weeks_svg": charts.week_bars(weeks, week_words),
        "weeks_caption": week_words,
        "themes": themes(part),
        "thoughts": thought_records(part),
        "recent_only": False,
        "milestones": [e for e in reversed(part.entries) if e.milestone],
        "total": len(part.entries),
        "years": [],
        "year": {"year": year, "previous": previous_year, "next": next_year},
        "homework": None,
        "patterns": patterns(part.entries, journal.config.metrics),
    }
