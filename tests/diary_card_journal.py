"""A hand-made journal of DBT diary cards over three ISO weeks (2026-W44, W45, W46), shared by
tests/test_diary_card.py and the browser tests. Every expected value in those tests is worked out from the
cards written here."""

from __future__ import annotations

from pathlib import Path

CRISIS = "Ruth's urgent line 0123 456 789"

# (file name, front-matter lines, body). The weeks: W44 is Mon 26 Oct – Sun 1 Nov 2026, W45 Mon 2 – Sun 8 Nov,
# W46 Mon 9 – Sun 15 Nov. A session on Thursday 5 November: the agenda's stretch starts there.
CARDS = [
    (
        "2026-10-26-card.md",
        "date: 2026-10-26\ntype: diary-card\nemotions: {anger: 1, sadness: 3}\n"
        "urges: {self-harm: 0, suicide: 0, substances: 2}\nskills: [wise mind]",
        "A slow Monday.",
    ),
    (
        "2026-10-29-card.md",
        "date: 2026-10-29\ntype: diary-card\nemotions: {joy: 2, sadness: 2}\nurges: {substances: 1}\nskills: [TIPP]",
        "Cold water helped.",
    ),
    (
        "2026-11-02-card.md",
        "date: 2026-11-02\ntype: diary-card\nemotions: {anger: 2, fear: 1}\n"
        "urges: {self-harm: 1, suicide: 0, substances: 3}\nacted: [substances]\n"
        "skills: [wise mind, TIPP, opposite action]",
        "Had a drink after the call with mum.",
    ),
    (
        "2026-11-03-card.md",
        "date: 2026-11-03\ntype: diary-card\nemotions: {sadness: 3}\nurges: {substances: 2}",
        "Tired all day.",
    ),
    (
        "2026-11-04-card.md",
        "date: 2026-11-04\ntype: diary-card\nemotions:\n  anger: 2\n  sadness: 4\n"
        "urges: {Self-Harm: 0, suicide: 0, substances: 3}\nacted: [Substances]\n"
        "skills: [wise mind, tipp, Opposite Action]",
        "The listing was gone.",
    ),
    (
        "2026-11-05-session.md",
        "date: 2026-11-05 17:00\ntype: session\ntitle: Session about the week",
        "We read the card together.",
    ),
    (
        "2026-11-06-card.md",
        "date: 2026-11-06\ntype: diary-card\nemotions: {joy: 3}\nurges: {self-harm: 0}\nacted: [self-harm]",
        "Scratched my arm, not deep.",
    ),
    (
        "2026-11-08-card.md",
        "date: 2026-11-08\ntype: diary-card\nemotions: {shame: 5}\nskills: [DEAR MAN, walk by the sea]",
        "Asked Priya for help.",
    ),
    (
        "2026-11-10-card.md",
        "date: 2026-11-10\ntype: diary-card\nemotions: {sadness: 2}\nurges: {suicide: 2}\nskills: [radical acceptance]",
        "A dark evening.",
    ),
    (
        "2026-11-12-card.md",
        "date: 2026-11-12\ntype: diary-card\nemotions: {misery: 1}\nurges: {substances: 1}",
        "Better.",
    ),
    (
        "2026-11-14-private-card.md",
        "date: 2026-11-14\ntype: diary-card\nprivate: true\nemotions: {anger: 5}\nurges: {substances: 4}",
        "Words only I may read: zebra lantern.",
    ),
]


def write_journal(root: Path) -> Path:
    """The journal's entries folder and journal.yaml under root; returns the journal.yaml path."""
    entries = root / "entries"
    entries.mkdir(parents=True, exist_ok=True)
    for name, front, body in CARDS:
        (entries / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
    settings = root / "journal.yaml"
    settings.write_text(f"title: Card test\ncrisis_contact: {CRISIS}\n", encoding="utf-8")
    return settings
