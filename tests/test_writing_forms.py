"""Markdown as Obsidian's reading view shows it: lists right under a line, two-space and tab nesting, numbered
lists from any number, highlights, strikes, callouts, line breaks on request, block ids. Each form is built
into a real journal and read back from the page."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from tests.helpers import Session, write_entry

TODAY = date(2026, 11, 26)


def page_of(root: Path, rel: str, body: str, journal_yaml: str = "title: Forms\n", **meta: str) -> str:
    """Build a journal of one entry with this body and return the entry's page body (the prose)."""
    write_entry(root / "entries", rel, "2026-11-19 17:00", "Forms", body, **meta)
    (root / "journal.yaml").write_text(journal_yaml, encoding="utf-8")
    build(load_config(root / "entries", root / "output", config_path=root / "journal.yaml"), today=TODAY)
    html = (root / "output" / "entries" / f"{rel[:10]}-forms.html").read_text(encoding="utf-8")  # date and title
    found = re.search(r'<div class="prose[^"]*"[^>]*>(.*?)</div>\s*(?:<section|<nav|<footer|</article)', html, re.S)
    assert found, "no prose on the page"
    return found.group(1)


def squeezed(html: str) -> str:
    """HTML without the white space between tags."""
    return re.sub(r">\s+<", "><", html).strip()


def test_the_readmes_homework_example_as_written_gives_homework(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Homework and questionnaires") :]
    example = re.search(r"```markdown\n(.*?)```", part, re.S)
    assert example, "the README's homework example"
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2026-11-19-session.md").write_text(example.group(1), encoding="utf-8")
    write_entry(tmp_path / "entries", "2026-11-20-after.md", "2026-11-20 09:00", "After", "A day.")
    (tmp_path / "journal.yaml").write_text("title: Homework\n", encoding="utf-8")
    build(load_config(tmp_path / "entries", tmp_path / "output", config_path=tmp_path / "journal.yaml"), today=TODAY)
    output = tmp_path / "output"
    tasks = re.findall(r"^- \[([ x])\] (.*)$", example.group(1), re.M)
    done = sum(1 for mark, _ in tasks if mark == "x")
    assert len(tasks) >= 2
    session = (output / "entries" / "2026-11-19-17-00.html").read_text(encoding="utf-8")
    assert session.count('class="task') >= len(tasks) and "[ ]" not in session and "[x]" not in session
    timeline = (output / "index.html").read_text(encoding="utf-8")
    assert f"Homework: {done} of {len(tasks)} done" in timeline
    agenda = (output / "next-session.html").read_text(encoding="utf-8")
    homework = agenda[agenda.index("homework") :]
    for _, words in tasks:
        assert words in homework


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Homework:\n- one\n- two", "<p>Homework:</p><ul><li>one</li><li>two</li></ul>"),
        ("Steps:\n1. first\n2. second", "<p>Steps:</p><ol><li>first</li><li>second</li></ol>"),
        ("- a\n  - b\n    - c\n- d", "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
        ("- a\n\t- b\n\t\t- c", "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>"),
        ("- a\n    - b\n  - c", "<ul><li>a<ul><li>b</li><li>c</li></ul></li></ul>"),
        ("1. a\n   - b\n2. c", "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>"),
        ("3. three\n4. four", '<ol start="3"><li>three</li><li>four</li></ol>'),
        ("Count:\n7. not a list under a line", "<p>Count:\n7. not a list under a line</p>"),
        ("1) one\n2) two", "<ol><li>one</li><li>two</li></ol>"),
        ("- a\n\n  more of a\n- b", "<ul><li><p>a</p><p>more of a</p></li><li><p>b</p></li></ul>"),
        ("a ==bright== word", "<p>a <mark>bright</mark> word</p>"),
        ("a ~~gone~~ word and ~one~ tilde", "<p>a <del>gone</del> word and ~one~ tilde</p>"),
        ("`==code==` and `~~code~~`", "<p><code>==code==</code> and <code>~~code~~</code></p>"),
    ],
)
def test_lists_and_marks_as_obsidian_shows_them(tmp_path: Path, body: str, expected: str) -> None:
    assert squeezed(page_of(tmp_path, "2026-11-19-forms.md", body)) == expected


