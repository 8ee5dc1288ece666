"""The forms between sessions as a therapist reads them: the sleep diary (charts by week and the last two weeks'
nights, on progress.html and the agenda), the activity record (activities.html) and the exposure record
(exposures.html)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from generator import charts
from generator.config import Metric
from generator.entries import Entry
from generator.formfields import duration_text
from generator.journal import Journal
from generator.records import Activity, Exposure
from generator.sleep import ASLEEP_METRIC, EFFICIENCY_METRIC, QUALITY_METRIC, SleepNight
from generator.stats import Point, bucket_averages, mean, week_start
from generator.views import Page, entries_deps
from generator.words import counted

TABLE_DAYS = 14  # the sleep diary's table: the last two weeks, as clinicians read it
CHART_DAYS = 364  # the charts: the last twelve months, week by week
ACTIVITY_WEEKS = 12  # the activity record's weeks shown, newest first
PAUSE = 14


def nights(entries: Sequence[Entry]) -> list[tuple[Entry, SleepNight]]:
    """The sleep diary's nights, oldest first."""
    return [(e, e.record) for e in entries if isinstance(e.record, SleepNight)]


def activities(entries: Sequence[Entry]) -> list[tuple[Entry, Activity]]:
    """The activity record's activities, oldest first."""
    return [(e, e.record) for e in entries if isinstance(e.record, Activity)]


def exposures(entries: Sequence[Entry]) -> list[tuple[Entry, Exposure]]:
    """The exposure record's exposures, oldest first."""
    return [(e, e.record) for e in entries if isinstance(e.record, Exposure) and e.record.step]


def _daily(items: Sequence[tuple[Entry, Any]], value: Callable[[Any], float | None]) -> list[Point]:
    """One point a day: the mean of that day's values (days without one left out)."""
    by_day: dict[date, list[float]] = {}
    for entry, record in items:
        number = value(record)
        if number is not None:
            by_day.setdefault(entry.day, []).append(number)
    return [Point(day, mean(values)) for day, values in sorted(by_day.items())]


def _asleep_hours(night: SleepNight) -> float | None:
    return night.asleep_minutes / 60 if night.asleep_minutes is not None else None


_SLEEP_CHARTS: tuple[tuple[Metric, Callable[[SleepNight], float | None], Callable[[float], str]], ...] = (
    (EFFICIENCY_METRIC, lambda n: n.efficiency, lambda v: f"{v:.0f}%"),
    (ASLEEP_METRIC, _asleep_hours, lambda v: duration_text(v * 60)),
    (QUALITY_METRIC, lambda n: n.quality, lambda v: f"{v:.1f} of 5"),
)


def sleep_chart(
    metric: Metric, points: Sequence[Point], said: Callable[[float], str], sessions: Sequence[date]
) -> dict[str, Any]:
    """One number of the sleep diary over the last twelve months: each night a dot, each week's average the line."""
    start = week_start(max(points[0].day, points[-1].day - timedelta(days=CHART_DAYS)))
    shown = [Point(p.day, min(metric.high, max(metric.low, p.value))) for p in points if p.day >= start]
    weeks = [Point(b.day + timedelta(days=3), b.value) for b in bucket_averages(shown, week_start)]
    first, latest = weeks[0].value, weeks[-1].value
    words = (
        f"{metric.label} week by week: {said(first)} in the first week, {said(latest)} in the latest "
        f"({counted(len(shown), 'night')}). Each dot is a night; the line is each week's average."
        if len(weeks) > 1
        else f"{metric.label}: {said(first)} on average over {counted(len(shown), 'night')}, one week so far."
    )
    line = charts.Line(weeks, "avg-short", "", 7 + PAUSE, tips="week")
    svg = charts.metric_chart(
        metric, start, shown[-1].day, shown, [line], [], sessions, (), words, f"{metric.key}-week"
    )
    return {"metric": metric, "svg": svg, "caption": words}


