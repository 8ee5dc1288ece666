"""Inline SVG charts drawn at build time: no script, no network, styled by the stylesheet's classes.

Each chart is drawn twice, for the width it gets: a wide drawing for a page's column or paper and a narrow one
of fewer ticks and labels for a phone; the stylesheet shows one of them (a container query on the figure) and
hides the other with display:none, so each is read once. Texts are laid out by an estimate of their width
(characters × font size × CHAR) and left out, not crowded, where they would overlap another."""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from generator.config import Metric
from generator.stats import Bucket, Point, months_between, runs, therapy_periods


@dataclass(frozen=True)
class Size:
    """One drawing of a chart: its width in units, its margins, its text size, its name as a CSS class."""

    name: str
    width: int
    height: int
    left: int
    right: int
    font: float


# Wide: shown where the figure is at least 36rem (576 px) wide, so a 14-unit text is at least 11.2 CSS px.
# Narrow: a phone's column from 280 px (a 320 px screen) up, so a 14-unit text is at least 11.5 CSS px.
WIDE = Size("wide", 720, 280, 40, 80, 14)
NARROW = Size("narrow", 340, 250, 36, 40, 14)
SIZES = (WIDE, NARROW)
WIDTH, HEIGHT = WIDE.width, WIDE.height
BOTTOM = 32  # below the plot: the time axis's ticks and labels
CHAR = 0.62  # a character's width as a share of the font size, generous for a system sans-serif


def text_width(text: str, font: float) -> float:
    """The estimated width of a text: characters × font size × CHAR."""
    return len(text) * font * CHAR


def _fit(text: str, room: float, font: float) -> str:
    """The text, cut with an ellipsis where it would be wider than `room`."""
    most = max(1, int(room / (font * CHAR)))
    return text if len(text) <= most else text[: most - 1] + "…"


def _text(x: float, y: float, words: str, css: str, anchor: str = "start") -> str:
    """A text at a baseline; `anchor` as SVG's text-anchor."""
    at = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text class="{css}" x="{_f(x)}" y="{_f(y)}"{at}>{escape(words)}</text>'


def _middle(y: float, font: float) -> float:
    """The baseline that centres a line of text on `y`."""
    return y + font * 0.35


@dataclass(frozen=True)
class Frame:
    """Maps days and values to one drawing's coordinates."""

    first: date
    last: date
    low: float
    high: float
    size: Size = WIDE
    top: float = 30.0
    bottom: float = HEIGHT - BOTTOM
    # x() and y() run for every point of every chart: the parts of their formulas that are the same for every
    # point are worked out once (each the same number the formula gives, so the same positions).
    _first: int = field(init=False, repr=False, compare=False)
    _span: int = field(init=False, repr=False, compare=False)
    _width: float = field(init=False, repr=False, compare=False)
    _range: float = field(init=False, repr=False, compare=False)
    _height: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fixed = object.__setattr__  # a frozen dataclass
        fixed(self, "_first", self.first.toordinal())
        fixed(self, "_span", max(1, (self.last - self.first).days))
        fixed(self, "_width", self.right - self.left)
        fixed(self, "_range", self.high - self.low)
        fixed(self, "_height", self.bottom - self.top)

    @property
    def left(self) -> float:
        return self.size.left

    @property
    def right(self) -> float:
        return self.size.width - self.size.right

    def x(self, day: date) -> float:
        """Horizontal position of a day."""
        return self.size.left + (day.toordinal() - self._first) / self._span * self._width

    def y(self, value: float) -> float:
        """Vertical position of a value (the top of the range at the top)."""
        return self.top + (self.high - value) / self._range * self._height


def _f(value: float) -> str:
    return f"{value:.0f}"


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


def _labels_fit(labels: Sequence[tuple[float, str]], font: float, width: float) -> list[tuple[float, str, str]] | None:
    """Labels centred under their x (moved to start or end at the edges), or None where two would overlap."""
    placed: list[tuple[float, str, str]] = []
    end = float("-inf")
    for x, label in labels:
        w = text_width(label, font)
        anchor, left = "middle", x - w / 2
        if left < 0:
            anchor, left = "start", x
        elif x + w / 2 > width:
            anchor, left = "end", x - w
        if left < end + font * 0.8 or left + w > width:
            return None
        placed.append((x, label, anchor))
        end = left + w
    return placed


def _first_fitting(
    candidates: Sequence[Sequence[tuple[float, str]]], font: float, width: float
) -> list[tuple[float, str, str]]:
    """The first set of labels (finest first) that fits without overlap; else the first label of the last set."""
    for labels in candidates:
        placed = _labels_fit(labels, font, width)
        if placed is not None and (placed or not labels):
            return placed
    last = [c for c in candidates if c]
    return (_labels_fit(last[-1][:1], font, width) or []) if last else []


