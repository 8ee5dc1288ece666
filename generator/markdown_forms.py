"""Markdown as today's editors write it (Obsidian, Typora, iA Writer, VS Code: CommonMark with GitHub's and
Obsidian's additions), read by Python-Markdown, which follows the 2004 rules where the two differ.

- Lists: a list may start right under a line of text (no blank line between), and an item's own lines and
  sub-lists are indented as far as its text starts (two spaces under `- `, three under `1. `, a tab),
  not four spaces always. ListShape rewrites each list into the four-space form Python-Markdown reads,
  before it reads the blocks; `1)` items become `1.`. The same pass reads what Python-Markdown reads only
  at the top or after a blank line: fenced code in an item or a quote, a table or a heading right under text.
- Callouts: `> [!note] Title`, folded with `-` (closed) or `+` (open) as a <details>.
- Block ids: ` ^my-id` at the end of a paragraph, or alone on the line after a block, is hidden, and gives
  that block the id `^my-id` that `[[Entry#^my-id]]` links to.
- CommonMark's backslash line break, and `&notathing;` shown as typed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.entities import html5
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {1,3}#{1,6}(?:[ \t]|$)")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# The first characters (after spaces) of every line that can open a list, a quote, a fence or an indented heading;
# outside a list, any other line without a `|` (a table's) is text, kept as it is.
_MAY_START = frozenset("-*+0123456789>`~#")
_LOOKS_LISTED = re.compile(r"^ *(?:[-*+]|\d{1,9}[.)])(?: |$)|^ {0,3}>|^ {0,3}(?:```|~~~)|^ {1,3}#|\|", re.M)


def shape_lists(lines: list[str]) -> list[str]:
    """The lines with every list in Python-Markdown's form: a blank line before a list that follows text, each
    level of nesting four spaces, `1)` as `1.`, fenced code inside an item or a quote (and a fence never closed,
    which runs to the end as in CommonMark) as indented code, a heading indented by up to three spaces as a
    heading, a table right under a line of text as a table. Quotes are shaped inside, as their own documents.
    (Python-Markdown has set aside every closed fence at the top by now: any fence left there is one of these.)"""
    out: list[str] = []
    stack: list[int] = []  # the column each open item's text starts at, outermost first
    kinds: list[str] = []  # each open item's kind: "-" for a bullet, "1" for a number
    previous = "blank"  # the kind of the line before: blank, text or item
    loose = False  # a blank line has come inside the list: Python-Markdown needs one to end a sub-list
    fence = ""  # inside a list item's fenced code: its fence (its lines become indented code)
    code_at = 0  # where that code's lines start, and how far it is indented
    index = 0
    while index < len(lines):
        line = lines[index]
        if fence:
            opened = _FENCE.match(line)
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence, previous = "", "blank"
                out.append("")
            else:
                text = line[code_at:] if line[:code_at].strip() == "" else line.lstrip(" ")
                out.append(" " * (4 * len(stack) + 4) + text)
            index += 1
            continue
        if not line.strip():
            out.append(line)
            previous = "blank"
            loose = loose or bool(stack)
            index += 1
            continue
        unindented = line.lstrip(" ")
        if not stack and unindented[0] not in _MAY_START and "|" not in line:
            out.append(line)  # a line of text outside any list: nothing to shape (most lines, looked at quickly)
            previous = "text"
            index += 1
            continue
        indent = len(line) - len(unindented)
        if not stack and _QUOTE.match(line):
            end = index
            while end < len(lines) and _QUOTE.match(lines[end]):
                end += 1
            inner = [_QUOTE.sub("", quoted, count=1) for quoted in lines[index:end]]
            if previous == "text":
                out.append("")
            out.extend(f"> {shaped}".rstrip(" ") if shaped else ">" for shaped in shape_lists(inner))
            previous, index = "text", end
            continue
        if not stack:
            opened = _FENCE.match(line)
            if opened and indent <= 3:
                fence, code_at = opened.group(1), indent
                if previous != "blank":
                    out.append("")
                index += 1
                continue
            if 0 < indent <= 3 and _HEADING.match(line):
                line = line.lstrip(" ")
            if previous == "text" and "|" in line and index + 1 < len(lines) and _TABLE_RULE.match(lines[index + 1]):
                out.append("")  # a table right under a line of text
        item = _ITEM.match(line)
        if item and _RULE.match(line):
            item = None
        if item and not stack and (indent >= 4 or (previous == "text" and not _may_interrupt(item))):
            item = None  # indented code, or a line of the paragraph above (CommonMark: only `1.` or a bullet)
        if item:
            listed = bool(stack)  # inside a list already: this item goes on it, or starts a sub-list
            depth, before = len(stack), list(kinds)
            while stack and stack[-1] > indent:
                stack.pop()
                kinds.pop()
            marker = item.group(2)
            kind = "1" if marker[0].isdigit() else "-"
            sibling = before[len(stack)] if len(before) > len(stack) else ""  # the item above at this level
            if (not listed and previous == "text") or (loose and (previous == "text" or len(stack) < depth - 1)):
                out.append("")  # a list under text; in a spaced-out list, an item after an item's own lines
            elif sibling and sibling != kind and previous != "blank":
                out.append("")  # a bullet after a numbered item (or the other way) starts a new list
            if marker[-1] == ")":
                marker = marker[:-1] + "."
            spaces = len(item.group(3))
            text = item.group(4)
            width = len(item.group(2)) + (spaces if 0 < spaces <= 4 and text else 1)
            shown = text or "\u00a0"  # an empty item: a bare `-` under a line would underline it as a heading
            out.append(" " * (4 * len(stack)) + marker + " " + (" " * (spaces - 1) if spaces > 4 else "") + shown)
            stack.append(indent + width)
            kinds.append(kind)
            previous = "item"
            if not listed:
                loose = False
            index += 1
            continue
        if stack:
            owner = len(stack)
            while owner and stack[owner - 1] > indent:
                owner -= 1
            if owner == 0 and previous == "blank":
                stack.clear()  # the list has ended
                kinds.clear()
                out.append(line)
                previous = "text"
            elif owner == 0:
                out.append(line)  # a lazy line, continuing the item's text as CommonMark has it
            else:
                del stack[owner:]
                del kinds[owner:]
                opened = _FENCE.match(line)
                if opened:  # Python-Markdown finds fences only at the top: inside an item it is indented code
                    fence, code_at = opened.group(1), indent
                    if previous != "blank":
                        out.append("")
                    index += 1
                    continue
                if previous != "blank" and _QUOTE.match(line[stack[-1] :]):
                    out.append("")  # a quote under an item's text: its own block inside the item
                    loose = True
                out.append(_moved(line, indent, stack))
                previous = "text"
            index += 1
            continue
        out.append(line)
        previous = "text"
        index += 1
    return out


def _moved(line: str, indent: int, stack: list[int]) -> str:
    """A line inside the innermost open item, indented four spaces a level as Python-Markdown reads it."""
    if not stack:
        return line
    extra = max(indent - stack[-1], 0)
    return " " * (4 * len(stack) + extra) + line.lstrip(" ")


def _may_interrupt(item: re.Match[str]) -> bool:
    """Whether a list item may start right under a line of text: a bullet or a `1.`, with some text."""
    marker = item.group(2)
    return bool(item.group(4).strip()) and (marker in "-*+" or marker[:-1] == "1")


class ListShape(Preprocessor):
    """Lists as CommonMark reads them, in the form Python-Markdown reads (see shape_lists)."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(_looks_listed(line) for line in lines):
            return lines
        return shape_lists(lines)


