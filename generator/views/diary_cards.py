"""diary-cards/2026-W45.html: a week of DBT diary cards laid out as the paper card is (days as columns, the
emotions, urges, skills and notes as rows), the weeks since the last session for the agenda, and the
emotions and urges over time for the progress page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from generator import charts
from generator.config import Metric
from generator.diarycard import HIGH, LOW, MODULE_NAMES, OTHER, SKILL_MODULES, week_of, week_page
from generator.entries import Entry
from generator.journal import Journal
from generator.stats import Point, rolling_average
from generator.views import Page, entries_deps
from generator.words import counted

NOTE_WORDS = 24  # a day's note on the card: its first words (the whole note is on the entry's page)
CHART_DAYS = 91  # the progress page's charts: the last three months of cards, day by day


@dataclass
class UrgeCell:
    """One day's urge: its rating (None: not rated) and whether it was acted on."""

    value: int | None
    acted: bool


@dataclass
class CardWeek:
    """One ISO week of diary cards: the card of each day, Monday to Sunday, and its rows as the paper card has them."""

    key: str  # 2026-W45
    days: list[date]
    cards: list[Entry | None]  # each day's card (the day's last, if it has several), None for a day without
    emotions: list[tuple[str, list[int | None]]] = field(default_factory=list)
    urges: list[tuple[str, list[UrgeCell]]] = field(default_factory=list)
    skills: list[tuple[str, list[tuple[str, list[bool]]]]] = field(default_factory=list)  # module → skill → days
    doubled: list[date] = field(default_factory=list)  # days with more than one card: the last is shown
    held_back: int = 0  # private cards, left off

    @property
    def path(self) -> str:
        """The week's page, from the site's top folder."""
        return week_page(self.days[0])

    @property
    def filled(self) -> int:
        """How many days have a card."""
        return sum(1 for card in self.cards if card is not None)

    @property
    def acted(self) -> list[tuple[str, date]]:
        """Every urge acted on, with its day, in order."""
        acted = [
            (day, n, name)
            for n, (name, cells) in enumerate(self.urges)
            for day, cell in zip(self.days, cells)
            if cell.acted
        ]
        return [(name, day) for day, _, name in sorted(acted)]

    @property
    def urgent(self) -> list[Entry]:
        """The week's cards with an urge to suicide above 0."""
        return [card for card in self.cards if card is not None and card.urgent]

    def note(self, card: Entry) -> str:
        """A day's note as the card shows it: its first words."""
        return card.excerpt(NOTE_WORDS)


def diary_cards(entries: Iterable[Entry]) -> list[Entry]:
    """The diary cards among these entries, oldest first."""
    return [e for e in entries if e.card is not None]


def _rows(names: Sequence[str], ratings: Iterable[dict[str, int]]) -> list[str]:
    """The rows of a part of the card: the names the settings give, then any other a card of the week rates."""
    seen = list(names)
    for rated in ratings:
        seen += [name for name in rated if name not in seen]
    return seen


def card_week(journal: Journal, key: str, cards: list[Entry], held_back: int = 0) -> CardWeek:
    """One week's card from its diary card entries (none of them private), oldest first."""
    settings = journal.config.diary_card
    monday = date.fromisocalendar(int(key[:4]), int(key[6:]), 1)
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day: dict[date, Entry] = {}
    doubled = []
    for card in cards:
        if card.day in by_day and card.day not in doubled:
            doubled.append(card.day)
        by_day[card.day] = card
    shown = [by_day.get(day) for day in days]
    forms = [e.card if e is not None else None for e in shown]
    week = CardWeek(key, days, shown, doubled=doubled, held_back=held_back)
    for name in _rows(settings.emotions, (f.emotions for f in forms if f)):
        week.emotions.append((name, [f.emotions.get(name) if f else None for f in forms]))
    for name in _rows(settings.urges, [*(f.urges for f in forms if f), *({a: 0} for f in forms if f for a in f.acted)]):
        week.urges.append(
            (name, [UrgeCell(f.urges.get(name), name in f.acted) if f else UrgeCell(None, False) for f in forms])
        )
    used = list(dict.fromkeys(skill for f in forms if f for skill in f.skills))  # others: as the week met them
    for module in [m for m, _, _ in SKILL_MODULES] + [OTHER]:
        skills = [s for s in used if s[0] == OTHER] if module == OTHER else [s for s in _standard(module) if s in used]
        if skills:
            rows = [(skill, [bool(f and (module, skill) in f.skills) for f in forms]) for _, skill in skills]
            week.skills.append((MODULE_NAMES[module], rows))
    return week


def _standard(module: str) -> list[tuple[str, str]]:
    """A module's skills, in the standard list's order."""
    return [(module, name) for key, _, skills in SKILL_MODULES if key == module for name, _ in skills]