def _time_candidates(frame: Frame) -> list[list[tuple[float, str]]]:
    """Sets of time-axis labels from the finest to the coarsest, at their places in the frame (_time_labels)."""
    return [[(frame.x(d), label) for d, label in labels] for labels in _time_labels(frame.first, frame.last)]


@functools.lru_cache(maxsize=256)  # the same for both drawings of a chart, and the charts of every metric
def _time_labels(first: date, last: date) -> tuple[tuple[tuple[date, str], ...], ...]:
    """Sets of time-axis labels from the finest to the coarsest: Mondays for a few weeks, months (each label that
    starts a year, and the first, with its year), then years."""
    candidates: list[list[tuple[date, str]]] = []
    span = (last - first).days
    if span <= 62:
        monday = first + timedelta(days=-first.weekday() % 7)
        mondays = []
        while monday <= last:
            mondays.append(monday)
            monday += timedelta(days=7)
        for every in (1, 2, 4):
            candidates.append([(d, f"{d.day} {d:%b}") for d in mondays[::every]])
    months = months_between(first, last)
    if len(months) <= 48:
        for every in (1, 2, 3, 4, 6, 12):
            chosen, shown_year = [], None
            for year, month in months:
                day = date(year, month, 1)
                if day < first or (month - 1) % every:
                    continue
                chosen.append((day, f"{day:%b}" + (f" {year}" if year != shown_year else "")))
                shown_year = year
            candidates.append(chosen)
    for every in (1, 2, 5, 10, 20, 50):
        years = [y for y in range(first.year + 1, last.year + 1) if y % every == 0]
        candidates.append([(date(y, 1, 1), str(y)) for y in years])
    return tuple(tuple(labels) for labels in candidates if labels)


def _time_axis(frame: Frame) -> list[str]:
    """Short ticks and their labels under the plot, as many as fit without overlapping."""
    font, parts = frame.size.font, []
    for x, label, anchor in _first_fitting(_time_candidates(frame), font, frame.size.width):
        parts.append(
            f'<line class="tick" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(frame.bottom)}" y2="{_f(frame.bottom + 5)}"/>'
        )
        parts.append(_text(x, frame.bottom + 8 + font, label, "axis", anchor))
    return parts


def _value_axis(frame: Frame, values: Sequence[float]) -> list[str]:
    """Horizontal gridlines at round values, each with its number at the left."""
    parts = []
    for value in values:
        y = frame.y(value)
        parts.append(f'<line class="grid" x1="{_f(frame.left)}" x2="{_f(frame.right)}" y1="{_f(y)}" y2="{_f(y)}"/>')
        parts.append(_text(frame.left - 6, _middle(y, frame.size.font), f"{value:g}", "axis", "end"))
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
        to_x, to_y = frame.x, frame.y
        coords = " ".join(f"{to_x(p.day):.0f},{to_y(p.value):.0f}" for p in piece)  # as _f(): whole units
        lines.append(f'<polyline class="{css}" points="{coords}"/>')
    return lines


def _band(frame: Frame, buckets: Sequence[Bucket], longest_gap: int) -> list[str]:
    """The middle half of each week's or month's values, as one faint area per unbroken run."""
    parts = []
    for begin, end in runs([b.day for b in buckets], longest_gap):
        piece = buckets[begin:end]
        to_x, to_y = frame.x, frame.y
        upper = " ".join(f"{to_x(b.day):.0f},{to_y(b.high):.0f}" for b in piece)  # as _f(): whole units
        lower = " ".join(f"{to_x(b.day):.0f},{to_y(b.low):.0f}" for b in reversed(piece))
        parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    return parts


MIN_SESSION_GAP = 14.0  # units of the narrow drawing: sessions closer than this are drawn as periods instead
MOSTLY = 0.5  # therapy over more than this share of a chart: the pauses are shaded instead of the periods


def therapy_shading(first: date, last: date, sessions: Sequence[date]) -> str:
    """How a chart from `first` to `last` shows the sessions: "sessions" (each a tick above the time axis),
    "periods" (periods in therapy shaded), "pauses" (therapy most of the time: the pauses shaded) or ""."""
    return _therapy_stretches(first, last, tuple(sessions))[0]


