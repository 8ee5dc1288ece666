"""Markdown as CommonMark reads it: each tests/markdown_corpus/NAME.md, one way of writing, is converted by
Interlude and by an independent oracle (markdown-it-py, tests/markdown_oracle.py) and the two pages must show
the same, or differ only as tests/markdown_corpus/DIFFERENCES.md says, and then as NAME.expected.html shows.

A case whose name starts with `line-breaks-on` is read with `line_breaks: true` (the oracle's `breaks`).
Adding a case is adding a file; a case that must differ is added to DIFFERENCES.md with its reason and its
NAME.expected.html, written by hand from what Obsidian's reading view shows.

PENDING and UNDECIDED list the cases that differ today and should not, each with why. Their test checks that
they still differ, so that the moment one comes to agree the test fails and it is taken off its list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.converter import MarkdownConverter
from generator.tasks import task_boxes
from tests.markdown_oracle import normalised, oracle

CORPUS = Path(__file__).parent / "markdown_corpus"
DIFFERENCES_FILE = CORPUS / "DIFFERENCES.md"
CASES = sorted(path.stem for path in CORPUS.glob("*.md") if path != DIFFERENCES_FILE)

# Issue 24's forms that Interlude does not yet read as CommonMark (and Obsidian) do. Emptied as they land.
PENDING: dict[str, str] = {}

# Differences the oracle found outside issue 24's list, not yet decided: each is to be fixed, or moved to
# DIFFERENCES.md (with its reason and expected page) if Interlude should keep reading it its own way.
UNDECIDED: dict[str, str] = {}


def _differences() -> dict[str, str]:
    """DIFFERENCES.md as {case: reason}: each `## ` heading names its cases, the paragraphs below give why."""
    found: dict[str, str] = {}
    for section in re.split(r"^## ", DIFFERENCES_FILE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        heading, _, reason = section.partition("\n")
        for name in heading.split(","):
            found[name.strip()] = " ".join(reason.split())
    return found


DIFFERENCES = _differences()


@pytest.fixture(scope="module")
def converters(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, MarkdownConverter]:
    """Interlude's converter with default settings, and with `line_breaks: true` from a journal.yaml."""
    root = tmp_path_factory.mktemp("journal")
    (root / "entries").mkdir()
    (root / "journal.yaml").write_text("line_breaks: true\n", encoding="utf-8")
    breaks = load_config(root / "entries", root / "output", config_path=root / "journal.yaml")
    assert breaks.line_breaks
    default = Config(root / "entries", root / "output")
    return {False: MarkdownConverter(default.markdown_extensions), True: MarkdownConverter(breaks.markdown_extensions)}


def interlude(name: str, converters: dict[bool, MarkdownConverter]) -> str:
    """The case as Interlude's page shows it: the converter's HTML, with task lists' checkboxes drawn."""
    text = (CORPUS / f"{name}.md").read_text(encoding="utf-8")
    return normalised(task_boxes(converters[name.startswith("line-breaks-on")].convert(text)))


def commonmark(name: str) -> str:
    """The case as the oracle reads it."""
    text = (CORPUS / f"{name}.md").read_text(encoding="utf-8")
    return normalised(oracle(breaks=name.startswith("line-breaks-on")).render(text))


def expected(name: str) -> str:
    """A listed difference's page, as its NAME.expected.html gives it."""
    return normalised((CORPUS / f"{name}.expected.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CASES)
def test_each_way_of_writing_reads_as_commonmark_or_as_listed(
    name: str, converters: dict[bool, MarkdownConverter]
) -> None:
    shown, reference = interlude(name, converters), commonmark(name)
    target = expected(name) if name in DIFFERENCES else reference
    if name in PENDING or name in UNDECIDED:
        assert shown != target, f"{name} now reads as it should: take it off PENDING or UNDECIDED"
        return
    assert shown == target
    if name in DIFFERENCES:
        assert shown != reference, f"{name} now reads as CommonMark does: take it out of DIFFERENCES.md"


def test_the_lists_name_only_cases_of_the_corpus() -> None:
    listed = {*PENDING, *UNDECIDED, *DIFFERENCES}
    assert listed - set(CASES) == set(), "a listed case has no .md file"
    assert set(PENDING) & set(UNDECIDED) == set()
    sidecars = {path.name.removesuffix(".expected.html") for path in CORPUS.glob("*.expected.html")}
    assert sidecars == set(DIFFERENCES), "each case of DIFFERENCES.md has an .expected.html, and only those"
    assert all(DIFFERENCES.values()), "each difference says why"
    assert (
        len(CASES) >= 90
        and sum(name.startswith(("list-", "nest-", "ordered-", "bullet-", "task-")) for name in CASES) >= 30
    )


def test_the_comparison_tells_apart_what_a_page_shows_differently() -> None:
    tight, loose = "<ul><li>a</li><li>b</li></ul>", "<ul><li><p>a</p></li><li><p>b</p></li></ul>"
    assert normalised(tight) != normalised(loose)
    assert normalised("<p>a<br>b</p>") != normalised("<p>a b</p>")
    assert normalised("<p>a <em>b</em></p>") != normalised("<p>a<em>b</em></p>")
    assert normalised("<p>&lt;em&gt;b&lt;/em&gt;</p>") != normalised("<p><em>b</em></p>")
    assert normalised("<pre><code>a\n b</code></pre>") != normalised("<pre><code>a\nb</code></pre>")
    assert normalised('<ol start="3"><li>a</li></ol>') != normalised("<ol><li>a</li></ol>")


def test_the_comparison_writes_each_known_representation_difference_one_way() -> None:
    assert normalised("<p><s>x</s></p>") == normalised("<p><del>x</del></p>")
    assert normalised("<p><strong><em>x</em></strong></p>") == normalised("<p><em><strong>x</strong></em></p>")
    assert normalised('<p><a href="a%20b.md">x</a></p>') == normalised('<p><a href="a b.md">x</a></p>')
    assert normalised('<td style="text-align: left;">x</td>') == normalised('<td style="text-align:left">x</td>')
    python_markdown = (
        '<p>A<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup></p><div class="footnote"><hr><ol>'
        '<li id="fn:n"><p>Note&#160;<a class="footnote-backref" href="#fnref:n" title="Jump back">&#8617;</a></p>'
        "</li></ol></div>"
    )
    markdown_it = (
        '<p>A<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p><hr class="footnotes-sep">'
        '<section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item"><p>Note '
        '<a href="#fnref1" class="footnote-backref">↩︎</a></p></li></ol></section>'
    )
    assert normalised(python_markdown) == normalised(markdown_it)
    interlude_task = (
        '<ul><li class="task is-done"><input type="checkbox" disabled checked><span class="task-mark"></span> x'
        "</li></ul>"
    )
    oracle_task = (
        '<ul class="contains-task-list"><li class="task-list-item"><input class="task-list-item-checkbox" '
        'checked="checked" disabled="disabled" type="checkbox"> x</li></ul>'
    )
    assert (
        normalised(interlude_task)
        == normalised(oracle_task)
        != normalised(oracle_task.replace('checked="checked" ', ""))
    )
