"""Files Interlude makes for the person: a new entry from a skeleton, a new journal folder."""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime
from pathlib import Path

import jinja2

from generator.config import SETTINGS, Config
from generator.entries import parse_date
from generator.errors import InterludeError
from generator.render import theme_dirs
from generator.settings import journal_yaml, yaml_text
from generator.skeletons import SKELETON_TYPES
from generator.slugs import slugify

JOURNAL_YAML = journal_yaml(SETTINGS)  # the commented journal.yaml that init writes

GITIGNORE = """\
# The built site and shares are made from entries/ and can always be made again.
output/
.output.interlude-*
share/
.share.interlude-*
"""


class ScaffoldError(InterludeError):
    """A file Interlude was asked to make cannot be made."""


def _skeleton(config: Config, kind: str) -> jinja2.Template:
    """The editable skeleton for an entry type (the journal's templates/skeletons/ first)."""
    loader = jinja2.FileSystemLoader([str(d / "skeletons") for d in theme_dirs(config)])
    env = jinja2.Environment(
        loader=loader, keep_trailing_newline=True, autoescape=False, trim_blocks=True, lstrip_blocks=True
    )
    try:
        return env.get_template(f"{kind}.md")
    except jinja2.TemplateNotFound as exc:
        metric = config.metrics.get(kind)
        if metric is not None and metric.questionnaire:  # its questions come from its declaration
            return env.get_template("questionnaire.md")
        own = [key for key, m in config.metrics.items() if m.questionnaire and key not in SKELETON_TYPES]
        raise ScaffoldError(
            f"there is no skeleton for type {kind!r}; use one of {', '.join((*SKELETON_TYPES, *own))} "
            f"or add templates/skeletons/{kind}.md"
        ) from exc


def new_entry(config: Config, kind: str, title: str | None, when: str | None) -> Path:
    """Create entries/YYYY-MM-DD-slug.md from the type's skeleton; never overwrite anything."""
    try:
        moment, has_time = parse_date(when) if when else (datetime.now().replace(second=0, microsecond=0), True)
    except ValueError as exc:
        raise ScaffoldError(f"--date {when} is not a date; write it as 2024-03-05 or '2024-03-05 21:40'") from exc
    stamp = f"{moment:%Y-%m-%d %H:%M}" if has_time else f"{moment:%Y-%m-%d}"
    text = _skeleton(config, kind).render(
        title=yaml_text(title) if title else "",
        date=stamp,
        type=kind,
        card=config.diary_card,
        metric=config.metrics.get(kind),
    )
    stem = f"{moment:%Y-%m-%d}-{slugify(title or kind)}"
    try:
        config.entries_dir.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            path = config.entries_dir / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
            try:
                with open(path, "x", encoding="utf-8") as handle:  # "x": fails rather than overwrite
                    handle.write(text)
                return path
            except FileExistsError:
                continue
    except OSError as exc:
        raise ScaffoldError(f"cannot write a new entry in {config.entries_dir} ({exc.strerror})") from exc
    raise ScaffoldError(f"too many entries named {stem}; give this one a --title")


def open_in_editor(path: Path) -> None:
    """Open a file in $VISUAL or $EDITOR, if either is set."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return
    try:
        code = subprocess.call([*shlex.split(editor), str(path)])
    except (OSError, ValueError) as exc:  # ValueError: unbalanced quotes in $EDITOR
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise ScaffoldError(f"could not start the editor {editor!r} ({reason}); the entry is at {path}") from exc
    if code != 0:
        raise ScaffoldError(
            f"the editor {editor!r} stopped with an error (exit code {code}); the entry is at {path}, open it yourself"
        )


def init_journal(folder: Path) -> list[str]:
    """A new, empty journal: entries/, a commented journal.yaml, a .gitignore for output/."""
    if (folder / "journal.yaml").exists() or (folder / "entries").exists():
        raise ScaffoldError(f"{folder} already holds a journal; nothing was changed")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "entries").mkdir()
        made = ["entries/", "journal.yaml"]
        (folder / "journal.yaml").write_text(JOURNAL_YAML, encoding="utf-8")
        if not (folder / ".gitignore").exists():
            (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
            made.append(".gitignore")
    except OSError as exc:
        raise ScaffoldError(f"cannot make a journal in {folder} ({exc.strerror})") from exc
    return made
