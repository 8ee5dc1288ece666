"""The numbers behind the progress views: daily series, rolling averages, windows, streaks. Pure."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from math import fsum
from statistics import quantiles
from typing import Any, NamedTuple, TypeVar

from generator.config import Metric
from generator.entries import Entry


class Point(NamedTuple):
    """One day's value of a series (a named tuple: charts make tens of thousands)."""

    day: date
    value: float


def daily_values(entries: Iterable[Entry], key: str) -> list[Point]:
    """The metric per calendar day (the mean when a day has several entries), oldest first."""
    return _daily_series(entries, [key])[key]


def daily_series(entries: Iterable[Entry], keys: Iterable[str]) -> dict[str, list[Point]]:
    """daily_values() of several metrics, each year's summed once (per_year)."""
    keys = tuple(keys)
    series: dict[str, list[Point]] = {key: [] for key in keys}
    for year in per_year(entries, ("daily", keys), lambda entries: _daily_series(entries, keys)):
        for key in keys:
            series[key] += year[key]
    return series


T = TypeVar("T")


def per_year(entries: Iterable[Entry], kind: Hashable, make: Callable[[list[Entry]], T]) -> list[T]:
    """make() of each year's entries, oldest year first, made once for the same entries (the same objects: an
    entry read again is a new one) and the same `kind`: the progress page and each year's page ask for the same
    years, and a save under watch makes again only the year it touched. What make() returns is shared: never
    changed by those it is handed to."""
    years: dict[int, list[Entry]] = {}
    for entry in entries:
        year = years.get(entry.day.year)
        if year is None:
            years[entry.day.year] = [entry]
        else:
            year.append(entry)
    made = []
    for number in sorted(years):
        year = years[number]
        # A year's entries are named by their first and last and how many; the entries themselves are compared. So a
        # save under watch that edits an entry puts its year's new sums in the place of the old ones (a name of every
        # entry would keep the old ones too, save after save), while a stretch of a year has a place of its own.
        memo = (kind, number, len(year), id(year[0]), id(year[-1]))
        kept = _PER_YEAR.get(memo)
        if kept is None or len(kept[0]) != len(year) or any(a is not b for a, b in zip(kept[0], year)):
            if len(_PER_YEAR) >= 512:
                _PER_YEAR.clear()
            kept = _PER_YEAR[memo] = (year, make(year))  # the entries kept: ids stay theirs
        made.append(kept[1])
    return made


_PER_YEAR: dict[tuple[Hashable, int, int, int, int], tuple[list[Entry], Any]] = {}


def _daily_series(entries: Iterable[Entry], keys: Iterable[str]) -> dict[str, list[Point]]:
    """daily_values() of several metrics, in one pass over the entries."""
    by_day: dict[str, dict[date, list[float]]] = {key: {} for key in keys}
    for entry in entries:
        for key, value in entry.metrics.items():
            days = by_day.get(key)
            if days is not None:
                same_day = days.get(entry.day)  # (not setdefault: it would make a list for every value)
                if same_day is None:
                    days[entry.day] = [value]
                else:
                    same_day.append(value)
    return {key: [Point(day, mean(values)) for day, values in sorted(days.items())] for key, days in by_day.items()}


def mean(values: list[float]) -> float:
    """The arithmetic mean, exactly rounded (statistics.mean is exact too, and 20 times slower)."""
    return fsum(values) / len(values)


def rolling_average(points: Sequence[Point], days: int, since: date = date.min) -> list[Point]:
    """For each day with a value (from `since`): the mean of the daily values in the `days` calendar days ending
    there. The running sum goes through every point, from the first (so a day's average is the same number
    whatever `since` is); only the points shown are made."""
    result: list[Point] = []
    start = 0
    total = 0.0
    ordinals = [p.day.toordinal() for p in points]  # whole numbers: quicker to compare than dates
    values = [p.value for p in points]
    shown = bisect.bisect_left(ordinals, since.toordinal())
    for end, day in enumerate(ordinals):
        total += values[end]
        while ordinals[start] <= day - days:
            total -= values[start]
            start += 1
        if end >= shown:
            result.append(Point(points[end].day, total / (end - start + 1)))
    return result


def window(entries: Sequence[Entry], first: date, last: date) -> list[Entry]:
    """Entries dated from `first` to `last`, both included."""
    return [e for e in entries if first <= e.day <= last]


