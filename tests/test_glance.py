"""The front page at a glance, the agenda's topics first, and printed sheets that say what they are: the views'
numbers worked out by hand, and the built pages' structure."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from generator.build import build
from generator.csp import source_hash
from generator.render import css_string, running_heads
from generator.store import read_journal
from generator.views.timeline import month_groups, overview
from tests.helpers import journal_config, write_entry

TODAY = date(2026, 11, 23)


def built(root: Path) -> Path:
    """Build the journal at root/entries into root/output, with today pinned."""
    build(journal_config(root), today=TODAY, cache=False)
    return root / "output"


def page(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


class Outline(HTMLParser):
    """The order in which a page's marked elements open: (tag, class, id), and the day headings' dates."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.opened: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.opened.append((tag, values.get("class") or "", values.get("id") or ""))


def outline(html: str) -> list[tuple[str, str, str]]:
    parser = Outline()
    parser.feed(html)
    return parser.opened


def first_index(opened: list[tuple[str, str, str]], tag: str = "", cls: str = "", ident: str = "") -> int:
    """Where the first element matching all the given parts opens (its class among its classes)."""
    for index, (t, c, i) in enumerate(opened):
        if (not tag or t == tag) and (not cls or cls in c.split()) and (not ident or i == ident):
            return index
    raise AssertionError(f"no <{tag or '*'} class={cls!r} id={ident!r}>")


# --- The timeline: one date heading per day -------------------------------------------------------------------


