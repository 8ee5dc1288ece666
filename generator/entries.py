"""One file → Entry (front matter, date, title, tags, metrics, HTML body), or EntryError."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.comments import without_comments
from generator.config import Config, Metric
from generator.converter import MarkdownConverter
from generator.diarycard import CARD_TYPE, DiaryCard, read_card
from generator.errors import EntryError, EntryWarning
from generator.excerpts import first_words, lead_text, plain_text
from generator.formfields import one_line
from generator.frontmatter import decode, inline_fields, split
from generator.hashtags import hashtags, without_hashtag_links
from generator.html_clean import clean_html, remote_media
from generator.records import FormRecord, read_record
from generator.refs import ROOT_MARK, Ref, Resolved, find_refs, heading_ids, in_one_file, show_links
from generator.slugs import slugify, tag_slug
from generator.tasks import task_boxes, task_list

KNOWN_KEYS = {"title", "date", "type", "tags", "discuss", "milestone", "private", "slug", "resurface", "starred"}
DEFAULT_TYPE = "reflection"
EARLIEST_YEAR, LATEST_YEAR = 1000, 9000  # dates near datetime's own limits (years 1 and 9999) break date arithmetic
_DATE_IN_NAME = re.compile(
    r"^(?P<Y>\d{4})(?P<dash>-?)(?P<m>\d{2})(?P=dash)(?P<d>\d{2})(?!\d)"
)  # 2021-01-02 or 20210102, as daily notes name files
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")  # a level-1 heading only: "## Situation" opens a section
TRUE_WORDS = {"true", "yes", "on", "1", "y"}  # a yes, written as a word (flags, and the fields patterns compare)
_TAGS: dict[tuple[str, str], Tag] = {}  # one Tag object per distinct tag: thousands of entries share them
_FALSE = {"false", "no", "off", "0", "n", ""}
_CLEARLY_FALSE = {"false", "no", "off", "0"}  # the only words that let an entry out of `private:`
_Date = date  # `Entry.date` (a field) hides the type inside Entry's body; annotations there use this


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag as written, and the name its page gets."""

    name: str
    slug: str


