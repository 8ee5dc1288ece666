"""The fields of the forms a therapist gives between sessions, declared once (key, range, the skeleton's line)
and read from front matter into checked values; each value that cannot be used is one warning with its line."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import EntryWarning

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")  # 23:00, 6:30, 06.30
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Field:
    """One number of a form: its key, its range, its unit, and what it means (the skeleton's comment)."""

    key: str
    low: float
    high: float
    help: str
    unit: str = ""


def same_name(name: str) -> str:
    """A name as compared: "Taking the tram" and "taking  the tram" are one step."""
    return " ".join(name.split()).casefold()


def written_text(front: Sequence[str], key: str) -> str | None:
    """What the person typed after `key:` in the front matter (without a # comment or quotes), or None."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:(.*)$")
    for line in front:
        found = pattern.match(line)
        if found:
            return found.group(1).split(" #")[0].strip().strip("'\"")
    return None


def clock_minutes(value: Any, written: str | None = None) -> int | None:
    """A time of day as minutes after midnight ("23:00" → 1380), or None if it is not one. `written` is the
    text the person typed: YAML 1.1 reads an unquoted 23:00 as the sexagesimal number 1380, and what was written
    is what counts; without it, a whole number from such a reader is taken as those minutes."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and written is not None and _CLOCK.match(written):
        value = written
    if isinstance(value, str):
        found = _CLOCK.match(value.strip())
        return int(found.group(1)) * 60 + int(found.group(2)) if found else None
    if isinstance(value, int) and written is None and 0 <= value < DAY_MINUTES:
        return value  # 23:00 as YAML 1.1 reads it: 23 × 60 + 0
    return None


def clock_text(minutes: int) -> str:
    """Minutes after midnight as a clock shows them: 1380 → 23:00 (a time past midnight: 390 → 06:30)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def duration_text(minutes: float) -> str:
    """A length of time as people say it: 7 h 45 min, 45 min, 8 h."""
    whole = round(minutes)
    hours, rest = divmod(abs(whole), 60)
    sign = "-" if whole < 0 else ""
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"


def one_line(value: Any, width: int = 30) -> str:
    """A value as written, for a message: on one line, and not too long."""
    return " ".join(str(value).split())[:width]


@dataclass
class FormReader:
    """Reads one entry's form fields, each problem a warning naming the file and the key's line."""

    meta: dict[str, Any]
    front: Sequence[str]
    path: str
    line_of: Callable[[str], int | None]
    warnings: list[EntryWarning]
    form: str  # how the form is named in messages: "sleep diary"

    def warn(self, key: str, what: str) -> None:
        """One warning about `key`, on its line."""
        self.warnings.append(EntryWarning(self.path, f"{key}: {what}", self.line_of(key)))

    def number(self, field: Field) -> float | None:
        """A number within the field's range, else None (a value given but unusable is warned about)."""
        raw = self.meta.get(field.key)
        if raw is None or raw == "":
            return None
        unit = f" {field.unit}" if field.unit else ""
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            self.warn(field.key, f"{one_line(raw)} is not a number; write {field.help}")
            return None
        if not field.low <= raw <= field.high:
            self.warn(
                field.key,
                f"{one_line(raw)} is outside {field.low:g}–{field.high:g}{unit}; left out of the {self.form}",
            )
            return None
        return float(raw)

    def clock(self, key: str) -> int | None:
        """A time of day (minutes after midnight), else None (a value given but not a time is warned about)."""
        raw = self.meta.get(key)
        if raw is None or raw == "":
            return None
        minutes = clock_minutes(raw, written_text(self.front, key) if self.line_of(key) else None)
        if minutes is None:
            self.warn(key, f"{one_line(raw)} is not a time of day; write it as 23:00 or 06:30 (24-hour clock)")
        return minutes

    def text(self, key: str) -> str:
        """A few words (a name), on one line; '' when missing."""
        raw = self.meta.get(key)
        if raw is None or isinstance(raw, (dict, list)):
            if raw is not None:
                self.warn(key, f"should be a few words, not a list; left out of the {self.form}")
            return ""
        return " ".join(str(raw).split())

    def words(self, key: str) -> tuple[str, ...]:
        """A list of short phrases (a YAML list, or phrases separated by commas)."""
        raw = self.meta.get(key)
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else str(raw).split(",")
        return tuple(" ".join(str(i).split()) for i in items if i is not None and str(i).strip())
