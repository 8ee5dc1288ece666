"""Daylio's CSV export → Imported records: one check-in a row, newest first in the file.

The columns are read by their names in the header (full_date, time, mood, activities, note_title, note;
newer exports add scales, older ones lack note_title). The time is 24-hour (21:10) or 12-hour (9:10 pm),
as the phone's locale wrote it. The mood is Daylio's word: Interlude's mood metric knows Daylio's five
(rad, good, meh, bad, awful) as levels; a mood renamed in Daylio is kept as written and named in a note,
with the journal.yaml line that charts it. Activities become tags; the note's bits of HTML become Markdown.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from datetime import datetime
from pathlib import Path

from generator.config import DEFAULT_METRICS
from generator.importers.imported import Imported, ImportFailed, Skipped

REQUIRED = {"full_date", "time", "mood"}
TIME_FORMATS = ("%H:%M", "%I:%M %p", "%I:%M%p", "%H:%M:%S")
ENTRY_TYPE = "check-in"


def read(path: Path) -> tuple[list[Imported], list[Skipped], list[str]]:
    """Every check-in of a Daylio CSV export."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path} cannot be read as Daylio's CSV export ({exc})") from exc
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    if not set(header) >= REQUIRED:
        raise ImportFailed(
            f"{path} is not Daylio's CSV export: its first line should name the columns "
            f"full_date, time, mood… (it has {', '.join(header[:6]) or 'nothing'})"
        )
    column = {name: index for index, name in enumerate(header)}
    items: list[Imported] = []
    skipped: list[Skipped] = []
    renamed: dict[str, int] = {}
    known = {name.casefold() for name, _ in DEFAULT_METRICS["mood"].levels}
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {name: row[index].strip() if index < len(row) else "" for name, index in column.items()}
        try:
            item = _check_in(values)
        except ValueError as exc:
            skipped.append(Skipped(f"line {line}", str(exc)))
            continue
        mood = values["mood"]
        if mood and mood.casefold() not in known:
            renamed[mood] = renamed.get(mood, 0) + 1
        items.append(item)
    return items, skipped, _mood_notes(renamed)


def _check_in(values: dict[str, str]) -> Imported:
    """One row of the export."""
    day, clock = values["full_date"], values["time"]
    try:
        date = datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"full_date {day!r} is not a date like 2024-03-05") from None
    when = None
    for form in TIME_FORMATS:
        try:
            when = datetime.combine(date.date(), datetime.strptime(clock.upper().replace(".", ""), form).time())
            break
        except ValueError:
            continue
    if when is None:
        raise ValueError(f"time {clock!r} is not a time like 21:10 or 9:10 pm")
    tags = [" ".join(a.split()) for a in values.get("activities", "").split(" | ") if a.strip()]
    meta: dict[str, object] = {"type": ENTRY_TYPE}
    if values["mood"]:
        meta["mood"] = values["mood"]
    body = markdown_of(values.get("note", ""))
    title = " ".join(html.unescape(values.get("note_title", "")).split()) or None
    mark = hashlib.blake2b(
        "\x00".join([values["mood"], values.get("activities", ""), values.get("note", "")]).encode(), digest_size=4
    ).hexdigest()
    return Imported(f"daylio:{when:%Y-%m-%dT%H:%M}:{mark}", when, True, title, body, list(dict.fromkeys(tags)), meta)


_BREAK = re.compile(r"<br\s*/?>", re.I)
_BOLD = re.compile(r"<(?:b|strong)>(.*?)</(?:b|strong)>", re.I | re.S)
_ITALIC = re.compile(r"<(?:i|em)>(.*?)</(?:i|em)>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def markdown_of(note: str) -> str:
    """A Daylio note (text with <br>, <b>, <i> and entities) as Markdown."""
    if not note:
        return ""
    text = _BREAK.sub("\n", note.replace("\r\n", "\n"))
    text = _BOLD.sub(lambda m: f"**{m.group(1).strip()}**" if m.group(1).strip() else "", text)
    text = _ITALIC.sub(lambda m: f"*{m.group(1).strip()}*" if m.group(1).strip() else "", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _mood_notes(renamed: dict[str, int]) -> list[str]:
    """What to add to journal.yaml for the moods renamed in Daylio (Interlude cannot know their values)."""
    if not renamed:
        return []
    levels = {name: int(value) for name, value in DEFAULT_METRICS["mood"].levels}
    extra = ", ".join(f'"{name}": N' for name in sorted(renamed))
    words = ", ".join(
        f"{name!r} ({count} check-in{'s' if count != 1 else ''})" for name, count in sorted(renamed.items())
    )
    current = ", ".join(f"{name}: {value}" for name, value in levels.items())
    return [
        f"moods renamed in Daylio were kept as written: {words}. To chart them, give each a value from 1 "
        f"to 10 (for N) in journal.yaml, under metrics:   mood: {{levels: {{{current}, {extra}}}}}"
    ]