@dataclass(slots=True)
class Entry:
    """One journal entry, fully read and converted; the unit everything else is built from."""

    source: str
    title: str
    date: datetime
    has_time: bool
    type: str
    tags: tuple[Tag, ...]
    metrics: dict[str, float]
    discuss: bool
    milestone: str | None
    private: bool
    slug: str
    body: bytes  # the HTML body, UTF-8: half the memory of a str holding a single curly quote
    lead: str = ""  # the first paragraphs' text, for excerpts
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[EntryWarning] = field(default_factory=list)
    key: str = ""  # unique page name, assigned by the journal: 2024-03-05-slug
    digest: str = ""  # hash of the file's bytes: the entry changes exactly when this does

    day: _Date = _Date.min  # the calendar day, kept beside `date`: charts ask for it tens of thousands of times
    resurface: bool = True  # may come back by itself in "On this day" (`resurface: false` never does)
    starred: bool = False  # marked as one to find again (Day One's and jrnl's star)
    record: FormRecord | None = None  # a sleep diary night, an activity or an exposure (type: sleep, activity…)
    levels: dict[str, str] = field(default_factory=dict)  # metrics written as a named level (mood: 🙂) → as written
    answers: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a questionnaire's item scores (phq9: [1, 2…])
    tasks: tuple[tuple[bool, str], ...] = ()  # its task list: (done, the task's words), in order
    card: DiaryCard | None = None  # a DBT diary card's ratings, urges acted on and skills (type: diary-card)

    risks: tuple[str, ...] = ()  # the questionnaires whose risk item (PHQ-9's ninth) it answers above the lowest

    @property
    def urgent(self) -> bool:
        """A questionnaire whose risk item (PHQ-9's ninth: thoughts of being better off dead, or of hurting
        oneself) is answered above its lowest answer, or a diary card with an urge to suicide above 0."""
        return bool(self.risks) or bool(self.card and self.card.urgent)

    refs: tuple[Ref, ...] = ()  # its links to other entries and files, as written (marks in `body`)
    # Set by the journal, never cached: what each of `refs` points at now, and a hash of that.
    links: tuple[Resolved, ...] = ()
    linked: str = ""

    @property
    def state(self) -> str:
        """What the entry's pages are made from: its file's content and what its links point at."""
        return self.digest + self.linked if self.linked else self.digest

    @property
    def machine_date(self) -> str:
        """The entry's <time datetime="…">: date and time, or the date alone when no time was given."""
        return self.date.isoformat() if self.has_time else self.day.isoformat()

    @property
    def html(self) -> str:
        """The body as HTML, its links to tag pages made for the entry's own page (in entries/)."""
        return self.html_at("../")

    def html_at(self, root: str, text: str | None = None) -> str:
        """The body as HTML on a page `root` away from the site's top folder ('' or '../'); `text`: the body as
        it is to be shown (with other entries shown in it), else as it was read."""
        if text is None:
            text = self.body.decode("utf-8", "surrogatepass")
        if self.refs:
            text = show_links(text, self.links or [Resolved(None)] * len(self.refs), ROOT_MARK)
        return text.replace(ROOT_MARK, root) if ROOT_MARK in text else text

    @property
    def plain_html(self) -> str:
        """The body as HTML for a page that carries no other files: #hashtags as plain words, links to other
        entries and attached files as their text."""
        return self.one_file_html({}, set())

    def one_file_html(self, pictures: dict[str, str], keys: set[str]) -> str:
        """The body for a page that is one file: #hashtags as plain words, pictures from `pictures` (a copy's
        address → its data: address), links to the entries `keys` as links within the page, other links as
        their text."""
        text = self.body.decode("utf-8", "surrogatepass")
        if self.refs:
            text = in_one_file(text, self.refs, self.links, pictures, keys)
        return without_hashtag_links(text)

    @property
    def text(self) -> str:
        """The body as plain text (worked out when asked: a large journal keeps less in memory)."""
        return plain_text(self.html)

    @property
    def words(self) -> int:
        """Number of words in the body."""
        return len(self.text.split())

    @property
    def url(self) -> str:
        """The entry's page, relative to the site root."""
        return f"entries/{self.key}.html"

    def excerpt(self, words: int = 40) -> str:
        """The first words of the body's paragraphs (headings left out), as plain text."""
        return first_words(self.lead or self.text, words)


def shared_tags(entry: Entry) -> None:
    """Make the entry use the one shared Tag object per tag (entries read in other processes bring copies)."""
    entry.tags = tuple(_TAGS.setdefault((t.name, t.slug), t) for t in entry.tags)


def _flag(
    meta: dict[str, Any], key: str, path: str, warnings: list[EntryWarning], front: list[str], unclear: bool = False
) -> bool:
    """A yes/no key: YAML booleans, and the words people write (yes, no, on, off). Any other value is warned
    about and read as `unclear`: True for `private`, so that an entry in doubt never leaves the site."""
    if key not in meta:
        return False
    value = meta[key]
    if isinstance(value, bool):
        return value
    word = "" if value is None else str(value).strip().lower() if isinstance(value, (str, int, float)) else "?"
    if word in TRUE_WORDS:
        return True
    if word in (_CLEARLY_FALSE if unclear else _FALSE):  # an empty `discuss:` is no; an empty or `n` private is not
        return False
    written = "has no value" if not word else f"{one_line(value)!r} is not true or false"
    outcome = "the entry is kept private (write private: false to share it)" if unclear else "read as false"
    warnings.append(EntryWarning(path, f"{key}: {written}; {outcome}", _line_of(front, key)))
    return unclear