@functools.lru_cache(maxsize=256)  # the same for a chart's caption, both its drawings and every metric's chart
def _therapy_stretches(
    first: date, last: date, sessions: tuple[date, ...]
) -> tuple[str, tuple[date, ...], tuple[tuple[date, date], ...]]:
    """therapy_shading(), the sessions from `first` to `last` and the stretches it shades (none for "sessions")."""
    how = _shading(first, last, sessions)
    shown = tuple(day for day in sessions if first <= day <= last)
    if how == "sessions":
        return how, shown, ()
    periods = therapy_periods(shown, SESSION_GAP)
    return how, shown, tuple(_pauses(first, last, periods) if how == "pauses" else periods)


def _shading(first: date, last: date, sessions: Sequence[date]) -> str:
    """therapy_shading(), worked out."""
    shown = sorted(day for day in sessions if first <= day <= last)
    if not shown:
        return ""
    span = max(1, (last - first).days)
    room = NARROW.width - NARROW.left - NARROW.right
    if all((b - a).days / span * room >= MIN_SESSION_GAP for a, b in itertools.pairwise(shown)):
        return "sessions"
    covered = sum((b - a).days + 1 for a, b in therapy_periods(shown, SESSION_GAP))
    return "pauses" if covered > MOSTLY * (span + 1) else "periods"


def therapy_words(first: date, last: date, sessions: Sequence[date]) -> str:
    """A caption's sentence on the therapy shading of a chart ("" when it has none)."""
    return {
        "periods": " Shaded stretches are periods in therapy.",
        "pauses": " Sessions ran through most of this time, so the shaded stretches are the pauses between them.",
    }.get(therapy_shading(first, last, sessions), "")


SESSION_GAP = 21  # days: sessions at most this far apart belong to one period in therapy (stats.therapy_periods)


def _pauses(first: date, last: date, periods: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The stretches from `first` to `last` outside the periods in therapy, longer than a gap between sessions."""
    gaps, start = [], first
    for begin, end in [*periods, (last + timedelta(days=1), last)]:
        if (begin - start).days > SESSION_GAP:
            gaps.append((start, begin - timedelta(days=1)))
        start = max(start, end + timedelta(days=1))
    return gaps


def _therapy(frame: Frame, sessions: Sequence[date]) -> list[str]:
    """Sessions as short ticks above the time axis where they stay apart; where they crowd, the periods in
    therapy shaded, or, where therapy runs most of the time, the pauses between them."""
    how, shown, stretches = _therapy_stretches(frame.first, frame.last, tuple(sessions))
    if how == "sessions":
        return [
            f'<line class="session" x1="{_f(frame.x(d))}" x2="{_f(frame.x(d))}" '
            f'y1="{_f(frame.bottom - 9)}" y2="{_f(frame.bottom)}"/>'
            for d in shown
        ]
    words = "No sessions" if how == "pauses" else "In therapy"
    parts = []
    for first, last in stretches:
        left = frame.x(first)
        width = max(2.0, frame.x(last) - left)
        parts.append(
            f'<rect class="{"pause" if how == "pauses" else "therapy"}" x="{_f(left)}" y="{_f(frame.top)}" '
            f'width="{_f(width)}" height="{_f(frame.bottom - frame.top)}">'
            f"<title>{words} {first.day} {first:%b %Y} – {last.day} {last:%b %Y}</title></rect>"
        )
    return parts


MOST_DOTS = 120  # points in a chart: more are drawn as one path without tooltips (the line carries them)
MOST_NUMBERED = 9  # milestones in a chart: up to this many are numbered and listed under it; more are only marked


def _shown_milestones(first: date, last: date, milestones: Sequence[tuple[date, str]]) -> list[tuple[date, str]]:
    return sorted(m for m in milestones if first <= m[0] <= last)


def _milestones(frame: Frame, shown: Sequence[tuple[date, str]]) -> list[str]:
    """Milestones as small marks on the plot's top edge, numbered in a row above it (neighbours too close for
    their own numbers share one: "2–3"); more than MOST_NUMBERED are marked only."""
    font, y = frame.size.font, frame.top - 10
    if len(shown) > MOST_NUMBERED:  # many: one path of marks, light on the page
        marks = "".join(f"M{_f(frame.x(day) - 4)} {_f(frame.top - 7)}h8l-4 7z" for day, _ in shown)
        return [f'<path class="milestone-mark" d="{marks}"/>']
    parts = [
        f'<path class="milestone-mark" d="M{_f(frame.x(day) - 4)} {_f(frame.top - 7)}h8l-4 7z">'
        f"<title>{escape(label)}, {day.day} {day:%b %Y}</title></path>"
        for day, label in shown
    ]
    groups: list[list[int]] = []
    end = float("-inf")
    for index, (day, _) in enumerate(shown):
        x = frame.x(day)
        if groups and x - text_width(str(index + 1), font) / 2 < end + font * 0.5:
            groups[-1].append(index)
            words = f"{groups[-1][0] + 1}–{index + 1}"
            end = frame.x(shown[groups[-1][0]][0]) + text_width(words, font) / 2
            continue
        groups.append([index])
        end = x + text_width(str(index + 1), font) / 2
    for group in groups:
        x = min(max(frame.x(shown[group[0]][0]), font), frame.size.width - font * 2)
        words = str(group[0] + 1) if len(group) == 1 else f"{group[0] + 1}–{group[-1] + 1}"
        parts.append(_text(x, y, words, "label", "middle"))
    return parts


def _milestone_legend(shown: Sequence[tuple[date, str]]) -> str:
    """The numbered milestones under a chart; with more than MOST_NUMBERED, how many and where they are listed."""
    if not shown:
        return ""
    if len(shown) > MOST_NUMBERED:
        return (
            f'<p class="chart-milestones">▼ marks a milestone: {len(shown)} in this time (the latest are '
            "listed under Milestones, each year's on its year page).</p>"
        )
    items = "".join(
        f'<li><span class="milestone-num">{number}</span> {day.day} {day:%b %Y}: {escape(label)}</li>'
        for number, (day, label) in enumerate(shown, start=1)
    )
    return f'<ol class="chart-milestones" aria-label="Milestones in this chart">{items}</ol>'


@dataclass(frozen=True)
class Line:
    """A line on a chart: its points, its style, the words at its end ("7-day"), where a pause breaks it."""

    points: Sequence[Point]
    css: str
    name: str
    longest_gap: int
    whole: bool = False  # its values are whole numbers (a questionnaire's scores): shown without a decimal
    tips: str = ""  # each point's time in its tooltip: "week", "month", "12 months"; "" for no tooltips


def _line_ends(frame: Frame, lines: Sequence[Line]) -> list[str]:
    """Each line's last value beside its end (with its name where there is room), moved apart where they would
    overlap and kept between the plot's top and bottom."""
    font = frame.size.font
    ends = [(frame.y(line.points[-1].value), line) for line in lines if line.points]
    ends.sort(key=lambda item: item[0])
    placed: list[float] = []
    for y, _ in ends:
        y = max(y, frame.top + font * 0.5)
        placed.append(max(y, placed[-1] + font + 2) if placed else y)
    if placed and placed[-1] > frame.bottom:  # pushed below the plot: move the whole stack up
        shift = placed[-1] - frame.bottom
        placed = [y - shift for y in placed]
    parts = []
    for y, (_, line) in zip(placed, ends, strict=True):
        end = line.points[-1]
        value = f"{end.value:g}" if line.whole else f"{end.value:.1f}"
        x = frame.x(end.day) + 6
        words = f"{line.name} {value}" if line.name else value
        if x + text_width(words, font) > frame.size.width:
            words = value
        parts.append(_text(x, _middle(y, font), words, f"label-{line.css.removeprefix('avg-')}"))
    return parts