def test_a_task_list_right_under_a_line_is_tasks_nested_by_two_spaces(tmp_path: Path) -> None:
    prose = page_of(tmp_path, "2026-11-19-tasks.md", "To do:\n- [ ] ring\n  - [x] find the number\n- [ ] write")
    items = re.findall(r'<li class="task( is-done)?"', prose)
    assert items == ["", " is-done", ""]
    assert re.search(r"<ul[^>]*>\s*<li[^>]*>.*?<ul[^>]*>\s*<li", prose, re.S), "the ticked task is nested"


@pytest.mark.parametrize(
    ("body", "tag", "kind", "title", "inside"),
    [
        ("> [!note]\n> Bring the letter.", "div", "note", "Note", "<p>Bring the letter.</p>"),
        ("> [!warning] My title\n> Careful.", "div", "warning", "My title", "<p>Careful.</p>"),
        ("> [!caution] Aliased\n> Careful.", "div", "warning", "Aliased", "<p>Careful.</p>"),
        ("> [!tip]- Folded\n> Hidden at first.", "details", "tip", "Folded", "<p>Hidden at first.</p>"),
        (
            "> [!QUESTION]+ Open\n> Asked:\n> - why",
            "details open",
            "question",
            "Open",
            "<p>Asked:</p><ul><li>why</li></ul>",
        ),
        ("> [!whatever] Mine\n> text", "div", "note", "Mine", "<p>text</p>"),
    ],
)
def test_callouts(tmp_path: Path, body: str, tag: str, kind: str, title: str, inside: str) -> None:
    prose = squeezed(page_of(tmp_path, "2026-11-19-callout.md", body))
    name, _, extra = tag.partition(" ")
    head = "summary" if name == "details" else "p"
    opening = f'<{name} class="callout callout-{kind}"' + (f' {extra}=""' if extra else "") + ">"
    assert prose == (
        f'{opening}<{head} class="callout-title">{title}</{head}><div class="callout-body">{inside}</div></{name}>'
    )
    assert "[!" not in prose


def test_a_callout_keeps_its_look_after_pasted_html_is_cleaned(tmp_path: Path) -> None:
    prose = squeezed(page_of(tmp_path, "2026-11-19-callout.md", "<b>bold</b>\n\n> [!tip]+ Open\n> yes"))
    assert '<details class="callout callout-tip" open=""><summary class="callout-title">Open</summary>' in prose


def test_a_plain_quote_stays_a_quote(tmp_path: Path) -> None:
    assert (
        squeezed(page_of(tmp_path, "2026-11-19-q.md", "> She said so."))
        == "<blockquote><p>She said so.</p></blockquote>"
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("", "<p>first line\nsecond line</p>"),
        ("line_breaks: false\n", "<p>first line\nsecond line</p>"),
        ("line_breaks: true\n", "<p>first line<br>\nsecond line</p>"),
    ],
)
def test_line_breaks_only_when_the_journal_asks(tmp_path: Path, setting: str, expected: str) -> None:
    prose = page_of(tmp_path, "2026-11-19-lines.md", "first line\nsecond line", f"title: Lines\n{setting}")
    assert prose.strip() == expected


def test_line_breaks_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yaml").write_text("line_breaks: sometimes\n", encoding="utf-8")
    with pytest.raises(Exception, match="line_breaks must be true or false"):
        load_config(tmp_path / "entries", tmp_path / "output", config_path=tmp_path / "journal.yaml")


