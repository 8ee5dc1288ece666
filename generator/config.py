"""journal.yaml → a frozen, typed Config; every bad key is reported at once."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diarycard import DEFAULT_EMOTIONS, DEFAULT_URGES, CardSettings, read_settings
from generator.errors import ConfigError
from generator.frontmatter import FrontMatterLoader, error_line
from generator.questionnaires import BUILT_IN
from generator.settings import Reading, Setting, settings_table, with_table
from generator.words import listed

# Extensions that cost little; heavier ones (smarty doubles conversion time) only by config.
# ==highlight== and ~~strike~~ come from PyMdown Extensions (pymdownx.tilde without its ~subscript~, which no
# editor shows); Interlude's own forms (lists, callouts, block ids: generator/markdown_forms.py) always load.
BASE_MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "sane_lists", "pymdownx.mark", "pymdownx.tilde")
LINE_BREAKS = "nl2br"  # `line_breaks: true`: each new line in a paragraph is a line break, as Obsidian shows it


@dataclass(frozen=True)
class Metric:
    """A numeric front-matter key shown on charts and the timeline."""

    key: str
    label: str
    low: float
    high: float
    higher_is_better: bool = True
    unit: str = ""
    levels: tuple[tuple[str, float], ...] = ()  # words or emoji that stand for values: ("🙂", 7.0)
    bands: tuple[tuple[float, float, str], ...] = ()  # named stretches of the range: (10, 14, "moderate")
    items: int = 0  # a questionnaire: how many items add up to its score (0: a plain number)
    answers: tuple[int, int] = (0, 3)  # a questionnaire's answer to each item, from–to
    scale: float = 1.0  # the items' sum times this is the score (WHO-5: 4, for 0–100)
    reverse: tuple[int, ...] = ()  # items (counted from 1) scored the other way round
    cutoff: float | None = None  # "caseness": a score at or past it counts as a case (lower is better: ≥, else ≤)
    reliable_change: float = 0.0  # the smallest change between two scores that is more than the measure's noise
    risk_item: int = 0  # the item (from 1) whose answer above the lowest is to be raised now, with crisis_contact
    risk_words: str = ""  # what such an answer says, after "you answered that"
    source: str = ""  # where the cut-off and the reliable-change threshold come from, in a few words
    prompt: str = ""  # a skeleton's words before the questions ("Over the last two weeks…")
    answer_names: tuple[str, ...] = ()  # what each answer means, lowest first, for the skeleton
    questions: tuple[str, ...] = ()  # each item's question, for the skeleton

    @property
    def questionnaire(self) -> bool:
        """Filled in every week or two, not daily: charted score by score, with no running averages."""
        return self.items > 0

    def score(self, answers: tuple[int, ...]) -> float:
        """A questionnaire's score from its answers: reverse-scored items turned round, summed, scaled."""
        low, high = self.answers
        turned = (low + high - a if n in self.reverse else a for n, a in enumerate(answers, start=1))
        return float(sum(turned)) * self.scale

    def is_case(self, value: float) -> bool:
        """Whether a score is at or past the cut-off, on the side where things are worse."""
        if self.cutoff is None:
            return False
        return value <= self.cutoff if self.higher_is_better else value >= self.cutoff

    def at_risk(self, answers: tuple[int, ...]) -> bool:
        """Whether the risk item, if the questionnaire has one, is answered above its lowest answer."""
        return 0 < self.risk_item <= len(answers) and answers[self.risk_item - 1] > self.answers[0]

    def band_of(self, value: float) -> str:
        """The name of the band a value lies in ('' outside them all); an average between two bands'
        whole numbers (4.5) counts in the lower one."""
        if not self.bands or not self.bands[0][0] <= value <= self.bands[-1][1]:
            return ""
        return [name for low, _, name in self.bands if low <= value][-1]

    def contains(self, value: float) -> bool:
        """Whether a value lies inside the declared range."""
        return self.low <= value <= self.high

    def value_of(self, word: str) -> float | None:
        """The value a level's name stands for (case and an emoji's style mark aside), or None."""
        wanted = _level_key(word)
        return next((value for name, value in self.levels if _level_key(name) == wanted), None)