def night_row(entry: Entry, night: SleepNight) -> dict[str, Any]:
    """One night as a row of the diary: the times as written, then what follows from them."""
    efficiency = night.efficiency
    return {
        "entry": entry,
        "night": night,
        "efficiency": f"{efficiency:.0f}%" if efficiency is not None else "",
    }


def sleep_summary(rows: Sequence[tuple[Entry, SleepNight]]) -> str:
    """A stretch of nights in words: how many, and their average efficiency, total sleep and quality."""
    if not rows:
        return ""
    parts = []
    efficiency = [n.efficiency for _, n in rows if n.efficiency is not None]
    asleep = [n.asleep_minutes for _, n in rows if n.asleep_minutes is not None]
    quality = [n.quality for _, n in rows if n.quality is not None]
    if efficiency:
        parts.append(f"sleep efficiency {mean(efficiency):.0f}%")
    if asleep:
        parts.append(f"{duration_text(mean(asleep))} asleep")
    if quality:
        parts.append(f"quality {mean(quality):.1f} of 5")
    said = f": on average {', '.join(parts)}" if parts else ""
    return f"{counted(len(rows), 'night')}{said}."


def sleep_diary(journal: Journal) -> dict[str, Any] | None:
    """The sleep diary for progress.html: a chart by week of each number the nights give, and the last two
    weeks' nights as rows; None when the journal has no sleep diary."""
    found = nights(journal.entries)
    if not found:
        return None
    sessions = tuple(e.day for e in journal.sessions())
    shown = []
    for metric, value, said in _SLEEP_CHARTS:
        points = _daily(found, value)
        if points:
            shown.append(_sleep_chart(metric, tuple(points), said, sessions))
    since = found[-1][0].day - timedelta(days=TABLE_DAYS - 1)
    recent = [(e, n) for e, n in found if e.day >= since]
    return {
        "charts": shown,
        "rows": [night_row(e, n) for e, n in recent],
        "summary": sleep_summary(recent),
        "first": recent[0][0].day,
        "last": recent[-1][0].day,
    }


@functools.lru_cache(maxsize=32)
def _sleep_chart(
    metric: Metric, points: tuple[Point, ...], said: Callable[[float], str], sessions: tuple[date, ...]
) -> dict[str, Any]:
    """A sleep chart, drawn once for the same nights (a save under watch that leaves them reuses it)."""
    return sleep_chart(metric, points, said, sessions)


def sleep_since(entries: Sequence[Entry]) -> dict[str, Any] | None:
    """The nights of the sleep diary among `entries` (those since the last session), for the agenda."""
    found = nights(entries)
    if not found:
        return None
    return {"rows": [night_row(e, n) for e, n in found], "summary": sleep_summary(found)}


def prediction_gap(items: Sequence[tuple[Entry, Activity]]) -> dict[str, Any] | None:
    """How much better activities felt than predicted, on average, over those that give both; in words."""
    gaps = [a.gap for _, a in items if a.gap is not None]
    if not gaps:
        return None
    gap = mean(gaps)
    over = f"over {counted(len(gaps), 'activity')}"
    if round(gap, 1) == 0:
        words = f"Activities felt as you predicted, on average, {over}."
    else:
        words = f"Activities felt {abs(gap):.1f} {'better' if gap > 0 else 'worse'} than you predicted, {over}."
    return {"gap": gap, "count": len(gaps), "words": words}


MOOD_METRIC = Metric("activity-mood", "Mood 0–10: ━ felt after, ┄ predicted before", 0, 10, True)