def average(entries: Iterable[Entry], key: str) -> float | None:
    """The mean of a metric over entries that have it; None when none do."""
    return mean_of([e.metrics[key] for e in entries if key in e.metrics])


def mean_of(values: list[float]) -> float | None:
    """The mean of the values; None when there are none."""
    return mean(values) if values else None


def metric_values(entries: Iterable[Entry], keys: Iterable[str]) -> dict[str, list[float]]:
    """Each metric's values, entry by entry, each year's gathered once (per_year): their mean_of() is the
    metric's average(), their number how many entries give it."""
    keys = tuple(keys)
    found: dict[str, list[float]] = {key: [] for key in keys}
    for year in per_year(entries, ("values", keys), lambda entries: _metric_values(entries, keys)):
        for key in keys:
            found[key] += year[key]
    return found


def _metric_values(entries: Iterable[Entry], keys: Iterable[str]) -> dict[str, list[float]]:
    """metric_values(), in one pass over the entries."""
    found: dict[str, list[float]] = {key: [] for key in keys}
    for entry in entries:
        for key, value in entry.metrics.items():
            values = found.get(key)
            if values is not None:
                values.append(value)
    return found


ENOUGH = 5  # entries each side needs before a change is called better or worse
SPREAD = 0.5  # a change counts as better or worse only past this share of the usual day-to-day spread


@dataclass(frozen=True)
class Change:
    """A metric compared between two periods, judged by the metric's direction: better or worse only when the
    change is larger than `threshold` (half the day-to-day spread; a questionnaire's reliable-change threshold)
    and each side has at least ENOUGH entries."""

    metric: Metric
    before: float | None
    after: float | None
    threshold: float = 0.0
    counts: tuple[int, int] = (ENOUGH, ENOUGH)

    @property
    def delta(self) -> float | None:
        """after − before, rounded to the shown precision."""
        if self.before is None or self.after is None:
            return None
        return round(self.after, 1) - round(self.before, 1)

    @property
    def arrow(self) -> str:
        """Which way the number moved (arrow())."""
        return "" if self.delta is None else arrow(self.delta)

    @property
    def verdict(self) -> str:
        """'better', 'worse', 'about the same', 'too few to tell', or '' when a side is missing."""
        if self.delta is None:
            return ""
        if min(self.counts) < ENOUGH:
            return "too few to tell"
        if abs(self.delta) < max(0.05, self.threshold - 1e-9):  # a reliable change is at least its threshold
            return "about the same"
        improved = self.delta > 0 if self.metric.higher_is_better else self.delta < 0
        return "better" if improved else "worse"


def arrow(delta: float) -> str:
    """Which way a number moved, whatever that means for the person: ▲ up, ▼ down, = not at all (to the shown
    precision)."""
    return "▲" if delta >= 0.05 else "▼" if delta <= -0.05 else "="


def judge(
    metric: Metric, before: Sequence[float], after: Sequence[float], counts: tuple[int, int] | None = None
) -> Change:
    """The change from the mean of `before` to that of `after` (daily values, or scores); `counts`: the entries
    on each side, when not one per value."""
    return Change(
        metric,
        mean(list(before)) if before else None,
        mean(list(after)) if after else None,
        threshold(metric, before, after),
        counts or (len(before), len(after)),
    )


def threshold(metric: Metric, *sides: Sequence[float]) -> float:
    """The smallest change between the sides that counts as better or worse: a questionnaire's reliable-change
    threshold, else half the spread of the values around their own side's mean (so the change does not widen it)."""
    if metric.questionnaire and metric.reliable_change:
        return metric.reliable_change
    return SPREAD * pooled_sd(*sides)


def pooled_sd(*groups: Sequence[float]) -> float:
    """The standard deviation of values around their own group's mean, all groups together."""
    squares, freedom = 0.0, 0
    for group in groups:
        if len(group) > 1:
            centre = mean(list(group))
            squares += fsum((v - centre) ** 2 for v in group)
            freedom += len(group) - 1
    return (squares / freedom) ** 0.5 if freedom else 0.0


def compare(metrics: dict[str, Metric], before: Sequence[Entry], after: Sequence[Entry]) -> list[Change]:
    """Each metric recorded in either period: the average of its entries before against after, judged against
    the spread of its daily values."""
    changes = []
    series = daily_series(before, metrics), daily_series(after, metrics)  # a year's: summed once (daily_series)
    given = metric_values(before, metrics), metric_values(after, metrics)
    for key, metric in metrics.items():
        counts = (len(given[0][key]), len(given[1][key]))
        if any(counts):
            days = ([p.value for p in side[key]] for side in series)
            changes.append(
                Change(metric, mean_of(given[0][key]), mean_of(given[1][key]), threshold(metric, *days), counts)
            )
    return changes


