"""The DBT diary card: three hand-made weeks of cards (tests/diary_card_journal.py) give three weekly card pages
with each value in its cell, urges acted on marked in words, a suicide urge above 0 bringing the crisis contact,
bad values warned about with their lines, and private cards left out of every card, chart and share."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.config import ConfigError, load_config
from generator.scaffold import new_entry
from generator.share import Scope, share
from generator.store import read_journal
from tests.diary_card_journal import CRISIS, write_journal
from tests.helpers import journal_config, write_entry

TODAY = date(2026, 11, 16)


class Card(HTMLParser):
    """The rows of a page's diary card table: each row's cells as (text, classes), by the tbody that holds it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, list[list[tuple[str, str]]]]] = []
        self.head: list[tuple[str, str]] = []
        self.links: list[str] = []
        self._in_table = self._in_head = False
        self._cell: list[str] | None = None
        self._classes = ""
        self._row: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table" and "diary-card" in (values.get("class") or ""):
            self._in_table = True
        if not self._in_table:
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self.parts.append((values.get("class") or "", []))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell, self._classes = [], values.get("class") or ""
        elif tag == "a" and self._in_head:
            self.links.append(values.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if not self._in_table:
            return
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._classes))
            self._cell = None
        elif tag == "tr":
            if self._in_head:
                self.head = self._row
            else:
                self.parts[-1][1].append(self._row)
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def row(self, part: str, name: str) -> list[str]:
        """The seven day cells of a row (by its name) in a part of the card (emotions, urges, skills, notes)."""
        return [text for text, _ in self.cells(part, name)]

    def cells(self, part: str, name: str) -> list[tuple[str, str]]:
        """row(), with each cell's classes."""
        rows = [row for classes, rows in self.parts if f"card-{part}" in classes for row in rows]
        found = [row[1:] for row in rows if row[0][0] == name and len(row) == 8]
        assert len(found) == 1, f"one {name!r} row in {part}: {rows}"
        return found[0]

    def groups(self, part: str) -> list[str]:
        """The module headings of a part (the skills by module), in order."""
        rows = [row for classes, rows in self.parts if f"card-{part}" in classes for row in rows]
        return [row[0][0] for row in rows if len(row) == 1]