def parse_date(value: Any) -> tuple[datetime, bool]:
    """A front-matter date (date only, with time, with or without seconds or offset) as wall-clock time."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return datetime.combine(value, time()), False
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.combine(date.fromisoformat(text), time()), False
        parsed = datetime.fromisoformat(text.replace(" T", "T").replace("Z", "+00:00"))
    # Offsets are dropped on purpose: a diary is read in the wall-clock time it was written in,
    # and mixing aware and naive datetimes must never crash a sort.
    return parsed.replace(tzinfo=None), True


class _Lines(list[str]):
    """The front matter's lines, and the lines of the keys written as Dataview fields in the text."""

    fields: dict[str, int]


def _line_of(front: list[str], key: str) -> int | None:
    """The file line on which a front-matter key appears (front matter starts on line 2), or its field."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(front, start=2):
        if pattern.match(line):
            return number
    return getattr(front, "fields", {}).get(key)


def _with_fields(
    meta: dict[str, Any], front: list[str], fields: dict[str, tuple[Any, int]]
) -> tuple[dict[str, Any], list[str]]:
    """Front matter with the text's Dataview fields added; where both give a key, the front matter wins (and
    the field's line is still one Interlude read: it is not shown as text)."""
    added = {key: value for key, (value, _) in fields.items() if key not in meta}
    lines = _Lines(front)
    lines.fields = {key: line for key, (_, line) in fields.items()}
    return {**added, **meta}, lines


def _without_fields(body: str, first_line: int, front: list[str], config: Config) -> str:
    """The body without the Dataview lines Interlude took a value from (a metric, the date, the tags…): they
    are shown as the entry's badges and tags. Each becomes an empty line, so that lines keep their numbers."""
    used = {line for key, line in getattr(front, "fields", {}).items() if key in KNOWN_KEYS or key in config.metrics}
    if not used:
        return body
    lines = body.split("\n")
    for line in used:
        lines[line - first_line] = ""
    return "\n".join(lines)


def _entry_date(
    meta: dict[str, Any],
    path: str,
    name: str,
    front: list[str],
    warnings: list[EntryWarning],
    pattern: str | None = None,
) -> tuple[datetime, bool]:
    """The date from front matter, else from the start of the file name: YYYY-MM-DD, YYYYMMDD, or the
    journal's own `filename_date` form."""
    if meta.get("date") not in (None, ""):
        try:
            when, has_time = parse_date(meta["date"])
        except (ValueError, TypeError) as exc:
            raise EntryError(
                path,
                f"date {one_line(meta['date'], 40)} is not a real date; write it as 2024-03-05 or 2024-03-05 21:40",
                _line_of(front, "date"),
            ) from exc
    else:
        found = (filename_pattern(pattern).match(name) if pattern else None) or _DATE_IN_NAME.match(name)
        if not found:
            raise EntryError(
                path, "has no date; add `date: YYYY-MM-DD` to its front matter or start its file name with the date"
            )
        try:
            year, month, day = (int(part) for part in found.group("Y", "m", "d"))
            century = 2000 if len(found.group("Y")) == 2 else 0  # %y: 21 is 2021
            when, has_time = datetime(century + year, month, day), False
        except ValueError as exc:
            raise EntryError(
                path,
                f"file name starts with {found.group(0)}, which is not a real date; "
                "rename it or add `date:` to its front matter",
            ) from exc
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        raise EntryError(
            path,
            f"date {when.date().isoformat()} is too far from today to place on a timeline; is the year right?",
            _line_of(front, "date"),
        )
    if when.year < 1900 or when.year > datetime.now().year + 1:
        warnings.append(
            EntryWarning(path, f"date {when:%Y-%m-%d} is far from today; is the year right?", _line_of(front, "date"))
        )
    return when, has_time


_DIRECTIVES = {"%Y": r"(?P<Y>\d{4})", "%y": r"(?P<Y>\d{2})", "%m": r"(?P<m>\d{1,2})", "%d": r"(?P<d>\d{1,2})"}


@lru_cache(maxsize=8)
def filename_pattern(form: str) -> re.Pattern[str]:
    """A `filename_date` form such as %d.%m.%Y as a pattern matching the start of a file name, with groups
    Y, m and d."""
    parts = re.split(r"(%[Yymd])", form)
    text = "".join(_DIRECTIVES.get(part, re.escape(part)) for part in parts)
    return re.compile(rf"^{text}(?!\d)")


