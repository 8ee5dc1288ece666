"""Activity records (behavioural activation, type: activity) and exposure records (type: exposure), and which
entry type reads which form: a sleep diary night, an activity, an exposure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import EntryWarning
from generator.formfields import Field, FormReader, same_name
from generator.sleep import SLEEP_TYPE, SleepNight, read_sleep

ACTIVITY_TYPE, EXPOSURE_TYPE = "activity", "exposure"

MASTERY = Field("mastery", 0, 10, "how much it took, or how capable you felt doing it, 0–10")
PLEASURE = Field("pleasure", 0, 10, "how much you enjoyed it, 0–10")
PREDICTED = Field("predicted", 0, 10, "the mood you expected it to bring, before, 0–10 (optional)")
FELT = Field("felt", 0, 10, "your mood after it, 0–10 (optional)")
ACTIVITY_FIELDS = (MASTERY, PLEASURE, PREDICTED, FELT)

SUDS_BEFORE = Field("suds_before", 0, 100, "your distress (SUDS, 0–100) just before")
SUDS_PEAK = Field("suds_peak", 0, 100, "its highest point during the exposure, 0–100")
SUDS_AFTER = Field("suds_after", 0, 100, "your distress at the end, 0–100")
MINUTES = Field("minutes", 0, 1440, "how long you stayed with it, in minutes", "min")
EXPOSURE_FIELDS = (SUDS_BEFORE, SUDS_PEAK, SUDS_AFTER, MINUTES)


@dataclass(frozen=True, slots=True)
class Activity:
    """What was done, how much mastery and pleasure it gave (0–10), and the mood predicted and felt."""

    activity: str
    mastery: float | None
    pleasure: float | None
    predicted: float | None
    felt: float | None

    @property
    def gap(self) -> float | None:
        """How much better it felt than predicted (negative: worse), when both were given."""
        return self.felt - self.predicted if self.felt is not None and self.predicted is not None else None


@dataclass(frozen=True, slots=True)
class Exposure:
    """One exposure to a step of the person's hierarchy: distress (SUDS 0–100) before, at peak and after,
    how long, and the safety behaviours used."""

    step: str
    before: float | None
    peak: float | None
    after: float | None
    minutes: float | None
    safety: tuple[str, ...]

    @property
    def step_key(self) -> str:
        """The step as compared: repeated exposures to it line up whatever the case and spacing."""
        return same_name(self.step)


FormRecord = SleepNight | Activity | Exposure
FORM_TYPES = (SLEEP_TYPE, ACTIVITY_TYPE, EXPOSURE_TYPE)
_NAMES = {SLEEP_TYPE: "sleep diary", ACTIVITY_TYPE: "activity record", EXPOSURE_TYPE: "exposure record"}


def read_activity(form: FormReader) -> Activity:
    """An activity record's fields, checked."""
    if not form.text("activity"):
        form.warn("activity", "is missing; write what you did (activity: walk by the canal)")
    mastery, pleasure, predicted, felt = (form.number(f) for f in ACTIVITY_FIELDS)
    return Activity(form.text("activity"), mastery, pleasure, predicted, felt)


def read_exposure(form: FormReader) -> Exposure:
    """An exposure record's fields, checked."""
    step = form.text("step")
    if not step:
        form.warn("step", "is missing; name the step of your hierarchy (step: taking the tram)")
    before, peak, after, minutes = (form.number(f) for f in EXPOSURE_FIELDS)
    return Exposure(step, before, peak, after, minutes, form.words("safety"))


_READERS: dict[str, Callable[[FormReader], FormRecord]] = {
    SLEEP_TYPE: read_sleep,
    ACTIVITY_TYPE: read_activity,
    EXPOSURE_TYPE: read_exposure,
}


def read_record(
    kind: str,
    meta: dict[str, Any],
    front: Sequence[str],
    path: str,
    line_of: Callable[[str], int | None],
    warnings: list[EntryWarning],
) -> FormRecord | None:
    """The form an entry of this type holds (None for other types), every unusable value a warning."""
    reader = _READERS.get(kind)
    if reader is None:
        return None
    return reader(FormReader(meta, front, path, line_of, warnings, _NAMES[kind]))
