"""jrnl's plain-text journal file, or the JSON that `jrnl --export json` writes → Imported records.

In the text file each entry starts with its time in brackets, `[2024-03-05 21:40]` or, in jrnl's current
default, `[2024-03-05 09:40:00 PM]` (--timeformat covers another jrnl setting), then its title on the same
line; a `*` ending that line stars it. jrnl's tags are words starting with @ (or #), kept in lower case.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from generator.importers.imported import MAX_TITLE, Imported, ImportFailed, Skipped, first_sentence

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M %p")
_HEADER = re.compile(r"^\[([^\[\]\n]{6,40})\][ \t]?(.*)$")
_TAG = re.compile(r"(?<![\w@#&/])[@#]([^\W\d_][\w-]*)")


def read(path: Path, timeformat: str | None = None) -> tuple[list[Imported], list[Skipped], list[str]]:
    """Every entry of a jrnl journal file or its JSON export."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            f"{path} cannot be read as a jrnl journal ({exc}); give the journal file "
            "or the file `jrnl --export json` wrote"
        ) from exc
    if text.lstrip().startswith("{"):
        return _from_json(path, text)
    return _from_text(path, text, (timeformat,) if timeformat else TIME_FORMATS)


def tags_in(text: str) -> list[str]:
    """jrnl's tags in a text: @word and #word, in lower case, each once."""
    return list(dict.fromkeys(m.group(1).lower() for m in _TAG.finditer(text)))


def _entry(when: datetime, title: str, body: str, starred: bool, tags: list[str] | None = None) -> Imported:
    """One jrnl entry; jrnl has no ids, so its time and title say which it is."""
    title, body = title.strip(), body.strip("\n")
    if not body:  # a one-line entry: its first sentence is the title, the rest its text
        sentence = re.match(r"^(.+?[.!?])\s+(\S.*)$", title)
        if sentence:
            title, body = sentence.group(1), sentence.group(2)
    if len(title) > MAX_TITLE:  # a title too long to show: its first words, and the text keeps it all
        title, body = first_sentence(title), f"{title}\n\n{body}".strip()
    mark = hashlib.blake2b(title.encode("utf-8"), digest_size=4).hexdigest()
    found = tags if tags is not None else tags_in(f"{title}\n{body}")
    return Imported(
        f"jrnl:{when:%Y-%m-%dT%H:%M}:{mark}",
        when,
        True,
        title or None,
        body,
        found,
        {"starred": True} if starred else {},
    )


def _from_text(path: Path, text: str, formats: tuple[str, ...]) -> tuple[list[Imported], list[Skipped], list[str]]:
    """The plain-text journal, one entry after another."""
    items: list[Imported] = []
    skipped: list[Skipped] = []
    current: tuple[int, datetime, str, list[str]] | None = None
    bad_at: int | None = None  # the line of a header whose time cannot be read: its lines are skipped with it

    def close() -> None:
        if current is not None:
            _, when, title, lines = current
            starred = title.rstrip().endswith("*")
            items.append(_entry(when, title.rstrip().rstrip("*"), "\n".join(lines), starred))

    headers = 0
    for number, line in enumerate(text.split("\n"), start=1):
        header = _HEADER.match(line)
        if header and header.group(1)[:1].isdigit():
            headers += 1
            when = _parse(header.group(1), formats)
            close()
            if isinstance(when, str):
                current, bad_at = None, number
                skipped.append(Skipped(f"line {number}", when))
            else:
                current, bad_at = (number, when, header.group(2), []), None
        elif current is not None:
            current[3].append(line)
        elif bad_at is None and line.strip():
            skipped.append(Skipped(f"line {number}", "is before the first entry (no [date] line above it)"))
            bad_at = number
    close()
    if not headers:
        raise ImportFailed(f"{path} is not a jrnl journal: no line starts with a [YYYY-MM-DD HH:MM] time")
    return items, skipped, []


def _parse(stamp: str, formats: tuple[str, ...]) -> datetime | str:
    """A jrnl time stamp, in the first of the forms that reads it; else what is wrong with it."""
    missing_day = False
    for form in formats:
        try:
            return datetime.strptime(stamp.strip(), form)
        except ValueError as exc:
            missing_day = missing_day or "day is out of range" in str(exc)  # the form fits; the day does not exist
    iso = _ISO_DATE.match(stamp.strip())
    why = no_such_date(*(int(part) for part in iso.groups())) if iso else None
    if why or missing_day:
        return f"[{stamp}] is a date that does not exist ({why or 'its month has fewer days'})"
    return f"[{stamp}] is not a time in the form {formats[0]!r} (give --timeformat for another)"


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?=\s|$)")


def no_such_date(year: int, month: int, day: int) -> str | None:
    """Why a year, month and day are not a date ("February 2024 has 29 days"), or None if they are one."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return None if 1 <= day <= days else f"{date(year, month, 1):%B %Y} has {days} days"


def _from_json(path: Path, text: str) -> tuple[list[Imported], list[Skipped], list[str]]:
    """`jrnl --export json`: {"tags": …, "entries": [{"title", "body", "date", "time", "tags", "starred"}]}."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ImportFailed(f"{path} is not a jrnl export (not JSON: {exc})") from exc
    records = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ImportFailed(f'{path} is not a jrnl export: it has no "entries" list')
    items, skipped = [], []
    for number, record in enumerate(records, start=1):
        try:
            items.append(_json_entry(record))
        except _Bad as bad:
            skipped.append(Skipped(f"entry {number}", str(bad)))
    return items, skipped, []


def _json_entry(record: Any) -> Imported:
    """One entry of jrnl's JSON export."""
    if not isinstance(record, dict):
        raise _Bad("is not a jrnl entry (not an object)")
    when = _json_time(record.get("date"), record.get("time"))
    tags = [str(t).lstrip("@#").lower() for t in record.get("tags") or [] if str(t).lstrip("@#")]
    return _entry(
        when,
        str(record.get("title") or ""),
        str(record.get("body") or ""),
        record.get("starred") is True,
        list(dict.fromkeys(tags)) if record.get("tags") is not None else None,
    )


class _Bad(Exception):
    """A record of the JSON export that cannot be imported, and why."""


def _json_time(day: Any, clock: Any) -> datetime:
    """The time of an entry of the JSON export, from its "date" (2024-03-05) and "time" (21:40)."""
    if not isinstance(day, str) or not day.strip():
        raise _Bad("has no date")
    iso = _ISO_DATE.fullmatch(day.strip())
    why = no_such_date(*(int(part) for part in iso.groups())) if iso else None
    if why:
        raise _Bad(f"date {day!r} does not exist ({why})")
    try:
        when = datetime.strptime(day.strip(), "%Y-%m-%d")
    except ValueError:
        raise _Bad(f"date {day!r} is not a date like 2024-03-05") from None
    try:
        at = datetime.strptime(str(clock).strip(), "%H:%M").time() if clock else time()
    except ValueError:
        raise _Bad(f"time {str(clock)!r} is not a time like 21:40") from None
    return datetime.combine(when.date(), at)