def _tags(value: Any, path: str, front: list[str], warnings: list[EntryWarning]) -> tuple[Tag, ...]:
    """Tags from a YAML list or a comma-separated string; empty ones dropped, duplicates merged."""
    if value is None:
        return ()
    raw = value if isinstance(value, list) else str(value).split(",")
    tags: dict[str, Tag] = {}
    for item in raw:
        if item is None or isinstance(item, (dict, list)):
            warnings.append(
                EntryWarning(path, "a tag is empty or not a word; it was left out", _line_of(front, "tags"))
            )
            continue
        name = " ".join(str(item).split())
        if not name:
            continue
        tag = _tag_named(name)
        tags.setdefault(tag.slug, tag)
    return tuple(tags.values())


def _new_tags(declared: tuple[Tag, ...], inline: list[str]) -> tuple[Tag, ...]:
    """The #hashtags of the text that the front matter's tags do not already hold."""
    if not inline:
        return ()
    have = {t.slug for t in declared}
    extra: dict[str, Tag] = {}
    for name in inline:
        tag = _tag_named(name)
        if tag.slug not in have:
            extra.setdefault(tag.slug, tag)
    return tuple(extra.values())


@lru_cache(maxsize=4096)
def _tag_named(name: str) -> Tag:
    """The one Tag for a name: the same few tags come back in thousands of entries."""
    slug = tag_slug(name)
    return _TAGS.setdefault((name, slug), Tag(name, slug))


def _answers(
    key: str,
    raw: list[Any],
    metric: Metric,
    path: str,
    line: int | None,
    warnings: list[EntryWarning],
    answers: dict[str, tuple[int, ...]],
) -> float | None:
    """A questionnaire given item by item (phq9: [1, 2, 0, …]): its score, the items kept in `answers`; a list
    of the wrong length or an answer outside the questionnaire's range is a warning, and the score is left out."""
    low, high = metric.answers
    if len(raw) != metric.items:
        warnings.append(
            EntryWarning(
                path,
                f"{key}: {len(raw)} answers given, {metric.label} has {metric.items}; "
                f"left out of the charts (give every answer, {low} to {high}, or the total)",
                line,
            )
        )
        return None
    for number, answer in enumerate(raw, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int) or not low <= answer <= high:
            allowed = ", ".join(map(str, range(low, high))) + f" or {high}" if high - low < 6 else f"{low} to {high}"
            warnings.append(
                EntryWarning(
                    path,
                    f"{key}: answer {number} is {one_line(answer)}, not {allowed}; left out of the charts",
                    line,
                )
            )
            return None
    answers[key] = tuple(raw)
    return metric.score(answers[key])


def _metrics(
    meta: dict[str, Any],
    config: Config,
    path: str,
    front: list[str],
    warnings: list[EntryWarning],
    levels: dict[str, str],
    answers: dict[str, tuple[int, ...]],
) -> dict[str, float]:
    """Declared metrics with numeric, in-range values (a named level counts as its value, and goes into
    `levels` as written; a questionnaire's answers add up to its score, kept in `answers`); anything else
    is a warning, not a crash."""
    values: dict[str, float] = {}
    for key, metric in config.metrics.items():
        if key not in meta or meta[key] is None:
            continue
        raw = meta[key]
        if metric.items and isinstance(raw, list):
            total = _answers(key, raw, metric, path, _line_of(front, key), warnings, answers)
            if total is not None:
                values[key] = total
            continue
        try:
            if isinstance(raw, bool):
                raise ValueError
            level = metric.value_of(raw) if metric.levels and isinstance(raw, str) else None
            number = float(raw) if level is None else level
            if level is not None:
                levels[key] = " ".join(raw.split())
        except OverflowError:  # an integer too large for a float is outside any range
            number = float("inf")
        except (TypeError, ValueError):
            known = f" or one of its levels ({', '.join(name for name, _ in metric.levels)})" if metric.levels else ""
            warnings.append(
                EntryWarning(
                    path, f"{key}: {one_line(raw)} is not a number{known}; left out of the charts", _line_of(front, key)
                )
            )
            continue
        if number != number or not metric.contains(number):
            warnings.append(
                EntryWarning(
                    path,
                    f"{key}: {one_line(raw)} is outside {metric.low:g}–{metric.high:g}; left out of the charts",
                    _line_of(front, key),
                )
            )
            continue
        values[key] = number
    return values