def _zones(frame: Frame, metric: Metric) -> list[str]:
    """The metric's named bands (minimal, mild…) as stripes across the plot, a step deeper each and edged by a
    thin line, each named at its left where it is tall enough."""
    parts, font = [], frame.size.font
    for index, (low, high, name) in enumerate(metric.bands):
        if metric.higher_is_better:  # the worst band shaded darkest whichever way the metric runs (WHO-5's lowest)
            index = len(metric.bands) - index
        top = frame.y(min(metric.high, high + 0.5))  # whole-number scores: a band holds its edges' halves
        bottom = frame.y(max(metric.low, low - 0.5))
        parts.append(
            f'<rect class="zone zone-{index % 5}" x="{_f(frame.left)}" y="{_f(top)}" '
            f'width="{_f(frame.right - frame.left)}" height="{_f(bottom - top)}"/>'
        )
        if top > frame.top + 0.5:
            parts.append(
                f'<line class="zone-edge" x1="{_f(frame.left)}" x2="{_f(frame.right)}" y1="{_f(top)}" y2="{_f(top)}"/>'
            )
        if bottom - top >= font + 3:  # named at its left, halfway up
            words = _fit(name, frame.right - frame.left - 10, font)
            parts.append(_text(frame.left + 5, _middle((top + bottom) / 2, font), words, "zone-label"))
    return parts


def _tip(x: float, y: float, words: str) -> str:
    """An invisible target around a point, carrying its date and value (escaped) for hover and tap."""
    return f'<circle class="hit" cx="{_f(x)}" cy="{_f(y)}" r="7"><title>{words}</title></circle>'


@functools.lru_cache(maxsize=4096)  # the same days on the charts of every metric
def _when(day: date, per: str) -> str:
    """_time_words(), escaped for a <title>."""
    return escape(_time_words(day, per))


