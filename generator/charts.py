"""Inline SVG charts drawn at build time: no script, no network, styled by the stylesheet's classes."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from generator.config import Metric
from generator.stats import Bucket, Point, months_between, runs, therapy_periods

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 34, 64, 52, 26


@dataclass(frozen=True)
class Frame:
    """Maps days and values to the chart's coordinates."""

    first: date
    last: date
    low: float
    high: float

    def x(self, day: date) -> float:
        """Horizontal position of a day."""
        span = max(1, (self.last - self.first).days)
        return LEFT + (day - self.first).days / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        """Vertical position of a value (the top of the range at the top)."""
        return TOP + (self.high - value) / (self.high - self.low) * (HEIGHT - TOP - BOTTOM)


def _f(value: float) -> str:
    return f"{value:.1f}"


def ticks(low: float, high: float) -> list[float]:
    """Four or five round values covering the range, for gridlines."""
    span = high - low
    step = next(s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 1000) if span / s <= 5)
    first = -(-low // step) * step + 0.0  # + 0.0: a range from 0 in steps of 2.5 starts at 0, not -0
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(value)
        value += step
    return values


def _time_axis(frame: Frame, bottom: float) -> list[str]:
    """Gridlines and labels under the axis: months for a span of up to three years (each label that starts a
    new year, and the first, names its year), whole years for a longer one."""
    parts = []
    months = months_between(frame.first, frame.last)
    if (frame.last - frame.first).days <= 62:  # a few weeks: each week's Monday, with its day and month
        monday = frame.first + timedelta(days=-frame.first.weekday() % 7)
        ticks_at = []
        while monday <= frame.last:
            ticks_at.append((monday, f"{monday.day} {monday:%b}"))
            monday += timedelta(days=7)
    elif len(months) > 36:
        years = list(range(frame.first.year + 1, frame.last.year + 1))
        every = next(step for step in (1, 2, 5, 10, 20, 50) if len(years) / step <= 8)
        ticks_at = [(date(year, 1, 1), str(year)) for year in years if year % every == 0]
    else:
        every = next(step for step in (1, 2, 3, 6, 12) if len(months) / step <= 8)
        ticks_at, shown_year = [], None
        for year, month in months:
            day = date(year, month, 1)
            if day < frame.first or (month - 1) % every:
                continue
            ticks_at.append((day, f"{day:%b}" + (f" {year}" if year != shown_year else "")))
            shown_year = year
    for day, label in ticks_at:
        x = _f(frame.x(day))
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{TOP}" y2="{_f(bottom)}"/>')
        parts.append(f'<text class="axis" x="{x}" y="{_f(bottom + 16)}" text-anchor="middle">{label}</text>')
    return parts


def _polyline(frame: Frame, points: Sequence[Point], css: str, longest_gap: int) -> list[str]:
    """A line through the points, broken wherever they are more than `longest_gap` days apart (a pause)."""
    lines = []
    for begin, end in runs([p.day for p in points], longest_gap):
        piece = points[begin:end]
        if len(piece) == 1:  # a lone value between pauses: a short mark, so it is not lost
            x, y = frame.x(piece[0].day), frame.y(piece[0].value)
            lines.append(f'<line class="{css}" x1="{_f(x - 2)}" x2="{_f(x + 2)}" y1="{_f(y)}" y2="{_f(y)}"/>')
            continue
        coords = " ".join(f"{_f(frame.x(p.day))},{_f(frame.y(p.value))}" for p in piece)
        lines.append(f'<polyline class="{css}" points="{coords}"/>')
    return lines


def _band(frame: Frame, buckets: Sequence[Bucket], longest_gap: int) -> list[str]:
    """The middle half of each week's or month's values, as one faint area per unbroken run."""
    parts = []
    for begin, end in runs([b.day for b in buckets], longest_gap):
        piece = buckets[begin:end]
        upper = " ".join(f"{_f(frame.x(b.day))},{_f(frame.y(b.high))}" for b in piece)
        lower = " ".join(f"{_f(frame.x(b.day))},{_f(frame.y(b.low))}" for b in reversed(piece))
        parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    return parts


MIN_SESSION_GAP = (
    14.0  # pixels: sessions closer than this are drawn as periods in therapy instead (no comb of hairlines)
)


def _therapy(frame: Frame, sessions: Sequence[date], bottom: float) -> list[str]:
    """Sessions as hairlines where they stay apart; where they crowd, the periods in therapy as shaded bands."""
    shown = [day for day in sessions if frame.first <= day <= frame.last]
    xs = [frame.x(day) for day in shown]
    if all(b - a >= MIN_SESSION_GAP for a, b in itertools.pairwise(xs)):
        return [f'<line class="session" x1="{_f(x)}" x2="{_f(x)}" y1="{TOP}" y2="{_f(bottom)}"/>' for x in xs]
    parts = []
    for first, last in therapy_periods(shown):
        left = frame.x(first)
        width = max(2.0, frame.x(last) - left)
        parts.append(
            f'<rect class="therapy" x="{_f(left)}" y="{TOP}" width="{_f(width)}" height="{_f(bottom - TOP)}">'
            f"<title>In therapy {first.day} {first:%b %Y} – {last.day} {last:%b %Y}</title></rect>"
        )
    return parts


def _milestones(frame: Frame, milestones: Sequence[tuple[date, str]], bottom: float) -> list[str]:
    """Milestone markers with labels, each label put in the first of three rows where it fits; a marker whose
    label fits nowhere keeps its label as a tooltip."""
    parts: list[str] = []
    row_ends = [float("-inf")] * 3
    for day, label in sorted(milestones):
        if not frame.first <= day <= frame.last:
            continue
        text = label if len(label) <= 30 else label[:29] + "…"
        x = frame.x(day)
        width = len(text) * 6.2 + 10
        anchor = "end" if x + width > WIDTH - 4 else "start"
        left = x - width if anchor == "end" else x
        row = next((r for r, end in enumerate(row_ends) if end < left), None)
        if row is None:
            parts.append(
                f'<path class="milestone-mark" d="M{_f(x)} {_f(TOP + 1)}l4 5-4 5-4-5z">'
                f"<title>{escape(label)}, {day.day} {day:%b %Y}</title></path>"
            )
            continue
        row_ends[row] = left + width + 8
        y = 9 + row * 11  # three rows above the plot, clear of its "higher is better" line
        shift = -7 if anchor == "end" else 7
        parts.append(f'<line class="milestone-line" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y + 4)}" y2="{_f(bottom)}"/>')
        parts.append(f'<path class="milestone-mark" d="M{_f(x)} {_f(y - 5)}l4 5-4 5-4-5z"/>')
        parts.append(
            f'<text class="label" x="{_f(x + shift)}" y="{_f(y)}" dy="0.35em" '
            f'text-anchor="{anchor}">{escape(text)}</text>'
        )
    return parts


@dataclass(frozen=True)
class Line:
    """A line on a chart: its points, its style, the words at its end ("7-day"), where a pause breaks it."""

    points: Sequence[Point]
    css: str
    name: str
    longest_gap: int
    whole: bool = False  # its values are whole numbers (a questionnaire's scores): shown without a decimal


def _line_ends(frame: Frame, lines: Sequence[Line]) -> list[str]:
    """Each line's name and last value beside its end, moved apart where they would overlap."""
    ends = [(frame.y(line.points[-1].value), line) for line in lines if line.points]
    ends.sort(key=lambda item: item[0])
    placed: list[float] = []
    for y, _ in ends:
        placed.append(max(y, placed[-1] + 13) if placed else y)
    if placed and placed[-1] > HEIGHT - BOTTOM:  # pushed below the chart: move the whole stack up
        shift = placed[-1] - (HEIGHT - BOTTOM)
        placed = [max(TOP, y - shift) for y in placed]
    parts = []
    for y, (_, line) in zip(placed, ends):
        end = line.points[-1]
        parts.append(
            f'<text class="label-{line.css.removeprefix("avg-")}" x="{_f(frame.x(end.day) + 6)}" '
            f'y="{_f(y)}" dy="0.35em">{f"{line.name} " if line.name else ""}'
            f"{f'{end.value:g}' if line.whole else f'{end.value:.1f}'}</text>"
        )
    return parts


def _zones(frame: Frame, metric: Metric) -> list[str]:
    """The metric's named bands (minimal, mild…) as faint stripes across the plot, each named at its left."""
    parts = []
    for index, (low, high, name) in enumerate(metric.bands):
        if metric.higher_is_better:  # the worst band shaded darkest whichever way the metric runs (WHO-5's lowest)
            index = len(metric.bands) - index
        top = frame.y(min(metric.high, high + 0.5))  # whole-number scores: a band holds its edges' halves
        bottom = frame.y(max(metric.low, low - 0.5))
        parts.append(
            f'<rect class="zone zone-{index % 5}" x="{LEFT}" y="{_f(top)}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{_f(bottom - top)}"/>'
        )
        if bottom - top >= 13:  # named at its left, halfway up: between the gridlines at round values
            parts.append(
                f'<text class="zone-label" x="{LEFT + 5}" y="{_f((top + bottom) / 2)}" dy="0.35em">'
                f"{escape(name)}</text>"
            )
    return parts


def metric_chart(
    metric: Metric,
    first: date,
    last: date,
    dots: Sequence[Point],
    lines: Sequence[Line],
    band: Sequence[Bucket],
    sessions: Sequence[date],
    milestones: Sequence[tuple[date, str]],
    title: str,
    chart_id: str,
) -> Markup:
    """One metric over a stretch of time: values as light dots, averages as lines (the first the strong one),
    the spread of a week or a month as a faint band, therapy and milestones behind them, and behind all of
    them the metric's named bands, if it has any."""
    frame = Frame(first, max(last, first + timedelta(days=1)), metric.low, metric.high)
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-t">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    parts += _zones(frame, metric)
    for value in ticks(metric.low, metric.high):
        y = _f(frame.y(value))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end">{value:g}</text>')
    parts += _time_axis(frame, bottom)
    parts += _therapy(frame, sessions, bottom)
    parts += _milestones(frame, milestones, bottom)
    if band:
        parts += _band(frame, band, lines[0].longest_gap if lines else 45)
    for point in dots:
        parts.append(f'<circle class="dot" cx="{_f(frame.x(point.day))}" cy="{_f(frame.y(point.value))}" r="2.6"/>')
    for line in reversed(lines):  # the strong line last, on top
        parts += _polyline(frame, line.points, line.css, line.longest_gap)
    parts += _line_ends(frame, lines)
    parts.append(
        f'<text class="axis direction" x="{LEFT}" y="{TOP - 6}">{escape(metric.label)}'
        f" ({'higher' if metric.higher_is_better else 'lower'} is better)</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


CELL, GAP = 11, 3


def year_grid(year: int, levels: dict[date, int], titles: dict[date, str], label: str) -> Markup:
    """A GitHub-style year: weeks as columns (Monday first), days as rows, month names above."""
    return day_grid(date(year, 1, 1), date(year, 12, 31), levels, titles, label)


def day_grid(first: date, last: date, levels: dict[date, int], titles: dict[date, str], label: str) -> Markup:
    """GitHub-style days from `first` to `last`: weeks as columns (Monday first), days as rows, month names
    above (a month that starts a new year, and the first one, with its year when the grid crosses years)."""
    start = first - timedelta(days=first.weekday())
    left, top = 28, 16
    weeks = ((last - start).days // 7) + 1
    width, height = left + weeks * (CELL + GAP), top + 7 * (CELL + GAP)
    parts = [f'<svg class="calendar" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(
            f'<text class="axis" x="{left - 4}" y="{top + row * (CELL + GAP) + CELL - 2}" text-anchor="end">{name}</text>'
        )
    crosses = first.year != last.year
    for year, month in months_between(first, last):
        begins = max(first, date(year, month, 1))
        if (begins - start).days // 7 > weeks - 3 and begins != first:
            continue  # a month that starts in the grid's last weeks has no room for its name
        column = (begins - start).days // 7
        name = f"{begins:%b}" + (f" {year}" if crosses and (month == 1 or begins == first) else "")
        parts.append(f'<text class="axis" x="{left + column * (CELL + GAP)}" y="{top - 5}">{name}</text>')
    day = first
    while day <= last:
        column, row = (day - start).days // 7, day.weekday()
        level = levels.get(day, 0)
        tip = titles.get(day, f"{day:%a} {day.day} {day:%b %Y}: no entry")
        parts.append(
            f'<rect class="cell l{level}" x="{left + column * (CELL + GAP)}" y="{top + row * (CELL + GAP)}" '
            f'width="{CELL}" height="{CELL}" rx="2"><title>{escape(tip)}</title></rect>'
        )
        day += timedelta(days=1)
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(counts: Sequence[int], label: str) -> Markup:
    """Tiny monthly bars for a tag's use over time."""
    width, height = 160, 28
    if not counts:
        return Markup("")
    step = width / len(counts)
    peak = max(counts) or 1
    bars = []
    for index, count in enumerate(counts):
        h = 0 if count == 0 else max(2.0, count / peak * (height - 2))
        bars.append(
            f'<rect class="spark" x="{_f(index * step + 0.5)}" y="{_f(height - h)}" '
            f'width="{_f(max(1.0, step - 1))}" height="{_f(h)}"/>'
        )
    baseline = f'<line class="grid" x1="0" x2="{width}" y1="{height - 0.5}" y2="{height - 0.5}"/>'
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f"{baseline}{''.join(bars)}</svg>"
    )


def relief_chart(records: Sequence[tuple[date, float, float]], label: str) -> Markup:
    """Thought records as dumbbells: a hollow circle before, a filled one after, joined by a line."""
    if not records:
        return Markup("")
    first, last = records[0][0], max(records[-1][0], records[0][0] + timedelta(days=1))
    frame = Frame(first - timedelta(days=3), last + timedelta(days=3), 0, 100)
    bottom = HEIGHT - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">']
    for value in (0, 25, 50, 75, 100):
        y = _f(frame.y(value))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end">{value}</text>')
    parts += _time_axis(frame, bottom)
    for day, before, after in records:
        x = _f(frame.x(day))
        parts.append(f'<line class="relief" x1="{x}" x2="{x}" y1="{_f(frame.y(before))}" y2="{_f(frame.y(after))}"/>')
        parts.append(f'<circle class="before" cx="{x}" cy="{_f(frame.y(before))}" r="4"/>')
        parts.append(f'<circle class="after" cx="{x}" cy="{_f(frame.y(after))}" r="4"/>')
    parts.append(f'<text class="axis direction" x="{LEFT}" y="{TOP - 6}">Intensity 0–100: ○ before, ● after</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _count_grid(peak: int, base: float, whole: bool = False) -> list[str]:
    """Gridlines and their numbers for bars of counts up to `peak` (only whole numbers, if `whole`)."""
    parts = []
    for value in ticks(0, peak):
        if whole and value != int(value):
            continue
        y = _f(base - value / peak * (base - 10))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - 8}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end">{value:g}</text>')
    return parts


def week_bars(counts: Sequence[tuple[date, int]], label: str) -> Markup:
    """Entries per week as small bars, the week's Monday on the axis."""
    if not counts:
        return Markup("")
    width, height, base = WIDTH, 120, 100
    step = (width - LEFT - 8) / len(counts)
    peak = max(c for _, c in counts) or 1
    parts = [
        f'<svg class="chart weeks" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
        *_count_grid(peak, base),
    ]
    last_month = None
    for index, (monday, count) in enumerate(counts):
        x = LEFT + index * step
        h = count / peak * (base - 10)
        parts.append(
            f'<rect class="spark" x="{_f(x + 1)}" y="{_f(base - h)}" width="{_f(max(1.0, step - 2))}" height="{_f(h)}">'
            f"<title>Week of {monday.day} {monday:%b %Y}: {count}</title></rect>"
        )
        if monday.month != last_month:
            parts.append(f'<text class="axis" x="{_f(x + 1)}" y="{base + 14}">{monday:%b}</text>')
            last_month = monday.month
    parts.append("</svg>")
    return Markup("".join(parts))


HOMEWORK_SESSIONS = 26  # the last half year or so of weekly sessions


def homework_bars(rows: Sequence[tuple[date, int, int]], label: str) -> Markup:
    """Each session's homework as a bar: its height the tasks set, the filled part those done."""
    if not rows:
        return Markup("")
    height, base = 110, 84
    peak = max(total for _, _, total in rows)
    step = min(26.0, (WIDTH - LEFT - 8) / len(rows))
    parts = [
        f'<svg class="chart homework-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}">',
        *_count_grid(peak, base, whole=True),
    ]
    last_month = None
    for index, (day, done, total) in enumerate(rows):
        x = LEFT + 4 + index * step
        whole, part = total / peak * (base - 10), done / peak * (base - 10)
        bar = max(4.0, step - 6)
        parts.append(
            f"<g><title>Session of {day.day} {day:%b %Y}: {done} of {total} done</title>"
            f'<rect class="hw-set" x="{_f(x)}" y="{_f(base - whole)}" width="{_f(bar)}" height="{_f(whole)}"/>'
            f'<rect class="hw-done" x="{_f(x)}" y="{_f(base - part)}" width="{_f(bar)}" height="{_f(part)}"/></g>'
        )
        if day.month != last_month:
            parts.append(f'<text class="axis" x="{_f(x)}" y="{base + 16}">{day:%b}</text>')
            last_month = day.month
    parts.append("</svg>")
    return Markup("".join(parts))


def suds_chart(attempts: Sequence[tuple[float | None, float | None, float | None]], label: str) -> Markup:
    """One step's exposures, attempt by attempt: distress (SUDS 0–100) before (○), at its peak (the strong line)
    and after (●); habituation is the peak coming down."""
    if not attempts:
        return Markup("")
    height = 200
    bottom = height - BOTTOM
    span = max(1, len(attempts) - 1)

    def x(index: int) -> float:
        return LEFT + 20 + index / span * (WIDTH - LEFT - RIGHT - 40) if len(attempts) > 1 else (WIDTH - RIGHT) / 2

    def y(value: float) -> float:
        return TOP + (100 - value) / 100 * (bottom - TOP)

    parts = [f'<svg class="chart suds-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}">']
    for value in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y(value))}" y2="{_f(y(value))}"/>')
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{_f(y(value))}" dy="0.32em" text-anchor="end">{value}</text>'
        )
    every = next(step for step in (1, 2, 5, 10, 20, 50, 100) if len(attempts) / step <= 12)
    peaks = []
    for index, (before, peak, after) in enumerate(attempts):
        at = _f(x(index))
        if index % every == 0 or index == len(attempts) - 1:
            parts.append(f'<text class="axis" x="{at}" y="{_f(bottom + 16)}" text-anchor="middle">{index + 1}</text>')
        if peak is not None and after is not None:
            parts.append(f'<line class="relief" x1="{at}" x2="{at}" y1="{_f(y(peak))}" y2="{_f(y(after))}"/>')
        if before is not None:
            parts.append(f'<circle class="before" cx="{at}" cy="{_f(y(before))}" r="4"/>')
        if after is not None:
            parts.append(f'<circle class="after" cx="{at}" cy="{_f(y(after))}" r="4"/>')
        if peak is not None:
            peaks.append(f"{at},{_f(y(peak))}")
    if len(peaks) > 1:
        parts.append(f'<polyline class="avg-short" points="{" ".join(peaks)}"/>')
    elif peaks:
        px, py = peaks[0].split(",")
        parts.append(f'<line class="avg-short" x1="{float(px) - 6:.1f}" x2="{float(px) + 6:.1f}" y1="{py}" y2="{py}"/>')
    parts.append(
        f'<text class="axis direction" x="{LEFT}" y="{TOP - 18}">SUDS 0–100, attempt by attempt: '
        "━ peak, ○ before, ● after</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