INTENSITY_KEYS = ("before", "after")  # a thought record's emotion, 0–100, before and after working through it


def _extra(
    meta: dict[str, Any], config: Config, path: str, front: list[str], warnings: list[EntryWarning]
) -> dict[str, Any]:
    """The keys Interlude has no field for, kept for templates; a thought record's intensities are checked."""
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS and k not in config.metrics}
    for key in INTENSITY_KEYS:
        value = extra.get(key)
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100):
            continue
        what = (
            "is not a number" if isinstance(value, bool) or not isinstance(value, (int, float)) else "is outside 0–100"
        )
        warnings.append(
            EntryWarning(
                path,
                f"{key}: {one_line(value)} {what}; this thought record is left out of "
                "the relief chart (write how strong the feeling was, 0–100)",
                _line_of(front, key),
            )
        )
    return extra


def _title(meta: dict[str, Any], body: str, front: list[str]) -> tuple[str | None, str]:
    """The front-matter title, else a heading that opens the body (taken out so it is not shown twice)."""
    title = meta.get("title")
    if isinstance(title, (int, float)) and not isinstance(title, bool):
        # A title that YAML reads as a number (1.10, 2024) is shown as written, not as 1.1.
        written = next((line.split(":", 1)[1].strip() for line in front if re.match(r"title\s*:", line)), "")
        title = written.split(" #")[0].strip().strip("'\"") or title
    if title is not None and str(title).split():  # a title of only spaces (or NEL, U+3000…) is no title
        return " ".join(str(title).split()), body
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        # Only the opening line, and only a `# Heading`: a section heading (## Situation) is not a title.
        found = _HEADING.match(line)
        if found and found.group(1).strip():
            rest = lines[:index] + [""] + lines[index + 1 :]  # a blank line in its place: the lines keep their numbers
            return found.group(1).strip(), "\n".join(rest)
        break
    return None, body


def _slug(title: str, titled: bool, when: datetime, has_time: bool, kind: str) -> str:
    """The page name's part after the date: the title's words; for an untitled entry its time, or its type
    (the date is in the page name already)."""
    if titled:
        return slugify(title, fallback=kind)
    return f"{when:%H-%M}" if has_time else kind


