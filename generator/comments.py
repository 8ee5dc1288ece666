"""Obsidian's comments: `%% … %%`, on one line or across many, hidden in its reading view, so hidden here too.

They are taken out of an entry's text as soon as it is read, before anything else sees it: the page, its
excerpt, the search index, a share and the locked site are all made from what is left. Inside code (a fenced
block, a `code span`) two percent signs are only text. A `%%` that is never closed hides the rest of the
file, as in Obsidian. Each line break stays, so that line numbers in messages stay true.
"""

from __future__ import annotations

import re

MARK = "%%"
_FENCE = re.compile(r"^ {0,3}(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def without_comments(text: str) -> str:
    """The text with every %% comment removed (its line breaks kept), code left as written."""
    if MARK not in text:
        return text
    kept: list[str] = []
    fence = ""  # the fence of the code block the line is in, if any
    in_comment = False
    for line in text.split("\n"):
        if in_comment:
            end = line.find(MARK)
            if end < 0:
                kept.append("")
                continue
            shown, in_comment = _outside_code(line[end + len(MARK) :])
            kept.append(shown)
            continue
        opened = _FENCE.match(line)
        if fence:
            closing = opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)
            if closing and opened and not line[opened.end() :].strip():
                fence = ""
            kept.append(line)
            continue
        if opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            fence = opened.group(1)
            kept.append(line)
            continue
        shown, in_comment = _outside_code(line)
        kept.append(shown)
    return "\n".join(kept)


def _outside_code(line: str) -> tuple[str, bool]:
    """One line without its comments (code spans kept whole), and whether a comment is still open at its end."""
    if MARK not in line:
        return line, False
    parts: list[str] = []
    at = 0
    while at < len(line):
        ticks = _TICKS.search(line, at)
        comment = line.find(MARK, at)
        if comment < 0 and ticks is None:
            break
        if ticks is not None and (comment < 0 or ticks.start() < comment):
            close = _closing_ticks(line, ticks.end(), len(ticks.group(0)))
            stop = close if close is not None else ticks.end()
            parts.append(line[at:stop])
            at = stop
            continue
        if comment < 0:
            break
        parts.append(line[at:comment])
        end = line.find(MARK, comment + len(MARK))
        if end < 0:
            return "".join(parts), True
        at = end + len(MARK)
    parts.append(line[at:])
    return "".join(parts), False


def _closing_ticks(line: str, start: int, length: int) -> int | None:
    """Where a code span opened by `length` backticks ends (just after its closing ones), if it does."""
    for found in _TICKS.finditer(line, start):
        if len(found.group(0)) == length:
            return found.end()
    return None
