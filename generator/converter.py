"""Markdown text → HTML: Python-Markdown with Interlude's own extension (markdown_links.InterludeMarkdown), made quicker
by leaving out the steps that cannot act on a document. Each speed-up gives exactly Python-Markdown's own HTML
(tests/test_markdown.py compares them on the sample journal and on random text), and relies on these
internals of Python-Markdown, proven against the versions pinned in pyproject.toml:

- a step's registry (markdown.util.Registry) keeps its items in `_data` and `_priority`, and is sorted
  whenever it is iterated (_SettledRegistry keeps the sorted list until it changes);
- InlineProcessor walks the text with its private `__handleInline` (_InlineWhereMarked skips text that
  holds none of the remaining patterns' first characters), which tries each pattern with its private
  `__applyPattern` (_InlineWhereMarked skips a pattern whose first characters the text does not hold);
- block processors are asked `test(parent, block)` before `run` (_test_where_marked asks only the blocks
  that hold their mark), and `Markdown.is_block_level` is a plain method (_remembered caches its answers).

If any of these is missing (another Python-Markdown), MarkdownConverter uses Python-Markdown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import markdown
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor

from generator.config import BASE_MARKDOWN_EXTENSIONS, LINE_BREAKS
from generator.markdown_forms import EditorForms
from generator.markdown_links import InterludeMarkdown

# An inline pattern can only match where its first characters occur. Python-Markdown tries every
# pattern on every text node, which is most of its time; skipping those that cannot match in a
# document gives the same HTML in about half the time (tests/test_markdown.py compares the two).
# Patterns not named here always run.
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "linebreak": ("  \n", "\t"),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("*", "_"),
    "footnote": ("[^",),
    "wikilink": ("[[",),
    "delimiter": ("==", "~~"),  # pymdownx.mark and pymdownx.tilde
    "backslash_break": ("\\\n",),  # generator/markdown_forms.py
    "nl": ("\n",),  # nl2br (line_breaks: true)
}


# Block-level steps that likewise act only where these occur: the block processors, preprocessors,
# tree processors and postprocessors of the extensions Interlude always loads (BASE_MARKDOWN_EXTENSIONS).
# Skipped only when no other extension is loaded: another one might put such characters back in.
STEP_TRIGGERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("pre", "html_block"): ("<", "&"),
    ("pre", "fenced_code_block"): ("```", "~~~"),
    ("block", "quote"): (">",),
    ("block", "footnote"): ("[^",),
    ("block", "reference"): ("[",),
    ("block", "table"): ("|",),
    ("block", "hashheader"): ("#",),
    ("tree", "footnote"): ("[^",),
    ("tree", "footnote-duplicate"): ("[^",),
    ("tree", "unescape"): ("\\",),
    ("post", "footnote"): ("[^",),
    ("post", "amp_substitute"): ("&", "<"),
    ("tree", "block_ids"): ("^",),
    ("post", "unknown_entities"): ("&",),
}
# Block processors whose test looks for these anywhere in a block (a paragraph, a list): tested only on the
# blocks where one occurs, as a document can hold a heading and many paragraphs that cannot be one.
BLOCK_TRIGGERS: dict[str, tuple[str, ...]] = {
    "callout": ("[!",),
    "hashheader": ("#",),
    "quote": (">",),
    "setextheader": ("\n=", "\n-"),
    "table": ("|",),
}
# A horizontal rule needs three -, _ or * with only spaces between (tabs become spaces first).
_RULE = re.compile(r"([-_*])[ \t]*\1[ \t]*\1")
_MARKS = sorted({mark for marks in [*INLINE_TRIGGERS.values(), *STEP_TRIGGERS.values()] for mark in marks})
# Each mark with a character of it to look for first: finding one character is about forty times quicker
# than finding several in a row (```), and most entries hold neither.
_MARK_CHECKS = tuple((mark, mark.strip(" \n")[:1] if len(mark) > 1 else "") for mark in _MARKS)


class _InlineWhereMarked(InlineProcessor):
    """Python-Markdown's inline step, leaving alone each piece of text in which none of the remaining patterns'
    first characters occur (most sentences of a journal): the patterns would find nothing there.

    It overrides a private method of Python-Markdown's InlineProcessor; MarkdownConverter checks that the
    method exists, and tests/test_markdown.py compares the HTML with Python-Markdown's own."""

    def __init__(self, md: markdown.Markdown, marks: tuple[str, ...], triggers: dict[Any, tuple[str, ...]]):
        super().__init__(md)
        self.marks = marks
        self.triggers = triggers  # each pattern's first characters

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        for mark in self.marks:
            if mark in data:
                return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)
        return data

    def _InlineProcessor__applyPattern(
        self, pattern: Any, data: str, patternIndex: int, startIndex: int = 0
    ) -> tuple[str, bool, int]:
        """Python-Markdown's step of trying one pattern on a piece of text, answered "no match" at once where
        none of the pattern's first characters occur in the piece (a paragraph with an *emphasis* is otherwise
        searched by every pattern the document's marks leave in)."""
        for mark in self.triggers[pattern]:
            if mark in data:
                return InlineProcessor._InlineProcessor__applyPattern(self, pattern, data, patternIndex, startIndex)
        return data, False, 0


