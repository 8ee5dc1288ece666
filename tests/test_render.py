"""The quick ways render.py makes what every page shows give what the plain ways give: dates as strftime writes
them, a page's policy as csp.py writes it, a list of items as a loop over them, a running head as CSS escapes it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.build import build, check
from generator.config import load_config
from generator.csp import content_security_policy
from generator.render import (
    Policies,
    css_string,
    day_month_year,
    hour,
    long_date,
    make_environment,
    month_year,
    short_date,
    weekday,
)
from tests.helpers import write_entry


def test_dates_are_written_as_strftime_writes_them() -> None:
    when = datetime(1000, 1, 1, 0, 0)
    while when.year < 9000:  # every weekday and month, many hours and minutes, over the years an entry may have
        assert long_date(when) == f"{when:%A} {when.day} {when:%B %Y} · {when:%H:%M}"
        assert long_date(when.date()) == long_date(when, False) == f"{when:%A} {when.day} {when:%B %Y}"
        assert short_date(when) == f"{when:%a} {when.day} {when:%b}"
        assert day_month_year(when) == f"{when.day} {when:%B %Y}"
        assert month_year(when) == f"{when:%B %Y}" and weekday(when) == f"{when:%a}" and hour(when) == f"{when:%H:%M}"
        when += timedelta(days=13, minutes=367)


@given(st.text())
def test_a_running_head_is_escaped_character_by_character(text: str) -> None:
    plain = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r\f' or ord(c) < 32 else c for c in text)
    assert css_string(text) == f'"{plain}"'


@given(st.lists(st.text(), max_size=3), st.booleans(), st.booleans())
def test_a_page_policy_is_the_one_csp_writes(styles: list[str], own_files: bool, blobs: bool) -> None:
    policies = Policies("n0nce")
    for _ in range(2):  # worked out, then kept
        assert policies(styles, own_files, blobs) == content_security_policy(styles, own_files, "n0nce", blobs)


def _site(tmp_path: Path) -> Path:
    entries = tmp_path / "entries"
    for day in range(1, 9):
        write_entry(
            entries,
            f"2024-03-{day:02d}.md",
            f"2024-03-{day:02d} 2{day % 4}:15",
            f"Day {day} <&>",
            f"Words of day {day}. " * day,
            mood=str(day),
            tags="[sleep, work]" if day % 2 else "[sleep]",
            private="true" if day == 3 else "false",
        )
    return entries


def test_items_joined_are_the_items_one_by_one(tmp_path: Path) -> None:
    config = load_config(_site(tmp_path), tmp_path / "out")
    journal = check(config)
    env = make_environment(config)
    one_by_one = env.from_string(
        "{% for e in es %}{{ item(e, root) }}{{ end }}{% endfor %}|{% for e in es %}{{ row(e, root) }}{% endfor %}"
    )
    joined = env.from_string("{{ item.each(es, root, end) }}|{{ row.each(es, root) }}")
    for root in ("", "../"):
        for end in ("", "\n"):
            names = {"es": journal.entries, "root": root, "end": end}
            assert joined.render(names) == one_by_one.render(names)


def test_badges_are_the_same_wherever_an_entry_shows_them(tmp_path: Path) -> None:
    build(load_config(_site(tmp_path), tmp_path / "out"), date(2024, 3, 20))
    page = (tmp_path / "out" / "entries" / "2024-03-05-day-5.html").read_text(encoding="utf-8")
    tag = (tmp_path / "out" / "tags" / "work.html").read_text(encoding="utf-8")
    start = page.index('<ul class="badges"')
    badges = page[start : page.index("</ul>", start) + 5]
    assert "Mood 5 of 10" in badges and tag.count(badges) == 1
