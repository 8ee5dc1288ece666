"""The numbers behind progress, stretches and the agenda, pinned with values worked out by hand."""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.journal import Journal
from generator.stats import Point, daily_series, daily_values, per_week, rolling_average, streaks
from generator.store import read_journal
from generator.views.agenda import agenda
from generator.views.progress import caption, then_and_now, thought_records
from generator.views.timeline import on_this_day, stretch_infos
from tests.helpers import journal_config, write_entry

D = date(2024, 1, 1)


def day(n: int) -> date:
    """Day n of 2024 (day 1 is 1 January)."""
    return D + timedelta(days=n - 1)


def journal_of(tmp_path: Path, rows: list[tuple[int, str, dict[str, str]]]) -> Journal:
    """A journal with one entry per row: (day of 2024, time, front-matter keys)."""
    for index, (n, hour, meta) in enumerate(rows):
        when = day(n)
        write_entry(tmp_path / "entries", f"{when}-{index}.md", f"{when} {hour}", f"Entry {index}", "Words.", **meta)
    return read_journal(journal_config(tmp_path))


def test_daily_values_average_a_day_and_skip_entries_without_the_metric(tmp_path: Path) -> None:
    journal = journal_of(
        tmp_path,
        [(1, "08:00", {"mood": "4"}), (1, "20:00", {"mood": "7"}), (2, "09:00", {}), (3, "09:00", {"mood": "2"})],
    )
    assert daily_values(journal.entries, "mood") == [Point(day(1), 5.5), Point(day(3), 2.0)]


def test_daily_series_of_several_years_follow_an_entry_read_again(tmp_path: Path) -> None:
    """Each year's values are kept for the same entries; an entry read again (a save) counts with its new values,
    and the other years' stay as they were."""
    entries = tmp_path / "entries"
    write_entry(entries, "a.md", "2023-12-31 09:00", "A", "Words.", mood="3", sleep="6")
    write_entry(entries, "b.md", "2024-01-01 09:00", "B", "Words.", mood="8")
    write_entry(entries, "c.md", "2024-01-01 21:00", "C", "Words.", mood="5", sleep="7")
    first = read_journal(journal_config(tmp_path))
    assert daily_series(first.entries, ["mood", "sleep"]) == {
        "mood": [Point(date(2023, 12, 31), 3.0), Point(date(2024, 1, 1), 6.5)],  # (8 + 5) / 2
        "sleep": [Point(date(2023, 12, 31), 6.0), Point(date(2024, 1, 1), 7.0)],
    }
    write_entry(entries, "c.md", "2024-01-01 21:00", "C", "Words.", mood="2")  # saved again, without sleep
    again = read_journal(journal_config(tmp_path))
    again.entries[0] = first.entries[0]  # 2023's entry the very same object, as watch keeps it
    assert daily_series(again.entries, ["mood", "sleep"]) == {
        "mood": [Point(date(2023, 12, 31), 3.0), Point(date(2024, 1, 1), 5.0)],  # (8 + 2) / 2
        "sleep": [Point(date(2023, 12, 31), 6.0)],
    }


def test_rolling_averages_use_calendar_days() -> None:
    points = [Point(day(1), 2), Point(day(2), 4), Point(day(3), 6), Point(day(10), 8)]
    # 7 days ending on day 10 are days 4–10: only day 10 itself.
    assert rolling_average(points, 7) == [Point(day(1), 2), Point(day(2), 3), Point(day(3), 4), Point(day(10), 8)]
    # 30 days ending on day 10 hold all four: (2 + 4 + 6 + 8) / 4 = 5.
    assert rolling_average(points, 30)[-1] == Point(day(10), 5)
    # A window of 8 days ending on day 10 is days 3–10: (6 + 8) / 2 = 7.
    assert rolling_average(points, 8)[-1] == Point(day(10), 7)