def activity_record(journal: Journal) -> dict[str, Any]:
    """activities.html's context: the weeks' activities with mastery and pleasure (newest week first), and the
    mood predicted beforehand against the mood felt after."""
    found = activities(journal.entries)
    weeks: dict[date, list[tuple[Entry, Activity]]] = {}
    for entry, activity in found:
        weeks.setdefault(week_start(entry.day), []).append((entry, activity))
    shown = []
    for monday, rows in sorted(weeks.items(), reverse=True)[:ACTIVITY_WEEKS]:
        mastery = [a.mastery for _, a in rows if a.mastery is not None]
        pleasure = [a.pleasure for _, a in rows if a.pleasure is not None]
        shown.append(
            {
                "monday": monday,
                "sunday": monday + timedelta(days=6),
                "rows": rows,
                "mastery": mean(mastery) if mastery else None,
                "pleasure": mean(pleasure) if pleasure else None,
            }
        )
    gap = prediction_gap(found)
    chart = None
    both = [(e, a) for e, a in found if a.gap is not None]
    if both and gap:
        felt = _daily(both, lambda a: a.felt)
        predicted = _daily(both, lambda a: a.predicted)
        lines = [
            charts.Line(felt, "avg-short", "felt", PAUSE),
            charts.Line(predicted, "avg-long", "pred.", PAUSE),
        ]
        words = f"Mood predicted before an activity (dashed) and felt after it (solid), day by day. {gap['words']}"
        svg = charts.metric_chart(MOOD_METRIC, felt[0].day, felt[-1].day, [], lines, [], (), (), words, "activity-mood")
        chart = {"svg": svg, "caption": words}
    return {
        "page_title": "Activities",
        "weeks": shown,
        "older": len(weeks) > ACTIVITY_WEEKS,
        "total": len(found),
        "gap": gap,
        "chart": chart,
    }


def exposure_ladder(journal: Journal) -> dict[str, Any]:
    """exposures.html's context: each step of the hierarchy with its attempts' SUDS (habituation), and the
    steps as a ladder, ordered by their latest peak SUDS, the hardest at the top."""
    steps: dict[str, list[tuple[Entry, Exposure]]] = {}
    for entry, exposure in exposures(journal.entries):
        steps.setdefault(exposure.step_key, []).append((entry, exposure))
    ladder: list[dict[str, Any]] = []
    for attempts in steps.values():
        peaks = [x.peak for _, x in attempts if x.peak is not None]
        latest = peaks[-1] if peaks else None
        name = attempts[-1][1].step
        said = (
            f"{name}: {counted(len(attempts), 'attempt')}; peak SUDS {peaks[0]:g} at first, {latest:g} in the latest"
            if len(peaks) > 1
            else f"{name}: {counted(len(attempts), 'attempt')}"
            + (f"; peak SUDS {latest:g}" if latest is not None else "")
        )
        values = [(x.before, x.peak, x.after) for _, x in attempts]
        ladder.append(
            {
                "name": name,
                "attempts": attempts,
                "latest_peak": latest,
                "values": values,
                "caption": said + ".",
                "svg": charts.suds_chart(values, said),
            }
        )
    ladder.sort(key=lambda s: (-(s["latest_peak"] if s["latest_peak"] is not None else -1), s["name"].casefold()))
    return {"page_title": "Exposures", "ladder": ladder, "total": sum(len(s["attempts"]) for s in ladder)}


def form_pages(journal: Journal) -> list[Page]:
    """activities.html and exposures.html, each only when the journal holds that record."""
    pages = []
    found = activities(journal.entries)
    if found:
        pages.append(
            Page(
                "activities.html",
                "activities.html",
                deps=("activities", entries_deps(e for e, _ in found)),
                lazy=functools.partial(activity_record, journal),
            )
        )
    steps = exposures(journal.entries)
    if steps:
        pages.append(
            Page(
                "exposures.html",
                "exposures.html",
                deps=("exposures", entries_deps(e for e, _ in steps)),
                lazy=functools.partial(exposure_ladder, journal),
            )
        )
    return pages


def forms_on_progress(journal: Journal) -> dict[str, Any]:
    """What progress.html shows of the forms: the sleep diary, and how many activities and exposures the
    record pages hold (0: no link)."""
    return {
        "sleep": sleep_diary(journal),
        "activities": len(activities(journal.entries)),
        "exposures": len(exposures(journal.entries)),
    }
