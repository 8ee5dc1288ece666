"""Metric values as small glanceable badges: a bar whose length and tone say "better", plus the number."""

from __future__ import annotations

from typing import NamedTuple

from generator.config import Metric
from generator.entries import Entry

TONES = 5
WIDTHS = 10


class Badge(NamedTuple):
    """One metric value of one entry, ready to show (a named tuple: two are made for each entry and metric)."""

    key: str
    label: str
    value: float
    high: float
    unit: str
    width: int  # 1..WIDTHS, the bar's length: the value within its range
    tone: int  # 1..TONES, darker is better whatever the metric's direction
    level: str = ""  # the level the entry named (🙂, good), shown instead of the number
    band: str = ""  # the named band the value lies in (PHQ-9 12: moderate)

    @property
    def text(self) -> str:
        """What a screen reader hears: "Mood 6 of 10", "Mood 🙂, 7 of 10", "PHQ-9 12 of 27, moderate"."""
        shown = f"{self.level}, {self.value:g}" if self.level else f"{self.value:g}"
        text = f"{self.label} {shown} {self.unit}" if self.unit else f"{self.label} {shown} of {self.high:g}"
        return f"{text}, {self.band}" if self.band else text


def goodness(metric: Metric, value: float) -> float:
    """0 for the worst end of the range, 1 for the best, whichever way the metric runs."""
    share = (value - metric.low) / (metric.high - metric.low)
    return share if metric.higher_is_better else 1 - share


def badges(entry: Entry, metrics: dict[str, Metric]) -> list[Badge]:
    """The entry's metric values in the configured order."""
    result = []
    for key, metric in metrics.items():
        if key in entry.metrics:
            value = entry.metrics[key]
            share = (value - metric.low) / (metric.high - metric.low)
            result.append(
                Badge(
                    key,
                    metric.label,
                    value,
                    metric.high,
                    metric.unit,
                    max(1, round(share * WIDTHS)),
                    1 + min(TONES - 1, int(goodness(metric, value) * TONES)),
                    entry.levels.get(key, ""),
                    metric.band_of(value),
                )
            )
    return result