def top_tags(entries: Iterable[Entry], count: int = 3) -> list[tuple[str, int]]:
    """The most used tags (name, uses), most used first, ties by name."""
    counter = Counter(t.name for e in entries for t in e.tags)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:count]


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive writing days."""

    current: int  # the run that reaches today or yesterday; 0 when the last entry is older
    longest: int
    longest_end: date | None
    last: date | None = None  # the last writing day


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Current and longest runs of consecutive days with at least one entry. A run is current only while it
    reaches today or yesterday (today's entry may not be written yet)."""
    ordered = sorted({day for day in days if day <= today})
    if not ordered:
        return Streaks(0, 0, None)
    run = longest = 1
    longest_end = ordered[0]
    one_day = timedelta(days=1)
    for previous, day in itertools.pairwise(ordered):
        run = run + 1 if day - previous == one_day else 1
        if run > longest:
            longest, longest_end = run, day
    current = run if today - ordered[-1] <= timedelta(days=1) else 0
    return Streaks(current, longest, longest_end, ordered[-1])


def per_week(entries: Sequence[Entry]) -> float:
    """Entries per week over the journal's span (first to last day, a partial week counting in full)."""
    if not entries:
        return 0.0
    span_days = (entries[-1].day - entries[0].day).days + 1
    return len(entries) / max(1.0, span_days / 7)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from first's month to last's, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(entries: Iterable[Entry], months: Sequence[tuple[int, int]]) -> list[int]:
    """How many of the entries fall in each of the given months."""
    counter = Counter((e.date.year, e.date.month) for e in entries)
    return [counter.get(m, 0) for m in months]


class Bucket(NamedTuple):
    """A week's or a month's values summed up: where it starts, their mean, the middle half of them, how many."""

    day: date
    value: float
    low: float
    high: float
    count: int  # type: ignore[assignment]  # typeshed's tuple.count is a method; a field of that name works


# Charts ask for the week or month of every day they show: a subtraction of a timedelta made once is several
# times quicker than making one each time (or than date.replace, whose keyword is slow to parse).
_DAYS_BACK = tuple(timedelta(days=n) for n in range(31))


def week_start(day: date) -> date:
    """The Monday of a day's week."""
    return day - _DAYS_BACK[day.weekday()]


def month_start(day: date) -> date:
    """The first of a day's month."""
    return day - _DAYS_BACK[day.day - 1]


def bucket_averages(points: Sequence[Point], start: Callable[[date], date]) -> list[Bucket]:
    """Daily values grouped by `start` (week_start, month_start): each group's mean and its middle half
    (the lower and upper quartile of its days; the lowest and highest with fewer than four)."""
    groups: dict[date, list[float]] = {}
    for point in points:
        groups.setdefault(start(point.day), []).append(point.value)
    buckets = []
    for day, values in sorted(groups.items()):
        ordered = sorted(values)
        if len(ordered) >= 4:
            low, _, high = quantiles(ordered, n=4, method="inclusive")
        else:
            low, high = ordered[0], ordered[-1]
        buckets.append(Bucket(day, mean(values), low, high, len(values)))
    return buckets


def runs(days: Sequence[date], longest_gap: int) -> list[tuple[int, int]]:
    """Where a line drawn through these days (oldest first) is unbroken: (first index, index after the last)
    for each run whose neighbours are at most `longest_gap` days apart. A longer pause breaks the line."""
    if not days:
        return []
    found, begin = [], 0
    for index in range(1, len(days)):
        if (days[index] - days[index - 1]).days > longest_gap:
            found.append((begin, index))
            begin = index
    found.append((begin, len(days)))
    return found


def therapy_periods(sessions: Sequence[date], longest_gap: int = 21) -> list[tuple[date, date]]:
    """Sessions (oldest first) gathered into periods in therapy: consecutive sessions at most `longest_gap`
    days apart belong to one period, from its first session to its last."""
    periods: list[tuple[date, date]] = []
    for day in sorted(sessions):
        if periods and (day - periods[-1][1]).days <= longest_gap:
            periods[-1] = (periods[-1][0], day)
        else:
            periods.append((day, day))
    return periods