def card(page: Path) -> Card:
    parser = Card()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made journal of diary cards, built."""
    root = tmp_path_factory.mktemp("cards")
    settings = write_journal(root)
    report = build(load_config(root / "entries", root / "output", config_path=settings), today=TODAY, cache=False)
    assert report.problems == []
    return root / "output"


def test_three_weeks_of_cards_give_three_weekly_pages(site: Path) -> None:
    # Cards on 26 and 29 October (ISO week 44), 2–8 November (45) and 10–14 November (46): three weeks.
    assert sorted(p.name for p in (site / "diary-cards").iterdir()) == [
        "2026-W44.html",
        "2026-W45.html",
        "2026-W46.html",
    ]
    page = card(site / "diary-cards" / "2026-W45.html")
    days = ["Mon 2 Nov", "Tue 3 Nov", "Wed 4 Nov", "Thu 5 Nov", "Fri 6 Nov", "Sat 7 Nov", "Sun 8 Nov"]
    assert [text.replace(" (no card)", "") for text, _ in page.head[1:]] == days


def test_each_value_is_in_its_days_cell(site: Path) -> None:
    w45 = card(site / "diary-cards" / "2026-W45.html")
    # Sadness: Tuesday's card says 3, Wednesday's 4 (written one item a line); Monday, Friday and Sunday rate
    # other emotions; Thursday and Saturday have no card.
    assert w45.row("emotions", "sadness") == ["", "3", "4", "", "", "", ""]
    assert w45.row("emotions", "anger") == ["2", "", "2", "", "", "", ""]
    assert w45.row("emotions", "joy") == ["", "", "", "", "3", "", ""]
    assert w45.row("emotions", "shame") == ["", "", "", "", "", "", "5"]
    assert w45.row("emotions", "misery") == [""] * 7  # a row of the card even when no day rates it
    # Urges: Wednesday writes Self-Harm, the card's self-harm.
    assert w45.row("urges", "self-harm") == ["1", "", "0", "", "0 ✔ acted on", "", ""]
    assert w45.row("urges", "substances") == ["3 ✔ acted on", "2", "3 ✔ acted on", "", "", "", ""]
    assert w45.row("urges", "suicide") == ["0", "", "0", "", "", "", ""]
    # Skills by module, in the standard order; tipp and Opposite Action are TIPP and opposite action.
    assert w45.groups("skills") == [
        "Skills used",
        "Mindfulness",
        "Distress tolerance",
        "Emotion regulation",
        "Interpersonal effectiveness",
        "Other skills",
    ]
    used = ["✓used", "", "✓used", "", "", "", ""]
    assert w45.row("skills", "wise mind") == used
    assert w45.row("skills", "TIPP") == used
    assert w45.row("skills", "opposite action") == used
    assert w45.row("skills", "DEAR MAN") == ["", "", "", "", "", "", "✓used"]
    assert w45.row("skills", "walk by the sea") == ["", "", "", "", "", "", "✓used"]
    notes = w45.row("notes", "Note")
    assert notes[2] == "The listing was gone." and notes[3] == notes[5] == ""
    text = (site / "diary-cards" / "2026-W45.html").read_text(encoding="utf-8")
    assert 'href="2026-W44.html"' in text.replace("../diary-cards/", "") and "2026-W46.html" in text
    w44 = card(site / "diary-cards" / "2026-W44.html")
    # Monday 26 October: sadness 3; Thursday 29 October: 2.
    assert w44.row("emotions", "sadness") == ["3", "", "", "2", "", "", ""]
    assert w44.row("urges", "substances") == ["2", "", "", "1", "", "", ""]


def test_a_day_without_a_card_is_a_column_of_blank_cells(site: Path) -> None:
    w45 = card(site / "diary-cards" / "2026-W45.html")
    thursday, saturday = 3, 5
    for part, name in [("emotions", "anger"), ("urges", "substances"), ("skills", "wise mind"), ("notes", "Note")]:
        cells = w45.cells(part, name)
        for day in (thursday, saturday):
            assert cells[day] == ("", "no-card"), (part, name, day)
    # The days with a card link to their entry; the two without do not.
    assert len(w45.links) == 5 and all(link.startswith("../entries/2026-11-0") for link in w45.links)


def test_an_urge_acted_on_is_said_in_words(site: Path) -> None:
    w45 = card(site / "diary-cards" / "2026-W45.html")
    acted = [cls for _, cls in w45.cells("urges", "substances")]
    assert acted[0] == acted[2] == "acted" and acted[1] != "acted"
    text = (site / "diary-cards" / "2026-W45.html").read_text(encoding="utf-8")
    # Friday's self-harm is acted on though rated 0; in the order of the days.
    assert "Acted on: substances (Monday); substances (Wednesday); self-harm (Friday)." in _text(text)


def test_a_suicide_urge_above_0_brings_the_crisis_contact(site: Path) -> None:
    w46 = _text((site / "diary-cards" / "2026-W46.html").read_text(encoding="utf-8"))
    assert "you rated your urge to suicide 2 out of 5" in w46 and CRISIS in w46
    # Week 45 rates it 0 (Monday and Wednesday): no note.
    assert "Worth raising now" not in (site / "diary-cards" / "2026-W45.html").read_text(encoding="utf-8")
    agenda = _text((site / "next-session.html").read_text(encoding="utf-8"))
    assert "diary card of Tuesday 10 November 2026" in agenda and CRISIS in agenda
    entry = _text((site / "entries" / "2026-11-10-diary-card.html").read_text(encoding="utf-8"))
    assert "On this diary card you rated your urge to suicide 2 out of 5" in entry and CRISIS in entry


def test_a_later_card_that_rates_the_suicide_urge_0_decides(tmp_path: Path) -> None:
    settings = write_journal(tmp_path)
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
    write_entry(config.entries_dir, "2026-11-13-card.md", "2026-11-13", type="diary-card", urges="{suicide: 0}")
    build(config, today=TODAY, cache=False)
    assert "Worth raising now" not in (tmp_path / "output" / "next-session.html").read_text(encoding="utf-8")
    # The week's card still shows Tuesday's note: it is that week's.
    assert CRISIS in _text((tmp_path / "output" / "diary-cards" / "2026-W46.html").read_text(encoding="utf-8"))


def test_the_agenda_shows_the_cards_since_the_last_session(site: Path) -> None:
    text = (site / "next-session.html").read_text(encoding="utf-8")
    # The session is on Thursday 5 November: the cards of 6 and 8 November (week 45) and 10 and 12 November
    # (week 46) came after it; week 44's did not.
    weeks = re.findall(r'href="(diary-cards/[^"]+)"', text)
    assert weeks == ["diary-cards/2026-W45.html", "diary-cards/2026-W46.html"]
    said = _text(text)
    assert (
        "Week of 2 November 2026: 5 cards; ✔ acted on substances (Monday), substances (Wednesday), self-harm (Friday); 5 skills used."
        in said
    )
    assert "Week of 9 November 2026: 2 cards; 1 skill used." in said  # the private card of 14 November is not counted


def test_each_card_links_to_its_week(site: Path) -> None:
    page = (site / "entries" / "2026-11-04-diary-card.html").read_text(encoding="utf-8")
    assert 'href="../diary-cards/2026-W45.html"' in page
    said = _text(page)
    assert "Emotions anger 2 · sadness 4" in said
    assert "substances 3 (✔ acted on)" in said and "Skills used wise mind · TIPP · opposite action" in said


def test_bad_values_are_warned_about_with_their_lines(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    (config.entries_dir / "2026-11-11-card.md").write_text(
        "---\n"  # line 1
        "date: 2026-11-11\n"  # 2
        "type: diary-card\n"  # 3
        "emotions: {anger: 7, sadness: lots, guilt: 2}\n"  # 4
        "urges:\n"  # 5
        "  self-harm: 0\n"  # 6
        "  suicide: -1\n"  # 7
        "skills: [wise mnd, walk by the sea]\n"  # 8
        "acted: {substances: yes}\n"  # 9
        "---\n"
        "A note.\n",
        encoding="utf-8",
    )
    journal = read_journal(config)
    said = [str(problem).removeprefix(f"{config.entries_dir.as_posix()}/") for problem in journal.problems]
    assert said == [
        "2026-11-11-card.md:4: emotions: anger: 7 is outside 0–5; left off the card",
        "2026-11-11-card.md:4: emotions: sadness: lots is not a whole number from 0 to 5; left off the card",
        "2026-11-11-card.md:4: emotions: guilt is not on your diary card (anger, fear, joy, sadness, shame, misery); "
        "it is shown below them (add it to diary_card: emotions: in journal.yaml to give it its place)",
        "2026-11-11-card.md:7: urges: suicide: -1 is outside 0–5; left off the card",
        "2026-11-11-card.md:9: acted: write a list of names, like [substances]",
        "2026-11-11-card.md:8: skills: wise mnd is not a DBT skill Interlude knows; did you mean wise mind? "
        "It is listed under other skills",
    ]
    entry = journal.entries[0]
    assert entry.card is not None
    # What was right is kept: guilt 2 (in a row of its own), self-harm 0, and both skills as other skills.
    assert entry.card.emotions == {"guilt": 2} and entry.card.urges == {"self-harm": 0}
    assert entry.card.skills == (("other", "wise mnd"), ("other", "walk by the sea"))
    build(config, today=TODAY, cache=False)
    w46 = card(tmp_path / "output" / "diary-cards" / "2026-W46.html")
    assert w46.row("emotions", "guilt") == ["", "", "2", "", "", "", ""]  # Wednesday 11 November


def test_the_skeleton_explains_each_field_and_reads_back_as_an_empty_card(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    path = new_entry(config, "diary-card", None, "2026-11-04")
    text = path.read_text(encoding="utf-8")
    for field in ("emotions", "urges", "acted", "skills"):
        line = text.split("\n").index(next(line for line in text.split("\n") if line.startswith(f"{field}:")))
        assert text.split("\n")[line - 1].startswith("# "), f"{field} has its line of explanation above it"
    assert "emotions: {anger: _, fear: _, joy: _, sadness: _, shame: _, misery: _}" in text
    assert "urges: {self-harm: _, suicide: _, substances: _}" in text
    journal = read_journal(config)
    assert journal.problems == []  # the blanks left as they are: nothing rated, nothing wrong
    entry = journal.entries[0]
    assert entry.type == "diary-card" and entry.card is not None and entry.card.emotions == {}


def test_the_emotions_and_the_persons_own_targets_are_settings(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    settings = tmp_path / "journal.yaml"
    settings.write_text("diary_card:\n  emotions: [calm, guilt]\n  targets: [bingeing]\n", encoding="utf-8")
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
    assert config.diary_card.emotions == ("calm", "guilt")
    assert config.diary_card.urges == ("self-harm", "suicide", "substances", "bingeing")
    write_entry(config.entries_dir, "2026-11-04-c.md", "2026-11-04", type="diary-card", urges="{Bingeing: 2}")
    build(config, today=TODAY, cache=False)
    page = card(tmp_path / "output" / "diary-cards" / "2026-W45.html")
    assert page.row("urges", "bingeing") == ["", "", "2", "", "", "", ""]
    assert page.row("emotions", "guilt") == ["", "", "", "", "", "", ""]
    assert "bingeing: _" in new_entry(config, "diary-card", None, "2026-11-05").read_text("utf-8")
    settings.write_text("diary_card:\n  emotions: anger\n  targets: [x, X]\n  urges: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
    assert caught.value.problems == [
        "diary_card.urges is not a known setting (use emotions, targets)",
        "diary_card.emotions should be a list of names, like [anger, fear, joy]",
        "diary_card.targets names x twice",
    ]


def test_progress_charts_emotions_and_urges_only_with_diary_cards(site: Path, tmp_path: Path) -> None:
    text = _text((site / "progress.html").read_text(encoding="utf-8"))
    # Substances on the cards that are not private: 26 Oct 2, 29 Oct 1, 2 Nov 3, 3 Nov 2, 4 Nov 3, 12 Nov 1: six.
    # The first 7-day average is 26 October's alone, 2.0; the last, 12 November's, takes 6–12 November: 1 alone.
    # (With the private card of 14 November it would be seven cards, and (1 + 4) / 2 = 2.5 at the end.)
    assert "Substances on 6 diary cards from 26 October 2026: the 7-day average went from 2.0 to 1.0." in text
    # Anger: 26 Oct 1, 2 Nov 2, 4 Nov 2 (the private 5 of 14 November left out): three cards; the 7-day average
    # of 26 October is 1.0; of 4 November, 2 and 2 (29 October is more than 6 days before): 2.0.
    assert "Anger on 3 diary cards from 26 October 2026: the 7-day average went from 1.0 to 2.0." in text
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "2026-11-04-mood.md", "2026-11-04", mood="6")
    build(config, today=TODAY, cache=False)
    assert 'id="diary-card"' not in (tmp_path / "output" / "progress.html").read_text(encoding="utf-8")


def test_private_cards_never_appear(site: Path) -> None:
    w46 = card(site / "diary-cards" / "2026-W46.html")
    saturday = 5  # the private card's day, 14 November
    assert w46.cells("emotions", "anger")[saturday] == ("", "no-card")
    cards = b"".join(p.read_bytes() for p in (site / "diary-cards").iterdir())
    assert b"zebra lantern" not in cards
    assert "1 private card is left off this card." in _text((site / "diary-cards" / "2026-W46.html").read_text("utf-8"))
    # Its own page stays in the journal's own site, as every private entry's, without a link to a week.
    own = (site / "entries" / "2026-11-14-diary-card.html").read_text(encoding="utf-8")
    assert "zebra lantern" in own and "diary-cards/" not in own


def test_a_share_holds_the_cards_of_shared_entries_only(tmp_path: Path) -> None:
    settings = write_journal(tmp_path)
    config = load_config(tmp_path / "entries", tmp_path / "share", config_path=settings)
    share(config, Scope("all"), today=TODAY)
    shared = tmp_path / "share"
    everything = b"".join(p.read_bytes() for p in shared.rglob("*") if p.is_file())
    assert b"zebra lantern" not in everything and b"private card" not in everything
    assert sorted(p.name for p in (shared / "diary-cards").iterdir()) == [
        "2026-W44.html",
        "2026-W45.html",
        "2026-W46.html",
    ]
    assert card(shared / "diary-cards" / "2026-W46.html").row("emotions", "anger") == [""] * 7
    # From 9 November on: only week 46's cards are shared, so only its page is made.
    since = load_config(tmp_path / "entries", tmp_path / "since", config_path=settings)
    share(since, Scope("since", date(2026, 11, 9)), today=TODAY)
    assert sorted(p.name for p in (tmp_path / "since" / "diary-cards").iterdir()) == ["2026-W46.html"]
    progress = (tmp_path / "since" / "progress.html").read_text(encoding="utf-8")
    assert "Sadness: rated on one diary card, 2 on 10 November 2026." in _text(progress)


def _text(html: str) -> str:
    """A page's text, its tags taken out and its spaces collapsed."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())
    return re.sub(r" ([.,:;)])", r"\1", text).replace("( ", "(")


