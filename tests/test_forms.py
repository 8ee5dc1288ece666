"""The sleep diary, activity and exposure records: their numbers worked out by hand, their warnings with lines,
and what their pages show."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from generator.build import build
from generator.formfields import clock_minutes, clock_text
from generator.journal import Journal
from generator.records import Activity, Exposure
from generator.scaffold import new_entry
from generator.share import Scope, share
from generator.sleep import SleepNight
from generator.store import read_journal
from generator.views.forms import activity_record, exposure_ladder, sleep_diary
from tests.helpers import journal_config

NIGHT = """\
---
date: 2026-11-02
type: sleep
in_bed: 23:00
tried: "23:20"
latency: 30
awakenings: 2
awake: 20
woke: 06:30
out_of_bed: "06:45"
quality: 3
---
"""


def write(root: Path, name: str, text: str) -> None:
    """One entry file, as written."""
    path = root / "entries" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def form(root: Path, name: str, day: str, kind: str, **fields: object) -> None:
    """An entry of a form's type with these front-matter lines."""
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items())
    write(root, name, f"---\ndate: {day}\ntype: {kind}\n{lines}---\nWords.\n")


def journal(root: Path) -> Journal:
    return read_journal(journal_config(root))


def test_the_done_when_night_reads_as_worked_out_by_hand(tmp_path: Path) -> None:
    write(tmp_path, "2026-11-02-night.md", NIGHT)
    (entry,) = journal(tmp_path).entries
    night = entry.record
    assert isinstance(night, SleepNight)
    assert entry.warnings == []
    # In bed: 23:00 → 06:45 the next morning = 1 h to midnight + 6 h 45 min = 7 h 45 min = 465 min.
    assert night.in_bed_minutes == 465
    assert night.in_bed_text == "7 h 45 min"
    # Asleep: 23:20 → 06:30 = 40 min + 6 h 30 min = 430 min, less 30 to fall asleep and 20 awake = 380 min.
    assert night.asleep_minutes == 380
    assert night.asleep_text == "6 h 20 min"
    # Efficiency: 380 / 465 = 0.8172… → 82%.
    assert night.efficiency is not None and round(night.efficiency) == 82
    assert abs(night.efficiency - 81.72) < 0.01
    # Unquoted 23:00 and 06:30 are the times written.
    assert (night.shown("in_bed"), night.shown("woke")) == ("23:00", "06:30")


def test_the_night_on_the_progress_page_and_its_table(tmp_path: Path) -> None:
    write(tmp_path, "2026-11-02-night.md", NIGHT)
    build(journal_config(tmp_path), today=date(2026, 11, 3))
    page = (tmp_path / "output" / "progress.html").read_text(encoding="utf-8")
    assert 'id="sleep-diary"' in page
    row = page.split('class="records sleep-table"')[1].split("</tbody>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["23:00", "23:20", "30", "2", "20", "06:30", "06:45", "7 h 45 min", "6 h 20 min", "82%", "3"]
    assert "Sleep efficiency: 82% on average over 1 night" in page


def test_yaml_1_1_reads_an_unquoted_time_as_minutes_and_it_counts_as_written() -> None:
    # YAML 1.1 (PyYAML's SafeLoader) reads 23:00 as base 60: 23 × 60 + 0 = 1380.
    assert yaml.safe_load("in_bed: 23:00") == {"in_bed": 1380}
    assert clock_minutes(1380) == 1380 and clock_text(1380) == "23:00"
    assert clock_minutes(1380, "23:00") == 1380
    assert clock_minutes(390, "06:30") == 390 and clock_text(390) == "06:30"  # 6 × 60 + 30
    assert clock_minutes(23, "23") is None  # a bare 23 written is no time of day
    assert clock_minutes("24:00") is None and clock_minutes("7:65") is None


def test_an_impossible_night_is_a_warning_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "2026-11-03-night.md", NIGHT.replace("woke: 06:30", "woke: 22:30"))
    (entry,) = journal(tmp_path).entries
    (warning,) = entry.warnings
    assert warning.line == 9  # --- is line 1, date 2, type 3, in_bed 4, tried 5, latency 6 … awake 8, woke 9
    assert "woke: the final waking at 22:30 comes before trying to sleep at 23:20" in str(warning)
    assert str(warning).endswith(f"2026-11-03-night.md:9: {warning.message}")
    assert isinstance(entry.record, SleepNight) and entry.record.efficiency is None


