"""Skipping inline patterns that cannot match must give exactly Python-Markdown's own HTML."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import BASE_MARKDOWN_EXTENSIONS
from generator.entries import MarkdownConverter
from generator.frontmatter import decode, split

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "entries").rglob("*.md"))


def _reference(text: str) -> str:
    return markdown.Markdown(extensions=list(BASE_MARKDOWN_EXTENSIONS), output_format="html").convert(text)


CONVERTER = MarkdownConverter(BASE_MARKDOWN_EXTENSIONS)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_entries_convert_as_python_markdown_does(path: Path) -> None:
    body = split(decode(path.read_bytes(), path.name), path.name)[1]
    assert CONVERTER.convert(body) == _reference(body)


PIECES = st.sampled_from([
    "word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!", "<", ">",
    "&", "&amp;", "&#35;", ";", "[^1]", "[^1]: note", "<b>", "</b>", "<http://x.y>", "<a@b.c>", "\t", "|", "- ",
    "1. ", "> ", "```", "~~~", "#", "[x](y)", "![i](j)", "[r]", "[r]: /u", "*a*", "_b_", "**c**",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_converts_as_python_markdown_does(text: str) -> None:
    assert CONVERTER.convert(text) == _reference(text)
