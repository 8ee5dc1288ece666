"""The DBT diary card as data: its settings in journal.yaml, the standard skill list, and one card's fields
read from an entry's front matter (emotions and urges 0–5, urges acted on, skills used), each bad value a
warning with its line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.errors import EntryWarning

CARD_TYPE = "diary-card"
LOW, HIGH = 0, 5  # every emotion and urge is rated 0 (none) to 5 (the most)
DEFAULT_EMOTIONS = ("anger", "fear", "joy", "sadness", "shame", "misery")
DEFAULT_URGES = ("self-harm", "suicide", "substances")
SUICIDE = "suicide"  # the urge that, above 0, brings the crisis contact (as PHQ-9's ninth question does)
BLANK = "_"  # the skeleton's blank, left as it was: not rated
OTHER = "other"  # where a skill that is not on the standard list is kept

# The skills of standard DBT, by module, as diary cards list them; after the name, other ways people write it.
SKILL_MODULES: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "mindfulness",
        "Mindfulness",
        (
            ("wise mind", ()),
            ("observe", ()),
            ("describe", ()),
            ("participate", ()),
            ("non-judgmentally", ("nonjudgmentally", "non-judgmental", "nonjudgmental", "non-judging")),
            ("one-mindfully", ("one mindfully", "one thing at a time")),
            ("effectively", ("effectiveness",)),
        ),
    ),
    (
        "distress-tolerance",
        "Distress tolerance",
        (
            ("STOP", ()),
            ("pros and cons", ("pros & cons",)),
            ("TIPP", ()),
            ("ACCEPTS", ("wise mind accepts", "distract", "distraction")),
            ("self-soothe", ("self soothing", "self-soothing")),
            ("IMPROVE the moment", ("improve",)),
            ("radical acceptance", ()),
            ("turning the mind", ()),
            ("willingness", ()),
            ("half-smile", ("half smiling", "half-smiling")),
            ("willing hands", ()),
        ),
    ),
    (
        "emotion-regulation",
        "Emotion regulation",
        (
            ("check the facts", ("checking the facts",)),
            ("opposite action", ()),
            ("problem solving", ()),
            ("accumulate positive emotions", ("accumulating positive emotions",)),
            ("build mastery", ("building mastery",)),
            ("cope ahead", ()),
            ("PLEASE", ()),
            ("ABC PLEASE", ()),
            ("mindfulness of current emotions", ()),
        ),
    ),
    (
        "interpersonal-effectiveness",
        "Interpersonal effectiveness",
        (
            ("DEAR MAN", ()),
            ("GIVE", ()),
            ("FAST", ()),
            ("validation", ("validating",)),
            ("walking the middle path", ("middle path",)),
        ),
    ),
)
MODULE_NAMES = {key: name for key, name, _ in SKILL_MODULES} | {OTHER: "Other skills"}


def name_key(word: str) -> str:
    """A name as compared: case, hyphens and spacing aside (`Self Harm` is `self-harm`)."""
    return " ".join(word.replace("-", " ").replace("_", " ").split()).casefold()


_SKILLS: dict[str, tuple[str, str]] = {}  # a written form's key → (module, the skill as diary cards name it)
for _module, _, _skills in SKILL_MODULES:
    for _name, _others in _skills:
        for _form in (_name, *_others):
            _SKILLS[name_key(_form)] = (_module, _name)
SKILL_ORDER = {skill: n for n, skill in enumerate(dict.fromkeys(_SKILLS.values()))}


@dataclass(frozen=True)
class CardSettings:
    """journal.yaml's `diary_card:`: the emotions rated, and the urges (the three standard ones and the
    person's own targets)."""

    emotions: tuple[str, ...] = DEFAULT_EMOTIONS
    targets: tuple[str, ...] = ()

    @property
    def urges(self) -> tuple[str, ...]:
        """Every urge the card asks about, in order: the standard ones, then the person's own."""
        return DEFAULT_URGES + tuple(t for t in self.targets if name_key(t) not in map(name_key, DEFAULT_URGES))


