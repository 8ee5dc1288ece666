"""Small helpers shared by the tests: writing entries into a temporary journal."""

from __future__ import annotations

from pathlib import Path

from generator.config import Config, load_config


def write_entry(entries: Path, rel: str, date: str | None = None, title: str | None = None,
                body: str = "Text.", **meta: str) -> Path:
    """Write one entry file with the given front-matter lines; returns its path."""
    lines = [f"title: {title}"] if title is not None else []
    lines += [f"date: {date}"] if date is not None else []
    lines += [f"{key}: {value}" for key, value in meta.items()]
    path = entries / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    front = "---\n" + "\n".join(lines) + "\n---\n" if lines else ""
    path.write_text(front + body + "\n", encoding="utf-8")
    return path


def journal_config(root: Path) -> Config:
    """Default settings for a journal at root/entries, built into root/output."""
    (root / "entries").mkdir(parents=True, exist_ok=True)
    return load_config(root / "entries", root / "output")