def _level_key(word: str) -> str:
    """A level's name as compared: "🙂" and "🙂\ufe0f" are one emoji, "Good" and "good" one word."""
    return " ".join(word.replace("\ufe0f", "").split()).casefold()


# Daylio's five moods, as levels of the mood metric: a Daylio history charts with no settings at all.
DAYLIO_MOODS = (("rad", 9.0), ("good", 7.0), ("meh", 5.0), ("bad", 3.0), ("awful", 1.0))

DEFAULT_METRICS: dict[str, Metric] = {
    "mood": Metric("mood", "Mood", 1, 10, True, levels=DAYLIO_MOODS),
    "anxiety": Metric("anxiety", "Anxiety", 1, 10, False),
    "energy": Metric("energy", "Energy", 1, 10, True),
    "stress": Metric("stress", "Stress", 1, 10, False),
    "sleep": Metric("sleep", "Sleep", 0, 16, True, "h"),
}  # and the built-in questionnaires (generator/questionnaires.py), read below as journal.yaml's are


PLAIN_KEYS = {"label", "min", "max", "better", "unit", "levels", "bands"}
QUESTIONNAIRE_KEYS = {
    "items",
    "answers",
    "scale",
    "reverse",
    "cutoff",
    "reliable_change",
    "risk_item",
    "risk_words",
    "source",
    "prompt",
    "answer_names",
    "questions",
}
METRIC_KEYS = PLAIN_KEYS | QUESTIONNAIRE_KEYS


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_metric(key: str, spec: Any, problems: list[str]) -> Metric | None:
    """One entry of the `metrics:` mapping, with every problem collected. A built-in questionnaire's declaration
    (generator/questionnaires.py) is read under what journal.yaml says of it."""
    if key in BUILT_IN and (spec is None or isinstance(spec, dict)):
        spec = {**BUILT_IN[key], **(spec or {})}
    base = DEFAULT_METRICS.get(key, Metric(key, key.replace("_", " ").capitalize(), 1, 10, True))
    if spec is None:
        return base
    if not isinstance(spec, dict):
        problems.append(f"metrics.{key} should be a mapping with label, min, max, better")
        return None
    before = len(problems)
    for unknown in sorted(set(spec) - METRIC_KEYS):
        problems.append(f"metrics.{key}.{unknown} is not a known setting (use {', '.join(sorted(METRIC_KEYS))})")
    asked = _read_questionnaire(key, spec, problems) if "items" in spec else {}
    if "items" not in spec:
        for stray in sorted(set(spec) & QUESTIONNAIRE_KEYS):
            problems.append(f"metrics.{key}.{stray} is for a questionnaire; give its number of items too (items: 5)")
    if asked and ("min" in spec or "max" in spec):
        problems.append(
            f"metrics.{key}: a questionnaire's min and max follow from items, answers and scale; leave them out"
        )
    low, high = (asked["low"], asked["high"]) if asked else (spec.get("min", base.low), spec.get("max", base.high))
    if not _number(low) or not _number(high):
        problems.append(f"metrics.{key}: min and max must be numbers")
    elif low >= high:
        problems.append(f"metrics.{key}: min ({low}) must be smaller than max ({high})")
    better = spec.get("better", "higher" if base.higher_is_better else "lower")
    if better not in ("higher", "lower"):
        problems.append(f"metrics.{key}.better must be 'higher' or 'lower', not {better!r}")
    levels = _read_levels(key, spec.get("levels"), low, high, problems)
    if "levels" not in spec and _number(low) and _number(high) and low < high:
        levels = _levels_on(base, float(low), float(high))
    bands = _read_bands(key, spec["bands"], low, high, problems) if "bands" in spec else base.bands
    cutoff = spec.get("cutoff")
    if cutoff is not None and (not _number(cutoff) or (_number(low) and _number(high) and not low <= cutoff <= high)):
        problems.append(f"metrics.{key}.cutoff should be a score from {low} to {high}, not {cutoff!r}")
    change = spec.get("reliable_change", 0)
    if not _number(change) or change < 0 or (_number(low) and _number(high) and change > high - low):
        problems.append(
            f"metrics.{key}.reliable_change should be a number of points above 0, at most the range's width, "
            f"not {change!r}"
        )
    if len(problems) > before:
        return None
    asked.pop("low", None), asked.pop("high", None)
    return Metric(
        key,
        str(spec.get("label", base.label)),
        float(low),
        float(high),
        better == "higher",
        str(spec.get("unit", base.unit)),
        levels,
        bands,
        cutoff=float(cutoff) if cutoff is not None else None,
        reliable_change=float(change),
        **asked,
    )


