"""A sleep diary night (type: sleep), the Consensus Sleep Diary's core: its times, and the numbers derived from
them (time in bed, total sleep, sleep efficiency); a night whose times cannot all be true is a warning."""

from __future__ import annotations

from dataclasses import dataclass

from generator.config import Metric
from generator.formfields import DAY_MINUTES, Field, FormReader, clock_text, duration_text

SLEEP_TYPE = "sleep"
NOON = 12 * 60  # the night belongs to the entry's date: a time from noon on is that evening, earlier the next day

# The times, in the order the night goes, each with its line in the skeleton.
TIMES = (
    ("in_bed", "getting into bed", "when you got into bed, e.g. 23:00"),
    ("tried", "trying to sleep", "when you tried to go to sleep (lights out)"),
    ("woke", "the final waking", "when you woke for the last time"),
    ("out_of_bed", "getting out of bed", "when you got up for the day"),
)
LATENCY = Field("latency", 0, 720, "the minutes it took to fall asleep, e.g. 30", "min")
AWAKENINGS = Field("awakenings", 0, 50, "how many times you woke in the night, e.g. 2")
AWAKE = Field("awake", 0, 720, "the minutes you were awake in the night, all told, e.g. 20", "min")
QUALITY = Field("quality", 1, 5, "how well you slept, 1 (very poorly) to 5 (very well)")
FIELDS = (LATENCY, AWAKENINGS, AWAKE, QUALITY)

# The derived numbers as they are charted (the chart code draws metrics).
EFFICIENCY_METRIC = Metric("sleep-efficiency", "Sleep efficiency", 0, 100, True, "%")
ASLEEP_METRIC = Metric("sleep-total", "Total sleep", 0, 12, True, "h")
QUALITY_METRIC = Metric("sleep-quality", "Sleep quality", 1, 5, True)


@dataclass(frozen=True, slots=True)
class SleepNight:
    """One night as written (times in minutes after midnight), with what follows from it: time in bed and
    total sleep in minutes, None where the times needed are missing or cannot all be true."""

    in_bed: int | None
    tried: int | None
    latency: float | None
    awakenings: float | None
    awake: float | None
    woke: int | None
    out_of_bed: int | None
    quality: float | None
    in_bed_minutes: float | None  # into bed to out of bed
    asleep_minutes: float | None  # tried to sleep to final waking, less the minutes to fall asleep and awake

    @property
    def efficiency(self) -> float | None:
        """Total sleep as a percent of the time in bed."""
        if self.in_bed_minutes and self.asleep_minutes is not None:
            return 100 * self.asleep_minutes / self.in_bed_minutes
        return None

    @property
    def in_bed_text(self) -> str:
        """Time in bed as people say it: 7 h 45 min."""
        return duration_text(self.in_bed_minutes) if self.in_bed_minutes is not None else ""

    @property
    def asleep_text(self) -> str:
        """Total sleep as people say it: 6 h 20 min."""
        return duration_text(self.asleep_minutes) if self.asleep_minutes is not None else ""

    def shown(self, key: str) -> str:
        """A time of the night as written (23:00), or '' when not given."""
        value = getattr(self, key)
        return clock_text(value) if value is not None else ""


def on_the_night(minutes: int) -> int:
    """A time of day as minutes from the start of the entry's date: from noon it is that evening, before noon
    the next morning (01:30 is 25:30)."""
    return minutes if minutes >= NOON else minutes + DAY_MINUTES


def read_sleep(form: FormReader) -> SleepNight:
    """The night's fields, checked, and its derived numbers; times out of order are a warning on the later
    time's line, and leave the numbers that need them out."""
    times = {key: form.clock(key) for key, _, _ in TIMES}
    numbers = {field.key: form.number(field) for field in FIELDS}
    placed = {key: on_the_night(value) for key, value in times.items() if value is not None}
    broken = False
    earlier: tuple[str, int] | None = None
    for key, _, _ in TIMES:
        if key not in placed:
            continue
        if earlier and placed[key] < placed[earlier[0]]:
            form.warn(
                key,
                f"{_said(key)} at {clock_text(placed[key])} comes before {_said(earlier[0])} at "
                f"{clock_text(placed[earlier[0]])} (a time from noon on is the evening of the entry's date, one "
                "before noon the next morning); check the times: this night is left out of the sleep charts",
            )
            broken = True
        earlier = (key, placed[key])
    in_bed = asleep = None
    if not broken and "in_bed" in placed and "out_of_bed" in placed:
        in_bed = float(placed["out_of_bed"] - placed["in_bed"])
    if not broken and "tried" in placed and "woke" in placed:
        asleep = placed["woke"] - placed["tried"] - (numbers["latency"] or 0) - (numbers["awake"] or 0)
        if asleep < 0:
            key = "awake" if numbers["awake"] else "latency"
            form.warn(
                key,
                f"the minutes to fall asleep and awake ({(numbers['latency'] or 0):g} + {(numbers['awake'] or 0):g}) "
                f"are more than the {duration_text(placed['woke'] - placed['tried'])} from trying to sleep to the "
                "final waking; check them: this night is left out of the sleep charts",
            )
            in_bed = asleep = None
    return SleepNight(
        times["in_bed"],
        times["tried"],
        numbers["latency"],
        numbers["awakenings"],
        numbers["awake"],
        times["woke"],
        times["out_of_bed"],
        numbers["quality"],
        in_bed,
        asleep,
    )


def _said(key: str) -> str:
    """A time's meaning, in a message."""
    return next(said for name, said, _ in TIMES if name == key)
