"""Standard measures and reliable change: WHO-5 and PCL-5 beside PHQ-9 and GAD-7, a questionnaire declared in
journal.yaml, and each course of therapy judged in the NHS Talking Therapies words. Every expected number is
worked out by hand from the entries written here."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest

from generator.build import build
from generator.config import DEFAULT_METRICS, Config, ConfigError, load_config
from generator.courses import course_starts, reliable_changes
from generator.scaffold import new_entry
from generator.store import read_journal
from generator.views.agenda import agenda
from tests.helpers import journal_config, write_entry

TODAY = date(2026, 12, 3)


def sessions(entries: Path, first: str, count: int, every: int = 7) -> list[date]:
    """`count` sessions, `every` days apart from `first`, at 17:00; their days."""
    start = date.fromisoformat(first)
    days = [start + timedelta(days=every * n) for n in range(count)]
    for day in days:
        write_entry(entries, f"{day}-session.md", f"{day} 17:00", f"Session {day}", "Talked.", type="session")
    return days


def score(entries: Path, day: str, key: str, value: object, title: str = "Questionnaire") -> None:
    """A questionnaire entry on `day` at 09:00 (before that day's session): a total or a list of answers."""
    write_entry(
        entries, f"{day}-{key}.md", f"{day} 09:00", title, "Filled in.", type="questionnaire", **{key: str(value)}
    )


def section(html: str, start: str) -> str:
    """The page from the element with this id to the end of its section."""
    return html.split(f'id="{start}"')[1].split("</section>")[0]


def text_of(html: str) -> str:
    """The words of a piece of HTML, tags taken out and spaces joined."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


# Reliable change and recovery


def test_phq9_from_16_to_6_across_a_course_is_reliable_recovery(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    sessions(config.entries_dir, "2026-09-07", 12)  # weekly, 7 September to 23 November: one course
    for day, value in (("2026-09-07", 16), ("2026-10-12", 11), ("2026-11-23", 6)):
        score(config.entries_dir, day, "phq9", value, "PHQ-9")
    build(config, today=TODAY)
    progress = (config.output_dir / "progress.html").read_text(encoding="utf-8")
    words = text_of(section(progress, "then-now"))
    # 16 → 6 is 10 points lower, at least the 6 of a reliable change; 16 is at or above caseness (10), 6 below.
    assert (
        "PHQ-9, course from 7 September 2026 (12 sessions): 16 moderately severe on 7 September 2026, "
        "6 mild on 23 November 2026 (3 scores): 10 points lower, reliable recovery." in words
    )
    assert (
        "PHQ-9: a change of 6 points or more, a cut-off of 10 or more (the NHS Talking Therapies definitions)." in words
    )
    assert "A change is reliable when it is larger than the questionnaire's own ups and downs" in words
    assert "a screen, not a diagnosis" in words
    # The agenda judges the course the last session belongs to: the same one.
    plan = (config.output_dir / "next-session.html").read_text(encoding="utf-8")
    assert "10 points lower, reliable recovery." in text_of(plan)
    assert "a screen, not a diagnosis" in plan


def test_gad7_from_15_to_12_is_no_reliable_change(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    sessions(config.entries_dir, "2026-10-05", 6)
    score(config.entries_dir, "2026-10-05", "gad7", 15, "GAD-7")
    score(config.entries_dir, "2026-11-09", "gad7", 12, "GAD-7")
    build(config, today=TODAY)
    words = text_of(section((config.output_dir / "progress.html").read_text(encoding="utf-8"), "then-now"))
    # 15 → 12 is 3 points lower, under GAD-7's threshold of 4.
    assert (
        "15 severe on 5 October 2026, 12 moderate on 9 November 2026 (2 scores): 3 points lower, no reliable change."
        in words
    )
    assert "reliable recovery" not in words and "reliable improvement" not in words
    assert (
        "GAD-7: a change of 4 points or more, a cut-off of 8 or more (the NHS Talking Therapies definitions)." in words
    )


@pytest.mark.parametrize(
    ("first", "latest", "verdict"),
    [
        (16, 6, "reliable recovery"),  # −10 ≥ 6; 16 ≥ 10 and 6 < 10
        (25, 15, "reliable improvement"),  # −10 ≥ 6, but 15 is still ≥ 10
        (8, 2, "reliable improvement"),  # −6 ≥ 6; 8 was under caseness already: no recovery to make
        (16, 9, "reliable recovery"),  # −7; 9 < 10
        (12, 7, "no reliable change"),  # −5 < 6, though 7 is under caseness
        (5, 11, "reliable deterioration"),  # +6 ≥ 6, worse for a measure where lower is better
        (5, 10, "no reliable change"),  # +5 < 6
    ],
)
def test_phq9_verdicts_follow_the_nhs_definitions(tmp_path: Path, first: int, latest: int, verdict: str) -> None:
    config = journal_config(tmp_path)
    score(config.entries_dir, "2026-10-01", "phq9", first)
    score(config.entries_dir, "2026-11-01", "phq9", latest)
    journal = read_journal(config)
    (result,) = reliable_changes(config.metrics, [], journal.entries)
    assert result.course is None  # no sessions: the journal as a whole
    assert (result.first.value, result.latest.value, result.verdict) == (first, latest, verdict)


def test_a_course_starts_after_more_than_eight_weeks_without_sessions() -> None:
    start = date(2026, 1, 5)
    assert course_starts([start, start + timedelta(days=56)]) == [start]  # exactly 8 weeks: the same course
    assert course_starts([start, start + timedelta(days=57)]) == [start, start + timedelta(days=57)]
    assert course_starts([]) == []


def test_a_second_course_after_a_long_pause_is_judged_on_its_own(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    sessions(config.entries_dir, "2024-01-08", 10)  # 8 January to 11 March 2024
    sessions(config.entries_dir, "2026-09-07", 8)  # two and a half years later: 7 September to 26 October 2026
    score(config.entries_dir, "2023-12-20", "phq9", 18, "PHQ-9")  # before the first session: the first course's
    score(config.entries_dir, "2024-03-11", "phq9", 8, "PHQ-9")
    score(config.entries_dir, "2026-09-07", "phq9", 12, "PHQ-9")
    score(config.entries_dir, "2026-10-26", "phq9", 14, "PHQ-9")
    journal = read_journal(config)
    results = reliable_changes(config.metrics, [e.day for e in journal.sessions()], journal.entries)
    # Course one: 18 → 8, 10 lower, from caseness to below it. Course two starts from its own first score, 12
    # (not from 8): 12 → 14 is 2 higher, under 6.
    assert [(r.course, r.sessions, r.first.value, r.latest.value, r.verdict) for r in results] == [
        (date(2024, 1, 8), 10, 18, 8, "reliable recovery"),
        (date(2026, 9, 7), 8, 12, 14, "no reliable change"),
    ]
    assert [r.verdict for r in agenda(journal).reliable] == ["no reliable change"]  # the current course only
    build(config, today=TODAY)
    words = text_of(section((config.output_dir / "progress.html").read_text(encoding="utf-8"), "then-now"))
    assert "course from 8 January 2024 (10 sessions): 18 moderately severe" in words
    assert "course from 7 September 2026 (8 sessions): 12 moderate on 7 September 2026, 14 moderate" in words
    assert "2 points higher, no reliable change." in words
    # Each year page judges the scores of that year, course by course.
    year = text_of(section((config.output_dir / "progress" / "2024.html").read_text(encoding="utf-8"), "then-now"))
    assert "course from 8 January 2024 (10 sessions): one score so far, 8 mild on 11 March 2024." in year
    later = text_of(section((config.output_dir / "progress" / "2026.html").read_text(encoding="utf-8"), "then-now"))
    assert "2 points higher, no reliable change." in later and "reliable recovery" not in later


# WHO-5 and PCL-5


def test_who5_scores_bands_charts_and_recovers(tmp_path: Path) -> None:
    who5 = DEFAULT_METRICS["who5"]
    assert (who5.low, who5.high, who5.higher_is_better, who5.cutoff, who5.reliable_change) == (0, 100, True, 50, 10)
    config = journal_config(tmp_path)
    score(config.entries_dir, "2026-10-01", "who5", [3, 2, 4, 1, 2], "WHO-5")  # 12 raw × 4 = 48
    score(config.entries_dir, "2026-10-15", "who5", [1, 1, 1, 2, 2], "WHO-5")  # 7 raw × 4 = 28
    score(config.entries_dir, "2026-11-01", "who5", [4, 4, 4, 3, 3], "WHO-5")  # 18 raw × 4 = 72
    journal = read_journal(config)
    assert [e.metrics["who5"] for e in journal.entries] == [48, 28, 72]
    assert [who5.band_of(v) for v in (48, 28, 72)] == ["poor wellbeing", "likely depression", ""]
    (result,) = reliable_changes(config.metrics, [], journal.entries)
    # 48 → 72 is 24 higher (≥ 10, and higher is better); 48 ≤ 50 is past the cut-off, 72 is not.
    assert result.verdict == "reliable recovery"
    build(config, today=TODAY)
    progress = (config.output_dir / "progress.html").read_text(encoding="utf-8")
    chart = progress.partition('aria-labelledby="who5-score-wide"')[2].partition("</svg>")[0]
    assert chart.count('class="score"') == 3
    assert "likely depression" in chart and "poor wellbeing" in chart  # its bands, named on the chart
    assert (
        "WHO-5, 3 scores since October 2026: 48 (poor wellbeing) at first and 72 in the latest "
        "(better than at first; higher is better)." in progress
    )
    words = text_of(section(progress, "then-now"))
    assert "24 points higher, reliable recovery." in words
    assert (
        "WHO-5: a change of 10 points or more, a cut-off of 50 or less (the WHO-5 review by Topp and others, 2015)."
        in words
    )
    timeline = (config.output_dir / "index.html").read_text(encoding="utf-8")
    assert "WHO-5 48 of 100, poor wellbeing" in timeline


def test_pcl5_scores_bands_and_reports_an_answer_out_of_range(tmp_path: Path) -> None:
    pcl5 = DEFAULT_METRICS["pcl5"]
    assert (pcl5.items, pcl5.answers, pcl5.low, pcl5.high, pcl5.cutoff, pcl5.reliable_change) == (
        20,
        (0, 4),
        0,
        80,
        33,
        10,
    )
    config = journal_config(tmp_path)
    score(config.entries_dir, "2026-09-01", "pcl5", [3] * 10 + [1] * 10, "PCL-5")  # 30 + 10 = 40
    score(config.entries_dir, "2026-10-01", "pcl5", [2] * 10 + [1] * 10, "PCL-5")  # 20 + 10 = 30
    score(config.entries_dir, "2026-11-01", "pcl5", [4, 4, 5] + [0] * 17, "PCL-5")  # 5 is not an answer
    journal = read_journal(config)
    assert [e.metrics.get("pcl5") for e in journal.entries] == [40, 30, None]
    assert [pcl5.band_of(v) for v in (40, 30, 32, 33)] == [
        "probable PTSD",
        "below the cut-off",
        "below the cut-off",
        "probable PTSD",
    ]
    assert any("pcl5: answer 3 is 5, not 0, 1, 2, 3 or 4" in w.message for w in journal.entries[2].warnings)
    (result,) = reliable_changes(config.metrics, [], journal.entries)
    assert result.verdict == "reliable recovery"  # 40 → 30: 10 lower (≥ 10); 40 ≥ 33, 30 below it
    build(config, today=TODAY)
    progress = (config.output_dir / "progress.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="pcl5-score-wide"' in progress
    assert (
        "PCL-5: a change of 10 points or more, a cut-off of 33 or more (the US National Center for PTSD)." in progress
    )
    assert (
        "PCL-5, 2 scores since September 2026: 40 (probable PTSD) at first and 30 (below the cut-off) in the latest"
        in progress
    )


@pytest.mark.parametrize(("kind", "count", "first"), [("who5", 5, "I have felt cheerful"), ("pcl5", 20, "Repeated")])
def test_new_who5_and_pcl5_skeletons_list_their_questions(tmp_path: Path, kind: str, count: int, first: str) -> None:
    config = journal_config(tmp_path)
    path = new_entry(config, kind, None, "2026-12-03 09:00")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert len(re.findall(r"^\d+\. ", text, re.M)) == count
    assert f"\n1. {first}" in text
    if kind == "who5":  # its prompt and what each answer means, from its declaration
        assert "\nOver the last two weeks, how much of the time…\n" in text
        assert "\n0 = at no time · 1 = some of the time · 2 = less than half of the time" in text
        assert "5 = all of the time\n" in text and "multiplies by 4" in text
    assert f"{kind}: [{', '.join(['_'] * count)}]" in text and "not a diagnosis" in text
    entry = read_journal(config).entries[0]
    assert entry.type == "questionnaire" and kind not in entry.metrics  # not filled in yet: no score


# A questionnaire of one's own

WORRY = """\
crisis_contact: "Call 116 123"
metrics:
  worry:
    label: Worry-4
    better: lower
    items: 4
    answers: [0, 4]
    reverse: [2]
    bands: [[0, 5, low], [6, 10, raised], [11, 16, high]]
    cutoff: 6
    reliable_change: 4
    risk_item: 4
    risk_words: you sometimes feel unsafe
    source: the clinic's own norms
    questions: [I worry, I feel at ease, I lie awake, I feel unsafe]
"""


def worry_config(root: Path) -> Config:
    """A journal at root whose journal.yaml declares the Worry-4."""
    (root / "entries").mkdir(parents=True)
    (root / "journal.yaml").write_text(WORRY, encoding="utf-8")
    return load_config(root / "entries", root / "output", config_path=root / "journal.yaml")


def test_a_declared_questionnaire_works_end_to_end(tmp_path: Path) -> None:
    config = worry_config(tmp_path)
    worry = config.metrics["worry"]
    assert (worry.low, worry.high, worry.items, worry.reverse, worry.cutoff) == (0, 16, 4, (2,), 6)  # 4 × 0–4
    sessions(config.entries_dir, "2026-10-05", 6)
    # Item 2 is scored the other way round (0 + 4 − answer): [3, 1, 3, 0] → 3 + 3 + 3 + 0 = 9.
    score(config.entries_dir, "2026-10-05", "worry", [3, 1, 3, 0], "Worry")
    # [1, 3, 1, 2] → 1 + 1 + 1 + 2 = 5; the fourth (risk) answer is 2, above the lowest answer, 0.
    score(config.entries_dir, "2026-11-09", "worry", [1, 3, 1, 2], "Worry")
    journal = read_journal(config)
    assert [e.metrics["worry"] for e in journal.entries if "worry" in e.metrics] == [9, 5]
    later = next(e for e in journal.entries if e.day == date(2026, 11, 9) and "worry" in e.metrics)
    assert later.urgent and later.risks == ("worry",)
    plan = agenda(journal)
    assert plan.urgent is later
    # 9 → 5: 4 lower (≥ 4); 9 ≥ 6, the cut-off, and 5 below it.
    assert [(r.first.value, r.latest.value, r.verdict) for r in plan.reliable] == [(9, 5, "reliable recovery")]
    build(config, today=TODAY)
    out = config.output_dir
    progress = (out / "progress.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="worry-score-wide"' in progress
    assert (
        "Worry-4, 2 scores since October 2026: 9 (raised) at first and 5 (low) in the latest "
        "(better than at first; lower is better)." in progress
    )
    words = text_of(section(progress, "then-now"))
    assert (
        "9 raised on 5 October 2026, 5 low on 9 November 2026 (2 scores): 4 points lower, reliable recovery." in words
    )
    assert "Worry-4: a change of 4 points or more, a cut-off of 6 or more (the clinic's own norms)." in words
    page = text_of((out / "next-session.html").read_text(encoding="utf-8"))
    assert "In your Worry-4 of Monday 9 November 2026 you answered that you sometimes feel unsafe." in page
    assert "Call 116 123" in page
    assert "4 points lower, reliable recovery." in page
    entry_page = text_of((out / "entries" / f"{later.key}.html").read_text(encoding="utf-8"))
    assert "In this Worry-4 you answered that you sometimes feel unsafe." in entry_page and "Call 116 123" in entry_page
    # Its skeleton comes from the declaration.
    made = new_entry(config, "worry", None, "2026-12-03 09:00").read_text(encoding="utf-8")
    assert "worry: [_, _, _, _]" in made and "\n2. I feel at ease\n" in made and "question 4" in made


def test_a_later_answer_at_the_lowest_takes_the_declared_risk_note_away(tmp_path: Path) -> None:
    config = worry_config(tmp_path)
    score(config.entries_dir, "2026-11-01", "worry", [1, 3, 1, 2])
    assert agenda(read_journal(config)).urgent is not None
    score(config.entries_dir, "2026-11-20", "worry", [1, 3, 1, 0])  # the risk item at 0, its lowest
    assert agenda(read_journal(config)).urgent is None
    score(config.entries_dir, "2026-11-25", "worry", 4)  # a total alone says nothing of the risk item
    journal = read_journal(config)
    assert agenda(journal).urgent is None
    assert journal.entries[-1].metrics == {"worry": 4}  # the total, as given


BAD = """\
title: Mine
metrics:
  none: {items: 0}
  upside: {items: 3, answers: [3, 1]}
  wrong: {items: 3, reverse: [4], risk_item: 7}
  past: {items: 3, cutoff: 12, reliable_change: -1}
  stray: {min: 0, max: 10, cutoff: 5}
  both: {items: 3, min: 0, max: 9}
  short:
    items: 2
    questions: [only one]
"""


def test_bad_questionnaire_declarations_are_config_errors_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yaml").write_text(BAD, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "entries", tmp_path / "output", config_path=tmp_path / "journal.yaml")
    problems = raised.value.problems
    for expected in (
        "line 3: metrics.none.items should be how many questions it has, a whole number above 0, not 0",
        "line 4: metrics.upside.answers should be the lowest and highest answer, like [0, 3], not [3, 1]",
        "line 5: metrics.wrong.reverse should list question numbers from 1 to 3, like [2, 5]",
        "line 5: metrics.wrong.risk_item should be the number of one question, from 1 to 3",
        "line 6: metrics.past.cutoff should be a score from 0.0 to 9.0, not 12",  # 3 items × 0–3: 0 to 9
        "line 6: metrics.past.reliable_change should be a number of points above 0",
        "line 7: metrics.stray.cutoff is for a questionnaire; give its number of items too (items: 5)",
        "line 8: metrics.both: a questionnaire's min and max follow from items, answers and scale; leave them out",
        "line 9: metrics.short.questions should have 2 lines, one for each, not 1",
    ):
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert len(problems) == 9, problems
    assert str(raised.value).startswith(f"{tmp_path / 'journal.yaml'}: line 3: ")


def test_the_built_in_questionnaires_are_declared_as_journal_yaml_declares_them(tmp_path: Path) -> None:
    """Re-declaring a built-in one in journal.yaml keeps what it does not change (its items, bands, thresholds)."""
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yaml").write_text("metrics:\n  phq9: {label: PHQ-9 (mood)}\n", encoding="utf-8")
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=tmp_path / "journal.yaml")
    phq9 = config.metrics["phq9"]
    assert phq9.label == "PHQ-9 (mood)"
    assert (phq9.items, phq9.high, phq9.cutoff, phq9.reliable_change, phq9.risk_item) == (9, 27, 10, 6, 9)
    assert phq9.band_of(12) == "moderate"


def test_the_readmes_declared_questionnaire_loads_and_scores_as_it_says(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("**A questionnaire of your own**") :]
    example = re.search(r"```yaml\n(.*?)```", part, re.S)
    assert example, "the README's questionnaire example"
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yaml").write_text(example.group(1), encoding="utf-8")
    config = load_config(tmp_path / "entries", tmp_path / "output", config_path=tmp_path / "journal.yaml")
    worry = config.metrics["worry"]
    assert (worry.low, worry.high) == (0, 16)  # 4 × 0–4, as the README says
    assert worry.score((3, 1, 3, 0)) == 9 and worry.band_of(9) == "raised"  # 3 + (4 − 1) + 3 + 0
    made = new_entry(config, "worry", None, "2026-12-03 09:00").read_text(encoding="utf-8")
    assert "\n0 = never · 1 = rarely · 2 = sometimes · 3 = often · 4 = always\n" in made
    assert "\nOver the last two weeks…\n" in made and "\n4. I feel unsafe\n" in made


def test_a_year_page_follows_where_its_course_started_in_a_year_long_before(tmp_path: Path) -> None:
    """Sessions every week from November 2025 to February 2027 make one course; 2027's page names its start.
    Taking out the sessions of 2025 (two years before) moves the start to January 2026, and a warm build remakes
    2027's page as a cold build makes it."""
    config = journal_config(tmp_path)
    days = sessions(config.entries_dir, "2025-11-03", 69)  # 3 November 2025 + 68 weeks = 22 February 2027
    assert days[-1] == date(2027, 2, 22) and days[9] == date(2026, 1, 5)  # the first session of 2026
    score(config.entries_dir, "2027-01-04", "phq9", 14, "PHQ-9")
    score(config.entries_dir, "2027-02-22", "phq9", 7, "PHQ-9")
    build(config, today=TODAY)
    page = config.output_dir / "progress" / "2027.html"
    assert "course from 3 November 2025 (69 sessions)" in text_of(page.read_text(encoding="utf-8"))
    for day in days[:9]:  # the nine sessions of 2025
        (config.entries_dir / f"{day}-session.md").unlink()
    write_entry(config.entries_dir, "2025-12-01-note.md", "2025-12-01 20:00", "A note", "2025 keeps an entry.")
    build(config, today=TODAY)
    assert "course from 5 January 2026 (60 sessions)" in text_of(page.read_text(encoding="utf-8"))  # 69 − 9