SETTING_KEYS = {"emotions", "targets"}


def _names(value: Any, where: str, problems: list[str]) -> tuple[str, ...] | None:
    """A list of names (emotions, targets), or None with a problem said."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.split() for v in value):
        problems.append(f"{where} should be a list of names, like [anger, fear, joy]")
        return None
    names = tuple(" ".join(v.split()) for v in value)
    keys = [name_key(n) for n in names]
    if len(set(keys)) < len(keys):
        problems.append(f"{where} names {next(n for n, k in zip(names, keys) if keys.count(k) > 1)} twice")
        return None
    return names


def read_settings(raw: Any, problems: list[str]) -> CardSettings:
    """journal.yaml's `diary_card:` mapping, every problem collected (the defaults where one is found)."""
    if raw is None:
        return CardSettings()
    if not isinstance(raw, dict):
        problems.append("diary_card should be a mapping with emotions and targets, like {targets: [bingeing]}")
        return CardSettings()
    for unknown in sorted(set(map(str, raw)) - SETTING_KEYS):
        problems.append(f"diary_card.{unknown} is not a known setting (use {', '.join(sorted(SETTING_KEYS))})")
    emotions = _names(raw["emotions"], "diary_card.emotions", problems) if "emotions" in raw else None
    if emotions == ():
        problems.append("diary_card.emotions needs at least one emotion")
    targets = _names(raw["targets"], "diary_card.targets", problems) if "targets" in raw else None
    return CardSettings(emotions or DEFAULT_EMOTIONS, targets or ())


@dataclass(frozen=True)
class DiaryCard:
    """One day's diary card, as its entry gives it: ratings 0–5, urges acted on, skills used."""

    emotions: dict[str, int] = field(default_factory=dict)  # name (as the settings write it) → 0–5
    urges: dict[str, int] = field(default_factory=dict)
    acted: tuple[str, ...] = ()  # the urges acted on (a name of `urges`, or of the settings)
    skills: tuple[tuple[str, str], ...] = ()  # (module, skill), in the order of the standard list; OTHER last

    @property
    def suicide_urge(self) -> int | None:
        """The suicide urge, if the card rates it."""
        return self.urges.get(SUICIDE)

    @property
    def urgent(self) -> bool:
        """An urge to suicide above 0: worth raising now, not at the next session."""
        return (self.suicide_urge or 0) > 0