def test_streaks() -> None:
    runs = streaks([day(1), day(2), day(3), day(5), day(6), day(8), day(8)], today=day(8))
    assert (runs.current, runs.longest, runs.longest_end) == (1, 3, day(3))
    runs = streaks([day(1), day(2), day(4), day(5), day(6)], today=day(6))
    assert (runs.current, runs.longest, runs.longest_end) == (3, 3, day(6))
    assert streaks([], today=day(6)).longest == 0


@pytest.mark.parametrize("today, current", [(6, 3), (7, 3), (8, 0), (16, 0)])
def test_a_streak_is_current_only_while_it_reaches_today_or_yesterday(today: int, current: int) -> None:
    runs = streaks([day(1), day(2), day(4), day(5), day(6)], today=day(today))
    assert (runs.current, runs.longest, runs.last) == (current, 3, day(6))


def test_entries_per_week(tmp_path: Path) -> None:
    journal = journal_of(tmp_path, [(n, "09:00", {}) for n in range(1, 15)])  # 14 entries over 14 days
    assert per_week(journal.entries) == pytest.approx(7.0)


def test_then_and_now(tmp_path: Path) -> None:
    rows = [
        (1, "09:00", {"mood": "3", "anxiety": "8", "tags": "[work]"}),
        (30, "09:00", {"mood": "4", "anxiety": "7", "tags": "[work, sleep]"}),
        (31, "09:00", {"mood": "9", "anxiety": "1"}),  # in neither window
        (91, "09:00", {"mood": "7", "anxiety": "4", "tags": "[walking]"}),
        (120, "09:00", {"mood": "8", "anxiety": "4", "tags": "[walking]"}),
    ]
    comparison = then_and_now(journal_of(tmp_path, rows))
    assert comparison is not None and not comparison.overlap
    assert (comparison.then.first, comparison.then.last) == (day(1), day(30))
    assert (comparison.now.first, comparison.now.last) == (day(91), day(120))
    assert len(comparison.then.entries) == 2 and len(comparison.now.entries) == 2
    changes = {c.metric.key: c for c in comparison.changes}
    assert (changes["mood"].before, changes["mood"].after) == (3.5, 7.5)
    assert changes["mood"].delta == pytest.approx(4.0) and changes["mood"].arrow == "▲"
    assert (changes["anxiety"].before, changes["anxiety"].after) == (7.5, 4.0)
    assert changes["anxiety"].arrow == "▼"
    # Two entries a side are too few to call anything better or worse, however far the averages moved.
    assert changes["mood"].verdict == changes["anxiety"].verdict == "too few to tell"
    assert comparison.then.tags == [("work", 2), ("sleep", 1)]
    assert comparison.now.tags == [("walking", 2)]
    words = caption(changes["mood"].metric, changes["mood"], Point(day(120), 7.5))
    assert "3.5" in words and "7.5" in words and "too few entries" in words and "better" not in words


def _six(first: int, moods: list[int]) -> list[tuple[int, str, dict[str, str]]]:
    return [(first + n, "09:00", {"mood": str(m)}) for n, m in enumerate(moods)]


@pytest.mark.parametrize(
    ("now", "verdict", "arrow"),
    [
        # Then 3,4,3,4,3,4: mean 3.5, squares about it 1.5. The spread pooled over both sides sets the threshold.
        ([7, 8, 7, 8, 7, 8], "better", "▲"),  # +4.0; squares 1.5: √(3/10) = 0.55, half 0.27
        ([2, 6, 2, 6, 4, 4], "about the same", "▲"),  # +0.5; squares 16: √(17.5/10) = 1.32, half 0.66 > 0.5
        ([2, 3, 2, 3, 2, 3], "worse", "▼"),  # −1.0; squares 1.5: half of 0.55 is 0.27 < 1.0
        ([3, 4, 3, 4, 3], "about the same", "▼"),  # −0.1 (3.4); below any threshold
        ([9, 9, 9, 9], "too few to tell", "▲"),  # four entries: fewer than five
    ],
)
def test_a_change_is_called_better_or_worse_only_past_half_the_spread(
    tmp_path: Path, now: list[int], verdict: str, arrow: str
) -> None:
    rows = _six(1, [3, 4, 3, 4, 3, 4]) + _six(100, now)
    comparison = then_and_now(journal_of(tmp_path, rows))
    assert comparison is not None
    [mood] = comparison.changes
    assert (mood.verdict, mood.arrow) == (verdict, arrow)


