"""The entry types Interlude ships a skeleton for, named once: `interlude new` makes entries from them
(generator/scaffold.py) and its help lists them (generator/cli.py)."""

from __future__ import annotations

SKELETON_TYPES = (
    "reflection",
    "session",
    "dream",
    "thought-record",
    "phq9",
    "gad7",
    "who5",
    "pcl5",
    "diary-card",
    "sleep",
    "activity",
    "exposure",
)
DEFAULT_TYPE = SKELETON_TYPES[0]


def types_help() -> str:
    """`interlude new`'s help for its type: every skeleton type, the default first."""
    others = ", ".join(SKELETON_TYPES[1:])
    return f"{DEFAULT_TYPE} (default), {others}, or a questionnaire declared in journal.yaml"