def week_of(day: date) -> str:
    """A day's ISO week, as its card page is named: 2026-W45."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_page(day: date) -> str:
    """The weekly card page a day's card is on, from the site's top folder."""
    return f"diary-cards/{week_of(day)}.html"


LineOf = Callable[[str], "int | None"]


def _sub_line(front: list[str], line: int | None, name: str) -> int | None:
    """The line of `name:` inside the block of a key written on `line` (front matter starts on line 2): a
    mapping written one item a line puts each value on its own line; a flow mapping keeps them on its own."""
    if line is None:
        return None
    pattern = re.compile(rf"^\s+-?\s*['\"]?{re.escape(name)}['\"]?\s*:?")
    for number in range(line + 1, len(front) + 2):
        text = front[number - 2]
        if text.strip() and not text[0].isspace():
            break
        if pattern.match(text):
            return number
    return line


def _shown(value: Any) -> str:
    """A value as written, for a message."""
    return " ".join(str(value).split())[:30]


class _Reader:
    """Reads one card's fields, every problem a warning on its line."""

    def __init__(self, path: str, front: list[str], line_of: LineOf, warnings: list[EntryWarning]):
        self.path, self.front, self.line_of, self.warnings = path, front, line_of, warnings

    def warn(self, key: str, message: str, name: str | None = None) -> None:
        line = self.line_of(key)
        self.warnings.append(EntryWarning(self.path, message, _sub_line(self.front, line, name) if name else line))

    def ratings(self, key: str, raw: Any, known: tuple[str, ...], setting: str) -> dict[str, int]:
        """`emotions:` or `urges:`, a mapping of names to 0–5; names matched to the settings' case-insensitively."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.warn(key, f"{key}: write each as `name: number`, like {{{known[0]}: 2}}; left off the card")
            return {}
        names = {name_key(n): n for n in known}
        values: dict[str, int] = {}
        for written, value in raw.items():
            name = names.get(name_key(str(written)), " ".join(str(written).split()))
            if value is None or value == BLANK:  # not rated (the skeleton's blank): no cell, no warning
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
                self.warn(
                    key,
                    f"{key}: {name}: {_shown(value)} is not a whole number from {LOW} to {HIGH}; left off the card",
                    str(written),
                )
                continue
            if not LOW <= value <= HIGH:
                self.warn(
                    key, f"{key}: {name}: {_shown(value)} is outside {LOW}–{HIGH}; left off the card", str(written)
                )
                continue
            if name_key(name) not in names:
                self.warn(
                    key,
                    f"{key}: {name} is not on your diary card ({', '.join(known)}); it is shown below them "
                    f"(add it to diary_card: {setting}: in journal.yaml to give it its place)",
                    str(written),
                )
            values[name] = int(value)
        return values

    def words(self, key: str, raw: Any) -> list[str]:
        """A list of names, or words separated by commas."""
        if raw is None:
            return []
        items = raw if isinstance(raw, list) else str(raw).split(",") if isinstance(raw, str) else None
        if items is None or any(isinstance(item, (dict, list)) or item is None for item in items):
            self.warn(key, f"{key}: write a list of names, like [{'substances' if key == 'acted' else 'TIPP'}]")
            return []
        return [" ".join(str(item).split()) for item in items if str(item).split()]

    def acted(self, raw: Any, urges: tuple[str, ...], rated: dict[str, int]) -> tuple[str, ...]:
        """`acted:`, the urges acted on: matched to the card's urges case-insensitively."""
        names = {name_key(n): n for n in (*urges, *rated)}
        return tuple(dict.fromkeys(names.get(name_key(w), w) for w in self.words("acted", raw)))

    def skills(self, raw: Any) -> tuple[tuple[str, str], ...]:
        """`skills:`, matched to the standard list case-insensitively; a skill not on it is kept as another
        skill, and a near miss (a typo) is said with the skill it was probably meant to be."""
        found: dict[tuple[str, str], None] = {}
        for written in self.words("skills", raw):
            known = _SKILLS.get(name_key(written))
            if known:
                found[known] = None
                continue
            close = difflib.get_close_matches(name_key(written), list(_SKILLS), n=1, cutoff=0.8)
            if close:
                meant = _SKILLS[close[0]][1]
                self.warn(
                    "skills",
                    f"skills: {written} is not a DBT skill Interlude knows; did you mean {meant}? "
                    "It is listed under other skills",
                )
            found[(OTHER, written)] = None
        return tuple(sorted(found, key=lambda s: (s[0] == OTHER, SKILL_ORDER.get(s, 0))))


def read_card(
    meta: dict[str, Any],
    settings: CardSettings,
    path: str,
    front: list[str],
    line_of: LineOf,
    warnings: list[EntryWarning],
) -> DiaryCard:
    """A diary card entry's fields: `emotions`, `urges`, `acted`, `skills` (the note is its text)."""
    reader = _Reader(path, front, line_of, warnings)
    emotions = reader.ratings("emotions", meta.get("emotions"), settings.emotions, "emotions")
    urges = reader.ratings("urges", meta.get("urges"), settings.urges, "targets")
    return DiaryCard(
        emotions=emotions,
        urges=urges,
        acted=reader.acted(meta.get("acted"), settings.urges, urges),
        skills=reader.skills(meta.get("skills")),
    )