def test_a_days_entries_share_one_date_heading(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    for rel, when in [
        ("a.md", "2026-11-20 08:00"),
        ("b.md", "2026-11-20 13:00"),
        ("c.md", "2026-11-20 21:00"),
        ("d.md", "2026-11-21 09:00"),
        ("e.md", "2026-11-22 10:00"),
        ("f.md", "2026-11-22 22:00"),
    ]:
        write_entry(entries, rel, when, rel[0].upper())
    journal = read_journal(journal_config(tmp_path))
    (group,) = month_groups(journal)
    (run,) = group.runs
    assert [(d.day.day, [e.title for e in d.entries]) for d in run.days] == [
        (22, ["F", "E"]),
        (21, ["D"]),
        (20, ["C", "B", "A"]),
    ]
    html = page(built(tmp_path), "index.html")
    assert re.findall(r'<h3 class="day-date" id="(d[\d-]+)"', html) == ["d2026-11-22", "d2026-11-21", "d2026-11-20"]
    day = html.split('id="d2026-11-20"')[1].split('class="day"')[0]
    assert day.count('<article class="row') == 3  # the three entries of the 20th, under its one heading


def test_a_session_that_opens_a_stretch_mid_day_continues_the_day_under_the_new_heading(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(entries, "a.md", "2026-11-19 08:00", "Morning")
    write_entry(entries, "s.md", "2026-11-19 16:00", "Session", type="session")
    write_entry(entries, "b.md", "2026-11-19 21:00", "Evening")
    (group,) = month_groups(read_journal(journal_config(tmp_path)))
    assert [[(d.day.day, d.continued, [e.title for e in d.entries]) for d in run.days] for run in group.runs] == [
        [(19, False, ["Evening", "Session"])],
        [(19, True, ["Morning"])],
    ]
    html = page(built(tmp_path), "index.html")
    ids = re.findall(r'<h3 class="day-date" id="([^"]+)"', html)
    assert ids == ["d2026-11-19", "d2026-11-19-before"]  # ids stay unique


# --- The front page's overview --------------------------------------------------------------------------------


def test_the_overview_strip_covers_the_last_twelve_months_with_entries_and_links_each(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    # 2024-05 … 2026-11: one entry a month, four in November 2026, none in March 2026.
    for back in range(31):
        index = 2026 * 12 + 10 - back
        year, month = index // 12, index % 12 + 1
        if (year, month) != (2026, 3):
            write_entry(entries, f"{year}-{month:02d}.md", f"{year}-{month:02d}-10", f"{year}-{month}")
    for day in (11, 12, 13):
        write_entry(entries, f"nov-{day}.md", f"2026-11-{day}", f"Nov {day}", type="session" if day == 12 else "note")
    journal = read_journal(journal_config(tmp_path))
    groups = month_groups(journal)
    view = overview(journal, groups, groups[:2])  # the front page shows November and October
    months = view["months"]
    assert [(m.first.year, m.first.month) for m in months][:2] == [(2025, 12), (2026, 1)]
    assert len(months) == 12 and (months[-1].first.year, months[-1].first.month) == (2026, 11)
    march = months[3]
    assert (march.first.month, march.count, march.href, march.level) == (3, 0, "", 0)
    november, october, september = months[-1], months[-2], months[-3]
    assert (november.count, november.sessions, november.level, november.href) == (4, 1, 10, "#m2026-11")
    assert (october.count, october.level, october.href) == (1, 3, "#m2026-10")  # 1/4 of the fullest, rounded up
    assert september.href == "timeline/2026-09.html"  # not on the front page: its own page
    assert view["years"] == [
        (2026, "timeline/2026-11.html", 13),
        (2025, "timeline/2025-12.html", 12),
        (2024, "timeline/2024-12.html", 8),
    ]


def test_a_young_journals_strip_starts_at_its_first_month(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(entries, "a.md", "2026-09-03", "A")
    write_entry(entries, "b.md", "2026-11-03", "B")
    journal = read_journal(journal_config(tmp_path))
    groups = month_groups(journal)
    assert [(m.first.month, m.count) for m in overview(journal, groups, groups)["months"]] == [(9, 1), (10, 0), (11, 1)]
    html = page(built(tmp_path), "index.html")
    assert "Since September 2026" in html


def test_the_front_page_opens_with_the_overview_and_the_years_before_any_entry(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    for year in (2019, 2022, 2026):
        write_entry(entries, f"{year}.md", f"{year}-06-01", f"In {year}")
    html = page(built(tmp_path), "index.html")
    opened = outline(html)
    strip = first_index(opened, "ol", "month-strip")
    years = first_index(opened, cls="overview-years")
    first_entry = first_index(opened, "article", "row")
    assert first_index(opened, "nav", "overview") < strip < years < first_entry
    jump = html.split('class="year-jump overview-years"')[1].split("</nav>")[0]
    assert re.findall(r'href="(timeline/[\d-]+\.html)">(\d{4})', jump) == [
        ("timeline/2026-06.html", "2026"),
        ("timeline/2022-06.html", "2022"),
        ("timeline/2019-06.html", "2019"),
    ]
    assert "timeline-years" not in html  # the year jump is at the top now, not again after the entries
    assert 'class="year-jump timeline-years"' in page(built(tmp_path), "timeline/2022-06.html")  # month pages keep it


# --- The agenda -----------------------------------------------------------------------------------------------


def test_the_agenda_lists_its_topics_first_then_the_summary_then_the_full_texts(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    write_entry(entries, "s1.md", "2026-11-05 16:00", "First session", type="session", body="- [ ] Walk")
    write_entry(entries, "s2.md", "2026-11-12 16:00", "Second session", type="session", body="- [ ] Write")
    write_entry(entries, "a.md", "2026-11-14 20:00", "About Mum", discuss="true", mood="4")
    write_entry(entries, "b.md", "2026-11-18 20:00", "The listing", discuss="true", mood="6")
    html = page(built(tmp_path), "next-session.html")
    opened = outline(html)
    topics = first_index(opened, "ol", "topic-list")
    summary = first_index(opened, "section", "stretch-summary")
    homework = first_index(opened, "section", "homework-section")
    full = first_index(opened, "section", "full-texts")
    assert topics < summary < homework < full
    listed = re.findall(r'<li><a href="#(topic-\d+)">([^<]+)</a>', html)
    assert listed == [("topic-1", "About Mum"), ("topic-2", "The listing")]  # oldest first, as the texts below
    texts = html.split('class="full-texts"')[1]
    for anchor, title in listed:  # each topic links to its own full text, numbered the same
        number = anchor.split("-")[1]
        item = texts.split(f'id="{anchor}"')[1].split("</article>")[0]
        assert f'<span class="topic-number">{number}</span>' in item and title in item


def test_an_empty_agenda_says_in_plain_words_how_to_bring_an_entry(tmp_path: Path) -> None:
    write_entry(tmp_path / "entries", "a.md", "2026-11-14", "Just writing")
    html = page(built(tmp_path), "next-session.html")
    empty = re.sub(r"<[^>]+>", "", html.split('class="empty empty-agenda"')[1].split("</div>")[0])
    assert "Nothing marked to bring yet." in empty
    assert "add a line discuss: true at the top of it, between the --- lines" in " ".join(empty.split())
    assert "front matter" not in html  # words a non-programmer would have to look up
    assert "full-texts" not in html and "topic-list" not in html


# --- Print: running heads with the journal's title and what the page is ---------------------------------------


def test_css_strings_cannot_end_the_style_element_or_the_string() -> None:
    assert css_string("Elin's journal") == '"Elin\'s journal"'
    text = css_string('A "quoted" </style><script>x</script>\\ title\n')
    assert "</style" not in text and "<" not in text and "\n" not in text
    assert text.count('"') == 2 and text.startswith('"') and text.endswith('"')
    assert running_heads("J", "P") == '@page { @top-left { content: "J"; } @top-right { content: "P"; } }'


def test_every_page_carries_running_heads_allowed_by_its_policy(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    (tmp_path / "journal.yaml").write_text('title: "Ann\'s </style> journal"\n', encoding="utf-8")
    write_entry(entries, "s.md", "2026-10-01 16:00", "A session", type="session")
    write_entry(entries, "a.md", "2026-11-14 20:00", "About Mum", discuss="true")
    from generator.config import load_config

    build(load_config(entries, tmp_path / "output", config_path=tmp_path / "journal.yaml"), today=TODAY, cache=False)
    output = tmp_path / "output"
    expected_right = {
        "index.html": "Timeline · October 2026 to November 2026",
        "timeline/2026-10.html": "Timeline · October 2026",
        "next-session.html": "For the next session · since 1 October 2026",
        "progress.html": "Progress · 1 October 2026 to 14 November 2026",  # the first entry's day to the last's
    }
    for rel in [p.relative_to(output).as_posix() for p in output.rglob("*.html")]:
        html = page(output, rel)
        styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
        assert len(styles) == 1, rel
        assert source_hash(styles[0]).replace("'", "&#39;") in html.split("<style>")[0], rel  # in its CSP
        assert '@top-left { content: "Ann\'s \\3c /style\\3e  journal"; }' in styles[0], rel
        if rel in expected_right:
            assert f'@top-right {{ content: "{expected_right[rel]}"; }}' in styles[0], rel
    sheet = page(output, "static/style.css")
    assert 'content: "Page " counter(page) " of " counter(pages)' in sheet
