"""Task lists (`- [ ]`, `- [x]`, as Obsidian and GitHub write them): drawn as boxes, and read back as an entry's
tasks."""

from __future__ import annotations

import re

from generator.excerpts import visible_text

_TASK = re.compile(r"<li>(\s*<p>)?\[([ xX])\][ \t]+")  # <li>\n<p>[ ]: an item of a spaced-out list


def task_boxes(body_html: str) -> str:
    """List items that open with `[ ]` or `[x]` (task lists, as Obsidian and GitHub write them) as ticked or
    empty checkboxes, shown only: the file is where a task is ticked. Code is untouched (its < is &lt;)."""
    if "[" not in body_html or "<li>" not in body_html:
        return body_html

    def box(found: re.Match[str]) -> str:
        done = found.group(2) != " "
        state = 'checked aria-label="done"' if done else 'aria-label="not done"'
        # The box itself is drawn by a bordered mark (a disabled checkbox is too faint to read, and prints
        # without its tick); the real checkbox beside it tells screen readers.
        return (
            f'<li class="task{" is-done" if done else ""}">{found.group(1) or ""}'
            f'<input type="checkbox" disabled {state}><span class="task-mark" aria-hidden="true"></span> '
        )

    return _TASK.sub(box, body_html)


_TASK_ITEM = re.compile(r'<li class="task( is-done)?">(.*?)(?=<li|</li>|<ul|<ol)', re.S)


def task_list(body_html: str) -> tuple[tuple[bool, str], ...]:
    """The entry's tasks, as task_boxes drew them: (done, the task's words), in order."""
    if '<li class="task' not in body_html:
        return ()
    return tuple(
        (bool(found.group(1)), " ".join(visible_text(found.group(2)).split()))
        for found in _TASK_ITEM.finditer(body_html)
    )
