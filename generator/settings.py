"""Settings declared once: each journal.yaml key's type, default, allowed values and help live in one Setting.

config.py declares the schema (SETTINGS) and reads journal.yaml through it; from the same declarations this
module writes the commented journal.yaml that `interlude init` makes and the settings table in the README.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from generator.frontmatter import FrontMatterLoader

TABLE_START, TABLE_END = "<!-- settings -->", "<!-- /settings -->"  # the README's generated table lies between


@dataclass(frozen=True)
class Reading:
    """What a setting's reader is given besides the value written: the settings read before it (the schema's
    order), and journal.yaml's text, for problems that can name their line."""

    before: Mapping[str, Any]
    source: str = ""


Reader = Callable[["Setting", Any, Reading, list[str]], Any]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Setting:
    """One key of journal.yaml: what it holds, what it is when left out, what may be written, and what it does.

    A plain true/false, whole number or word is checked here by its type, `low` and `choices`; a key with rules
    of its own (metrics, the diary card) brings its `reader`, which returns the value read (the default after a
    problem) and adds every problem it finds to the list."""

    key: str
    type: type  # bool, int, str, list or dict: what the key holds in journal.yaml
    default: Any  # the value when journal.yaml leaves the key out
    help: str  # one line: what it sets
    low: int | None = None  # a whole number's smallest allowed value
    choices: tuple[str, ...] = ()  # the words allowed (a reader may allow more, as calendar allows a metric's name)
    allowed: str = ""  # what may be written, in words, where type, low and choices do not say it all
    shown_default: str = ""  # the default in words, where it is more than one short value
    example: str = ""  # the value as YAML, shown in init's journal.yaml (the default's if empty)
    reader: Reader | None = None
    starter: bool = False  # written out (not commented) in the journal.yaml that init makes

    def read(self, value: Any, reading: Reading, problems: list[str]) -> Any:
        """The value journal.yaml gives, checked: the value read, or the default with a problem added."""
        if self.reader is not None:
            return self.reader(self, value, reading, problems)
        if self.type is bool:
            if isinstance(value, bool):
                return value
            problems.append(f"{self.key} must be true or false, not {value!r}")
        elif self.type is int:
            if _whole(value) and (self.low is None or value >= self.low):
                return value
            above = f" above {self.low - 1}" if self.low is not None else ""
            problems.append(f"{self.key} must be a whole number{above}, not {value!r}")
        elif value is None:  # an empty `key:` means the default, not the word "None"
            return self.default
        elif not self.choices or str(value) in self.choices:
            return str(value)
        else:
            problems.append(f"{self.key} must be one of {', '.join(self.choices)}, not {value!r}")
        return self.default

    def allowed_text(self) -> str:
        """What may be written, in words (Markdown), for the README and init's comments."""
        if self.allowed:
            return self.allowed
        if self.type is bool:
            return "`true` or `false`"
        if self.type is int:
            return f"a whole number, {self.low} or more" if self.low is not None else "a whole number"
        if self.choices:
            return ", ".join(f"`{choice}`" for choice in self.choices)
        kinds: dict[type, str] = {str: "a word or a line of text", list: "a list", dict: "a mapping"}
        return kinds.get(self.type, self.type.__name__)

    def default_text(self) -> str:
        """The default, in words (Markdown)."""
        if self.shown_default:
            return self.shown_default
        if self.default in (None, "", ()):
            return "none"
        return f"`{yaml_value(self.default)}`"

    def yaml_value(self) -> str:
        """The value init's journal.yaml shows: the example, else the default as YAML."""
        return self.example or yaml_value(self.default)


def yaml_text(value: str) -> str:
    """A string as a YAML value that reads back as itself: quoted only when it must be."""
    try:
        if yaml.load(f"k: {value}", Loader=FrontMatterLoader) == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def yaml_value(value: Any) -> str:
    """A plain default written as YAML: true, 40, [a, b], or a line of text (quoted only when it must be)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return yaml_text(str(value))


def _comment(text: str, width: int = 110) -> list[str]:
    """A paragraph as YAML comment lines."""
    return textwrap.wrap(text, width - 2, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


def journal_yaml(settings: Sequence[Setting]) -> str:
    """The commented journal.yaml that `interlude init` writes: each setting's help, then its line, written out
    for the starters and commented out for the rest, so that the file as made changes nothing."""
    lines = [
        "# Settings for this journal. Every line is optional; delete what you do not need.",
        "# A line starting with # is a comment: take away the # (and the space after it) to use that setting.",
    ]
    for setting in settings:
        value = setting.yaml_value()
        line = f"{setting.key}:{value if value.startswith(chr(10)) else ' ' + value}"
        about = f"{setting.help} Write {setting.allowed_text()} (default: {setting.default_text()})."
        lines += ["", *_comment(about)]
        lines += line.splitlines() if setting.starter else [f"# {part}" for part in line.splitlines()]
    return "\n".join(lines) + "\n"


def settings_table(settings: Sequence[Setting]) -> str:
    """The README's table of settings, as Markdown."""
    rows = ["| setting | what it sets | what you may write | default |", "| --- | --- | --- | --- |"]
    for setting in settings:
        cells = (f"`{setting.key}`", setting.help, setting.allowed_text(), setting.default_text())
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def table_in(readme: str) -> str:
    """The settings table a README holds between its markers ('' without them)."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        return ""
    return readme[start + len(TABLE_START) : end].strip("\n") + "\n"


def with_table(readme: str, table: str) -> str:
    """The README with the settings table between its markers replaced by `table`."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {TABLE_START} … {TABLE_END} markers for the settings table")
    return readme[: start + len(TABLE_START)] + "\n" + table + readme[end:]