def test_block_ids_are_hidden_and_linked_to(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(
        entries,
        "2026-11-18-source.md",
        "2026-11-18 10:00",
        "Source",
        "The sentence I keep. ^kept-1\n\nOther.\n\n- item\n\n^list-2",
    )
    prose = page_of(tmp_path, "2026-11-19-link.md", "See [[Source#^kept-1]] and [[Source#^list-2|the list]].")
    source = (tmp_path / "output" / "entries" / "2026-11-18-source.html").read_text(encoding="utf-8")
    assert '<p id="^kept-1">The sentence I keep.</p>' in source and "^list-2" not in source.replace('id="^list-2"', "")
    assert re.search(r'<ul id="\^list-2">', source)
    assert 'href="../entries/2026-11-18-source.html#%5Ekept-1"' in prose
    assert 'href="../entries/2026-11-18-source.html#%5Elist-2"' in prose


@pytest.mark.parametrize("limit", [200, 1000, 20_000])
def test_nesting_deeper_than_forty_levels_is_one_clear_error_whatever_pythons_recursion_limit(
    tmp_path: Path, limit: int
) -> None:
    """The limit is Interlude's own (40 levels), not where Python-Markdown happens to run out of stack, which
    moved between Markdown 3.11.0 and 3.11.4 and moves with sys.setrecursionlimit."""
    entries = tmp_path / "entries"
    write_entry(entries, "2026-11-18-forty.md", "2026-11-18 10:00", "Forty", "Intro.\n\n" + "- " * 40 + "deepest")
    write_entry(entries, "2026-11-19-more.md", "2026-11-19 10:00", "More", "Intro.\n\n" + "> " * 41 + "too deep")
    write_entry(entries, "2026-11-20-spaces.md", "2026-11-20 10:00", "Spaces", "Intro.\n\n" + " " * 82 + "- x")
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        report = build(load_config(entries, tmp_path / "output"), today=TODAY)
    finally:
        sys.setrecursionlimit(old)
    # Front matter is lines 1–4, "Intro." line 5, a blank line 6: the deep line is line 7.
    assert sorted((Path(p.path).name, p.line) for p in report.problems) == [
        ("2026-11-19-more.md", 7),
        ("2026-11-20-spaces.md", 7),
    ]
    assert all("more than 40 levels" in p.message for p in report.problems)
    forty = (tmp_path / "output" / "entries" / "2026-11-18-forty.html").read_text(encoding="utf-8")
    assert "deepest" in forty


@pytest.mark.parametrize("marker", ["-", "*", "1.", "1)"])
def test_a_numbered_or_bulleted_task_list_is_homework(tmp_path: Path, marker: str) -> None:
    body = f"Homework:\n{marker} [ ] ring the clinic\n{marker.replace('1', '2')} [x] walk twice"
    entries = tmp_path / "entries"
    write_entry(entries, "2026-11-19-session.md", "2026-11-19 17:00", "Session", body, type="session")
    build(load_config(entries, tmp_path / "output"), today=TODAY)
    timeline = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert "Homework: 1 of 2 done" in timeline
    agenda = (tmp_path / "output" / "next-session.html").read_text(encoding="utf-8")
    assert "ring the clinic" in agenda and "1 of 2 done" in agenda


LETTER = """Intro words.

## What I wanted to say

That I was scared of losing her. ^scared

## After

Words after the section.
"""


def embed_journal(root: Path, session_body: str, **letter_meta: str) -> Path:
    """A letter with two sections, and a session that shows parts of it; returns the output folder."""
    entries = root / "entries"
    write_entry(entries, "2026-11-01-letter.md", "2026-11-01 10:00", "The letter", LETTER, **letter_meta)
    write_entry(entries, "2026-11-02-session.md", "2026-11-02 10:00", "Session", session_body, discuss="true")
    return root / "output"


def test_an_embed_shows_the_other_entrys_section_or_whole_text_framed_and_linked(tmp_path: Path) -> None:
    output = embed_journal(
        tmp_path, "Read out:\n\n![[The letter#What I wanted to say]]\n\nAll of it:\n\n![[The letter]]"
    )
    report = build(load_config(tmp_path / "entries", output), today=TODAY)
    assert report.problems == []
    page = (output / "entries" / "2026-11-02-session.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="embed">(.*?)</figure>', page, re.S)
    assert len(figures) == 2
    section, whole = figures
    assert '<a href="../entries/2026-11-01-the-letter.html#what-i-wanted-to-say">' in section
    assert (
        "That I was scared of losing her." in section and "Intro words" not in section and "Words after" not in section
    )
    assert "^scared" not in section and ' id="' not in section  # the page's own ids stay its own
    assert '<a href="../entries/2026-11-01-the-letter.html">The letter</a>' in whole
    assert all(words in whole for words in ("Intro words.", "That I was scared", "Words after the section."))


def test_an_entry_showing_itself_or_a_loop_is_reported_and_shown_as_a_link(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(entries, "2026-11-01-a.md", "2026-11-01 10:00", "Alpha", "A text.\n\n![[Beta]]")
    write_entry(entries, "2026-11-02-b.md", "2026-11-02 10:00", "Beta", "B text.\n\n![[Alpha]]")
    write_entry(entries, "2026-11-03-c.md", "2026-11-03 10:00", "Gamma", "C text.\n\n![[Gamma]]")
    report = build(load_config(entries, tmp_path / "output"), today=TODAY)
    loops = sorted((Path(p.path).name, p.line) for p in report.problems if "endlessly" in p.message)
    # Each body's embed is on line 7 (four front-matter lines, the text, a blank line). One of the two entries
    # that show each other is made a link, which ends that loop; the other then shows it once.
    assert loops == [("2026-11-01-a.md", 7), ("2026-11-03-c.md", 7)]
    pages = {
        name: (tmp_path / "output" / "entries" / f"{name}.html").read_text(encoding="utf-8")
        for name in ("2026-11-01-alpha", "2026-11-02-beta", "2026-11-03-gamma")
    }
    assert (
        '<figure class="embed">' not in pages["2026-11-01-alpha"]
        and '<figure class="embed">' not in pages["2026-11-03-gamma"]
    )
    assert pages["2026-11-02-beta"].count('<figure class="embed">') == 1 and "A text." in pages["2026-11-02-beta"]


def test_under_watch_a_page_is_made_again_when_the_entry_it_shows_changes(tmp_path: Path) -> None:
    """Real watchdog: saving the letter rewrites the session's page, which shows a section of it."""
    session = Session(tmp_path)
    session.templates.mkdir()
    embed_journal(tmp_path, "![[The letter#After]]")
    # Between the two, so that the letter is not the page's neighbour (whose change remakes it anyway).
    write_entry(session.entries, "2026-11-01-between.md", "2026-11-01 18:00", "Between", "An evening.")
    session.start()
    try:
        session.wait_text("2026-11-02-session", "Words after the section.")
        letter = session.entries / "2026-11-01-letter.md"
        text = letter.read_text(encoding="utf-8").replace("Words after the section.", "New words, later.")
        letter.write_text(text, encoding="utf-8")
        session.wait_text("2026-11-02-session", "New words, later.")
    finally:
        session.finish()


def test_a_share_never_shows_an_entry_it_does_not_hold(tmp_path: Path) -> None:
    from generator.share import Scope, share

    output = embed_journal(tmp_path, "![[The letter]]", private="true")
    build(load_config(tmp_path / "entries", output), today=TODAY)
    share(load_config(tmp_path / "entries", tmp_path / "share"), Scope("all"), today=TODAY, own_site=output)
    for page in (tmp_path / "share").rglob("*"):
        if page.is_file():
            assert b"scared of losing" not in page.read_bytes() and b"Intro words" not in page.read_bytes(), page