def card_weeks(journal: Journal) -> list[CardWeek]:
    """Every week that has a diary card that is not private, oldest first."""
    weeks: dict[str, list[Entry]] = {}
    private: dict[str, int] = {}
    for card in diary_cards(journal.entries):
        key = week_of(card.day)
        if card.private:
            private[key] = private.get(key, 0) + 1
        else:
            weeks.setdefault(key, []).append(card)
    return [card_week(journal, key, cards, private.get(key, 0)) for key, cards in sorted(weeks.items())]


def weeks_among(journal: Journal, entries: Sequence[Entry]) -> list[CardWeek]:
    """The weeks holding a diary card among these entries (the agenda's: those since the last session)."""
    keys = {week_of(e.day) for e in diary_cards(entries) if not e.private}
    return [week for week in card_weeks(journal) if week.key in keys] if keys else []


def diary_card_pages(journal: Journal) -> list[Page]:
    """A page per week of diary cards, each linking the weeks before and after it."""
    weeks = card_weeks(journal)
    pages = []
    for index, week in enumerate(weeks):
        before = weeks[index - 1] if index > 0 else None
        after = weeks[index + 1] if index + 1 < len(weeks) else None
        shown = [card for card in week.cards if card is not None]
        pages.append(
            Page(
                week.path,
                "diary-card.html",
                {
                    "week": week,
                    "before": before,
                    "after": after,
                    "page_title": f"Diary card {week.key}",
                },
                deps=(
                    "diary-card",
                    week.key,
                    entries_deps(shown),
                    tuple(week.doubled),
                    week.held_back,
                    before.key if before else None,
                    after.key if after else None,
                ),
            )
        )
    return pages


def _chart(
    metric: Metric, points: list[Point], span: tuple[date, date], chart_id: str, sessions: Sequence[date]
) -> dict[str, Any] | None:
    """One emotion's or urge's ratings, day by day, with the 7-day average as the strong line, over `span` (the
    same days for every chart of the section, so that they can be read one under the other)."""
    shown = [p for p in points if p.day >= span[0]]
    if not shown:
        return None
    average = rolling_average(points, 7, span[0])
    first, latest = average[0].value, average[-1].value
    if len(shown) == 1:
        words = (
            f"{metric.label}: rated on one diary card, {shown[0].value:g} on {shown[0].day.day} {shown[0].day:%B %Y}."
        )
    else:
        went = (
            f"stayed at {first:.1f}" if f"{first:.1f}" == f"{latest:.1f}" else f"went from {first:.1f} to {latest:.1f}"
        )
        words = (
            f"{metric.label} on {counted(len(shown), 'diary card')} from {shown[0].day.day} {shown[0].day:%B %Y}: "
            f"the 7-day average {went}."
        )
    svg = charts.metric_chart(
        metric,
        span[0],
        span[1],
        shown,
        [charts.Line(average, "avg-short", "7-day", 14)],
        [],
        sessions,
        [],
        words,
        chart_id,
    )
    return {"metric": metric, "svg": svg, "caption": words}


def card_charts(journal: Journal) -> dict[str, list[dict[str, Any]]]:
    """The progress page's diary card section: each emotion and urge rated on a card that is not private, over
    the last three months of cards (empty when the journal has none)."""
    cards = [e for e in diary_cards(journal.entries) if not e.private]
    if not cards:
        return {}
    settings = journal.config.diary_card
    sessions = tuple(e.day for e in journal.sessions())
    span = (
        max(cards[0].day, cards[-1].day - timedelta(days=CHART_DAYS - 1)),
        max(cards[-1].day, cards[0].day + timedelta(days=1)),
    )
    result: dict[str, list[dict[str, Any]]] = {"emotions": [], "urges": []}
    for part, names in (("emotions", settings.emotions), ("urges", settings.urges)):
        for name in _rows(names, (getattr(e.card, part) for e in cards if e.card)):
            points = _points(cards, part, name)
            label = name[:1].upper() + name[1:]
            metric = Metric(f"card-{part}-{name}", label, LOW, HIGH, name == "joy")
            chart = _chart(metric, points, span, f"card-{part}-{len(result[part])}", sessions) if points else None
            if chart:
                result[part].append(chart)
    return result


def _points(cards: Sequence[Entry], part: str, name: str) -> list[Point]:
    """One emotion's or urge's ratings as points, a day's last card deciding."""
    by_day: dict[date, float] = {}
    for card in cards:
        value = getattr(card.card, part).get(name)
        if value is not None:
            by_day[card.day] = float(value)
    return [Point(day, value) for day, value in sorted(by_day.items())]
