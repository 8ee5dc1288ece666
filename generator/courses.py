"""Courses of therapy, and whether a questionnaire's change across each is reliable. Pure.

A course starts at the first session after a pause of more than eight weeks without sessions. Across a
course, its first score and its latest are compared as NHS Talking Therapies reports a course: a change of
at least the measure's reliable-change threshold, in the better direction, is "reliable improvement", in the
worse one "reliable deterioration", anything smaller "no reliable change"; a first score at or past the
cut-off ("caseness") with a latest one on the other side of it, together with reliable improvement, is
"reliable recovery".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.config import Metric
from generator.entries import Entry
from generator.stats import Point

COURSE_PAUSE = 8 * 7  # days without a session after which the next session starts a new course

RECOVERY = "reliable recovery"
IMPROVEMENT = "reliable improvement"
DETERIORATION = "reliable deterioration"
NO_CHANGE = "no reliable change"


def course_starts(sessions: Sequence[date]) -> list[date]:
    """The day each course starts: the first session, and every session after more than COURSE_PAUSE days."""
    starts: list[date] = []
    previous: date | None = None
    for day in sorted(sessions):
        if previous is None or (day - previous).days > COURSE_PAUSE:
            starts.append(day)
        previous = day
    return starts


@dataclass(frozen=True)
class ReliableChange:
    """One questionnaire across one course (or across the journal, without sessions): first and latest score."""

    metric: Metric
    first: Point
    latest: Point
    scores: int  # how many scores the course holds
    course: date | None  # the day its first session was; None: no sessions, the journal as a whole
    sessions: int  # sessions in the course

    @property
    def delta(self) -> float:
        """latest − first, in points."""
        return self.latest.value - self.first.value

    @property
    def verdict(self) -> str:
        """The NHS Talking Therapies words for the change; '' with a single score."""
        if self.scores < 2:
            return ""
        better = self.delta if self.metric.higher_is_better else -self.delta
        if better >= self.metric.reliable_change:
            recovered = self.metric.is_case(self.first.value) and not self.metric.is_case(self.latest.value)
            return RECOVERY if recovered else IMPROVEMENT
        if -better >= self.metric.reliable_change:
            return DETERIORATION
        return NO_CHANGE


def reliable_changes(
    metrics: dict[str, Metric], sessions: Sequence[date], entries: Sequence[Entry]
) -> list[ReliableChange]:
    """For each questionnaire with a reliable-change threshold, one line per course with its scores among
    `entries` (oldest first), oldest course first. Scores written before the first session count with the
    first course; without sessions, the entries are one stretch."""
    starts = course_starts(sessions)
    results = []
    for key, metric in metrics.items():
        if not metric.questionnaire or not metric.reliable_change:
            continue
        courses: dict[int, list[Point]] = {}
        for entry in entries:
            if key in entry.metrics:
                index = max(0, sum(1 for start in starts if start <= entry.day) - 1)
                courses.setdefault(index, []).append(Point(entry.day, entry.metrics[key]))
        for index, points in sorted(courses.items()):
            start = starts[index] if starts else None
            end = starts[index + 1] if index + 1 < len(starts) else date.max
            held = sum(1 for day in sessions if start is not None and start <= day < end)
            results.append(ReliableChange(metric, points[0], points[-1], len(points), start, held))
    return results


def threshold_words(metric: Metric) -> str:
    """The thresholds a questionnaire is judged by, and their source, in a few words."""
    text = f"{metric.label}: a change of {metric.reliable_change:g} points or more"
    if metric.cutoff is not None:
        text += f", a cut-off of {metric.cutoff:g} {'or less' if metric.higher_is_better else 'or more'}"
    return text + (f" ({metric.source})" if metric.source else "")


def judged(results: Sequence[ReliableChange]) -> list[str]:
    """threshold_words() of each questionnaire among the results, once each, in their order."""
    seen: dict[str, str] = {}
    for result in results:
        seen.setdefault(result.metric.key, threshold_words(result.metric))
    return list(seen.values())
