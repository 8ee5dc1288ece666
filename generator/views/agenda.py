"""next-session.html: what to bring to the next session, and how the stretch since the last one went."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.courses import ReliableChange, course_starts, judged, reliable_changes
from generator.entries import Entry
from generator.journal import Journal
from generator.stats import Change, compare
from generator.views import Page, entries_deps
from generator.views.diary_cards import CardWeek, weeks_among
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
    urgent: (
        Entry | None
    )  # the latest questionnaire answering a risk item above its lowest: to raise now, session or not
    reliable: list[ReliableChange]  # each questionnaire across the current course: is its change reliable?
    thresholds: list[str]  # what those are judged by, in words
    cards: list[CardWeek] = field(default_factory=list)  # the weeks of diary cards since the last session


def homework(journal: Journal) -> tuple[list[tuple[bool, str]], list[tuple[Entry, str]]]:
    """The last session's homework, and every task of an earlier session that is not ticked yet."""
    sessions = [e for e in journal.sessions() if e.tasks]
    last = journal.sessions()[-1] if journal.sessions() else None
    current = list(last.tasks) if last is not None else []
    earlier = [s for s in sessions if s is not last]
    return current, [(session, words) for session in earlier for done, words in session.tasks if not done]


def crisis(journal: Journal) -> Entry | None:
    """The latest entry whose questionnaire answers its risk item above the lowest answer, among each
    questionnaire's latest that answers that item, or the latest diary card, if it rates the urge to suicide
    above 0 (else None)."""
    # Kept past sessions: a note written once must not vanish because a session came after it, only
    # because a later one of the same questionnaire answered the item at its lowest (or a later card rated the
    # urge 0). A total alone says nothing of it.
    found: list[Entry] = []
    for key, metric in journal.config.metrics.items():
        if not metric.risk_item:
            continue
        latest = next((e for e in reversed(journal.entries) if len(e.answers.get(key, ())) == metric.items), None)
        if latest is not None and key in latest.risks:
            found.append(latest)
    card = next((e for e in reversed(journal.entries) if e.card and e.card.suicide_urge is not None), None)
    if card is not None and card.card is not None and card.card.urgent:
        found.append(card)
    return max(found, key=lambda e: journal.position[e.key]) if found else None


def current_course(journal: Journal) -> list[ReliableChange]:
    """Each questionnaire's reliable change across the course the last session belongs to (the whole journal
    without sessions)."""
    sessions = [e.day for e in journal.sessions()]
    starts = course_starts(sessions)
    results = reliable_changes(journal.config.metrics, sessions, journal.entries)
    return [r for r in results if not starts or r.course == starts[-1]]


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
    reliable = current_course(journal)
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
        reliable=reliable,
        thresholds=judged(reliable),
        cards=weeks_among(journal, since),
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