def _time_words(day: date, per: str) -> str:
    """A point's time for its tooltip: its day, its week, its month, or the twelve months to it."""
    if per == "week":
        monday = day - timedelta(days=day.weekday())
        return f"Week of {monday.day} {monday:%b %Y}"
    if per == "month":
        return f"{day:%B %Y}"
    if per == "12 months":
        return f"Twelve months to {day:%B %Y}"
    return day_words(day)


def day_words(day: date) -> str:
    """A day as its tooltips name it: "Mon 3 Jan 2022" (one strftime, the day's number written into its format:
    half the time of two, and calendars name every day of a year)."""
    return day.strftime(f"%a {day.day} %b %Y")


def _said(value: float, whole: bool) -> str:
    return f"{value:g}" if whole else f"{value:.1f}"


def _svg(size: Size, height: float, css: str, label: str, chart_id: str, body: Sequence[str]) -> str:
    """One drawing: its size, its classes, its one accessible name (a <title>)."""
    title_id = f"{chart_id}-{size.name}"
    return (
        f'<svg class="{css} chart-{size.name}" viewBox="0 0 {size.width} {_f(height)}" width="{size.width}" '
        f'height="{_f(height)}" font-size="{size.font:g}" role="img" aria-labelledby="{title_id}">'
        f'<title id="{title_id}">{escape(label)}</title>{"".join(body)}</svg>'
    )


_TITLED = re.compile(r"(<(?:circle|rect|path|g)\b[^>]*)><title>[^<]*</title>")


def _untitled(narrow: str) -> str:
    """The narrow drawing without its marks' tooltips, each mark numbered instead (data-t: the index of the same
    mark's <title> in the wide drawing, where static/chart-tips.js reads it on a tap): the words once a page."""
    count = iter(range(1_000_000))
    return _TITLED.sub(lambda m: f'{m.group(1)} data-t="{next(count)}">', narrow)


def _both(draw: Callable[[Size], str], after: str = "") -> Markup:
    """The wide and the narrow drawing of a chart, and what goes under both (a legend)."""
    return Markup(f'<div class="chart-sizes">{draw(WIDE)}{_untitled(draw(NARROW))}</div>{after}')


def _id_of(stem: str, label: str) -> str:
    """A chart id that follows from its words: unique on a page of charts that say different things, and the
    same at every build."""
    return f"{stem}-{hashlib.sha1(label.encode()).hexdigest()[:8]}"


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
    per: str = "day",
) -> Markup:
    """One metric over a stretch of time: values as dots (a questionnaire's scores as stronger points), averages
    as lines (the first the strong one), the spread of a week or a month as a faint band, therapy and
    milestones behind them, and behind all of them the metric's named bands, if it has any; numbered
    milestones listed under it."""
    last = max(last, first + timedelta(days=1))
    shown = _shown_milestones(first, last, milestones)
    direction = f"{metric.label} ({'higher' if metric.higher_is_better else 'lower'} is better)"
    score = metric.questionnaire
    # The marks' tooltips, worded once for both drawings: a dot's each, or, without dots, the first line's (a
    # number's digits need no escaping, so the escaped time and the number make the escaped words).
    titled = [] if len(dots) > MOST_DOTS else [(p, f"{_when(p.day, per)}: {_said(p.value, score)}") for p in dots]
    tipped = []
    if lines and lines[0].tips and not titled:
        every = 12 if lines[0].tips == "12 months" else 1  # a long line: a tooltip a year
        for p in lines[0].points[len(lines[0].points) - 1 :: -every][::-1]:
            tipped.append((p, f"{_when(p.day, lines[0].tips)}: {_said(p.value, lines[0].whole)}"))

    def draw(size: Size) -> str:
        top = 52.0 if shown else 30.0
        frame = Frame(first, last, metric.low, metric.high, size, top, size.height - BOTTOM)
        parts = _zones(frame, metric)
        parts += _value_axis(frame, ticks(metric.low, metric.high))
        parts += _time_axis(frame)
        parts += _therapy(frame, sessions)
        parts += _milestones(frame, shown)
        if band:
            parts += _band(frame, band, lines[0].longest_gap if lines else 45)
        to_x, to_y = frame.x, frame.y
        if len(dots) > MOST_DOTS:  # faint points under a long view's line: one path of round dots
            marks = "".join(f"M{to_x(p.day):.0f} {to_y(p.value):.0f}h0" for p in dots)  # as _f(): whole units
            parts.append(f'<path class="dots" d="{marks}"/>')
        css, r = ("score", 4.0) if score else ("dot", 2.4)
        for point, words in titled:
            parts.append(
                f'<circle class="{css}" cx="{_f(to_x(point.day))}" cy="{_f(to_y(point.value))}" r="{r:g}">'
                f"<title>{words}</title></circle>"
            )
        for line in reversed(lines):  # the strong line last, on top
            parts += _polyline(frame, line.points, line.css, line.longest_gap)
        for point, words in tipped:
            parts.append(_tip(to_x(point.day), to_y(point.value), words))
        parts += _line_ends(frame, lines)
        parts.append(_text(2, size.font + 2, _fit(direction, size.width - 4, size.font), "axis direction"))
        return _svg(size, size.height, "chart", title, chart_id, parts)

    return _both(draw, _milestone_legend(shown))


