"""Homework between sessions, and the standard questionnaires (PHQ-9, GAD-7): what the agenda, the timeline,
progress and an entry's page say, with expected values worked out by hand from the entries written here."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.config import DEFAULT_METRICS, ConfigError, load_config
from generator.share import Scope, share
from generator.store import read_journal
from generator.views.agenda import agenda
from tests.helpers import journal_config, write_entry

TODAY = date(2026, 12, 3)


def session(entries: Path, day: str, tasks: str, title: str | None = None, **meta: str) -> None:
    write_entry(
        entries,
        f"{day}-session.md",
        f"{day} 17:00",
        title or f"Session {day}",
        f"Homework:\n\n{tasks}",
        type="session",
        **meta,
    )


def test_the_agenda_lists_the_last_sessions_homework_and_every_open_earlier_item(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    session(config.entries_dir, "2026-11-05", "- [x] walk twice\n- [ ] call the clinic")
    session(config.entries_dir, "2026-11-12", "- [ ] write the unsent letter\n- [X] sleep diary")
    write_entry(config.entries_dir, "2026-11-14-note.md", "2026-11-14", "A note", "- [ ] not homework: not a session")
    session(
        config.entries_dir,
        "2026-11-19",
        "- [ ] three breathing breaks a day\n- [x] tell Marta\n- [ ] the letter, again",
    )
    plan = agenda(read_journal(config))
    assert plan.homework == [
        (False, "three breathing breaks a day"),
        (True, "tell Marta"),
        (False, "the letter, again"),
    ]
    assert [(s.day.isoformat(), words) for s, words in plan.still_open] == [
        ("2026-11-05", "call the clinic"),
        ("2026-11-12", "write the unsent letter"),
    ]


def test_no_session_a_session_without_tasks_and_tasks_outside_sessions(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "2026-11-14-note.md", "2026-11-14", "A note", "- [ ] a to-do, not homework")
    assert (agenda(read_journal(config)).homework, agenda(read_journal(config)).still_open) == ([], [])
    session(config.entries_dir, "2026-11-12", "- [ ] write the letter")
    write_entry(
        config.entries_dir, "2026-11-19-session.md", "2026-11-19 17:00", "Quiet session", "We talked.", type="session"
    )
    plan = agenda(read_journal(config))
    assert plan.homework == [] and [w for _, w in plan.still_open] == ["write the letter"]


def test_pages_show_homework_on_the_agenda_the_timeline_and_progress(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    session(config.entries_dir, "2026-11-12", "- [ ] write the unsent letter\n- [x] sleep diary")
    session(config.entries_dir, "2026-11-19", "- [ ] breathing breaks\n- [x] tell Marta\n- [x] walk")
    build(config, today=TODAY)
    out = config.output_dir
    agenda_page = (out / "next-session.html").read_text(encoding="utf-8")
    assert "Homework from your last session" in agenda_page and "2 of 3 done" in agenda_page
    still = agenda_page.split("Still open from earlier sessions")[1].split("</ul>")[0]
    assert "write the unsent letter" in still and "sleep diary" not in still
    assert 'href="entries/2026-11-12-session-2026-11-12.html"' in still
    timeline = (out / "index.html").read_text(encoding="utf-8")
    assert "Homework: 2 of 3 done" in timeline and "Homework: 1 of 2 done" in timeline
    progress = (out / "progress.html").read_text(encoding="utf-8")
    assert "<title>Session of 12 Nov 2026: 1 of 2 done</title>" in progress
    assert "<title>Session of 19 Nov 2026: 2 of 3 done</title>" in progress
    assert "3 of 5 tasks done" in progress


def test_progress_has_no_homework_section_when_no_session_set_any(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "2026-11-19-session.md", "2026-11-19 17:00", "Session", "Talked.", type="session")
    build(config, today=TODAY)
    assert 'id="homework"' not in (config.output_dir / "progress.html").read_text(encoding="utf-8")


def test_a_share_of_the_agenda_carries_homework_but_never_a_private_sessions(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    session(config.entries_dir, "2026-11-05", "- [ ] the private task", private="true")
    session(config.entries_dir, "2026-11-12", "- [ ] the shared task")
    session(config.entries_dir, "2026-11-19", "- [ ] this week's task")
    write_entry(
        config.entries_dir, "2026-11-20-for-next.md", "2026-11-20", "For next time", "Bring this.", discuss="true"
    )
    report = share(load_config(config.entries_dir, tmp_path / "share"), Scope("all"), today=TODAY)
    assert report.entries == 3
    page = (tmp_path / "share" / "next-session.html").read_text(encoding="utf-8")
    assert "this week&#39;s task" in page or "this week's task" in page
    assert "the shared task" in page
    everything = b"".join(p.read_bytes() for p in (tmp_path / "share").rglob("*") if p.is_file())
    assert b"the private task" not in everything


@pytest.mark.parametrize(
    "key, cut_offs",
    [
        (
            "phq9",
            [
                (0, "minimal"),
                (4, "minimal"),
                (5, "mild"),
                (9, "mild"),
                (10, "moderate"),
                (14, "moderate"),
                (15, "moderately severe"),
                (19, "moderately severe"),
                (20, "severe"),
                (27, "severe"),
            ],
        ),
        (
            "gad7",
            [
                (0, "minimal"),
                (4, "minimal"),
                (5, "mild"),
                (9, "mild"),
                (10, "moderate"),
                (14, "moderate"),
                (15, "severe"),
                (21, "severe"),
            ],
        ),
    ],
)
def test_bands_at_every_cut_off(key: str, cut_offs: list[tuple[int, str]]) -> None:
    metric = DEFAULT_METRICS[key]
    assert [metric.band_of(score) for score, _ in cut_offs] == [name for _, name in cut_offs]
    assert metric.band_of(metric.high + 1) == "" and metric.band_of(-1) == ""
    assert not metric.higher_is_better and metric.low == 0


def test_bands_for_any_metric_and_bad_ones_reported(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    settings = tmp_path / "journal.yaml"
    settings.write_text(
        "metrics:\n  pain: {min: 0, max: 10, better: lower, bands: [[0, 3, mild], [4, 6, moderate], "
        "[7, 10, severe]]}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
    assert [config.metrics["pain"].band_of(v) for v in (0, 3, 3.5, 4, 7, 10)] == [
        "mild",
        "mild",
        "mild",
        "moderate",
        "severe",
        "severe",
    ]
    for bands, words in (
        ("[[0, 5, a], [4, 10, b]]", "without overlapping"),
        ("[[0, 12, a]]", "goes outside"),
        ("[[0, 3]]", "a list of [from, to, name]"),
        ("mild", "a list of [from, to, name]"),
    ):
        settings.write_text(f"metrics:\n  pain: {{min: 0, max: 10, bands: {bands}}}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as raised:
            load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
        assert words in str(raised.value), bands


def questionnaires(entries: Path) -> None:
    """PHQ-9 and GAD-7 over three months, item by item: PHQ-9 14 → 11 → 6, GAD-7 12 → 9 → 4."""
    for day, phq, gad in (
        ("2026-09-01", [2, 2, 2, 2, 1, 2, 2, 1, 0], [2, 2, 2, 2, 1, 1, 2]),
        ("2026-10-15", [1, 2, 1, 2, 1, 2, 1, 1, 0], [2, 1, 2, 1, 1, 1, 1]),
        ("2026-11-29", [1, 1, 0, 1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 1, 0]),
    ):
        write_entry(
            entries,
            f"{day}-scores.md",
            f"{day} 18:00",
            "PHQ-9 and GAD-7",
            "Filled in.",
            type="questionnaire",
            phq9=str(phq),
            gad7=str(gad),
        )


def test_progress_charts_questionnaires_score_by_score_with_their_bands(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    questionnaires(config.entries_dir)
    build(config, today=TODAY)
    progress = (config.output_dir / "progress.html").read_text(encoding="utf-8")
    chart = progress.partition('aria-labelledby="phq9-score-wide"')[2].partition("</svg>")[0]
    assert "PHQ-9, 3 scores since September 2026: 14 (moderate) at first and 6 (mild) in the latest" in progress
    assert "GAD-7, 3 scores since September 2026: 12 (moderate) at first and 4 (minimal) in the latest" in progress
    names = re.findall(r'<text class="zone-label"[^>]*>([^<]+)</text>', chart)
    assert names == ["minimal", "mild", "moderate", "moderately severe", "severe"]
    assert len(re.findall(r'<circle class="score"', chart)) == 3
    assert "avg-long" not in chart and "7-day" not in chart  # no running averages for a questionnaire
    ticks = {  # the y axis's labels: centred on their gridline, a third of the text's height below its baseline
        int(v): float(y) - 0.35 * 14
        for y, v in re.findall(r'<text class="axis" x="34" y="([\d.]+)" text-anchor="end">(\d+)</text>', chart)
    }
    per_point = (ticks[0] - ticks[20]) / 20
    dots = [float(y) for y in re.findall(r'<circle class="score" cx="[\d.]+" cy="([\d.]+)"', chart)]
    assert dots == pytest.approx([ticks[0] - v * per_point for v in (14, 11, 6)], abs=1.1)  # whole units
    # Then and now says the band too: the first 30 days hold the 14 alone (moderate), the last 30 the 6 (mild).
    comparison = progress.split('id="then-now"')[1].split("</table>")[0]
    row = comparison.split("PHQ-9")[1].split("</tr>")[0]
    assert '14.0 <span class="band-name">moderate</span>' in row and '6.0 <span class="band-name">mild</span>' in row


def test_a_timeline_badge_names_the_band(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    questionnaires(config.entries_dir)
    build(config, today=TODAY)
    timeline = (config.output_dir / "index.html").read_text(encoding="utf-8")
    assert 'title="PHQ-9 14 of 27, moderate"' in timeline and 'title="GAD-7 4 of 21, minimal"' in timeline


URGENT = [1, 1, 1, 1, 1, 1, 1, 1, 1]


def test_a_phq9_answer_about_self_harm_brings_the_crisis_contact_to_its_page_and_the_agenda(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    settings = tmp_path / "journal.yaml"
    settings.write_text('crisis_contact: "Dr Okafor\'s urgent line, 0161 496 0000"\n', encoding="utf-8")
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=settings)
    write_entry(config.entries_dir, "2026-11-19-session.md", "2026-11-19 17:00", "Session", "Talked.", type="session")
    write_entry(
        config.entries_dir,
        "2026-11-24-phq9.md",
        "2026-11-24 18:00",
        "PHQ-9",
        "Hard week.",
        type="questionnaire",
        phq9=str(URGENT),
    )
    write_entry(
        config.entries_dir,
        "2026-11-10-phq9.md",
        "2026-11-10 18:00",
        "PHQ-9",
        "Earlier.",
        type="questionnaire",
        phq9=str([1] * 8 + [0]),
    )
    build(config, today=TODAY)
    out = config.output_dir
    urgent = (out / "entries" / "2026-11-24-phq-9.html").read_text(encoding="utf-8")
    calm = (out / "entries" / "2026-11-10-phq-9.html").read_text(encoding="utf-8")
    agenda_page = (out / "next-session.html").read_text(encoding="utf-8")
    for page in (urgent, agenda_page):
        assert "Worth raising now" in page and "Dr Okafor&#39;s urgent line, 0161 496 0000" in page
    assert "Worth raising now" not in calm
    assert 'href="entries/2026-11-24-phq-9.html"' in agenda_page.split("Worth raising now")[1].split("</aside>")[0]


def test_without_a_crisis_contact_no_number_is_made_up(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(
        config.entries_dir,
        "2026-11-24-phq9.md",
        "2026-11-24 18:00",
        "PHQ-9",
        "Hard week.",
        type="questionnaire",
        phq9=str(URGENT),
    )
    build(config, today=TODAY)
    page = (config.output_dir / "entries" / "2026-11-24-phq-9.html").read_text(encoding="utf-8")
    note = page.split("Worth raising now")[1].split("</aside>")[0]
    assert "crisis_contact:" in note and not re.search(r"\d{3}", note)


def test_the_crisis_note_stays_out_of_a_share_that_leaves_the_entry_out(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(
        config.entries_dir,
        "2026-11-24-phq9.md",
        "2026-11-24 18:00",
        "PHQ-9",
        "Hard week.",
        type="questionnaire",
        phq9=str(URGENT),
        private="true",
    )
    write_entry(config.entries_dir, "2026-11-25-note.md", "2026-11-25", "A note", "Bring this.", discuss="true")
    share(load_config(config.entries_dir, tmp_path / "share"), Scope("all"), today=TODAY)
    everything = b"".join(p.read_bytes() for p in (tmp_path / "share").rglob("*") if p.is_file())
    assert b"Worth raising now" not in everything and b"better off dead" not in everything


def test_new_phq9_and_gad7_skeletons_list_their_items(tmp_path: Path) -> None:
    from generator.scaffold import new_entry

    config = journal_config(tmp_path)
    for kind, count in (("phq9", 9), ("gad7", 7)):
        path = new_entry(config, kind, None, "2026-12-03 09:00")
        text = path.read_text(encoding="utf-8")
        assert len(re.findall(r"^\d\. ", text, re.M)) == count
        assert f"{kind}: [{', '.join(['_'] * count)}]" in text and "not a diagnosis" in text
        entry = next(e for e in read_journal(config).entries if e.source == path.name)
        assert kind not in entry.metrics  # not filled in yet: no score
        assert any("answer 1 is _" in w.message for w in entry.warnings)


def test_the_table_of_years_names_each_years_band(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    for day, score in (("2025-03-01", 17), ("2025-09-01", 13), ("2026-03-01", 8), ("2026-09-01", 4)):
        write_entry(
            config.entries_dir, f"{day}-phq9.md", day, "PHQ-9", "Scores.", type="questionnaire", phq9=str(score)
        )
    build(config, today=TODAY)
    table = (config.output_dir / "progress.html").read_text(encoding="utf-8").split('class="then-now years-table"')[1]
    rows = {year: table.split(f">{year}</a>")[1].split("</tr>")[0] for year in ("2025", "2026")}
    assert '15.0 <span class="band-name">moderately severe</span>' in rows["2025"]  # (17 + 13) / 2
    assert '6.0 <span class="band-name">mild</span>' in rows["2026"]  # (8 + 4) / 2


def test_a_new_journal_offers_a_commented_crisis_contact_line(tmp_path: Path) -> None:
    from generator.scaffold import init_journal

    init_journal(tmp_path / "journal")
    settings = (tmp_path / "journal" / "journal.yaml").read_text(encoding="utf-8")
    assert "# crisis_contact:" in settings
    config = load_config(
        tmp_path / "journal" / "entries", tmp_path / "out", config_path=tmp_path / "journal" / "journal.yaml"
    )
    assert config.crisis_contact == ""  # commented out: no contact is made up


def phq9(entries: Path, day: str, answers: list[int] | int, words: str = "Filled in.") -> None:
    """A PHQ-9 entry on `day` at 18:00: its nine answers, or its total alone."""
    write_entry(entries, f"{day}-phq9.md", f"{day} 18:00", "PHQ-9", words, type="questionnaire", phq9=str(answers))


CALM = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # the ninth answer 0


def test_the_crisis_note_stays_on_the_agenda_after_a_session(tmp_path: Path) -> None:
    """A PHQ-9 with its ninth answer above 0, then a session: the note stays, naming that PHQ-9, and a later
    PHQ-9 given as a total alone (which says nothing of the ninth answer) does not take it away."""
    config = journal_config(tmp_path)
    phq9(config.entries_dir, "2026-11-10", URGENT)
    write_entry(config.entries_dir, "2026-11-19-session.md", "2026-11-19 17:00", "Session", "Talked.", type="session")
    plan = agenda(read_journal(config))
    assert plan.last_session is not None and plan.last_session.day == date(2026, 11, 19)
    assert plan.urgent is not None and plan.urgent.key == "2026-11-10-phq-9"
    phq9(config.entries_dir, "2026-11-24", 6)
    plan = agenda(read_journal(config))
    assert plan.urgent is not None and plan.urgent.key == "2026-11-10-phq-9"


def test_the_latest_phq9_decides_whether_the_crisis_note_is_shown(tmp_path: Path) -> None:
    """An urgent PHQ-9 and a later one answering the ninth question 0, both since the last session: no note.
    Another urgent one after that: the note again, naming the latest."""
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "2026-11-05-session.md", "2026-11-05 17:00", "Session", "Talked.", type="session")
    phq9(config.entries_dir, "2026-11-10", URGENT)
    phq9(config.entries_dir, "2026-11-17", CALM)
    assert agenda(read_journal(config)).urgent is None
    phq9(config.entries_dir, "2026-11-24", [0, 0, 0, 0, 0, 0, 0, 0, 2])
    plan = agenda(read_journal(config))
    assert plan.urgent is not None and plan.urgent.key == "2026-11-24-phq-9"


def test_no_crisis_note_without_a_phq9_answering_the_ninth_question_above_0(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    assert agenda(read_journal(config)).urgent is None
    phq9(config.entries_dir, "2026-11-10", CALM)
    phq9(config.entries_dir, "2026-11-17", 14)
    assert agenda(read_journal(config)).urgent is None


def test_the_agenda_page_keeps_the_crisis_note_after_a_session(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    phq9(config.entries_dir, "2026-11-10", URGENT, "Hard week.")
    write_entry(config.entries_dir, "2026-11-19-session.md", "2026-11-19 17:00", "Session", "Talked.", type="session")
    build(config, today=TODAY)
    page = (config.output_dir / "next-session.html").read_text(encoding="utf-8")
    note = page.split("Worth raising now")[1].split("</aside>")[0]
    assert 'In your <a href="entries/2026-11-10-phq-9.html">PHQ-9 of Tuesday 10 November 2026</a>' in note