class _Whitespace(NormalizeWhitespace):
    """Python-Markdown's first step, without its search for lines of only spaces when there is none
    (a regular expression that takes a tenth of a plain entry's conversion)."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines).replace("\x02", "").replace("\x03", "")
        if "\r" in source:  # one character is quicker to look for than two
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            return super().run(lines)
        return source.split("\n")


class _SettledRegistry(markdown.util.Registry):
    """A Python-Markdown registry that keeps its items in order between changes. The parser goes through
    the block processors once for every block, and a plain registry sorts them into a new list each time."""

    _settled: list[Any]

    def __iter__(self) -> Any:
        return iter(self._settled)

    def register(self, item: Any, name: str, priority: float) -> None:
        super().register(item, name, priority)
        self.settle()

    def deregister(self, name: str, strict: bool = True) -> None:
        super().deregister(name, strict)
        self.settle()

    def settle(self) -> None:
        """Take the registered items, in order."""
        self._settled = list(super().__iter__())


def _remembered(is_block_level: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Python-Markdown's is_block_level, answered once per tag name (it looks through a list every time)."""
    answers: dict[Any, bool] = {}

    def remembered(tag: Any) -> bool:
        answer = answers.get(tag)
        if answer is None:
            answer = answers[tag] = is_block_level(tag)
        return answer

    return remembered


def _internals_present() -> bool:
    """Whether this Python-Markdown has the internals the speed-ups rely on (see the module's docstring)."""
    registry = markdown.util.Registry()
    return (
        hasattr(InlineProcessor, "_InlineProcessor__handleInline")
        and hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
        and hasattr(registry, "_data")
        and hasattr(registry, "_priority")
        and hasattr(markdown.blockprocessors.BlockProcessor, "test")
        and callable(getattr(markdown.Markdown, "is_block_level", None))
    )


QUICK = _internals_present()  # else: plain Python-Markdown, the same HTML, about twice the time


