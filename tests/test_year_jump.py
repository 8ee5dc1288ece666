"""The timeline's year jump: every year with entries, newest first, linked to its latest month."""

from __future__ import annotations

from generator.store import read_journal
from generator.views.timeline import month_groups, timeline_pages, year_links
from tests.helpers import journal_config, write_entry


def test_years_link_to_their_latest_month(tmp_path):
    for rel, when in [("a.md", "2024-03-01"), ("b.md", "2024-11-30"), ("c.md", "2025-02-02"), ("d.md", "2026-01-09")]:
        write_entry(tmp_path / "entries", rel, when, rel)
    journal = read_journal(journal_config(tmp_path))
    assert year_links(month_groups(journal)) == [
        (2026, "timeline/2026-01.html"),
        (2025, "timeline/2025-02.html"),
        (2024, "timeline/2024-11.html"),
    ]
    pages = {p.path: p for p in timeline_pages(journal, journal.entries[-1].day)}
    assert pages["timeline/2024-03.html"].made_context()["this_year"] == 2024
    assert pages["index.html"].made_context()["this_year"] is None