CELL, GAP = 10, 2
DAY = timedelta(days=1)  # made once: calendars step through every day of a year, twice
CALENDAR_FONT = 12.5


def year_grid(year: int, levels: dict[date, int], titles: dict[date, str], label: str) -> Markup:
    """A GitHub-style year: weeks as columns (Monday first), days as rows, month names above."""
    return day_grid(date(year, 1, 1), date(year, 12, 31), levels, titles, label)


Cells = dict[date, tuple[int, str]]  # each day of a calendar: its level and its tooltip, escaped


def _cells(first: date, last: date, levels: dict[date, int], titles: dict[date, str]) -> Cells:
    """Each day's level and tooltip, worked out once for both drawings of a calendar."""
    cells = {}
    day = first
    while day <= last:
        tip = titles.get(day)
        cells[day] = levels.get(day, 0), escape(f"{day_words(day)}: no entry" if tip is None else tip)
        day += DAY
    return cells


def _cell(x: float, y: float, cell: tuple[int, str], size: int) -> str:
    return (
        f'<rect class="cell l{cell[0]}" x="{_f(x)}" y="{_f(y)}" width="{size}" height="{size}" rx="2">'
        f"<title>{cell[1]}</title></rect>"
    )


def _weeks_grid(first: date, last: date, cells: Cells, label: str) -> str:
    """GitHub-style: weeks as columns (Monday first), days as rows, the years and the month names above (a
    month without room for its name before the next one goes unnamed)."""
    start = first - timedelta(days=first.weekday())
    step, font = CELL + GAP, CALENDAR_FONT
    left, top = 32, 2 * font + 10
    weeks = ((last - start).days // 7) + 1
    width, height = left + weeks * step, top + 7 * step
    parts = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(_text(left - 4, top + row * step + CELL - 1, name, "axis", "end"))
    months = []
    for year, month in months_between(first, last):
        begins = max(first, date(year, month, 1))
        months.append((left + (begins - start).days // 7 * step, begins))
    if len(months) > 1 and months[1][0] - months[0][0] < 3 * step:
        months = months[1:]  # a first month of a week or two: its name would run into the next one's
    end = float("-inf")
    for x, begins in months:
        words = f"{begins:%b}"
        if x >= end + font * 0.5 and x + text_width(words, font) <= width:
            parts.append(_text(x, top - 5, words, "axis"))
            end = x + text_width(words, font)
    years = [(x, b.year) for x, b in months if b.month == 1 or (x, b) == months[0]]
    end = float("-inf")
    for index, (x, year) in enumerate(years):
        later = years[index + 1][0] if index + 1 < len(years) else width
        if x >= end + font * 0.5 and x + text_width(str(year), font) <= later - font * 0.5:
            parts.append(_text(x, font, str(year), "axis year"))
            end = x + text_width(str(year), font)
    day = first
    while day <= last:
        column, row = (day - start).days // 7, day.weekday()
        parts.append(_cell(left + column * step, top + row * step, cells[day], CELL))
        day += DAY
    return _calendar_svg("wide", width, height, label, parts)


def _months_grid(first: date, last: date, cells: Cells, label: str) -> str:
    """For a phone: each month a small calendar of its own (a row per week, Monday first), three to a row,
    each named above (with its year in January and in the first month)."""
    size, step, font = 12, 14, CALENDAR_FONT + 0.5
    month_width, across = 7 * step - 2, 3
    month_height = font + 6 + 6 * step
    months = months_between(first, last)
    rows = -(-len(months) // across)
    width = across * month_width + (across - 1) * step
    height = rows * (month_height + 10) - 10
    parts = []
    for index, (year, month) in enumerate(months):
        x0 = (index % across) * (month_width + step)
        y0 = (index // across) * (month_height + 10)
        begins = date(year, month, 1)
        name = f"{begins:%b}" + (f" {year}" if month == 1 or index == 0 else "")
        parts.append(_text(x0, y0 + font, name, "axis"))
        day = max(first, begins)
        offset = begins.weekday()
        while day <= last and day.month == month:
            row, column = (day.day - 1 + offset) // 7, day.weekday()
            parts.append(_cell(x0 + column * step, y0 + font + 6 + row * step, cells[day], size))
            day += DAY
    return _calendar_svg("narrow", width, height, label, parts)


def _calendar_svg(name: str, width: float, height: float, label: str, parts: Sequence[str]) -> str:
    return (
        f'<svg class="calendar calendar-{name}" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
        f'height="{_f(height)}" font-size="{CALENDAR_FONT if name == "wide" else CALENDAR_FONT + 0.5:g}" '
        f'role="img" aria-label="{escape(label)}">{"".join(parts)}</svg>'
    )


def day_grid(first: date, last: date, levels: dict[date, int], titles: dict[date, str], label: str) -> Markup:
    """The days from `first` to `last`, twice: GitHub-style weeks as columns for a wide page, and month by month
    for a phone; the stylesheet shows the one that fits."""
    cells = _cells(first, last, levels, titles)
    wide = _weeks_grid(first, last, cells, label)
    narrow = _untitled(_months_grid(first, last, cells, label))
    return Markup(f'<div class="calendar-sizes">{wide}{narrow}</div>')


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


def _wrapped(text: str, room: float, font: float) -> list[str]:
    """A title in as many lines as it needs to fit `room`."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", font) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _title_lines(text: str, size: Size) -> tuple[list[str], float]:
    """A chart's heading line(s) and the top of the plot under them."""
    lines = _wrapped(text, size.width - 4, size.font)
    return [_text(2, (i + 1) * (size.font + 4) - 2, line, "axis direction") for i, line in enumerate(lines)], len(
        lines
    ) * (size.font + 4) + 12


def relief_chart(records: Sequence[tuple[date, float, float]], label: str) -> Markup:
    """Thought records as dumbbells: a hollow circle before, a filled one after, joined by a line."""
    if not records:
        return Markup("")
    first, last = records[0][0], max(records[-1][0], records[0][0] + timedelta(days=1))

    def draw(size: Size) -> str:
        heading, top = _title_lines("Intensity 0–100: ○ before, ● after", size)
        frame = Frame(first - timedelta(days=3), last + timedelta(days=3), 0, 100, size, top, size.height - BOTTOM)
        parts = [*_value_axis(frame, (0, 25, 50, 75, 100)), *_time_axis(frame)]
        for day, before, after in records:
            x = _f(frame.x(day))
            parts.append(
                f"<g><title>{day.day} {day:%b %Y}: {before:g} before, {after:g} after</title>"
                f'<line class="relief" x1="{x}" x2="{x}" y1="{_f(frame.y(before))}" y2="{_f(frame.y(after))}"/>'
                f'<circle class="before" cx="{x}" cy="{_f(frame.y(before))}" r="4"/>'
                f'<circle class="after" cx="{x}" cy="{_f(frame.y(after))}" r="4"/></g>'
            )
        return _svg(size, size.height, "chart", label, "thought-records", [*heading, *parts])

    return _both(draw)


def _count_grid(frame: Frame, peak: int, whole: bool = False) -> list[str]:
    """Gridlines and their numbers for bars of counts up to `peak` (only whole numbers, if `whole`)."""
    return _value_axis(frame, [v for v in ticks(0, peak) if not whole or v == int(v)])


def _month_candidates(xs: Sequence[tuple[float, date]]) -> list[list[tuple[float, str]]]:
    """Month names at the first bar of each month, every month, every second, third…, finest first."""
    firsts, seen = [], None
    for x, day in xs:
        if (day.year, day.month) != seen:
            firsts.append((x, day))
            seen = (day.year, day.month)
    return [[(x, f"{d:%b}") for x, d in firsts if (d.month - 1) % every == 0] for every in (1, 2, 3, 6, 12)]


def week_bars(counts: Sequence[tuple[date, int]], label: str) -> Markup:
    """Entries per week as small bars, the months on the axis."""
    if not counts:
        return Markup("")
    peak = max(c for _, c in counts) or 1
    titles = [f"Week of {monday.day} {monday:%b %Y}: {count}" for monday, count in counts]  # once for both drawings

    def draw(size: Size) -> str:
        height = 150
        frame = Frame(counts[0][0], counts[-1][0], 0, peak, size, 10, height - BOTTOM)
        step = (frame.right - frame.left) / len(counts)
        parts = _count_grid(frame, peak)
        xs = []
        for index, (monday, count) in enumerate(counts):
            x = frame.left + index * step
            y = frame.y(count)
            parts.append(
                f'<rect class="spark" x="{_f(x + 0.5)}" y="{_f(y)}" width="{_f(max(1.0, step - 1))}" '
                f'height="{_f(frame.bottom - y)}"><title>{titles[index]}</title></rect>'
            )
            xs.append((x + step / 2, monday))
        for x, words, anchor in _first_fitting(_month_candidates(xs), size.font, size.width):
            parts.append(_text(x, frame.bottom + 8 + size.font, words, "axis", anchor))
        return _svg(size, height, "chart weeks", label, "weeks", parts)

    return _both(draw)


HOMEWORK_SESSIONS = 26  # the last half year or so of weekly sessions


def homework_bars(rows: Sequence[tuple[date, int, int]], label: str) -> Markup:
    """Each session's homework as a bar: its outline the tasks set, the filled part those done."""
    if not rows:
        return Markup("")
    peak = max(total for _, _, total in rows)

    def draw(size: Size) -> str:
        height = 140
        frame = Frame(rows[0][0], rows[-1][0], 0, peak, size, 10, height - BOTTOM)
        step = min(26.0, (frame.right - frame.left) / len(rows))
        parts = _count_grid(frame, peak, whole=True)
        xs = []
        for index, (day, done, total) in enumerate(rows):
            x = frame.left + 2 + index * step
            bar = max(3.0, step - 4)
            parts.append(
                f"<g><title>Session of {day.day} {day:%b %Y}: {done} of {total} done</title>"
                f'<rect class="hw-set" x="{_f(x)}" y="{_f(frame.y(total))}" width="{_f(bar)}" '
                f'height="{_f(frame.bottom - frame.y(total))}"/>'
                f'<rect class="hw-done" x="{_f(x)}" y="{_f(frame.y(done))}" width="{_f(bar)}" '
                f'height="{_f(frame.bottom - frame.y(done))}"/></g>'
            )
            xs.append((x + bar / 2, day))
        for x, words, anchor in _first_fitting(_month_candidates(xs), size.font, size.width):
            parts.append(_text(x, frame.bottom + 8 + size.font, words, "axis", anchor))
        return _svg(size, height, "chart homework-chart", label, "homework", parts)

    return _both(draw)


def suds_chart(attempts: Sequence[tuple[float | None, float | None, float | None]], label: str) -> Markup:
    """One step's exposures, attempt by attempt: distress (SUDS 0–100) before (○), at its peak (the strong line)
    and after (●); habituation is the peak coming down."""
    if not attempts:
        return Markup("")
    chart_id = _id_of("suds", label)

    def draw(size: Size) -> str:
        height = 220
        heading, top = _title_lines("SUDS 0–100, attempt by attempt: ━ peak, ○ before, ● after", size)
        bottom = height - BOTTOM
        frame = Frame(date(2000, 1, 1), date(2000, 1, 2), 0, 100, size, top, bottom)
        span = max(1, len(attempts) - 1)

        def x(index: int) -> float:
            inner = frame.right - frame.left - 40
            return frame.left + 20 + index / span * inner if len(attempts) > 1 else (frame.left + frame.right) / 2

        parts = [*heading, *_value_axis(frame, (0, 25, 50, 75, 100))]
        candidates = [
            [(x(i), str(i + 1)) for i in range(len(attempts)) if i % every == 0 or i == len(attempts) - 1]
            for every in (1, 2, 5, 10, 20, 50, 100)
        ]
        for spot, words, anchor in _first_fitting(candidates, size.font, size.width):
            parts.append(_text(spot, bottom + 8 + size.font, words, "axis", anchor))
        peaks = []
        for index, (before, peak, after) in enumerate(attempts):
            at = _f(x(index))
            if peak is not None and after is not None:
                parts.append(
                    f'<line class="relief" x1="{at}" x2="{at}" y1="{_f(frame.y(peak))}" y2="{_f(frame.y(after))}"/>'
                )
            if before is not None:
                parts.append(f'<circle class="before" cx="{at}" cy="{_f(frame.y(before))}" r="4"/>')
            if after is not None:
                parts.append(f'<circle class="after" cx="{at}" cy="{_f(frame.y(after))}" r="4"/>')
            if peak is not None:
                peaks.append(f"{at},{_f(frame.y(peak))}")
        if len(peaks) > 1:
            parts.append(f'<polyline class="avg-short" points="{" ".join(peaks)}"/>')
        elif peaks:
            px, py = peaks[0].split(",")
            parts.append(
                f'<line class="avg-short" x1="{float(px) - 6:.1f}" x2="{float(px) + 6:.1f}" y1="{py}" y2="{py}"/>'
            )
        return _svg(size, height, "chart suds-chart", label, chart_id, parts)

    return _both(draw)
