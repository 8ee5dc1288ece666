"""progress.html: charts per metric, then and now, calendar, streaks, themes, thought records, milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Sequence

from markupsafe import Markup

from generator import charts
from generator.config import Metric
from generator.entries import Entry
from generator.journal import Journal
from generator.stats import (Change, Point, compare, daily_values, months_between, monthly_counts, per_week,
                             rolling_average, streaks, top_tags, window)
from generator.views import Page
from generator.views.metrics import goodness

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


def then_and_now(journal: Journal, days: int = WINDOW_DAYS) -> ThenAndNow | None:
    """The first `days` days (from the first entry) against the last `days` days (to the last entry)."""
    entries = journal.entries
    if not entries:
        return None
    start, end = entries[0].day, entries[-1].day
    then = window(entries, start, start + timedelta(days=days - 1))
    now = window(entries, end - timedelta(days=days - 1), end)
    return ThenAndNow(
        Period(start, start + timedelta(days=days - 1), then, top_tags(then)),
        Period(end - timedelta(days=days - 1), end, now, top_tags(now)),
        compare(journal.config.metrics, then, now),
        overlap=(end - start).days < 2 * days - 1,
    )


def caption(metric: Metric, change: Change | None, latest: Point | None) -> str:
    """The chart in words, with its key numbers."""
    if change is None or change.before is None or change.after is None:
        return f"{metric.label}: not enough entries to compare yet."
    text = (f"{metric.label}: averaged {change.before:.1f} in the first {WINDOW_DAYS} days "
            f"and {change.after:.1f} in the last {WINDOW_DAYS} days")
    verdict = change.verdict
    direction = "higher" if metric.higher_is_better else "lower"
    if verdict == "about the same":
        text += ", about the same as when you started"
    elif verdict:
        text += f" ({verdict} than when you started; {direction} is better)"
    if latest is not None:
        text += f". Latest 7-day average: {latest.value:.1f}."
    return text


def metric_charts(journal: Journal, comparison: ThenAndNow | None) -> list[dict[str, Any]]:
    """One chart per metric that has values."""
    sessions = [e.day for e in journal.sessions()]
    milestones = [(e.day, e.milestone or e.title) for e in journal.entries if e.milestone]
    changes = {c.metric.key: c for c in comparison.changes} if comparison else {}
    result = []
    for key, metric in journal.config.metrics.items():
        daily = daily_values(journal.entries, key)
        if not daily:
            continue
        short, long = rolling_average(daily, SHORT_AVERAGE), rolling_average(daily, LONG_AVERAGE)
        words = caption(metric, changes.get(key), short[-1] if short else None)
        result.append({
            "metric": metric, "caption": words, "days": len(daily),
            "svg": charts.metric_chart(metric, daily, short, long, sessions, milestones, words),
        })
    return result


def calendar_levels(journal: Journal, key: str | None) -> tuple[dict[date, int], dict[date, str]]:
    """Per day: a level 1–4 (entries written, or how good a metric was) and its words."""
    levels: dict[date, int] = {}
    titles: dict[date, str] = {}
    counts: dict[date, int] = {}
    for entry in journal.entries:
        counts[entry.day] = counts.get(entry.day, 0) + 1
    metric = journal.config.metrics.get(key) if key else None
    values = {p.day: p.value for p in daily_values(journal.entries, key)} if metric else {}
    for day, count in counts.items():
        words = f"{day:%a} {day.day} {day:%b %Y}: {count} entr{'y' if count == 1 else 'ies'}"
        if metric and day in values:
            share = goodness(metric, values[day])
            levels[day] = 1 + min(CALENDAR_LEVELS - 1, int(share * CALENDAR_LEVELS))
            words += f", {metric.label.lower()} {values[day]:.1f}"
        elif metric:
            levels[day] = 0
        else:
            levels[day] = min(CALENDAR_LEVELS, count)
        titles[day] = words
    return levels, titles


def calendars(journal: Journal) -> dict[str, Any]:
    """Year grids, newest year first, with what their colours mean."""
    key = journal.config.calendar
    metric = journal.config.metrics.get(key)
    levels, titles = calendar_levels(journal, key if metric else None)
    years = sorted({d.year for d in levels}, reverse=True)
    by = f"{metric.label.lower()} ({'higher' if metric.higher_is_better else 'lower'} is better, darker is better)" \
        if metric else "number of entries"
    grids = []
    for year in years:
        written = sum(1 for d in levels if d.year == year)
        label = f"{year}: {written} days with entries, coloured by {by}"
        grids.append({"year": year, "days": written, "svg": charts.year_grid(year, levels, titles, label)})
    legend = (["worse", "", "", "better"] if metric else ["1 entry", "2", "3", "4 or more"])
    return {"grids": grids, "by": by, "legend": legend}


def weekly(entries: Sequence[Entry], weeks: int = 52) -> list[tuple[date, int]]:
    """Entries per week (Monday first) for the last `weeks` weeks of the journal."""
    if not entries:
        return []
    last = entries[-1].day - timedelta(days=entries[-1].day.weekday())
    first = max(entries[0].day - timedelta(days=entries[0].day.weekday()), last - timedelta(weeks=weeks - 1))
    counts = {first + timedelta(weeks=i): 0 for i in range((last - first).days // 7 + 1)}
    for entry in entries:
        monday = entry.day - timedelta(days=entry.day.weekday())
        if monday in counts:
            counts[monday] += 1
    return sorted(counts.items())


def themes(journal: Journal, count: int = THEMES) -> list[dict[str, Any]]:
    """The most used tags, each with its use per month across the whole journal."""
    if not journal.entries:
        return []
    months = months_between(journal.entries[0].day, journal.entries[-1].day)
    result = []
    for tag, entries in list(journal.tags().values())[:count]:
        counts = monthly_counts(entries, months)
        busiest = max(range(len(months)), key=lambda i: (counts[i], i))
        year, month = months[busiest]
        label = f"{tag.name}: {len(entries)} entries; most in {date(year, month, 1):%B %Y} ({counts[busiest]})"
        result.append({"tag": tag, "total": len(entries), "label": label,
                       "svg": charts.sparkline(counts, label)})
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 <= value <= 100 else None


def thought_records(journal: Journal) -> dict[str, Any]:
    """Entries giving an emotion's intensity before and after (0–100), and the relief over time."""
    rows = []
    for entry in journal.entries:
        before, after = _number(entry.extra.get("before")), _number(entry.extra.get("after"))
        if before is not None and after is not None:
            rows.append({"entry": entry, "before": before, "after": after, "relief": before - after,
                         "emotion": str(entry.extra.get("emotion") or "")})
    if not rows:
        return {"rows": [], "svg": Markup(""), "caption": ""}
    half = max(1, len(rows) // 2)
    early = sum(r["relief"] for r in rows[:half]) / half
    late = sum(r["relief"] for r in rows[-half:]) / half
    words = (f"{len(rows)} thought record{'s' if len(rows) != 1 else ''}. Average relief "
             f"{early:.0f} points in the first {half}, {late:.0f} points in the latest {half}.")
    if len(rows) == 1:
        words = f"1 thought record: relief of {rows[0]['relief']:.0f} points."
    points = [(r["entry"].day, r["before"], r["after"]) for r in rows]
    return {"rows": rows[::-1], "svg": charts.relief_chart(points, words), "caption": words}


def progress_page(journal: Journal, today: date) -> Page:
    """Everything that shows change over time, on one page (`today` decides whether a writing streak is current)."""
    comparison = then_and_now(journal)
    runs = streaks((e.day for e in journal.entries), today)
    weeks = weekly(journal.entries)
    week_words = f"Entries per week over the last {len(weeks)} weeks" if weeks else ""
    return Page("progress.html", "progress.html", {
        "page_title": "Progress",
        "charts": metric_charts(journal, comparison),
        "comparison": comparison,
        "calendar": calendars(journal),
        "streaks": runs,
        "per_week": per_week(journal.entries),
        "weeks_svg": charts.week_bars(weeks, week_words),
        "weeks_caption": week_words,
        "themes": themes(journal),
        "thoughts": thought_records(journal),
        "milestones": [e for e in reversed(journal.entries) if e.milestone],
        "total": len(journal.entries),
    })