def session_journal(tmp_path: Path) -> Journal:
    """Sessions on days 10 and 20; entries marked to discuss before, between and after them."""
    return journal_of(
        tmp_path,
        [
            (5, "09:00", {"discuss": "true", "mood": "2"}),
            (10, "18:00", {"type": "session", "mood": "5"}),
            (12, "09:00", {"discuss": "true", "mood": "4"}),
            (15, "09:00", {"mood": "6"}),
            (20, "18:00", {"type": "session", "mood": "9"}),
            (21, "09:00", {"discuss": "true", "mood": "7", "type": "dream"}),
            (22, "09:00", {"discuss": "true", "private": "true", "mood": "3"}),
            (25, "21:00", {"discuss": "true", "mood": "8"}),
            (26, "21:00", {"mood": "6"}),
        ],
    )


def test_agenda_holds_every_discuss_entry_after_the_last_session_only(tmp_path: Path) -> None:
    plan = agenda(session_journal(tmp_path))
    assert plan.last_session is not None and plan.last_session.day == day(20)
    assert [e.day for e in plan.items] == [day(21), day(25)]  # oldest first; the private one held back
    assert plan.held_back == 1
    assert [e.day for e in plan.since] == [day(21), day(22), day(25), day(26)]
    assert [e.day for e in plan.dreams] == [day(21)]
    mood = next(c for c in plan.changes if c.metric.key == "mood")
    assert mood.before == pytest.approx((4 + 6) / 2)  # between the sessions, the sessions' notes not counted
    assert mood.after == pytest.approx((7 + 3 + 8 + 6) / 4)


def test_agenda_without_a_session_lists_every_discuss_entry(tmp_path: Path) -> None:
    journal = journal_of(
        tmp_path, [(1, "09:00", {"discuss": "true"}), (2, "09:00", {}), (3, "09:00", {"discuss": "yes"})]
    )
    plan = agenda(journal)
    assert plan.last_session is None and [e.day for e in plan.items] == [day(1), day(3)]


def test_stretches_count_what_came_after_each_session(tmp_path: Path) -> None:
    journal = session_journal(tmp_path)
    infos = stretch_infos(journal)
    first, second, third = (infos[journal.entries[i].key] for i in (0, 1, 4))
    assert (first.number, first.count, first.session) == (0, 1, None)
    assert (second.number, second.count, second.discuss) == (1, 2, 1)
    assert {m.key: v for m, v in second.averages}["mood"] == pytest.approx(5.0)
    assert (third.number, third.count, third.discuss, third.current) == (2, 4, 3, True)
    assert {m.key: v for m, v in third.averages}["mood"] == pytest.approx(6.0)


def test_thought_records_relief(tmp_path: Path) -> None:
    journal = journal_of(
        tmp_path,
        [
            (1, "09:00", {"before": "80", "after": "70"}),
            (5, "09:00", {"before": "90", "after": "60"}),
            (9, "09:00", {"before": "70", "after": "20"}),
            (12, "09:00", {"before": "60", "after": "10"}),
            (13, "09:00", {"before": "150", "after": "10"}),
        ],
    )  # out of range: left out
    records = thought_records(journal)
    assert [r["relief"] for r in records["rows"]] == [50, 50, 30, 10]  # newest first
    # First half (10, 30) averages 20; the latest half (50, 50) averages 50.
    assert "20 points in the first 2" in records["caption"] and "50 points in the latest 2" in records["caption"]