def _looks_listed(line: str) -> bool:
    """Whether a line may be part of a list, quote, fence, indented heading or table (_LOOKS_LISTED): looked at
    line by line, first by the first character, as one search of the whole text tries every alternative at every
    character (four times as long)."""
    return "|" in line or (line.lstrip(" ")[:1] in _MAY_START and _LOOKS_LISTED.match(line) is not None)


# Obsidian's callout kinds, and the other names each goes by.
CALLOUTS = {
    "note": (),
    "abstract": ("summary", "tldr"),
    "info": (),
    "todo": (),
    "tip": ("hint", "important"),
    "success": ("check", "done"),
    "question": ("help", "faq"),
    "warning": ("caution", "attention"),
    "failure": ("fail", "missing"),
    "danger": ("error",),
    "bug": (),
    "example": (),
    "quote": ("cite",),
}
_KIND = {alias: kind for kind, aliases in CALLOUTS.items() for alias in (kind, *aliases)}
_CALLOUT = re.compile(r"^ {0,3}> ?\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*(.*)$")


class Callout(BlockProcessor):
    """`> [!warning] Title` and the quote's other lines: a callout, folded as a <details> with `-` or `+`."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_CALLOUT.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        first, _, rest = block.partition("\n")
        found = _CALLOUT.match(first)
        assert found is not None
        written, fold, title = found.group(1), found.group(2), found.group(3).strip()
        kind = _KIND.get(written.lower(), "note")
        body = [_QUOTE.sub("", line, count=1) for line in rest.split("\n")] if rest else []
        classes = f"callout callout-{kind}"
        if fold:
            box = etree.SubElement(parent, "details", {"class": classes})
            if fold == "+":
                box.set("open", "")
            head = etree.SubElement(box, "summary", {"class": "callout-title"})
        else:
            box = etree.SubElement(parent, "div", {"class": classes})
            head = etree.SubElement(box, "p", {"class": "callout-title"})
        head.text = title or written[:1].upper() + written[1:].lower()
        inside = etree.SubElement(box, "div", {"class": "callout-body"})
        self.parser.parseChunk(inside, "\n".join(body))
        if not len(inside) and not (inside.text or "").strip():
            box.remove(inside)


_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9][A-Za-z0-9-]*)\s*$")
_ALONE_ID = re.compile(r"\s*\^[A-Za-z0-9][A-Za-z0-9-]*\s*")
_BLOCKS = {"p", "li", "blockquote", "table", "ul", "ol", "pre", "div", "h1", "h2", "h3", "h4", "h5", "h6"}


class BlockIds(Treeprocessor):
    """` ^id` ending a paragraph or an item, or alone after a block: hidden, and the block's id `^id`."""

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, parent: etree.Element) -> None:
        children = list(parent)
        for position, child in enumerate(children):
            alone = child.tag == "p" and not len(child) and _ALONE_ID.fullmatch(child.text or "")
            if alone and position > 0 and children[position - 1].tag in _BLOCKS:
                children[position - 1].set("id", (child.text or "").strip())
                parent.remove(child)
                continue
            if child.tag in ("p", "li") and "id" not in child.attrib:
                self._ending_id(child)
            self._walk(child)

    def _ending_id(self, block: etree.Element) -> None:
        """Take a trailing ^id off the block's last text, as its id."""
        holder: Any = block
        last = list(block)
        if last and last[-1].tag not in ("ul", "ol"):
            holder, attribute = last[-1], "tail"
        elif last:
            return  # an item with a sub-list: its own text comes before the list
        else:
            attribute = "text"
        text = getattr(holder, attribute) or ""
        found = _BLOCK_ID.search(text)
        if found:
            setattr(holder, attribute, text[: found.start()].rstrip())
            block.set("id", f"^{found.group(1)}")


class BackslashBreak(InlineProcessor):
    """A backslash at the end of a line: a line break, CommonMark's other way of writing one."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        return etree.Element("br"), m.start(0), m.end(0)


_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


class UnknownEntities(Postprocessor):
    """`&notathing;` as typed: a name HTML does not know is text (a browser would read its `&not` as ¬)."""

    def run(self, text: str) -> str:
        if "&" not in text:
            return text
        return _ENTITY.sub(lambda m: m.group(0) if f"{m.group(1)};" in html5 else f"&amp;{m.group(1)};", text)


class EditorForms(Extension):
    """Lists, callouts and block ids as Obsidian's reading view shows them."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After fenced code and raw HTML are set aside (25, 20): their lines are never taken for a list.
        md.preprocessors.register(ListShape(md), "list_shape", 19)
        md.parser.blockprocessors.register(Callout(md.parser), "callout", 21)  # before quotes (20)
        md.treeprocessors.register(BlockIds(md), "block_ids", 19)  # after the inline step (20)
        md.inlinePatterns.register(BackslashBreak(r"\\\n", md), "backslash_break", 185)  # before escapes (180)
        md.postprocessors.register(UnknownEntities(md), "unknown_entities", 5)  # after raw HTML is put back (30)