def test_of_two_cards_on_one_day_the_later_is_shown_and_said(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2026-11-04 09:00", "Morning", type="diary-card", emotions="{anger: 1}")
    write_entry(config.entries_dir, "b.md", "2026-11-04 21:00", "Evening", type="diary-card", emotions="{anger: 4}")
    build(config, today=TODAY, cache=False)
    page = tmp_path / "output" / "diary-cards" / "2026-W45.html"
    assert card(page).row("emotions", "anger") == ["", "", "4", "", "", "", ""]  # Wednesday: the 21:00 card
    assert "Wednesday has more than one card: the day's last is shown." in _text(page.read_text(encoding="utf-8"))


def test_the_readmes_example_card_reads_as_it_says(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The DBT diary card", 1)[1]
    example = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    config = journal_config(tmp_path)
    (config.entries_dir / "2026-11-04-card.md").write_text(example, encoding="utf-8")
    journal = read_journal(config)
    assert journal.problems == []
    found = journal.entries[0].card
    assert found is not None and found.emotions == {"anger": 2, "sadness": 4}
    assert found.urges == {"self-harm": 0, "suicide": 0, "substances": 3} and found.acted == ("substances",)
    assert [skill for _, skill in found.skills] == ["wise mind", "TIPP", "opposite action"]
    # The settings the README shows are the defaults, plus one target of the person's own.
    settings = readme.split("diary_card:                      #", 1)[1].split("\n```", 1)[0]
    (tmp_path / "journal.yaml").write_text("diary_card:\n" + settings.split("\n", 1)[1], encoding="utf-8")
    loaded = load_config(config.entries_dir, tmp_path / "output", config_path=tmp_path / "journal.yaml")
    assert loaded.diary_card.emotions == ("anger", "fear", "joy", "sadness", "shame", "misery")
    assert loaded.diary_card.urges == ("self-harm", "suicide", "substances", "bingeing")