class MarkdownConverter:
    """Python-Markdown, one reusable instance per set of steps a document can need."""

    def __init__(self, extensions: tuple[str, ...], quick: bool = QUICK):
        self.extensions = list(extensions)
        self.quick = quick  # False: Python-Markdown as it is, every step for every document
        self.steps = set(extensions) <= {*BASE_MARKDOWN_EXTENSIONS, LINE_BREAKS}  # block-level steps may be skipped
        self._instances: dict[frozenset[tuple[str, str]], markdown.Markdown] = {}
        self._unused: dict[tuple[frozenset[str], bool], frozenset[tuple[str, str]]] = {}

    def _instance(self, unused: frozenset[tuple[str, str]]) -> markdown.Markdown:
        """A Markdown instance without the given steps (building one costs more than converting)."""
        md = self._instances.get(unused)
        if md is None:
            md = markdown.Markdown(
                extensions=[*self.extensions, InterludeMarkdown(), EditorForms()],
                output_format="html",
                extension_configs={
                    "footnotes": {"UNIQUE_IDS": False, "USE_DEFINITION_ORDER": False},  # numbered as first used
                    "pymdownx.tilde": {"subscript": False},
                    "pymdownx.mark": {"smart_mark": True},
                },
            )
            registries = {
                "inline": md.inlinePatterns,
                "pre": md.preprocessors,
                "block": md.parser.blockprocessors,
                "tree": md.treeprocessors,
                "post": md.postprocessors,
            }
            for kind, name in unused:
                if name in registries[kind]:
                    registries[kind].deregister(name)
            if self.quick:
                self._quicker(md)
            self._instances[unused] = md
        return md

    def _quicker(self, md: markdown.Markdown) -> None:
        """Swap in quicker forms of some of Python-Markdown's steps, where they give the same HTML."""
        md.parser.blockprocessors.__class__ = _SettledRegistry
        md.parser.blockprocessors.settle()
        if self.steps:  # Interlude's own extensions only: another one could add block-level tags or marks later
            md.is_block_level = _remembered(md.is_block_level)
            if "normalize_whitespace" in md.preprocessors:
                md.preprocessors.register(
                    _Whitespace(md), "normalize_whitespace", _priority(md.preprocessors, "normalize_whitespace")
                )
            for name, marks in BLOCK_TRIGGERS.items():
                if name in md.parser.blockprocessors:
                    _test_where_marked(md.parser.blockprocessors[name], marks)
        patterns = list(md.inlinePatterns._data)
        if "inline" in md.treeprocessors and all(name in INLINE_TRIGGERS for name in patterns):
            marks = tuple(sorted({mark for name in patterns for mark in INLINE_TRIGGERS[name]}))
            triggers = {md.inlinePatterns[name]: INLINE_TRIGGERS[name] for name in patterns}
            inline = _InlineWhereMarked(md, marks, triggers)
            md.treeprocessors.register(inline, "inline", _priority(md.treeprocessors, "inline"))

    def convert(self, text: str) -> str:
        """Markdown text → HTML."""
        if not self.quick:
            return self._instance(frozenset()).reset().convert(text)
        seen = text  # the text as Python-Markdown's first step leaves it, which drops these: marks are looked for there
        if "\x02" in seen or "\x03" in seen:
            seen = seen.replace("\x02", "").replace("\x03", "")
        present = frozenset(mark for mark, first in _MARK_CHECKS if first in seen and mark in seen)
        rule = bool(self.steps and _RULE.search(seen))
        unused = self._unused.get((present, rule))
        if unused is None:
            unused = frozenset(("inline", name) for name, marks in INLINE_TRIGGERS.items() if present.isdisjoint(marks))
            if self.steps:
                unused |= {step for step, marks in STEP_TRIGGERS.items() if present.isdisjoint(marks)}
                if not rule:
                    unused |= {("block", "hr")}
            self._unused[(present, rule)] = unused
        return self._instance(unused).reset().convert(text)


def _test_where_marked(processor: markdown.blockprocessors.BlockProcessor, marks: tuple[str, ...]) -> None:
    """Have a block processor test only the blocks in which one of `marks` occurs (the others cannot be its)."""
    test = processor.test

    def marked(parent: Any, block: str) -> bool:
        for mark in marks:
            if mark in block:
                return test(parent, block)
        return False

    processor.test = marked


def _priority(registry: markdown.util.Registry, name: str) -> float:
    """Where a step stands in its registry, to put another in its place."""
    return next(item.priority for item in registry._priority if item.name == name)