def _read_questionnaire(key: str, spec: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """A questionnaire's own settings (items, answers, scale, reverse-scored items, risk item, skeleton words)
    as Metric's fields, with its range as low and high; {} after a problem."""
    before = len(problems)
    items, answers, scale = spec["items"], spec.get("answers", [0, 3]), spec.get("scale", 1)
    if not _whole(items) or items < 1:
        problems.append(
            f"metrics.{key}.items should be how many questions it has, a whole number above 0, not {items!r}"
        )
        items = 0
    if not (isinstance(answers, list) and len(answers) == 2 and all(map(_whole, answers)) and answers[0] < answers[1]):
        problems.append(f"metrics.{key}.answers should be the lowest and highest answer, like [0, 3], not {answers!r}")
        answers = [0, 3]
    if not _number(scale) or scale <= 0:
        problems.append(f"metrics.{key}.scale should be a number above 0 (the sum of answers times it is the score)")
        scale = 1
    numbers = {"reverse": spec.get("reverse", []), "risk_item": spec.get("risk_item", 0)}
    reverse = numbers["reverse"]
    if not isinstance(reverse, list) or not all(_whole(n) and 1 <= n <= items for n in reverse):
        problems.append(f"metrics.{key}.reverse should list question numbers from 1 to {items}, like [2, 5]")
    risk = numbers["risk_item"]
    if not _whole(risk) or not 0 <= risk <= items:
        problems.append(f"metrics.{key}.risk_item should be the number of one question, from 1 to {items}")
    texts = {name: spec.get(name, "") for name in ("risk_words", "source", "prompt")}
    for name, text in texts.items():
        if not isinstance(text, str):
            problems.append(f"metrics.{key}.{name} should be a line of text")
    lists = {"questions": (spec.get("questions", []), items), "answer_names": (spec.get("answer_names", []), None)}
    lists["answer_names"] = (lists["answer_names"][0], answers[1] - answers[0] + 1)
    for name, (words, length) in lists.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(f"metrics.{key}.{name} should be a list of lines of text")
        elif words and len(words) != length:
            problems.append(f"metrics.{key}.{name} should have {length} lines, one for each, not {len(words)}")
    if len(problems) > before:
        return {}
    return {
        "low": float(items * answers[0] * scale),
        "high": float(items * answers[1] * scale),
        "items": items,
        "answers": (answers[0], answers[1]),
        "scale": float(scale),
        "reverse": tuple(sorted(set(reverse))),
        "risk_item": risk,
        "risk_words": " ".join(texts["risk_words"].split())
        or (f"question {risk} is above {answers[0]}" if risk else ""),
        "source": " ".join(texts["source"].split()),
        "prompt": " ".join(texts["prompt"].split()),
        "answer_names": tuple(lists["answer_names"][0]),
        "questions": tuple(" ".join(q.split()) for q in lists["questions"][0]),
    }


def _levels_on(base: Metric, low: float, high: float) -> tuple[tuple[str, float], ...]:
    """A metric's built-in levels on the range a person gave it: as they are on their own range; on another,
    spread over it as they are over theirs (Daylio's five on 1–5: awful 1, bad 2, meh 3, good 4, rad 5)."""
    values = [value for _, value in base.levels]
    if (low, high) == (base.low, base.high) or len(set(values)) < 2:
        return tuple((name, value) for name, value in base.levels if low <= value <= high)
    bottom, top = min(values), max(values)
    return tuple(
        (name, round(low + (value - bottom) / (top - bottom) * (high - low), 6)) for name, value in base.levels
    )


def _read_bands(key: str, spec: Any, low: Any, high: Any, problems: list[str]) -> tuple[tuple[float, float, str], ...]:
    """A metric's `bands:` list, [[0, 4, minimal], [5, 9, mild]…]: named stretches of its range, in order."""
    shape = f"metrics.{key}.bands should be a list of [from, to, name], like [[0, 4, minimal], [5, 9, mild]]"
    if not isinstance(spec, list) or not spec:
        problems.append(shape)
        return ()
    bands = []
    for band in spec:
        if (
            not isinstance(band, list)
            or len(band) != 3
            or not _number(band[0])
            or not _number(band[1])
            or band[0] > band[1]
            or not str(band[2]).strip()
        ):
            problems.append(f"{shape}; {band!r} is not")
            return ()
        if _number(low) and _number(high) and not low <= band[0] <= band[1] <= high:
            problems.append(f"metrics.{key}.bands: {band!r} goes outside {low}–{high}")
            return ()
        bands.append((float(band[0]), float(band[1]), " ".join(str(band[2]).split())))
    if any(a[1] >= b[0] for a, b in itertools.pairwise(bands)):
        problems.append(f"metrics.{key}.bands should run from low to high without overlapping")
        return ()
    return tuple(bands)


def _read_levels(key: str, spec: Any, low: Any, high: Any, problems: list[str]) -> tuple[tuple[str, float], ...]:
    """A metric's `levels:` mapping, {"🙂": 7, "good": 8}: names for values inside its range."""
    if spec is None:
        return ()
    if not isinstance(spec, dict) or not spec:
        problems.append(f'metrics.{key}.levels should map each word or emoji to its value, like {{"🙁": 3, "🙂": 7}}')
        return ()
    levels = []
    for name, value in spec.items():
        if not _number(value) or (_number(low) and _number(high) and not low <= value <= high):
            problems.append(f"metrics.{key}.levels: {name} should be a number from {low} to {high}, not {value!r}")
        elif not _level_key(str(name)):
            problems.append(f"metrics.{key}.levels: a level needs a name")
        else:
            levels.append((str(name).strip(), float(value)))
    return tuple(levels)


def _built_in_questionnaires() -> dict[str, Metric]:
    """The questionnaires of generator/questionnaires.py, read as journal.yaml's metrics are."""
    problems: list[str] = []
    read = {key: _read_metric(key, None, problems) for key in BUILT_IN}
    assert not problems, problems  # the declarations ship with Interlude: a test reads them
    return {key: metric for key, metric in read.items() if metric}


DEFAULT_METRICS.update(_built_in_questionnaires())


def _folder_problems(entries_dir: Path, templates_dir: Path | None) -> list[str]:
    """What is wrong with the folders given on the command line (or taken by default)."""
    problems = []
    if entries_dir.is_file():
        problems.append(f"--entries {entries_dir} is a file; give the folder that holds your entries")
    elif not entries_dir.is_dir():
        problems.append(
            f"the entries folder {entries_dir} does not exist; give yours with --entries DIR, "
            "or make a journal with interlude init"
        )
    if templates_dir is not None and not templates_dir.is_dir():
        what = "is a file" if templates_dir.is_file() else "does not exist"
        problems.append(f"--templates {templates_dir} {what}; give a folder of templates, or leave the option out")
    return problems


def _metric_lines(source: str) -> dict[str, int]:
    """The line (from 1) each metric's declaration starts on under `metrics:`, for problems that name it."""
    try:
        node = yaml.compose(source, Loader=FrontMatterLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "metrics" and isinstance(value, yaml.MappingNode):
            found = {str(k.value): k.start_mark.line + 1 for k, _ in value.value}
    return found


def _read_title(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> str:
    """`title:`: a few words, spaces tidied; an empty one means the default."""
    if value is None or (isinstance(value, str) and not value.split()):
        return str(setting.default)  # an empty `title:` means the default, not the word "None"
    if isinstance(value, (list, dict)):
        problems.append("title should be a few words, not a list")
        return str(setting.default)
    return " ".join(str(value).split())


def _read_metrics(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> dict[str, Metric]:
    """`metrics:`: each declared metric read over the built-in ones; its problems name its line in journal.yaml."""
    metrics = dict(setting.default)
    declared = value or {}
    if not isinstance(declared, dict):
        problems.append("metrics should be a mapping of metric names to their settings")
        return metrics
    lines = _metric_lines(reading.source) if declared else {}
    for key, spec in declared.items():
        before = len(problems)
        metric = _read_metric(str(key), spec, problems)
        if metric:
            metrics[str(key)] = metric
        if str(key) in lines:
            problems[before:] = [f"line {lines[str(key)]}: {problem}" for problem in problems[before:]]
    return metrics


def _read_extensions(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> tuple[str, ...]:
    """`markdown_extensions:`: names of Python-Markdown extensions, each of which must load."""
    extensions = value or []
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        problems.append("markdown_extensions should be a list of Python-Markdown extension names")
        return ()
    import markdown  # loaded here only for a journal.yaml that has this key

    for name in extensions:
        try:
            markdown.Markdown(extensions=[name])
        except Exception:
            problems.append(f"markdown extension {name!r} cannot be loaded")
    return tuple(extensions)


def _read_calendar(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> str:
    """`calendar:`: one of its choices, or the name of a metric (read before it)."""
    calendar, metrics = str(value), reading.before["metrics"]
    if calendar not in setting.choices and calendar not in metrics:
        words = " or ".join(repr(choice) for choice in setting.choices)
        problems.append(f"calendar must be {words} or a metric name ({', '.join(metrics)}), not {calendar!r}")
        return str(setting.default)
    return calendar


def _read_filename_date(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> str | None:
    """`filename_date:`: a strftime form with the day, the month and the year, and nothing else."""
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not all(d in value for d in ("%d", "%m"))
        or not ("%Y" in value or "%y" in value)
        or set(re.findall(r"%.", value)) - {"%Y", "%y", "%m", "%d"}
    ):
        problems.append(
            f"filename_date must give the day, month and year as %d, %m and %Y (or %y), like %d.%m.%Y, not {value!r}"
        )
        return None
    return value


def _read_crisis_contact(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> str:
    """`crisis_contact:`: one line of text (a bare phone number reads as a number, and is kept)."""
    if value is None:
        return str(setting.default)
    if not isinstance(value, (str, int)):
        problems.append("crisis_contact should be a line of text: who to call and their number")
        return str(setting.default)
    return " ".join(str(value).split())


def _read_diary_card(setting: Setting, value: Any, reading: Reading, problems: list[str]) -> CardSettings:
    """`diary_card:`, read by generator/diarycard.py, which knows the card."""
    return read_settings(value, problems)


def _metric_yaml(metric: Metric) -> str:
    """A plain metric's declaration on one line, as journal.yaml writes it."""
    better = "higher" if metric.higher_is_better else "lower"
    return f"{{label: {metric.label}, min: {metric.low:g}, max: {metric.high:g}, better: {better}}}"


def _metrics_example() -> str:
    """init's `metrics:` block: two built-in metrics as they are, and one of a person's own, commented out."""
    lines = [f"  {key + ':':<8} {_metric_yaml(DEFAULT_METRICS[key])}" for key in ("mood", "anxiety")]
    pain = Metric("pain", "Pain", 0, 10, higher_is_better=False)
    return "\n" + "\n".join([*lines, f"#  {'pain:':<7} {_metric_yaml(pain)}"])


# Every key of journal.yaml, in the order the loader reads them (calendar after metrics, whose names it may
# use), init writes them and the README lists them.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "title",
        str,
        "My journal",
        "The name shown at the top of every page.",
        reader=_read_title,
        starter=True,
    ),
    Setting(
        "metrics",
        dict,
        DEFAULT_METRICS,
        "Numbers you track in an entry's front matter (`mood: 6`): each one's label, min and max, and which way "
        "is better (`better: higher` or `lower`, so that charts read the same way), with its unit, levels and "
        "bands if you like; declare your own, or change these. Questionnaires of your own are declared here too.",
        allowed="a mapping of metric names to their settings",
        shown_default=", ".join(DEFAULT_METRICS),
        example=_metrics_example(),
        reader=_read_metrics,
        starter=True,
    ),
    Setting(
        "markdown_extensions",
        list,
        (),
        "More Python-Markdown extensions, by name (`smarty` gives curly quotes but doubles the build time).",
        allowed="a list of extension names",
        example="[smarty]",
        reader=_read_extensions,
    ),
    Setting(
        "session_type",
        str,
        "session",
        "The entry type that marks a therapy session: its entries divide the timeline into stretches.",
        allowed="an entry type",
    ),
    Setting("excerpt_words", int, 40, "How many words of each entry the timeline shows.", low=1),
    Setting("timeline_size", int, 150, "About how many entries the front page shows.", low=1),
    Setting(
        "calendar",
        str,
        "entries",
        "What colours the progress calendar: the number of entries on each day, or a metric's values.",
        choices=("entries",),
        allowed="`entries`, or the name of a metric",
        example="mood",
        reader=_read_calendar,
    ),
    Setting("on_this_day", bool, True, "The front page's look back at the same date in earlier years."),
    Setting("hashtags", bool, True, "A #word in an entry's text is a tag too."),
    Setting(
        "line_breaks",
        bool,
        False,
        "`true`: each new line inside a paragraph is a line break, as Obsidian shows it.",
    ),
    Setting(
        "filename_date",
        str,
        None,
        "A date form of your file names, besides 2026-09-14 and 20260914 (`14.09.2026.md`: `%d.%m.%Y`).",
        allowed="`%d`, `%m` and `%Y` (or `%y`) with what stands between them",
        example='"%d.%m.%Y"',
        reader=_read_filename_date,
    ),
    Setting(
        "crisis_contact",
        str,
        "",
        "Who to reach at once when a questionnaire's risk item (PHQ-9's ninth question) or a diary card's suicide "
        "urge says it is urgent, shown beside that entry and on the agenda: the service and number you would "
        "call where you live.",
        allowed="a line of text",
        example='"Your therapist\'s urgent line, or your local crisis line and its number"',
        reader=_read_crisis_contact,
    ),
    Setting(
        "diary_card",
        dict,
        CardSettings(),
        "The DBT diary card's rows (`interlude new diary-card`): the emotions it rates 0–5, and your own urges "
        f"to track (`targets`) besides {listed(list(DEFAULT_URGES))}.",
        allowed="a mapping with `emotions` and `targets`, each a list of names",
        shown_default=f"emotions: {', '.join(DEFAULT_EMOTIONS)}; no targets",
        example=f"\n  emotions: [{', '.join(DEFAULT_EMOTIONS)}]\n  targets: [bingeing]",
        reader=_read_diary_card,
    ),
)
KNOWN_KEYS = frozenset(setting.key for setting in SETTINGS)
_DEFAULT = {setting.key: setting.default for setting in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know, checked once before anything is read. Each field named as a key of
    journal.yaml takes that key's value, and its default from SETTINGS."""

    entries_dir: Path
    output_dir: Path
    templates_dir: Path | None = None
    config_path: Path | None = None
    title: str = _DEFAULT["title"]
    metrics: dict[str, Metric] = field(default_factory=lambda: dict(_DEFAULT["metrics"]))
    markdown_extensions: tuple[str, ...] = BASE_MARKDOWN_EXTENSIONS  # the base ones, line_breaks', then journal.yaml's
    session_type: str = _DEFAULT["session_type"]
    excerpt_words: int = _DEFAULT["excerpt_words"]
    timeline_size: int = _DEFAULT["timeline_size"]
    calendar: str = _DEFAULT["calendar"]
    on_this_day: bool = _DEFAULT["on_this_day"]
    hashtags: bool = _DEFAULT["hashtags"]
    line_breaks: bool = _DEFAULT["line_breaks"]
    crisis_contact: str = _DEFAULT["crisis_contact"]
    filename_date: str | None = _DEFAULT["filename_date"]
    diary_card: CardSettings = _DEFAULT["diary_card"]


def _read_file(config_path: Path, options: list[str]) -> tuple[str, dict[Any, Any]]:
    """journal.yaml's text and its mapping of settings, or a ConfigError saying why there is none."""
    try:
        source = config_path.read_text(encoding="utf-8-sig")
        loaded = yaml.load(source, Loader=FrontMatterLoader)
    except OSError as exc:
        raise ConfigError(config_path, [f"cannot be read ({exc.strerror})"], options) from exc
    except yaml.YAMLError as exc:
        line = error_line(exc, source) if isinstance(exc, yaml.MarkedYAMLError) else None
        where = f"line {line + 1}: " if line is not None else ""
        raise ConfigError(config_path, [f"{where}is not valid YAML ({getattr(exc, 'problem', exc)})"], options) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(config_path, ["is not UTF-8 text; save it as UTF-8"], options) from exc
    if loaded is not None and not isinstance(loaded, dict):
        kind = "a list" if isinstance(loaded, list) else "a single value"
        raise ConfigError(
            config_path,
            [f"holds {kind}, not settings; write `key: value` lines, such as `title: My journal`"],
            options,
        )
    return source, loaded or {}


def _markdown_extensions(extensions: tuple[str, ...], line_breaks: bool) -> tuple[str, ...]:
    """The extensions a build loads: the base ones, line breaks if asked for, then journal.yaml's others."""
    breaks = (LINE_BREAKS,) if line_breaks else ()
    return (
        BASE_MARKDOWN_EXTENSIONS
        + breaks
        + tuple(e for e in extensions if e not in (*BASE_MARKDOWN_EXTENSIONS, *breaks))
    )


def load_config(
    entries_dir: Path, output_dir: Path, templates_dir: Path | None = None, config_path: Path | None = None
) -> Config:
    """Read journal.yaml (if any) through SETTINGS and return a Config, or raise ConfigError listing every problem."""
    options = _folder_problems(entries_dir, templates_dir)
    source, raw = _read_file(config_path, options) if config_path is not None else ("", {})
    problems = [
        f"{unknown} is not a known setting (known: {', '.join(sorted(KNOWN_KEYS))})"
        for unknown in sorted(set(raw) - KNOWN_KEYS)
    ]
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        given = setting.key in raw
        values[setting.key] = (
            setting.read(raw[setting.key], Reading(values, source), problems) if given else setting.default
        )
    if problems or options:
        raise ConfigError(config_path or "settings", problems, options)
    return Config(
        entries_dir=entries_dir,
        output_dir=output_dir,
        templates_dir=templates_dir,
        config_path=config_path,
        **{
            **values,
            "metrics": dict(values["metrics"]),
            "markdown_extensions": _markdown_extensions(values["markdown_extensions"], values["line_breaks"]),
        },
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m generator.config [README.md]`: write the schema's settings table into the README."""
    import sys

    readme = Path((argv if argv is not None else sys.argv[1:] or ["README.md"])[0])
    text = readme.read_text(encoding="utf-8")
    updated = with_table(text, settings_table(SETTINGS))
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    print(f"{readme}: the settings table {'is rewritten' if updated != text else 'was up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