def test_on_this_day(tmp_path: Path) -> None:
    for when in ("2022-03-15", "2023-03-15", "2024-02-15", "2024-02-16"):
        write_entry(tmp_path / "entries", f"{when}.md", when, f"On {when}")
    journal = read_journal(journal_config(tmp_path))
    found = on_this_day(journal, date(2024, 3, 15))
    assert [(label, e.title) for label, e in found["shown"]] == [
        ("A month ago", "On 2024-02-15"),
        ("A year ago", "On 2023-03-15"),
        ("2 years ago", "On 2022-03-15"),
    ]
    assert found["more"] == []


def test_on_this_day_in_a_long_journal_is_short_and_gentle(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    for year in range(2010, 2024):
        write_entry(entries, f"{year}.md", f"{year}-03-15", f"In {year}", mood="6")
    write_entry(entries, "2023-hard.md", "2023-03-15 09:00", "A hard morning", mood="2")  # worst 30% of 1–10
    write_entry(entries, "2022-kept.md", "2022-03-15 08:00", "Not this one", resurface="false")
    write_entry(entries, "2022-unsure.md", "2022-03-15 07:00", "Nor this", resurface="maybe")
    write_entry(entries, "2021-low.md", "2021-03-15 07:00", "Low", mood="1")
    (entries / "2021.md").unlink()  # that date held only a hard day: it is not shown at all
    journal = read_journal(journal_config(tmp_path))
    found = on_this_day(journal, date(2024, 3, 15))
    assert [(label, e.title) for label, e in found["shown"]] == [
        ("A year ago", "In 2023"),
        ("2 years ago", "In 2022"),
        ("4 years ago", "In 2020"),
    ]
    assert [e.title for _, e in found["more"]] == [f"In {year}" for year in range(2019, 2009, -1)]
    config = journal_config(tmp_path)
    (tmp_path / "journal.yaml").write_text("on_this_day: false\n", encoding="utf-8")
    from generator.config import load_config

    off = read_journal(load_config(config.entries_dir, config.output_dir, config_path=tmp_path / "journal.yaml"))
    assert on_this_day(off, date(2024, 3, 15)) == {"shown": [], "more": []}


ROOT = Path(__file__).resolve().parent.parent


def test_a_journal_of_several_hundred_entries(tmp_path: Path) -> None:
    """The agenda and then-and-now on 400 synthetic entries, checked against the files read independently."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import make_journal

    make_journal(tmp_path / "entries", 400, seed=7)
    rows = []
    for path in sorted((tmp_path / "entries").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        rows.append((str(meta["date"]), path.name, meta))
    rows.sort()
    journal = read_journal(journal_config(tmp_path))
    assert len(journal.entries) == 400
    last_session = max(r for r in rows if r[2].get("type") == "session")
    expected = [r[1] for r in rows if r > last_session and r[2].get("discuss") is True and not r[2].get("private")]
    plan = agenda(journal)
    assert [Path(e.source).name for e in plan.items] == expected and expected
    first = date.fromisoformat(rows[0][0][:10])
    last = date.fromisoformat(rows[-1][0][:10])
    then = [
        r[2]["mood"] for r in rows if date.fromisoformat(r[0][:10]) <= first + timedelta(days=29) and "mood" in r[2]
    ]
    now = [r[2]["mood"] for r in rows if date.fromisoformat(r[0][:10]) >= last - timedelta(days=29) and "mood" in r[2]]
    comparison = then_and_now(journal)
    assert comparison is not None
    mood = next(c for c in comparison.changes if c.metric.key == "mood")
    assert f"{mood.before:.1f}" == f"{sum(then) / len(then):.1f}"
    assert f"{mood.after:.1f}" == f"{sum(now) / len(now):.1f}"


def test_footnotes_of_several_entries_on_the_agenda_keep_apart(tmp_path: Path) -> None:
    from collections import Counter

    from generator.build import build

    entries = tmp_path / "entries"
    write_entry(entries, "s.md", "2024-01-01 10:00", "Session", "Talked.", type="session")
    for n in (2, 3):
        write_entry(
            entries, f"e{n}.md", f"2024-01-0{n} 10:00", f"Entry {n}", "A note.[^1]\n\n[^1]: Why.", discuss="true"
        )
    build(journal_config(tmp_path), today=date(2024, 1, 5))
    page = (tmp_path / "output" / "next-session.html").read_text(encoding="utf-8")
    ids = re.findall(r'id="([^"]*fn[^"]*)"', page)
    assert len(ids) == 4 and max(Counter(ids).values()) == 1  # two notes and two back-references, all unique
    for target in re.findall(r'href="#([^"]*fn[^"]*)"', page):
        assert target in ids


def test_weekly_and_monthly_averages_across_month_and_year_boundaries() -> None:
    from generator.stats import Bucket, bucket_averages, month_start, week_start

    # Mon 29 Dec 2025 – Sun 4 Jan 2026 is one week across a year's end; Mon 5 Jan starts the next.
    points = [
        Point(date(2025, 12, 29), 2),
        Point(date(2025, 12, 31), 4),
        Point(date(2026, 1, 1), 6),
        Point(date(2026, 1, 4), 8),
        Point(date(2026, 1, 5), 5),
    ]
    assert bucket_averages(points, week_start) == [
        # mean (2+4+6+8)/4 = 5; quartiles of 2, 4, 6, 8 (inclusive): 2 + 0.75·2 = 3.5 and 6 + 0.25·2 = 6.5
        Bucket(date(2025, 12, 29), 5.0, 3.5, 6.5, 4),
        Bucket(date(2026, 1, 5), 5.0, 5.0, 5.0, 1),
    ]
    assert bucket_averages(points, month_start) == [
        Bucket(date(2025, 12, 1), 3.0, 2.0, 4.0, 2),  # fewer than four days: lowest and highest
        Bucket(date(2026, 1, 1), 19 / 3, 5.0, 8.0, 3),
    ]


def test_a_pause_of_more_than_two_weeks_breaks_the_line() -> None:
    from generator.stats import runs

    days = [date(2024, 3, 1), date(2024, 3, 15), date(2024, 3, 30), date(2024, 9, 1), date(2024, 9, 2)]
    # 1 → 15 March is 14 days (kept), 15 → 30 March is 15 days (broken), then six months.
    assert runs(days, 14) == [(0, 2), (2, 3), (3, 5)]
    assert runs([], 14) == []
    assert runs(days[:1], 14) == [(0, 1)]


def test_therapy_periods_from_session_dates() -> None:
    from generator.stats import therapy_periods

    weekly_then_pause = [date(2024, 1, d) for d in (3, 10, 17, 24)] + [date(2024, 2, 14)]  # 21 days after the 24th
    later = [date(2024, 6, 5), date(2024, 6, 27)]  # 22 days apart: two periods
    assert therapy_periods(weekly_then_pause + later) == [
        (date(2024, 1, 3), date(2024, 2, 14)),
        (date(2024, 6, 5), date(2024, 6, 5)),
        (date(2024, 6, 27), date(2024, 6, 27)),
    ]


def _years_journal(tmp_path: Path) -> Journal:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2023-03-01", "A", mood="4", anxiety="7", tags="[grief, work]")
    write_entry(config.entries_dir, "b.md", "2023-11-20", "B", mood="6", tags="[grief]")
    write_entry(config.entries_dir, "c.md", "2024-06-01", "C", mood="6", anxiety="8", tags="[rest]", milestone="true")
    write_entry(config.entries_dir, "d.md", "2025-01-05", "D", mood="6")
    write_entry(config.entries_dir, "e.md", "2025-02-05", "E")
    return read_journal(config)


def test_the_table_of_years_marks_each_average_against_the_year_before(tmp_path: Path) -> None:
    from generator.views.progress import years_table

    rows = years_table(_years_journal(tmp_path))
    assert [(r.year, r.entries) for r in rows] == [(2025, 2), (2024, 1), (2023, 2)]
    table = {r.year: {m.key: (value, ch.arrow, ch.verdict) for m, value, ch in r.averages} for r in rows}
    assert set(table[2023]) == {"mood", "anxiety"}  # metrics nobody wrote are left out of the table
    # 2023: mood (4 + 6) / 2 = 5.0, anxiety 7; nothing before it to compare with.
    assert table[2023] == {"mood": (5.0, "", ""), "anxiety": (7.0, "", "")}
    # 2024: mood 6 and anxiety 8, both up; one entry is too few to call either better or worse.
    assert table[2024] == {"mood": (6.0, "▲", "too few to tell"), "anxiety": (8.0, "▲", "too few to tell")}
    # 2025: mood 6 again; no anxiety written.
    assert table[2025] == {"mood": (6.0, "=", "too few to tell"), "anxiety": (None, "", "")}
    assert rows[-1].tags == [("grief", 2), ("work", 1)]


def test_a_year_is_better_or_worse_than_the_last_only_past_half_its_spread(tmp_path: Path) -> None:
    from generator.views.progress import years_table

    config = journal_config(tmp_path)
    years = {2023: [4, 5, 4, 5, 4, 5], 2024: [6, 7, 6, 7, 6, 7], 2025: [7, 5, 7, 5, 6, 6]}
    for year, moods in years.items():
        for n, mood in enumerate(moods):
            write_entry(config.entries_dir, f"{year}-{n}.md", f"{year}-03-{n + 1:02d}", "Day", mood=str(mood))
    table = {r.year: [(ch.arrow, ch.verdict) for _, _, ch in r.averages] for r in years_table(read_journal(config))}
    # 2024: 4.5 → 6.5, each year's days ±0.5 about their mean (spread √0.3 = 0.55): +2.0 is well past 0.27.
    assert table[2024] == [("▲", "better")]
    # 2025: 6.5 → 6.0; 2025's days spread ±1 (squares 4): pooled √((1.5 + 4) / 10) = 0.74, half 0.37 < 0.5.
    assert table[2025] == [("▼", "worse")]


def test_every_year_has_its_own_page_beside_the_year_before(tmp_path: Path) -> None:
    from generator.views.progress import year_pages

    journal = _years_journal(tmp_path)
    pages = {page.path: page.made_context() for page in year_pages(journal)}
    assert list(pages) == ["progress/2023.html", "progress/2024.html", "progress/2025.html"]
    assert [(c["year"]["previous"], c["year"]["next"]) for c in pages.values()] == [
        (None, 2024),
        (2023, 2025),
        (2024, None),
    ]
    assert [c["total"] for c in pages.values()] == [2, 1, 2]
    assert pages["progress/2023.html"]["comparison"] is None
    changes = {ch.metric.key: (ch.before, ch.after) for ch in pages["progress/2024.html"]["comparison"].changes}
    assert changes == {"mood": (5.0, 6.0), "anxiety": (7.0, 8.0)}
    assert [e.title for e in pages["progress/2024.html"]["milestones"]] == ["C"]
    assert pages["progress/2025.html"]["calendar"]["grids"][0]["name"] == "2025"
    one_year = journal_config(tmp_path / "short")
    write_entry(one_year.entries_dir, "a.md", "2024-03-01", "A", mood="4")
    assert year_pages(read_journal(one_year)) == []


def test_a_journal_gets_the_views_its_length_calls_for(tmp_path: Path) -> None:
    from generator.views.progress import metric_charts

    def scales(days: int) -> list[str]:
        config = journal_config(tmp_path / f"j{days}")
        first = date(2020, 1, 1)
        for n in (0, days // 2, days):
            write_entry(config.entries_dir, f"{n}.md", f"{first + timedelta(days=n)}", f"E{n}", mood="5")
        found = metric_charts(read_journal(config), None)
        views = found[0]["views"]
        assert days < 91 or "2020" in views[0]["caption"]  # the first chart reaches back to the first entry
        return [view["scale"] for view in views]

    # The whole journal first, at a scale that fits it; then the detail.
    assert scales(20) == ["day"]  # three weeks: by day only, not stretched into a year
    assert scales(90) == ["day"]
    assert scales(91) == ["week", "day"]
    assert scales(500) == ["week", "day"]  # 18 months: every week of them, not only the last twelve months
    assert scales(730) == ["week", "day"]
    assert scales(731) == ["month", "week", "day"]


def _wide(svg: object) -> str:
    """A chart's wide drawing (each chart is drawn wide and narrow)."""
    text = str(svg)
    return text[text.index('<svg class="chart chart-wide"') : text.index("</svg>") + 6]


def test_charts_break_at_pauses_and_band_crowded_sessions() -> None:
    from generator import charts
    from generator.config import DEFAULT_METRICS

    mood = DEFAULT_METRICS["mood"]
    first = date(2024, 1, 1)
    days = [first + timedelta(days=n) for n in [*range(30), *range(60, 90)]]  # a pause of 30 days
    points = [Point(d, 5.0) for d in days]
    line = charts.Line(points, "avg-short", "7-day", 14)
    weekly_sessions = [first + timedelta(days=7 * n) for n in range(13)]
    svg = _wide(charts.metric_chart(mood, first, days[-1], points, [line], [], weekly_sessions, [], "t", "m"))
    assert svg.count('<polyline class="avg-short"') == 2  # broken at the pause, not drawn across it
    assert svg.count('class="session"') == 13 and 'class="therapy"' not in svg  # 90 days: sessions stay apart
    year = [first + timedelta(days=n) for n in range(365)]

    def year_chart(sessions: list[date]) -> str:
        line = charts.Line([Point(d, 5.0) for d in year], "avg-short", "", 14)
        return _wide(charts.metric_chart(mood, first, year[-1], [], [line], [], sessions, [], "t", "m"))

    spring = [first + timedelta(days=7 * n) for n in range(12)]  # twelve weeks of a year in therapy
    svg = year_chart(spring)
    assert 'class="session"' not in svg and svg.count('class="therapy"') == 1  # crowded sessions: one period
    assert "periods in therapy" in charts.therapy_words(first, year[-1], spring)
    # Weekly all year but for a summer break: the break is shaded, not the whole year.
    weekly = [first + timedelta(days=7 * n) for n in range(52) if not 26 <= n < 34]
    svg = year_chart(weekly)
    assert 'class="therapy"' not in svg and svg.count('class="pause"') == 1
    assert "pauses" in charts.therapy_words(first, year[-1], weekly)


def test_a_year_ago_is_the_same_thirty_days_a_year_before_the_last_entry(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "first.md", "2023-01-10", "First", mood="3")
    write_entry(config.entries_dir, "ago-out.md", "2023-02-13", "Just before the window", mood="9")
    write_entry(config.entries_dir, "ago-in-a.md", "2023-02-14", "First day of the window", mood="4")
    write_entry(config.entries_dir, "ago-in-b.md", "2023-03-15", "Last day of the window", mood="6")
    write_entry(config.entries_dir, "ago-after.md", "2023-03-16", "Just after", mood="1")
    write_entry(config.entries_dir, "now.md", "2024-03-15", "Last entry", mood="8")
    result = then_and_now(read_journal(config))
    assert result is not None and result.year_ago is not None
    # The last entry is 15 March 2024; a year before: 15 March 2023, and the 30 days ending there start 14 February.
    assert (result.year_ago.first, result.year_ago.last) == (date(2023, 2, 14), date(2023, 3, 15))
    assert [e.title for e in result.year_ago.entries] == ["First day of the window", "Last day of the window"]
    mood = next(c for c in result.year_changes or [] if c.metric.key == "mood")
    assert (mood.before, mood.after) == (5.0, 8.0)  # (4 + 6) / 2 against the last 30 days' 8
    young = journal_config(tmp_path / "young")
    write_entry(young.entries_dir, "a.md", "2024-01-01", "A", mood="3")
    write_entry(
        young.entries_dir, "b.md", "2024-12-01", "B", mood="5"
    )  # a year before the last 30 days is before it began
    assert then_and_now(read_journal(young)).year_ago is None


def test_a_long_journals_main_page_keeps_the_last_twelve_months_of_milestones(tmp_path: Path) -> None:
    from generator.views.progress import progress_page, year_pages

    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "old.md", "2023-02-01", "Old turn", milestone="true")
    write_entry(config.entries_dir, "edge.md", "2024-02-06", "Just inside", milestone="true")  # 365 days to the last
    write_entry(config.entries_dir, "last.md", "2025-02-04", "Last", milestone="true")
    journal = read_journal(config)
    page = progress_page(journal, date(2025, 2, 5)).made_context()
    assert [e.title for e in page["milestones"]] == ["Last", "Just inside"] and page["recent_only"]
    years = {p.path: p.made_context() for p in year_pages(journal)}
    assert [e.title for e in years["progress/2023.html"]["milestones"]] == ["Old turn"]