def _read_file(path: Path) -> bytes:
    """A file's bytes, by plain system calls: half the time of Path.read_bytes on small files."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


# Python-Markdown reads each level of a list or a quote by calling itself again: a document nested deeply
# enough runs out of Python's stack, at a depth that changes between its versions. No one writes 40 levels, so
# Interlude stops there, the same for every version, and says where.
MAX_NESTING = 40
_NESTED = re.compile(r"^([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)+)", re.M)
_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]|>")
_MARKED_LINE = re.compile(
    r"\n[ \t]*[-*+>\d]"
)  # a line that may open a list or a quote (each match of _NESTED starts one)
_TOO_DEEP_MESSAGE = f"nests lists or quotes too deeply (more than {MAX_NESTING} levels); flatten them"


def _too_deep(body: str) -> int | None:
    """The line (counted from the body's first) where lists or quotes nest more than MAX_NESTING levels, if any."""
    if "-" not in body and ">" not in body and "*" not in body and "+" not in body and "." not in body:
        return None
    text = "\n" + body  # every line now starts after a newline, which a search finds quickly (unlike ^ in re.M)
    for line in _MARKED_LINE.finditer(text):
        found = _NESTED.match(text, line.start() + 1)  # the same matches as a search of the body for _NESTED
        if found:
            levels = len(found.group(1).expandtabs(4)) // 2 + len(_MARKER.findall(found.group(2)))
            if levels > MAX_NESTING:
                return text.count("\n", 1, found.start())
    return None


def read_entry(path: Path, source: str, config: Config, converter: MarkdownConverter, rel: str | None = None) -> Entry:
    """Path in, Entry or EntryError out: the one reader contract.

    `source` is the path relative to the entries folder; `rel` is how messages name the file."""
    rel = rel or source
    try:
        data = _read_file(path)
    except OSError as exc:
        raise EntryError(rel, f"cannot be read ({exc.strerror}); check its permissions") from exc
    text = decode(data, rel)
    meta, body, body_line = split(text, rel)
    body = without_comments(body)  # before anything else sees the text: a comment is never shown
    front = text.split("\n", body_line - 2)[1 : body_line - 2] if meta else []  # the front matter's lines
    fields = inline_fields(body, body_line)
    if fields:
        meta, front = _with_fields(meta, front, fields)
        body = _without_fields(body, body_line, front, config)
    warnings: list[EntryWarning] = []
    when, has_time = _entry_date(meta, rel, path.name, front, warnings, config.filename_date)
    title, body = _title(meta, body, front)
    titled = title is not None
    if title is None:
        title = f"{when.day} {when:%B %Y}"
    kind = slugify(str(meta.get("type") or DEFAULT_TYPE), fallback=DEFAULT_TYPE)
    milestone = meta.get("milestone")
    if milestone is True:
        milestone = title
    elif milestone in (None, False, "") or str(milestone).strip().lower() in _FALSE:
        milestone = None
    deep = _too_deep(body)
    if deep is not None:
        raise EntryError(rel, _TOO_DEEP_MESSAGE, body_line + deep)
    try:
        body_html = converter.convert(body)
    except RecursionError as exc:  # Python-Markdown recurses once per level of nesting: a last guard
        raise EntryError(rel, _TOO_DEEP_MESSAGE) from exc
    body_html = remote_media(clean_html(body_html, body, body_line, rel, warnings), body, body_line, rel, warnings)
    body_html, refs = find_refs(heading_ids(body_html), body, body_line, source)
    body_html = task_boxes(body_html)
    inline_tags: list[str] = []
    if config.hashtags:
        body_html, inline_tags = hashtags(body_html)
    declared = _tags(meta.get("tags"), rel, front, warnings)
    levels: dict[str, str] = {}
    answers: dict[str, tuple[int, ...]] = {}
    return Entry(
        source=source,
        title=title,
        date=when,
        has_time=has_time,
        type=kind,
        tags=declared + _new_tags(declared, inline_tags),
        metrics=_metrics(meta, config, rel, front, warnings, levels, answers),
        discuss=_flag(meta, "discuss", rel, warnings, front),
        milestone=" ".join(str(milestone).split()) if milestone else None,
        private=_flag(meta, "private", rel, warnings, front, unclear=True),
        slug=slugify(str(meta.get("slug") or ""), fallback="") or _slug(title, titled, when, has_time, kind),
        body=body_html.encode("utf-8", "surrogatepass"),
        lead=lead_text(body_html),
        extra=_extra(meta, config, rel, front, warnings),
        warnings=warnings,
        digest=hashlib.blake2b(data, digest_size=16).hexdigest(),
        day=when.date(),
        # Anything but a clear yes keeps an entry from coming back unasked.
        resurface="resurface" not in meta or _flag(meta, "resurface", rel, warnings, front),
        refs=refs,
        starred=_flag(meta, "starred", rel, warnings, front),
        record=read_record(kind, meta, front, rel, lambda key: _line_of(front, key), warnings),
        levels=levels,
        answers=answers,
        risks=tuple(key for key, given in answers.items() if config.metrics[key].at_risk(given)),
        tasks=task_list(body_html),
        card=read_card(meta, config.diary_card, rel, front, lambda k: _line_of(front, k), warnings)
        if kind == CARD_TYPE
        else None,
    )