def test_more_minutes_awake_than_the_night_held_is_a_warning(tmp_path: Path) -> None:
    # 23:20 → 06:30 is 430 min; 300 to fall asleep and 200 awake are 500: sleep would be −70 min.
    write(tmp_path, "night.md", NIGHT.replace("latency: 30", "latency: 300").replace("awake: 20", "awake: 200"))
    (entry,) = journal(tmp_path).entries
    (warning,) = entry.warnings
    assert warning.line == 8  # awake:
    assert "(300 + 200) are more than the 7 h 10 min" in str(warning)
    assert isinstance(entry.record, SleepNight) and entry.record.asleep_minutes is None


def test_bad_values_of_every_form_are_warnings_with_lines(tmp_path: Path) -> None:
    write(tmp_path, "a.md", NIGHT.replace("quality: 3", "quality: 9").replace('tried: "23:20"', "tried: late"))
    form(tmp_path, "b.md", "2026-11-03", "activity", activity="walk", mastery="lots", pleasure=11)
    form(tmp_path, "c.md", "2026-11-04", "exposure", step="tram", suds_peak=120, minutes=-5)
    folder = f"{tmp_path / 'entries'}/"
    messages = sorted(str(w).removeprefix(folder) for e in journal(tmp_path).entries for w in e.warnings)
    assert messages == [
        "a.md:11: quality: 9 is outside 1–5; left out of the sleep diary",
        "a.md:5: tried: late is not a time of day; write it as 23:00 or 06:30 (24-hour clock)",
        "b.md:5: mastery: lots is not a number; write how much it took, or how capable you felt doing it, 0–10",
        "b.md:6: pleasure: 11 is outside 0–10; left out of the activity record",
        "c.md:5: suds_peak: 120 is outside 0–100; left out of the exposure record",
        "c.md:6: minutes: -5 is outside 0–1440 min; left out of the exposure record",
    ]


def activities_journal(root: Path) -> Journal:
    """Two weeks of activities (Mondays 2 and 9 November 2026)."""
    form(
        root,
        "1.md",
        "2026-11-02 10:00",
        "activity",
        activity="walk by the canal",
        mastery=6,
        pleasure=7,
        predicted=4,
        felt=6,
    )
    form(
        root,
        "2.md",
        "2026-11-04 18:00",
        "activity",
        activity="called my sister",
        mastery=4,
        pleasure=8,
        predicted=3,
        felt=5,
    )
    form(root, "3.md", "2026-11-10 09:00", "activity", activity="swimming", mastery=8, pleasure=5, predicted=5, felt=4)
    form(
        root,
        "4.md",
        "2026-11-12 20:00",
        "activity",
        activity="cooked dinner",
        mastery=5,
        pleasure=6,
        predicted=2,
        felt=5,
    )
    form(root, "5.md", "2026-11-13 20:00", "activity", activity="tidied the desk", mastery=3, pleasure=2)
    return journal(root)


def test_the_weeks_activities_with_mastery_and_pleasure(tmp_path: Path) -> None:
    context = activity_record(activities_journal(tmp_path))
    weeks = context["weeks"]
    assert [w["monday"] for w in weeks] == [date(2026, 11, 9), date(2026, 11, 2)]  # newest first
    assert [a.activity for _, a in weeks[0]["rows"]] == ["swimming", "cooked dinner", "tidied the desk"]
    assert [a.activity for _, a in weeks[1]["rows"]] == ["walk by the canal", "called my sister"]
    assert weeks[0]["mastery"] == (8 + 5 + 3) / 3 and weeks[0]["pleasure"] == (5 + 6 + 2) / 3
    assert weeks[1]["mastery"] == (6 + 4) / 2 and weeks[1]["pleasure"] == (7 + 8) / 2


