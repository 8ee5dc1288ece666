"""next-session.html: what to bring to the next session, and how the stretch since the last one went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.entries import Entry
from generator.journal import Journal
from generator.stats import Change, compare
from generator.views import Page, entries_deps
from generator.views.forms import sleep_since


@dataclass
class Agenda:
    """The discuss entries since the last session and the numbers of that stretch."""

    last_session: Entry | None
    previous_session: Entry | None
    items: list[Entry]  # oldest first
    held_back: int  # private entries marked to discuss, left off the agenda
    since: list[Entry]  # every entry after the last session
    changes: list[Change]  # this stretch against the one before it
    dreams: list[Entry]
    homework: list[tuple[bool, str]]  # the last session's tasks: (done, words), as its file has them
    still_open: list[tuple[Entry, str]]  # earlier sessions' tasks not ticked yet, oldest first, with their session
    urgent: Entry | None  # the latest PHQ-9, when its ninth answer is above 0: to raise now, session or not


def homework(journal: Journal) -> tuple[list[tuple[bool, str]], list[tuple[Entry, str]]]:
    """The last session's homework, and every task of an earlier session that is not ticked yet."""
    sessions = [e for e in journal.sessions() if e.tasks]
    last = journal.sessions()[-1] if journal.sessions() else None
    current = list(last.tasks) if last is not None else []
    earlier = [s for s in sessions if s is not last]
    return current, [(session, words) for session in earlier for done, words in session.tasks if not done]


def crisis(journal: Journal) -> Entry | None:
    """The latest PHQ-9 that answers its ninth item, if that answer is above 0 (else None)."""
    # Kept past sessions: a note written once must not vanish because a session came after it, only
    # because a later PHQ-9 answered the ninth item 0. A PHQ-9 given as a total alone says nothing of it.
    for entry in reversed(journal.entries):
        items = entry.answers.get("phq9")
        if items and len(items) == 9:
            return entry if entry.urgent else None
    return None


def agenda(journal: Journal) -> Agenda:
    """Every `discuss` entry dated after the most recent session, oldest first (all of them if no session yet)."""
    sessions = journal.sessions()
    last = sessions[-1] if sessions else None
    previous = sessions[-2] if len(sessions) > 1 else None
    end = journal.position[last.key] if last else -1
    start = journal.position[previous.key] + 1 if previous else 0
    since = journal.entries[end + 1 :]
    before = journal.entries[start:end] if last else []  # written between the two sessions, as the timeline counts
    marked = [e for e in since if e.discuss]
    current, still_open = homework(journal)
    return Agenda(
        last_session=last,
        previous_session=previous,
        items=[e for e in marked if not e.private],
        held_back=sum(1 for e in marked if e.private),
        since=since,
        changes=compare(journal.config.metrics, before, since) if last else [],
        dreams=[e for e in since if e.type == "dream"],
        homework=current,
        still_open=still_open,
        urgent=crisis(journal),
    )


def agenda_page(journal: Journal) -> Page:
    """The printable agenda, made only when needed."""
    return Page(
        "next-session.html",
        "next-session.html",
        deps=("agenda", entries_deps(journal.entries)),
        lazy=lambda: _agenda_context(agenda(journal)),
    )


def _agenda_context(plan: Agenda) -> dict[str, Any]:
    """The agenda page's context: the agenda, and the sleep diary's nights since the last session."""
    return {"page_title": "Next session", "agenda": plan, "sleep": sleep_since(plan.since)}
