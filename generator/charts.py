"""Inline SVG charts drawn at build time: no script, no network, styled by the stylesheet's classes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Sequence

from markupsafe import Markup

from generator.config import Metric
from generator.stats import Point, months_between

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
    first = -(-low // step) * step
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(value)
        value += step
    return values


def _month_axis(frame: Frame, bottom: float) -> list[str]:
    """Month names under the axis (the year shown in January and on the first label)."""
    parts = []
    months = months_between(frame.first, frame.last)
    every = max(1, len(months) // 8)
    for index, (year, month) in enumerate(months):
        day = date(year, month, 1)
        if day < frame.first or index % every:
            continue
        label = f"{day:%b}" + (f" {year}" if month == 1 or not parts else "")
        x = _f(frame.x(day))
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{TOP}" y2="{_f(bottom)}"/>')
        parts.append(f'<text class="axis" x="{x}" y="{_f(bottom + 16)}" text-anchor="middle">{label}</text>')
    return parts


def _polyline(frame: Frame, points: Sequence[Point], css: str) -> str:
    coords = " ".join(f"{_f(frame.x(p.day))},{_f(frame.y(p.value))}" for p in points)
    return f'<polyline class="{css}" points="{coords}"/>'


def _milestones(frame: Frame, milestones: Sequence[tuple[date, str]], bottom: float) -> list[str]:
    """Milestone markers with labels, each label put in the first of three rows where it fits."""
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
        row = next((r for r, end in enumerate(row_ends) if end < left), len(row_ends) - 1)
        row_ends[row] = left + width + 8
        y = 10 + row * 12
        shift = -7 if anchor == "end" else 7
        parts.append(f'<line class="milestone-line" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y + 4)}" y2="{_f(bottom)}"/>')
        parts.append(f'<path class="milestone-mark" d="M{_f(x)} {_f(y - 5)}l4 5-4 5-4-5z"/>')
        parts.append(f'<text class="label" x="{_f(x + shift)}" y="{_f(y)}" dy="0.35em" '
                     f'text-anchor="{anchor}">{escape(text)}</text>')
    return parts


def metric_chart(metric: Metric, daily: Sequence[Point], short: Sequence[Point], long: Sequence[Point],
                 sessions: Sequence[date], milestones: Sequence[tuple[date, str]], title: str) -> Markup:
    """Daily values as light dots, the short rolling average as the strong line, the long one dashed,
    sessions as hairlines and milestones as labelled markers."""
    if not daily:
        return Markup("")
    frame = Frame(daily[0].day, max(daily[-1].day, daily[0].day + timedelta(days=1)), metric.low, metric.high)
    bottom = HEIGHT - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{metric.key}-t">',
             f'<title id="{metric.key}-t">{escape(title)}</title>']
    for value in ticks(metric.low, metric.high):
        y = _f(frame.y(value))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end">{value:g}</text>')
    parts += _month_axis(frame, bottom)
    for day in sessions:
        if frame.first <= day <= frame.last:
            x = _f(frame.x(day))
            parts.append(f'<line class="session" x1="{x}" x2="{x}" y1="{TOP}" y2="{_f(bottom)}"/>')
    parts += _milestones(frame, milestones, bottom)
    for point in daily:
        parts.append(f'<circle class="dot" cx="{_f(frame.x(point.day))}" cy="{_f(frame.y(point.value))}" r="2.6"/>')
    if len(long) > 1:
        parts.append(_polyline(frame, long, "avg-long"))
    if len(short) > 1:
        parts.append(_polyline(frame, short, "avg-short"))
    for series, css, name in ((short, "label-short", "7-day"), (long, "label-long", "30-day")):
        if series:
            end = series[-1]
            parts.append(f'<text class="{css}" x="{_f(frame.x(end.day) + 6)}" y="{_f(frame.y(end.value))}" '
                         f'dy="{"-0.4em" if css == "label-short" else "1em"}">{name} {end.value:.1f}</text>')
    parts.append(f'<text class="axis direction" x="{LEFT}" y="{TOP - 6}">{escape(metric.label)}'
                 f' ({"higher" if metric.higher_is_better else "lower"} is better)</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


CELL, GAP = 11, 3


def year_grid(year: int, levels: dict[date, int], titles: dict[date, str], label: str) -> Markup:
    """A GitHub-style year: weeks as columns (Monday first), days as rows, month names above."""
    first = date(year, 1, 1)
    start = first - timedelta(days=first.weekday())
    left, top = 28, 16
    weeks = ((date(year, 12, 31) - start).days // 7) + 1
    width, height = left + weeks * (CELL + GAP), top + 7 * (CELL + GAP)
    parts = [f'<svg class="calendar" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text class="axis" x="{left - 4}" y="{top + row * (CELL + GAP) + CELL - 2}" text-anchor="end">{name}</text>')
    for month in range(1, 13):
        column = (date(year, month, 1) - start).days // 7
        parts.append(f'<text class="axis" x="{left + column * (CELL + GAP)}" y="{top - 5}">{date(year, month, 1):%b}</text>')
    day = first
    while day.year == year:
        column, row = (day - start).days // 7, day.weekday()
        level = levels.get(day, 0)
        tip = titles.get(day, f"{day:%a} {day.day} {day:%b %Y}: no entry")
        parts.append(f'<rect class="cell l{level}" x="{left + column * (CELL + GAP)}" y="{top + row * (CELL + GAP)}" '
                     f'width="{CELL}" height="{CELL}" rx="2"><title>{escape(tip)}</title></rect>')
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
        bars.append(f'<rect class="spark" x="{_f(index * step + 0.5)}" y="{_f(height - h)}" '
                    f'width="{_f(max(1.0, step - 1))}" height="{_f(h)}"/>')
    baseline = f'<line class="grid" x1="0" x2="{width}" y1="{height - 0.5}" y2="{height - 0.5}"/>'
    return Markup(f'<svg class="sparkline" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
                  f'{baseline}{"".join(bars)}</svg>')


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
    parts += _month_axis(frame, bottom)
    for day, before, after in records:
        x = _f(frame.x(day))
        parts.append(f'<line class="relief" x1="{x}" x2="{x}" y1="{_f(frame.y(before))}" y2="{_f(frame.y(after))}"/>')
        parts.append(f'<circle class="before" cx="{x}" cy="{_f(frame.y(before))}" r="4"/>')
        parts.append(f'<circle class="after" cx="{x}" cy="{_f(frame.y(after))}" r="4"/>')
    parts.append(f'<text class="axis direction" x="{LEFT}" y="{TOP - 6}">Intensity 0–100: ○ before, ● after</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def week_bars(counts: Sequence[tuple[date, int]], label: str) -> Markup:
    """Entries per week as small bars, the week's Monday on the axis."""
    if not counts:
        return Markup("")
    width, height, base = WIDTH, 120, 100
    step = (width - LEFT - 8) / len(counts)
    peak = max(c for _, c in counts) or 1
    parts = [f'<svg class="chart weeks" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for value in ticks(0, peak):
        y = _f(base - value / peak * (base - 10))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width - 8}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end">{value:g}</text>')
    last_month = None
    for index, (monday, count) in enumerate(counts):
        x = LEFT + index * step
        h = count / peak * (base - 10)
        parts.append(f'<rect class="spark" x="{_f(x + 1)}" y="{_f(base - h)}" width="{_f(max(1.0, step - 2))}" height="{_f(h)}">'
                     f'<title>Week of {monday.day} {monday:%b %Y}: {count}</title></rect>')
        if monday.month != last_month:
            parts.append(f'<text class="axis" x="{_f(x + 1)}" y="{base + 14}">{monday:%b}</text>')
            last_month = monday.month
    parts.append("</svg>")
    return Markup("".join(parts))