def test_predicted_against_felt_in_words(tmp_path: Path) -> None:
    gap = activity_record(activities_journal(tmp_path))["gap"]
    # felt − predicted: 6−4 = 2, 5−3 = 2, 4−5 = −1, 5−2 = 3 (the desk gave neither): (2 + 2 − 1 + 3) / 4 = 1.5
    assert gap["gap"] == 1.5 and gap["count"] == 4
    assert gap["words"] == "Activities felt 1.5 better than you predicted, over 4 activities."


def test_the_activity_page_and_its_chart(tmp_path: Path) -> None:
    activities_journal(tmp_path)
    build(journal_config(tmp_path), today=date(2026, 11, 14))
    page = (tmp_path / "output" / "activities.html").read_text(encoding="utf-8")
    assert "Activities felt 1.5 better than you predicted, over 4 activities." in page
    assert page.count('class="avg-short"') >= 1 and page.count('class="avg-long"') >= 1  # felt, predicted
    progress = (tmp_path / "output" / "progress.html").read_text(encoding="utf-8")
    assert 'href="activities.html"' in progress and "exposures.html" not in progress
    assert 'id="sleep-diary"' not in progress  # no sleep diary in this journal: no sleep charts
    assert not (tmp_path / "output" / "exposures.html").exists()


def exposures_journal(root: Path) -> Journal:
    form(
        root,
        "1.md",
        "2026-11-02 10:00",
        "exposure",
        step="taking the tram",
        suds_before=70,
        suds_peak=80,
        suds_after=40,
        minutes=25,
        safety="[phone in hand]",
    )
    form(
        root, "2.md", "2026-11-03 10:00", "exposure", step="phoning the GP", suds_before=80, suds_peak=90, suds_after=60
    )
    form(
        root,
        "3.md",
        "2026-11-05 10:00",
        "exposure",
        step="Taking  the Tram",
        suds_before=60,
        suds_peak=70,
        suds_after=35,
    )
    form(
        root,
        "4.md",
        "2026-11-06 10:00",
        "exposure",
        step="queue at the bakery",
        suds_before=40,
        suds_peak=60,
        suds_after=20,
    )
    form(
        root,
        "5.md",
        "2026-11-08 10:00",
        "exposure",
        step="taking the tram ",
        suds_before=50,
        suds_peak=55,
        suds_after=30,
    )
    form(
        root, "6.md", "2026-11-09 10:00", "exposure", step="PHONING THE GP", suds_before=45, suds_peak=50, suds_after=25
    )
    return journal(root)


def test_each_steps_suds_across_attempts_and_the_ladder(tmp_path: Path) -> None:
    context = exposure_ladder(exposures_journal(tmp_path))
    by_name = {s["name"].casefold(): s for s in context["ladder"]}
    # The three tram exposures line up whatever their case and spacing, in the order they were made.
    assert by_name["taking the tram"]["values"] == [(70, 80, 40), (60, 70, 35), (50, 55, 30)]
    assert by_name["phoning the gp"]["values"] == [(80, 90, 60), (45, 50, 25)]
    assert by_name["queue at the bakery"]["values"] == [(40, 60, 20)]
    # Latest peaks: bakery 60, tram 55, GP 50 (its first peak, 90, no longer counts): hardest first.
    assert [s["latest_peak"] for s in context["ladder"]] == [60, 55, 50]
    assert [s["name"].casefold() for s in context["ladder"]] == [
        "queue at the bakery",
        "taking the tram",
        "phoning the gp",
    ]
    tram = by_name["taking the tram"]
    assert tram["caption"] == "taking the tram: 3 attempts; peak SUDS 80 at first, 55 in the latest."
    first = tram["attempts"][0][1]
    assert isinstance(first, Exposure) and first.safety == ("phone in hand",) and first.minutes == 25
    assert context["total"] == 6


