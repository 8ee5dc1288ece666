"""Shared by the privacy, share and lock tests: a small journal whose private and unshared entries use
words found nowhere else, helpers to read every byte of a build."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.config import Config, load_config
from tests.helpers import write_entry

TODAY = date(2024, 3, 20)
PASSPHRASE = "correct horse battery staple"
TEST_ITERATIONS = 2_000  # the lock's production default is 600,000; tests pass this explicitly
TITLE = "Hortensia's notebook"


# (file, title, date, body, front matter). Words in CAPS-free lists below are checked byte for byte.
ENTRIES = [
    (
        "2024-03-01-first.md",
        "First session with Dr Quillfeather",
        "2024-03-01 19:00",
        "We talked about the orangery and the pelargoniums.",
        {"type": "session", "tags": "[therapy]", "mood": "5"},
    ),
    (
        "2024-03-03-marmalade.md",
        "Marmalade in the kitchen",
        "2024-03-03 20:00",
        "Seville oranges, a muslin bag, candied peel.",
        {"tags": "[kitchen]", "discuss": "true", "mood": "6", "gumption": "5"},
    ),
    (
        "2024-03-05-secret.md",
        "Zanzibar secret",
        "2024-03-05 22:10",
        "The thimbleweed xylophonist said borborygmus twice.",
        {
            "tags": "[zephyrine]",
            "discuss": "true",
            "private": "true",
            "mood": "2",
            "anxiety": "9",
            "gumption": "9",
            "milestone": "Told nobody about Zanzibar",
        },
    ),
    (
        "2024-03-08-second.md",
        "Second session",
        "2024-03-08 19:00",
        "Shorter today.",
        {"type": "session", "tags": "[therapy]", "mood": "6"},
    ),
    (
        "2024-03-09-lighthouse.md",
        "Walking by the lighthouse",
        "2024-03-09 17:30",
        "The lighthouse keeper waved; cormorants on the breakwater.",
        {"tags": "[outside]", "discuss": "true", "mood": "7", "gumption": "6"},
    ),
    (
        "2024-03-10-octopus.md",
        "Velvet octopus dream",
        "2024-03-10 07:00",
        "An octopus in a velvet waistcoat played the harmonium.",
        {"type": "dream", "tags": "[cephalopod]", "mood": "6"},
    ),
    (
        "2024-03-11-quokka.md",
        "Quokka confession",
        "2024-03-11 23:00",
        "Borborygmus again, and the quokka on the windowsill.",
        {"tags": "[quokkasecret]", "discuss": "true", "private": "yes", "mood": "3"},
    ),
    (
        "2024-03-12-html.md",
        "Raw markup",
        "2024-03-12 12:00",
        'Before.\n\n<script>window.pwnedScript = 1</script>\n\n<img src="nowhere.png" onerror="window.pwnedImage = 1">\n\n'
        '<p id="styled" style="color: rgb(255, 0, 0)">Styled words.</p>\n\nAfter.',
        {"tags": "[testing]"},
    ),
]
PRIVATE_WORDS = ["Zanzibar", "zephyrine", "thimbleweed", "xylophonist", "borborygmus", "Quokka", "quokkasecret"]
# Not private, but only in entries the default share (the agenda) leaves out.
UNSHARED_BY_AGENDA = [
    "Quillfeather",
    "orangery",
    "pelargoniums",
    "Marmalade",
    "Seville",
    "muslin",
    "octopus",
    "waistcoat",
    "harmonium",
    "cephalopod",
]
SHARED_BY_AGENDA = ["lighthouse", "cormorants", "breakwater"]
JOURNAL_YAML = f"""title: "{TITLE}"
metrics:
  gumption: {{label: Gumption, min: 0, max: 10, better: higher}}
"""


def make_journal(root: Path, output: str = "output", private: bool = True) -> Config:
    """The privacy journal at root/entries (without its private entries if `private` is False)."""
    for name, title, when, body, meta in ENTRIES:
        if private or "private" not in meta:
            write_entry(root / "entries", name, when, title, body, **meta)
    (root / "entries").mkdir(parents=True, exist_ok=True)
    (root / "journal.yaml").write_text(JOURNAL_YAML, encoding="utf-8")
    return configure(root, output)


def configure(root: Path, output: str) -> Config:
    """The journal at root, built into root/<output>."""
    return load_config(root / "entries", root / output, config_path=root / "journal.yaml")


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under folder, hidden ones (marker, cache) included, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def occurrences(folder: Path, words: list[str]) -> dict[str, list[str]]:
    """Word → the files whose bytes hold it (case-insensitive, also inside other words)."""
    found: dict[str, list[str]] = {}
    for rel, data in every_file(folder).items():
        lowered = data.lower()
        for word in words:
            if word.lower().encode("utf-8") in lowered:
                found.setdefault(word, []).append(rel)
    return found


def journal_words(min_length: int = 5) -> set[str]:
    """Every word of the fixture's titles, bodies and tags, and its title and metric label."""
    words: set[str] = set()
    for _, title, _, body, meta in ENTRIES:
        text = " ".join([title, re.sub(r"<[^>]+>", " ", body), meta.get("tags", ""), str(meta.get("milestone", ""))])
        words.update(w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= min_length)
    return words | {"Hortensia", "Gumption"}