def test_the_page_opens_with_the_answer_at_a_glance(tmp_path: Path) -> None:
    from generator.build import build

    config = journal_config(tmp_path)
    first = date(2026, 1, 5)
    for n in range(8):  # mood 3 then 4 in the first week, 7 then 8 three months on: +4.0, well past the spread
        write_entry(config.entries_dir, f"a{n}.md", f"{first + timedelta(days=n)} 21:00", "Early", mood=str(3 + n % 2))
        write_entry(
            config.entries_dir, f"b{n}.md", f"{first + timedelta(days=90 + n)} 21:00", "Late", mood=str(7 + n % 2)
        )
    for n, score in ((0, 16), (84, 6)):  # weekly sessions through; PHQ-9 16 at the first, 6 at the last
        write_entry(config.entries_dir, f"q{n}.md", f"{first + timedelta(days=n)} 09:00", "PHQ-9", phq9=str(score))
    for week in range(13):
        write_entry(config.entries_dir, f"s{week}.md", f"{first + timedelta(days=7 * week)} 17:00", "S", type="session")
    build(config, today=date(2026, 12, 3))
    html = (config.output_dir / "progress.html").read_text(encoding="utf-8")
    assert html.index('id="at-a-glance"') < html.index('class="chart-figure"')  # before any chart
    shown = re.sub(r'<span class="sr-only">[^<]*</span>', "", html.split('id="at-a-glance"')[1].split("</section>")[0])
    glance = " ".join(unescape(re.sub(r"<[^>]+>", " ", shown)).split())  # as it is seen
    assert "Mood 3.5 → 7.5 ▲ better" in glance
    assert "PHQ-9 16 → 6 mild ▼ reliable recovery" in glance


