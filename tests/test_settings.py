"""Settings declared once: the schema in generator/config.py (SETTINGS) is what load_config reads, what Config
defaults to, what `interlude init` writes and what the README's table says; and `interlude new --help` names
every skeleton type there is."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.config import BASE_MARKDOWN_EXTENSIONS, SETTINGS, Config, ConfigError, load_config
from generator.config import main as config_main
from generator.entries import MarkdownConverter, read_entry
from generator.frontmatter import FrontMatterLoader
from generator.questionnaires import BUILT_IN
from generator.scaffold import init_journal, new_entry
from generator.settings import Reading, Setting, settings_table, table_in, with_table
from generator.skeletons import DEFAULT_TYPE, SKELETON_TYPES

ROOT = Path(__file__).resolve().parents[1]
BY_KEY = {setting.key: setting for setting in SETTINGS}


def test_the_readme_table_is_the_one_the_schema_renders() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table_in(readme), "the README holds its settings table between <!-- settings --> and <!-- /settings -->"
    assert table_in(readme) == settings_table(SETTINGS), "run `python -m generator.config` to rewrite the table"


def test_the_table_has_a_row_for_every_setting_and_rewrites_in_place() -> None:
    table = settings_table(SETTINGS)
    assert [re.match(r"\| `(\w+)`", row).group(1) for row in table.splitlines()[2:]] == list(BY_KEY)  # type: ignore[union-attr]
    readme = "# Title\n\n<!-- settings -->\nold\n<!-- /settings -->\n\nAfter.\n"
    assert with_table(readme, table) == f"# Title\n\n<!-- settings -->\n{table}<!-- /settings -->\n\nAfter.\n"
    assert table_in(with_table(readme, table)) == table
    with pytest.raises(ValueError, match="markers"):
        with_table("no markers here", table)


def test_python_m_generator_config_rewrites_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("Settings:\n\n<!-- settings -->\n| old |\n<!-- /settings -->\n", encoding="utf-8")
    assert config_main([str(readme)]) == 0
    assert table_in(readme.read_text(encoding="utf-8")) == settings_table(SETTINGS)
    assert config_main([str(readme)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{readme}: the settings table is rewritten",
        f"{readme}: the settings table was up to date",
    ]


def test_config_defaults_are_the_schemas() -> None:
    config = Config(Path("entries"), Path("output"))
    for setting in SETTINGS:
        if setting.key == "markdown_extensions":  # the journal's own extensions come after the base ones
            assert config.markdown_extensions == BASE_MARKDOWN_EXTENSIONS + tuple(setting.default)
        else:
            assert getattr(config, setting.key) == setting.default, setting.key


def test_every_schema_key_is_a_config_field() -> None:
    fields = {f.name for f in dataclasses.fields(Config)}
    assert set(BY_KEY) <= fields
    assert fields - set(BY_KEY) == {"entries_dir", "output_dir", "templates_dir", "config_path"}


def test_the_journal_yaml_init_writes_changes_nothing(tmp_path: Path) -> None:
    init_journal(tmp_path / "journal")
    path = tmp_path / "journal" / "journal.yaml"
    entries = tmp_path / "journal" / "entries"
    written = load_config(entries, tmp_path / "out", config_path=path)
    assert dataclasses.replace(written, config_path=None) == load_config(entries, tmp_path / "out")


def test_the_journal_yaml_init_writes_explains_every_setting(tmp_path: Path) -> None:
    init_journal(tmp_path / "journal")
    text = (tmp_path / "journal" / "journal.yaml").read_text(encoding="utf-8")
    for setting in SETTINGS:
        line = "" if setting.starter else "# "
        assert re.search(rf"^{line}{setting.key}:", text, re.MULTILINE), setting.key
        assert " ".join(setting.help.split()[:4]) in " ".join(text.replace("\n# ", " ").split()), setting.key
    starters = yaml.load(text, Loader=FrontMatterLoader)
    assert set(starters) == {setting.key for setting in SETTINGS if setting.starter}


def test_init_with_every_line_taken_out_of_its_comment_is_a_valid_journal_yaml(tmp_path: Path) -> None:
    init_journal(tmp_path / "journal")
    text = (tmp_path / "journal" / "journal.yaml").read_text(encoding="utf-8")
    keys = "|".join(BY_KEY)
    # A setting's commented line, and the indented lines under it.
    uncommented = re.sub(rf"^# ((?:{keys}):.*|  .*)$", r"\1", text, flags=re.MULTILINE)
    raw = yaml.load(uncommented, Loader=FrontMatterLoader)
    assert set(raw) == set(BY_KEY)
    path = tmp_path / "journal" / "journal.yaml"
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(tmp_path / "journal" / "entries", tmp_path / "out", config_path=path)
    assert config.calendar == "mood" and config.filename_date == "%d.%m.%Y" and "smarty" in config.markdown_extensions
    assert config.diary_card.targets == ("bingeing",) and config.crisis_contact.startswith("Your therapist")


def test_every_bad_value_is_reported_at_once(tmp_path: Path) -> None:
    bad = {
        "title": "[a, b]",
        "metrics": "[mood]",
        "markdown_extensions": "smarty",
        "excerpt_words": "0",
        "timeline_size": "-3",
        "calendar": "weather",
        "on_this_day": "yes",
        "hashtags": "1",
        "line_breaks": "maybe",
        "filename_date": '"%Y"',
        "crisis_contact": "[a]",
        "diary_card": "[a]",
    }
    path = tmp_path / "journal.yaml"
    path.write_text("".join(f"{key}: {value}\n" for key, value in bad.items()) + "colour: blue\n", encoding="utf-8")
    (tmp_path / "entries").mkdir()
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "entries", tmp_path / "out", config_path=path)
    problems = raised.value.problems
    assert problems[0].startswith("colour is not a known setting")
    assert len(problems) == 1 + len(bad)
    assert problems[1:] == [
        "title should be a few words, not a list",
        "metrics should be a mapping of metric names to their settings",
        "markdown_extensions should be a list of Python-Markdown extension names",
        "excerpt_words must be a whole number above 0, not 0",
        "timeline_size must be a whole number above 0, not -3",
        f"calendar must be 'entries' or a metric name ({', '.join(load_config(tmp_path / 'entries', tmp_path).metrics)}), "
        "not 'weather'",
        "on_this_day must be true or false, not 'yes'",
        "hashtags must be true or false, not 1",
        "line_breaks must be true or false, not 'maybe'",
        "filename_date must give the day, month and year as %d, %m and %Y (or %y), like %d.%m.%Y, not '%Y'",
        "crisis_contact should be a line of text: who to call and their number",
        "diary_card should be a mapping with emotions and targets, like {targets: [bingeing]}",
    ]


def test_a_setting_left_empty_is_its_default(tmp_path: Path) -> None:
    path = tmp_path / "journal.yaml"
    path.write_text("title:\nsession_type:\nmetrics:\nmarkdown_extensions:\ncrisis_contact:\n", encoding="utf-8")
    (tmp_path / "entries").mkdir()
    config = load_config(tmp_path / "entries", tmp_path / "out", config_path=path)
    assert dataclasses.replace(config, config_path=None) == load_config(tmp_path / "entries", tmp_path / "out")


@pytest.mark.parametrize(
    "setting, value, expected, problem",
    [
        (Setting("n", int, 5, "A number.", low=2), 3, 3, None),
        (Setting("n", int, 5, "A number.", low=2), 1, 5, "n must be a whole number above 1, not 1"),
        (Setting("n", int, 5, "A number."), True, 5, "n must be a whole number, not True"),
        (Setting("flag", bool, False, "A flag."), "no", False, "flag must be true or false, not 'no'"),
        (Setting("word", str, "a", "A word.", choices=("a", "b")), "b", "b", None),
        (Setting("word", str, "a", "A word.", choices=("a", "b")), "c", "a", "word must be one of a, b, not 'c'"),
        (Setting("word", str, "a", "A word."), None, "a", None),
        (Setting("word", str, "a", "A word."), 12, "12", None),
    ],
)
def test_a_plain_setting_is_checked_by_its_type_range_and_choices(
    setting: Setting, value: object, expected: object, problem: str | None
) -> None:
    problems: list[str] = []
    assert setting.read(value, Reading({}), problems) == expected
    assert problems == ([problem] if problem else [])


def test_new_help_lists_every_skeleton_type(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one line each, so that no name is broken at its hyphen
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    shown = capsys.readouterr().out
    (line,) = [line for line in shown.splitlines() if line.strip().startswith("type ")]
    named = re.findall(r"[\w-]+", line.split(None, 1)[1])
    assert [word for word in named if word in SKELETON_TYPES] == list(SKELETON_TYPES)
    assert f"{DEFAULT_TYPE} (default)" in line
    assert {"phq9", "gad7", "who5", "pcl5", "diary-card", "sleep", "activity", "exposure"} <= set(named)


def test_every_skeleton_type_has_a_skeleton_and_every_skeleton_a_type() -> None:
    files = {path.stem for path in (ROOT / "templates" / "skeletons").glob("*.md")}
    questionnaires = {kind for kind in SKELETON_TYPES if kind in BUILT_IN}  # made from their declarations
    assert set(SKELETON_TYPES) - questionnaires <= files
    assert files - {"questionnaire"} <= set(SKELETON_TYPES)


@pytest.mark.parametrize("kind", SKELETON_TYPES)
def test_new_makes_an_entry_of_every_skeleton_type(tmp_path: Path, kind: str) -> None:
    (tmp_path / "entries").mkdir()
    config = load_config(tmp_path / "entries", tmp_path / "out")
    path = new_entry(config, kind, None, "2026-12-07")
    entry = read_entry(path, path.name, config, MarkdownConverter(config.markdown_extensions))
    assert path.name == f"2026-12-07-{kind}.md" and entry.day.isoformat() == "2026-12-07"