def test_a_share_holds_the_forms_of_shared_entries_only(tmp_path: Path) -> None:
    write(tmp_path, "2026-11-02-night.md", NIGHT)
    write(
        tmp_path,
        "2026-11-03-night.md",
        NIGHT.replace("2026-11-02", "2026-11-03")
        .replace("type: sleep", "type: sleep\nprivate: true")
        .replace("woke: 06:30", "woke: 05:10"),
    )
    form(
        tmp_path,
        "a.md",
        "2026-11-03 12:00",
        "activity",
        activity="secret errand",
        mastery=2,
        pleasure=1,
        private="true",
    )
    form(tmp_path, "b.md", "2026-11-04 12:00", "activity", activity="walk by the canal", mastery=6, pleasure=7)
    form(tmp_path, "c.md", "2026-11-04 13:00", "exposure", step="hidden step", suds_peak=50, private="true")
    own = journal(tmp_path)
    assert len(sleep_diary(own)["rows"]) == 2  # the person's own site shows every night
    config = journal_config(tmp_path)
    config = type(config)(**{**config.__dict__, "output_dir": tmp_path / "share"})
    share(config, Scope("all"), today=date(2026, 11, 5), own_site=tmp_path / "output")
    files = {p: p.read_bytes() for p in (tmp_path / "share").rglob("*") if p.is_file()}
    text = b"".join(files.values())
    assert b"05:10" not in text and b"secret errand" not in text and b"hidden step" not in text
    assert b"walk by the canal" in text and b"06:30" in text
    assert not (tmp_path / "share" / "exposures.html").exists()  # its only exposure is private


def test_the_skeletons_explain_each_field_and_read_back_without_warnings(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    fields = {
        "sleep": ("in_bed", "tried", "latency", "awakenings", "awake", "woke", "out_of_bed", "quality"),
        "activity": ("activity", "mastery", "pleasure", "predicted", "felt"),
        "exposure": ("step", "suds_before", "suds_peak", "suds_after", "minutes", "safety"),
    }
    for kind, keys in fields.items():
        text = new_entry(config, kind, None, "2026-11-02").read_text(encoding="utf-8")
        for key in keys:
            line = next(li for li in text.splitlines() if li.startswith(f"{key}:"))
            assert "# " in line, line  # each field explained on its line
    entries = journal(tmp_path).entries
    assert sorted(e.type for e in entries) == ["activity", "exposure", "sleep"]
    warnings = [str(w) for e in entries for w in e.warnings]
    assert all(not w.split(": ", 1)[1].startswith(("in_bed", "tried", "mastery", "suds")) for w in warnings)
    assert isinstance(next(e for e in entries if e.type == "activity").record, Activity)


def test_the_agenda_shows_the_nights_since_the_last_session(tmp_path: Path) -> None:
    write(
        tmp_path, "2026-11-01-night.md", NIGHT.replace("2026-11-02", "2026-10-31").replace("woke: 06:30", "woke: 04:10")
    )
    form(tmp_path, "session.md", "2026-11-01 17:00", "session")
    write(tmp_path, "2026-11-02-night.md", NIGHT)
    build(journal_config(tmp_path), today=date(2026, 11, 3))
    page = (tmp_path / "output" / "next-session.html").read_text(encoding="utf-8")
    table = page.split('class="records sleep-table"')[1].split("</table>")[0]
    assert "06:30" in table and "04:10" not in table  # the night before the session is not since it
    assert "1 night: on average sleep efficiency 82%, 6 h 20 min asleep, quality 3.0 of 5." in page


def test_the_table_holds_the_last_two_weeks_and_the_activities_the_last_twelve(tmp_path: Path) -> None:
    for day in range(1, 17):  # 1–16 November: the last two weeks are 3–16 November
        write(tmp_path, f"n{day}.md", NIGHT.replace("2026-11-02", f"2026-11-{day:02d}"))
    for week in range(13):  # a walk each Monday from 7 September: 13 weeks
        monday = date(2026, 9, 7).toordinal() + 7 * week
        form(
            tmp_path,
            f"a{week}.md",
            date.fromordinal(monday).isoformat(),
            "activity",
            activity="walk",
            mastery=5,
            pleasure=5,
        )
    made = journal(tmp_path)
    diary = sleep_diary(made)
    assert [r["entry"].day.day for r in diary["rows"]] == list(range(3, 17))
    record = activity_record(made)
    assert len(record["weeks"]) == 12 and record["older"]
    assert record["weeks"][-1]["monday"] == date(2026, 9, 14)  # the first Monday, 7 September, is left off
