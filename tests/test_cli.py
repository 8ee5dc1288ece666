"""The command line, through generator.cli.main(argv): exit codes and the one-line messages."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main, make_parser
from generator.config import load_config
from generator.entries import MarkdownConverter, read_entry
from tests.helpers import as_ordinary_user, write_entry


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean two-entry journal in the current folder, and no editor to start by accident."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    write_entry(tmp_path / "entries", "2024-03-05-walk.md", "2024-03-05 21:40", "Walk", tags="[outside]")
    write_entry(tmp_path / "entries", "2024-03-06-rain.md", "2024-03-06", "Rain", mood="6")
    return tmp_path


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_build_clean_journal(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Built 2 entries into output/")
    assert err == ""
    assert (journal / "output" / "entries" / "2024-03-05-walk.html").is_file()
    assert (journal / "output" / "entries" / "2024-03-06-rain.html").is_file()


def test_bad_entry_exits_1_names_file_and_line_and_builds_the_rest(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_entry(journal / "entries", "leap.md", "2024-02-30", "Leap")
    assert main(["build"]) == 1
    _, err = capsys.readouterr()
    assert "entries/leap.md:3: date 2024-02-30 is not a real date" in err.splitlines()[0]
    assert "Traceback" not in err
    assert (journal / "output" / "entries" / "2024-03-05-walk.html").is_file()
    assert (journal / "output" / "entries" / "2024-03-06-rain.html").is_file()


def test_bad_settings_exit_2_with_every_problem_on_one_line(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (journal / "journal.yaml").write_text("colour: blue\nexcerpt_words: 0\n", encoding="utf-8")
    assert main(["build"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("interlude: journal.yaml: colour is not a known setting")
    assert "excerpt_words must be a whole number above 0, not 0" in err
    assert not (journal / "output").exists()


def test_output_with_foreign_files_exits_2_and_deletes_nothing(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (journal / "output").mkdir()
    (journal / "output" / "taxes.pdf").write_bytes(b"%PDF")
    assert main(["build"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("interlude: output holds files Interlude did not make")
    assert files_under(journal / "output") == ["taxes.pdf"]


def test_a_broken_template_is_one_line_naming_it_unless_verbose(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (journal / "mytheme").mkdir()
    (journal / "mytheme" / "base.html").write_text("<p>\n{% block main %}never closed", encoding="utf-8")
    assert main(["build", "--templates", "mytheme"]) == 2
    _, err = capsys.readouterr()
    assert err == (
        "interlude: a template cannot be used: mytheme/base.html, line 2: Unexpected end of template. "
        "Jinja was looking for the following tags: 'endblock'. The innermost block that needs to be "
        "closed is 'block'; fix it, or remove it to use Interlude's own\n"
    )
    assert main(["--verbose", "build", "--templates", "mytheme"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_a_template_failing_while_rendering_names_its_line(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (journal / "mytheme").mkdir()
    (journal / "mytheme" / "entry.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ entry.no_such_thing.title }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    assert main(["build", "--templates", "mytheme"]) == 2
    assert capsys.readouterr().err == (
        "interlude: a template cannot be used: mytheme/entry.html, line 3: 'generator.entries.Entry object' has no "
        "attribute 'no_such_thing'; fix it, or remove it to use Interlude's own\n"
    )


def test_check_writes_nothing(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_under(journal)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "Checked entries/: 2 entries read, 0 problems.\n"
    assert files_under(journal) == before


def test_check_reports_a_bad_entry(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (journal / "entries" / "open.md").write_text("---\ntitle: x\n", encoding="utf-8")
    assert main(["check"]) == 1
    _, err = capsys.readouterr()
    assert err == "entries/open.md:1: front matter starts with --- but never ends; add a line with --- after it\n"


def test_new_makes_an_entry_and_never_overwrites(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "dream", "--title", "A tram", "--date", "2024-03-05", "--no-edit"]
    assert main(argv) == 0
    first = journal / "entries" / "2024-03-05-a-tram.md"
    assert capsys.readouterr().out == "entries/2024-03-05-a-tram.md\n"
    text = first.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: A tram\ndate: 2024-03-05\ntype: dream\n")
    first.write_text(text + "I was on a tram.\n", encoding="utf-8")
    assert main(argv) == 0
    assert capsys.readouterr().out == "entries/2024-03-05-a-tram-2.md\n"
    assert first.read_text(encoding="utf-8") == text + "I was on a tram.\n"
    assert (journal / "entries" / "2024-03-05-a-tram-2.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("title", ["A tram", "Sleep: again", "no", "true", "12", "[draft] #3", "'quoted'"])
def test_new_entry_reads_back_with_its_title(journal: Path, title: str) -> None:
    assert main(["new", "--title", title, "--date", "2024-03-07 21:40", "--no-edit"]) == 0
    [path] = (journal / "entries").glob("2024-03-07-*.md")
    config = load_config(journal / "entries", journal / "output")
    entry = read_entry(path, path.name, config, MarkdownConverter(config.markdown_extensions))
    assert (entry.title, entry.date.isoformat(), entry.has_time, entry.type) == (
        title,
        "2024-03-07T21:40:00",
        True,
        "reflection",
    )
    assert entry.warnings == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["new", "poem", "--no-edit"], "there is no skeleton for type 'poem'"),
        (["new", "--date", "someday", "--no-edit"], "--date someday is not a date"),
    ],
)
def test_new_refuses_bad_arguments(
    journal: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    before = files_under(journal)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert files_under(journal) == before


def test_init_makes_a_journal_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "diary"]) == 0
    assert files_under(tmp_path / "diary") == [".gitignore", "entries", "journal.yaml"]
    assert "output/" in (tmp_path / "diary" / ".gitignore").read_text(encoding="utf-8").splitlines()
    settings = (tmp_path / "diary" / "journal.yaml").read_bytes()
    capsys.readouterr()
    assert main(["init", "diary"]) == 2
    assert "already holds a journal" in capsys.readouterr().err
    assert (tmp_path / "diary" / "journal.yaml").read_bytes() == settings
    monkeypatch.chdir(tmp_path / "diary")
    assert main(["build"]) == 0  # the journal.yaml that init writes is valid


def subcommands() -> list[str]:
    """Every subcommand the parser knows, so that a new one is covered without editing this file."""
    [commands] = [a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(commands.choices)


def test_the_documented_subcommands_exist() -> None:
    assert {"build", "check", "new", "init"} <= set(subcommands())


def test_init_over_a_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("diary").write_bytes(b"a file")
    assert main(["init", "diary"]) == 2
    assert capsys.readouterr().err == "interlude: cannot make a journal in diary (File exists)\n"
    assert Path("diary").read_bytes() == b"a file"


def test_new_in_a_read_only_folder_is_one_line(journal: Path) -> None:
    entries = journal / "entries"
    entries.chmod(0o500)
    try:
        done = subprocess.run(
            as_ordinary_user([sys.executable, "-m", "generator", "new", "--title", "x", "--no-edit"]),
            cwd=journal,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        entries.chmod(0o700)
    assert done.returncode == 2
    assert done.stderr.startswith("interlude: cannot write a new entry in entries (Permission denied)")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", [[], *([c] for c in subcommands())])
def test_help_exits_0(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: {' '.join(['interlude', *command])}")


def test_python_m_generator_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: interlude")
    assert done.stderr == ""


def test_files_a_person_puts_into_the_output_survive_every_build(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    (journal / "output" / "mynotes.txt").write_text("x\n", encoding="utf-8")
    (journal / "output" / "photos" / "2024").mkdir(parents=True)
    (journal / "output" / "photos" / "2024" / "tram.jpg").write_bytes(b"\xff\xd8 a photo")
    (journal / "output" / "entries" / "about-these.txt").write_text("my own note\n", encoding="utf-8")
    capsys.readouterr()
    write_entry(journal / "entries", "2024-03-06-rain.md", "2024-03-06", "Rain", "Changed.", mood="7")
    write_entry(journal / "entries", "2024-03-07-new.md", "2024-03-07", "New one")
    assert main(["build"]) == 0
    out, _ = capsys.readouterr()
    assert "Kept these in output/, as they are: entries/about-these.txt, mynotes.txt, photos/ " in out
    for _ in range(2):  # said once; kept every time, also when the page beside it goes away
        (journal / "entries" / "2024-03-07-new.md").unlink()
        assert main(["build"]) == 0
        out, _ = capsys.readouterr()
        assert "Kept" not in out
        assert (journal / "output" / "mynotes.txt").read_text(encoding="utf-8") == "x\n"
        assert (journal / "output" / "photos" / "2024" / "tram.jpg").read_bytes() == b"\xff\xd8 a photo"
        assert (journal / "output" / "entries" / "about-these.txt").read_text(encoding="utf-8") == "my own note\n"
        assert "Changed." in (journal / "output" / "entries" / "2024-03-06-rain.html").read_text(encoding="utf-8")
        assert not (journal / "output" / "entries" / "2024-03-07-new-one.html").exists()
        write_entry(journal / "entries", "2024-03-07-new.md", "2024-03-07", "New one")
    assert sorted(p.name for p in journal.iterdir()) == ["entries", "output"]  # no staging folder left


def test_a_persons_file_where_a_new_page_goes_is_refused_and_nothing_changes(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    (journal / "output" / "tags" / "grief.html").parent.mkdir(exist_ok=True)
    (journal / "output" / "tags" / "grief.html").write_text("mine", encoding="utf-8")
    before = {p: p.read_bytes() for p in (journal / "output").rglob("*") if p.is_file()}
    write_entry(journal / "entries", "2024-03-07-new.md", "2024-03-07", "New one", tags="[grief]")
    assert main(["build"]) == 2
    _, err = capsys.readouterr()
    assert "tags/grief.html in the output folder was not made by Interlude" in err and len(err.splitlines()) == 1
    assert {p: p.read_bytes() for p in (journal / "output").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in journal.iterdir()) == ["entries", "output"]


def test_an_empty_title_in_the_settings_gives_the_default_title(journal: Path) -> None:
    (journal / "journal.yaml").write_text("title:\n", encoding="utf-8")
    assert main(["build"]) == 0
    index = (journal / "output" / "index.html").read_text(encoding="utf-8")
    assert "None" not in index
    assert "<title>My journal</title>" in index and '<a class="site-title" href="index.html">My journal</a>' in index


def test_new_with_an_unknown_type_names_the_skeleton_to_add(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "foo", "--no-edit"]) == 2
    _, err = capsys.readouterr()
    assert "add templates/skeletons/foo.md" in err and "{kind}" not in err


def test_new_says_so_when_the_editor_fails(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EDITOR", "false")
    assert main(["new", "--title", "Editor test"]) == 2
    out, err = capsys.readouterr()
    made = Path(out.strip())
    assert made.is_file()  # the entry is there, and the message says where
    assert (
        err
        == f"interlude: the editor 'false' stopped with an error (exit code 1); the entry is at {made}, open it yourself\n"
    )


def test_a_new_thought_record_keeps_its_first_section_in_the_text(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "thought-record", "--no-edit", "--date", "2024-03-07 20:00"]) == 0
    path = Path(capsys.readouterr().out.strip())
    config = load_config(journal / "entries", journal / "output")
    entry = read_entry(path, path.name, config, MarkdownConverter(config.markdown_extensions))
    assert entry.title == "Thought record"
    assert '<h2 id="situation">Situation</h2>' in entry.html


def test_init_quotes_a_folder_with_spaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "my journal"]) == 0
    assert "Next: cd 'my journal' && interlude new" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, settings, expected",
    [
        (
            ["build", "--entries", "entries/2024-03-05-walk.md"],
            None,
            "interlude: --entries entries/2024-03-05-walk.md is a file; give the folder that holds your entries\n",
        ),
        (
            ["build", "--templates", "nope"],
            "title: Mine\n",
            "interlude: --templates nope does not exist; give a folder of templates, or leave the option out\n",
        ),
        (
            ["build", "--templates", "nope"],
            "colour: blue\n",
            "interlude: journal.yaml: colour is not a known setting (known: calendar, crisis_contact, diary_card, excerpt_words, filename_date, hashtags, line_breaks, markdown_extensions, "
            "metrics, on_this_day, session_type, timeline_size, title); --templates nope does not exist; give a folder of templates, "
            "or leave the option out\n",
        ),
        (
            ["build"],
            "- title: Mine\n",
            "interlude: journal.yaml: holds a list, not settings; write `key: value` lines, such as `title: My journal`\n",
        ),
        (
            ["build"],
            'title: "Mine\n',
            "interlude: journal.yaml: line 1: is not valid YAML (found unexpected end of stream)\n",
        ),
        (
            ["build"],
            "title: Mine\nmetrics: [mood\n",
            "interlude: journal.yaml: line 2: is not valid YAML (did not find expected ',' or ']')\n",
        ),
    ],
)
def test_messages_point_at_what_is_wrong(
    journal: Path, capsys: pytest.CaptureFixture[str], argv: list[str], settings: str | None, expected: str
) -> None:
    if settings is not None:
        (journal / "journal.yaml").write_text(settings, encoding="utf-8")
    assert main(argv) == 2
    assert capsys.readouterr().err == expected


def test_a_locked_build_counts_the_files_it_wrote(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    monkeypatch.setenv("INTERLUDE_PASSPHRASE", "correct horse battery staple")
    assert main(["build", "--lock"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"\((\d+) files, (\d+) written, locked\)", out)
    on_disk = [p for p in (journal / "output").rglob("*") if p.is_file() and p.name != ".interlude-site"]
    assert found and int(found.group(1)) == int(found.group(2)) == len(on_disk), out


ONE_OF_A_KIND = re.compile(
    r"(?<![\d,.])1 (entries|days|photos|records|sessions|pages|problems|files|thought records)\b"
)


def test_one_of_anything_is_said_in_the_singular_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal of one session, with one task, one tag, one mood and one private entry to discuss: every
    message and page says "1 entry", "1 day", never "1 entries"."""
    entries = tmp_path / "entries"
    write_entry(
        entries,
        "2024-03-05-session.md",
        "2024-03-05 18:00",
        "Session",
        "Homework:\n- [ ] walk\n\n#sleep",
        type="session",
        mood="6",
    )
    write_entry(entries, "2024-03-06-mine.md", "2024-03-06 09:00", "Mine", "Private.", private="true", discuss="true")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--entries", str(entries), "--output", str(tmp_path / "output")]) == 0
    assert main(["check", "--entries", str(entries)]) == 0
    assert main(["share", "--all", "--entries", str(entries), "--output", str(tmp_path / "share")]) == 0
    out, err = capsys.readouterr()
    said = out + err
    assert "Built 2 entries" in said and "Shared 1 entry" in said and "1 private entry left out" in said, said
    for folder in (tmp_path / "output", tmp_path / "share"):
        for page in folder.rglob("*.html"):
            text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
            assert ONE_OF_A_KIND.findall(" ".join(text.split())) == [], page
    assert ONE_OF_A_KIND.findall(said) == [], said