def test_a_years_sums_are_made_once_and_an_edit_puts_new_ones_in_their_place() -> None:
    """stats.per_year keeps each year's sums for the progress page, the year's own page and the next save; an
    entry edited under watch (a new object) makes its year's sums again, in the place of the old ones, so that
    watch does not hold one more set of them for every save."""
    from types import SimpleNamespace

    from generator import stats

    stats._PER_YEAR.clear()
    days = [date(2023, 1, 1) + timedelta(days=i * 3) for i in range(244)]  # every third day of 2023 and 2024
    entries = [SimpleNamespace(day=day) for day in days]
    made: list[int] = []

    def count(year: list) -> int:  # type: ignore[type-arg]
        made.append(len(year))
        return len(year)

    assert stats.per_year(entries, "test", count) == [122, 122]  # type: ignore[arg-type]
    assert stats.per_year(entries, "test", count) == [122, 122]  # type: ignore[arg-type]
    assert made == [122, 122]  # once each
    kept = len(stats._PER_YEAR)
    for _ in range(5):  # five saves, each editing an entry in the middle of 2024
        entries[200] = SimpleNamespace(day=days[200])
        assert stats.per_year(entries, "test", count) == [122, 122]  # type: ignore[arg-type]
    assert made == [122, 122, *[122] * 5]  # 2024 made again each time, 2023 kept
    assert len(stats._PER_YEAR) == kept
