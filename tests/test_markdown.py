"""Skipping the steps that cannot act on a document (inline patterns, and for the extensions Interlude always
loads, block processors, pre-, tree- and postprocessors) must give exactly Python-Markdown's own HTML."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import make_journal
from generator.config import BASE_MARKDOWN_EXTENSIONS
from generator.converter import QUICK, MarkdownConverter
from generator.frontmatter import decode, split
from generator.markdown_forms import _LOOKS_LISTED, EditorForms, _looks_listed, shape_lists
from generator.markdown_links import InterludeMarkdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "entries").rglob("*.md"))


def _reference(text: str, extensions: tuple[str, ...] = BASE_MARKDOWN_EXTENSIONS) -> str:
    """Python-Markdown's own HTML, with Interlude's extensions (wikilinks, headings that need a space; lists,
    callouts and block ids as editors write them) and settings."""
    return markdown.Markdown(
        extensions=[*extensions, InterludeMarkdown(), EditorForms()],
        output_format="html",
        extension_configs={
            "footnotes": {"UNIQUE_IDS": False, "USE_DEFINITION_ORDER": False},
            "pymdownx.tilde": {"subscript": False},
            "pymdownx.mark": {"smart_mark": True},
        },
    ).convert(text)


CONVERTER = MarkdownConverter(BASE_MARKDOWN_EXTENSIONS)
MORE = (*BASE_MARKDOWN_EXTENSIONS, "smarty", "toc", "admonition", "attr_list")
WITH_MORE = MarkdownConverter(MORE)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_entries_convert_as_python_markdown_does(path: Path) -> None:
    body = split(decode(path.read_bytes(), path.name), path.name)[1]
    assert CONVERTER.convert(body) == _reference(body)


PIECES = st.sampled_from(
    [
        "word",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        "&amp;",
        "&#35;",
        ";",
        "[^1]",
        "[^1]: note",
        "<b>",
        "</b>",
        "<http://x.y>",
        "<a@b.c>",
        "\t",
        "|",
        "- ",
        "1. ",
        "> ",
        "```",
        "~~~",
        "#",
        "[x](y)",
        "![i](j)",
        "[r]",
        "[r]: /u",
        "*a*",
        "_b_",
        "**c**",
        # block level: rules, headings, tables, code, quotes, footnotes, raw HTML, escapes
        "---",
        "***",
        "___",
        "- - -",
        "* * *",
        "_ _ _",
        "-\t-\t-",
        "--\t-",
        "*\t*",
        "===",
        "\n---\n",
        "\n===\n",
        "## h",
        "# h #",
        "| a | b |\n| - | - |\n| 1 | 2 |",
        "|a|",
        "    code",
        "\n    code\n",
        "```\nc\n```",
        "~~~\nc\n~~~",
        "> q",
        ">>",
        "<div>\nx\n</div>",
        "<p>",
        "&copy;",
        "&#169;",
        "&x",
        "\\*",
        "\\`",
        "\x02",
        "[^a]: n\n",
        "[^a]",
        "\n[^b]: m",
        "[[",
        "]]",
        "[[w]]",
        "![[p.png|30]]",
        "[[a|b]]",
        "#tag",
        "\n#tag\n",
        "\n\n    more",
        "1) ",
        "2. ",
        "  - ",
        "   ",
        "\t- ",
        "==",
        "~~",
        "==m==",
        "~~s~~",
        "> [!note] t\n> b",
        "> [!tip]- f",
        "[!x]",
        " ^id",
        "\n^b1\n",
        "+ ",
        "!!! note\n    x",
        "{: .c}",
        "'",
        '"',
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_converts_as_python_markdown_does(text: str) -> None:
    assert CONVERTER.convert(text) == _reference(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_with_more_extensions_any_text_converts_as_python_markdown_does(text: str) -> None:
    assert WITH_MORE.convert(text) == _reference(text, MORE)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_lines_are_looked_at_one_by_one_as_one_search_of_the_text_would(text: str) -> None:
    """The list step looks for what it shapes line by line, by the first character; one search of the text finds
    the same: a document it finds nothing in is left as it is (and shaping it would change nothing)."""
    lines = text.split("\n")
    found = bool(_LOOKS_LISTED.search(text))
    assert any(_looks_listed(line) for line in lines) == found
    if not found:
        assert shape_lists(lines) == lines


def test_a_synthetic_journal_converts_as_python_markdown_does(tmp_path: Path) -> None:
    make_journal(tmp_path, 150)
    for path in sorted(tmp_path.rglob("*.md")):
        body = split(decode(path.read_bytes(), path.name), path.name)[1]
        assert CONVERTER.convert(body) == _reference(body), path.name


def test_the_speed_ups_are_in_use_on_the_pinned_python_markdown() -> None:
    """pyproject.toml pins the versions the speed-ups are proven against: on them, they are on."""
    assert QUICK and CONVERTER.quick


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_without_the_internals_it_falls_back_to_python_markdown_as_it_is(text: str) -> None:
    """Another Python-Markdown, without the internals: the converter runs every step, with the same HTML."""
    plain = MarkdownConverter(BASE_MARKDOWN_EXTENSIONS, quick=False)
    assert plain.convert(text) == _reference(text) == CONVERTER.convert(text)


def test_a_python_markdown_without_an_internal_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    from markdown.treeprocessors import InlineProcessor

    from generator import converter

    assert converter._internals_present()
    monkeypatch.delattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert not converter._internals_present()
