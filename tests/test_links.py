"""Entries as people write them, end to end: a journal using every form (tests/journals/everything) is built,
shared and locked, and every link, picture and sound is checked on disk."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.build import build
from generator.config import BASE_MARKDOWN_EXTENSIONS, Config, load_config
from generator.entries import MarkdownConverter
from generator.links import PREVIEW_WIDTH
from generator.lock import build_locked, unlock_site
from generator.markdown_links import WIKI_SCHEME
from generator.refs import Resolved, find_refs, show_links
from generator.share import Scope, share
from generator.store import read_journal
from tests.helpers import Session, write_entry
from tests.privacy_support import every_file
from tests.test_site import parse, target

EVERYTHING = Path(__file__).parent / "journals" / "everything"
EXPECTED = json.loads((EVERYTHING / "expected.json").read_text(encoding="utf-8"))
TODAY = date(2026, 12, 3)
PHOTO = "photos/walk.jpg"


def phone_photo(path: Path) -> None:
    """A photo as a phone writes one: 4,000 × 3,000 and several megabytes, lying on its side (EXIF
    orientation 6) and saying where it was taken (GPS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show upright
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS: a latitude
    image.save(path, "JPEG", quality=95, exif=exif)


@pytest.fixture(scope="module")
def journal_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/journals/everything, with a large phone photo an extra entry shows."""
    root = tmp_path_factory.mktemp("everything")
    shutil.copytree(EVERYTHING, root, dirs_exist_ok=True)
    phone_photo(root / "entries" / PHOTO)
    (root / "entries" / "2026-11-16-a-walk.md").write_text(
        f"---\ntitle: A walk\ndate: 2026-11-16\n---\nThe canal at dusk.\n\n![the canal]({PHOTO})\n", encoding="utf-8"
    )
    return root


def configure(root: Path, output: str) -> Config:
    return load_config(root / "entries", root / output, config_path=root / "journal.yaml")


@pytest.fixture(scope="module")
def site(journal_root: Path) -> tuple[Path, list]:
    report = build(configure(journal_root, "site"), today=TODAY)
    return journal_root / "site", report.problems


def attached(output: Path) -> set[str]:
    """Every file under the site's attachments/ folder."""
    return {p.relative_to(output).as_posix() for p in (output / "attachments").rglob("*") if p.is_file()}


def test_every_link_picture_and_sound_resolves_to_a_file_in_the_site(site: tuple[Path, list]) -> None:
    output, _ = site
    checked = 0
    for page in sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html")):
        for tag, _, href in parse((output / page).read_bytes()).links:
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", href), f"{page}: {tag} points outside: {href}"
            path, _ = target(page, unquote(href))
            assert (output / path).is_file(), f"{page}: {href} points at nothing"
            checked += 1
    assert checked > 100
    body = (output / "entries" / "2026-11-13-links-to-everything.html").read_text(encoding="utf-8")
    assert 'href="../entries/2026-11-05-the-lake.html"' in body
    assert 'href="../attachments/files/plan.pdf"' in body
    assert '<audio controls="" src="../attachments/files/voice%20memo.m4a">' in body
    lake = (output / "entries" / "2026-11-05-the-lake.html").read_text(encoding="utf-8")
    assert 'href="../entries/2026-11-01-the-house.html#the-cellar"' in lake  # [[file#Heading]]
    assert '<a class="wikilink" href="../entries/2026-11-01-the-house.html">that house</a>' in lake  # [[Title|text]]
    assert 'src="../attachments/_attachments/tram.png" width="120"' in lake  # ![[bare name|width]]
    house = (output / "entries" / "2026-11-01-the-house.html").read_text(encoding="utf-8")
    assert 'id="the-cellar"' in house


def test_only_referenced_files_are_copied_each_as_it_is(site: tuple[Path, list], journal_root: Path) -> None:
    output, _ = site
    expected = set(EXPECTED["attachments"]) | {f"attachments/{PHOTO}", f"attachments/{PHOTO}.preview.webp"}
    assert attached(output) == expected
    for rel in expected - {f"attachments/{PHOTO}.preview.webp"}:
        source = journal_root / "entries" / rel.removeprefix("attachments/")
        assert (output / rel).read_bytes() == source.read_bytes(), rel
    everything = b"".join(every_file(output).values())
    for unreferenced in ("notes/unreferenced.pdf", "notes/secret.txt"):
        assert (journal_root / "entries" / unreferenced).read_bytes() not in everything


def test_a_large_photo_is_shown_resized_upright_and_without_its_location(
    site: tuple[Path, list], journal_root: Path
) -> None:
    output, _ = site
    original = (journal_root / "entries" / PHOTO).stat().st_size
    preview = (output / "attachments" / f"{PHOTO}.preview.webp").read_bytes()
    assert original > 4_000_000 and len(preview) * 4 < original
    with Image.open(io.BytesIO(preview)) as image:
        assert image.format == "WEBP"
        assert image.size == (PREVIEW_WIDTH, PREVIEW_WIDTH * 4 // 3)  # 3,000 × 4,000 once upright, scaled to 1,600 wide
        assert not image.getexif()
    page = (output / "entries" / "2026-11-16-a-walk.html").read_text(encoding="utf-8")
    assert (
        f'<a class="picture" href="../attachments/{PHOTO}"><img alt="the canal" '
        f'src="../attachments/{PHOTO}.preview.webp"></a>'
    ) in page


def test_unresolved_links_missing_files_and_pasted_scripts_are_named(site: tuple[Path, list]) -> None:
    output, problems = site
    found = [(p.path, p.line, p.message) for p in problems]
    assert len(found) == len(EXPECTED["problems"]), found
    for (path, line, part), (got_path, got_line, message) in zip(EXPECTED["problems"], found):
        assert got_path.endswith(path) and got_line == line and part in message, (path, line, part, found)
    links = (output / "entries" / "2026-11-13-links-to-everything.html").read_text(encoding="utf-8")
    assert '<span class="unlinked">gone</span>' in links and '<span class="unlinked">nobody at all</span>' in links
    pasted = (output / "entries" / "2026-11-12-pasted-from-a-page.html").read_text(encoding="utf-8")
    assert "<b>Kept bold.</b>" in pasted
    for survivor in ("evil.js", "onerror", "pwned", "javascript:"):
        assert survivor not in pasted


def test_each_entry_lists_the_entries_that_mention_it(site: tuple[Path, list]) -> None:
    output, _ = site
    for page in sorted(p.relative_to(output).as_posix() for p in (output / "entries").glob("*.html")):
        html = (output / page).read_text(encoding="utf-8")
        section = html.partition('<section class="mentions"')[2].partition("</section>")[0]
        mentioned = sorted(target(page, href)[0] for _, _, href in parse(section.encode()).links) if section else []
        assert mentioned == EXPECTED["mentioned_in"].get(page, []), page


def test_obsidian_daily_notes_with_emoji_levels_and_dataview_fields_are_charted(
    journal_root: Path, site: tuple[Path, list]
) -> None:
    output, _ = site
    journal = read_journal(configure(journal_root, "unused"))
    by_source = {e.source: e for e in journal.entries}
    for source, metrics in EXPECTED["metrics"].items():
        assert by_source[source].metrics == metrics, source
    assert by_source["daily/11.11.2026.md"].day == date(2026, 11, 11)  # filename_date: %d.%m.%Y
    daily = (output / "entries" / "2026-11-10-reflection.html").read_text(encoding="utf-8")
    assert "mood::" not in daily and "energy::" not in daily  # shown as badges, not as text
    assert 'title="Mood 🙂, 7 of 10"' in daily
    # The day-by-day mood chart has a dot for each: 1 Nov 😐 (5), 10 Nov 🙂 (7), 11 Nov 😞 (2), placed on the
    # chart's own scale (read from its axis labels for 10 and 2).
    progress = (output / "progress.html").read_text(encoding="utf-8")
    chart = progress.partition('aria-labelledby="mood-day-wide"')[2].partition("</svg>")[0]
    ticks = {  # the y axis's labels: centred on their gridline, a third of the text's height below its baseline
        int(v): float(y) - 0.35 * 14
        for y, v in re.findall(r'<text class="axis" x="34" y="([\d.]+)" text-anchor="end">(\d+)</text>', chart)
    }
    per_point = (ticks[2] - ticks[10]) / 8
    dots = [float(y) for y in re.findall(r'<circle class="dot" cx="[\d.]+" cy="([\d.]+)"', chart)]
    assert dots == pytest.approx([ticks[10] + (10 - v) * per_point for v in (5, 7, 2)], abs=1.1)  # whole units


def test_a_share_holds_only_the_attachments_of_the_entries_it_holds(journal_root: Path) -> None:
    house = journal_root / "entries" / "dreams" / "2026-11-01-the-house.md"
    text = house.read_text(encoding="utf-8")
    private_root = journal_root.parent / "everything-private"
    shutil.copytree(journal_root, private_root)
    (private_root / "entries" / "dreams" / house.name).write_text(
        text.replace("type: dream", "type: dream\nprivate: true"), encoding="utf-8"
    )
    (private_root / "entries" / "2026-11-17-secret.md").write_text(
        "---\ntitle: Zyzzyva secret\ndate: 2026-11-17\nprivate: true\n---\nBack to [[The lake]].\n", encoding="utf-8"
    )
    share(configure(private_root, "share"), Scope("all"), today=TODAY)
    output = private_root / "share"
    assert b"Zyzzyva" not in b"".join(every_file(output).values())  # a private entry never shows as "Mentioned in"
    assert "attachments/drawings/house.png" not in attached(output)
    assert "attachments/_attachments/tram.png" in attached(output)
    assert not (output / "entries" / "2026-11-01-the-house.html").exists()
    lake = (output / "entries" / "2026-11-05-the-lake.html").read_text(encoding="utf-8")
    # The private entry's page is not there to link to: the shared entry's words stay, as plain text.
    assert "2026-11-01-the-house.html" not in lake and '<span class="unlinked">that house</span>' in lake
    everything = b"".join(every_file(output).values())
    assert (private_root / "entries" / "drawings" / "house.png").read_bytes() not in everything
    assert b"The cellar door was open" not in everything


def test_the_lock_seals_attachments_like_everything_else(journal_root: Path) -> None:
    config = configure(journal_root, "locked")
    build_locked(config, "correct horse battery", today=TODAY, iterations=1000)
    output = journal_root / "locked"
    assert not (output / "attachments").exists()
    everything = b"".join(every_file(output).values())
    drawing = (journal_root / "entries" / "drawings" / "house.png").read_bytes()
    assert drawing not in everything
    opened = unlock_site(output, "correct horse battery")
    assert opened["attachments/drawings/house.png"] == drawing


def test_later_builds_follow_new_mentions_changed_pictures_renames_and_removals(tmp_path: Path) -> None:
    """Links depend on other files: each later build must see what changed there, not only in the entry."""
    shutil.copytree(EVERYTHING, tmp_path, dirs_exist_ok=True)
    config = configure(tmp_path, "site")
    entries, output = tmp_path / "entries", tmp_path / "site"
    build(config, today=TODAY)
    house, lake = output / "entries" / "2026-11-01-the-house.html", output / "entries" / "2026-11-05-the-lake.html"

    (entries / "2026-11-20-again.md").write_text(
        "---\ntitle: Again\ndate: 2026-11-20\n---\nThe [[The house]] again.\n", encoding="utf-8"
    )
    build(config, today=TODAY)
    assert "2026-11-20-again.html" in house.read_text(encoding="utf-8")  # a new mention of an unchanged entry

    drawing = entries / "drawings" / "house.png"
    Image.new("RGB", (30, 20), (10, 200, 30)).save(drawing)  # the picture redrawn, no entry touched
    build(config, today=TODAY)
    assert (output / "attachments" / "drawings" / "house.png").read_bytes() == drawing.read_bytes()

    (entries / "_attachments" / "tram.png").unlink()
    report = build(config, today=TODAY)
    assert not (output / "attachments" / "_attachments" / "tram.png").exists()
    assert '<span class="unlinked">tram.png</span>' in lake.read_text(encoding="utf-8")
    assert any("[[tram.png|120]]" in p.message or "[[tram.png" in p.message for p in report.problems)

    source = entries / "dreams" / "2026-11-01-the-house.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: The house", "title: The old house"), encoding="utf-8"
    )
    build(config, today=TODAY)
    assert not house.exists()
    text = lake.read_text(encoding="utf-8")
    # [[2026-11-01-the-house#The cellar]] names the file: it follows the entry to its new page name.
    assert 'href="../entries/2026-11-01-the-old-house.html#the-cellar"' in text
    # [[The house|that house]] named the old title, which no entry has now.
    assert '<span class="unlinked">that house</span>' in text


def test_watch_shows_a_picture_as_soon_as_it_is_saved(tmp_path: Path) -> None:
    """Real watchdog: an entry shows a picture that is not there yet; saving the picture shows it."""
    session = Session(tmp_path)
    session.templates.mkdir()
    write_entry(session.entries, "2024-03-01-one.md", "2024-03-01 09:00", "One", "A drawing: ![[drawing.png]]")
    session.start()
    try:
        session.wait_text("2024-03-01-one", '<span class="unlinked">drawing.png</span>')
        picture = session.entries / "pictures" / "drawing.png"
        picture.parent.mkdir()
        Image.new("RGB", (30, 20), (200, 30, 30)).save(picture)
        session.wait_text("2024-03-01-one", 'src="../attachments/pictures/drawing.png"')
        copy = tmp_path / "output" / "attachments" / "pictures" / "drawing.png"
        session.wait(lambda: copy.is_file() and copy.read_bytes() == picture.read_bytes(), "the picture's copy")
        Image.new("RGB", (30, 20), (30, 30, 200)).save(picture)  # drawn again
        session.wait(lambda: copy.read_bytes() == picture.read_bytes(), "the redrawn picture's copy")
    finally:
        session.finish()


PIECES = st.sampled_from(
    [
        "word",
        " ",
        "\n",
        "\n\n",
        "[[a]]",
        "[[b c|shown]]",
        "[[d#Part]]",
        "[[#here]]",
        "![[p.png]]",
        "![[p.png|40]]",
        "![[s.m4a]]",
        "![[doc.pdf]]",
        "[x](y.md)",
        "[x](../up.png)",
        "[x](https://e.org/)",
        "![i](j.png)",
        "[![i](k.png)](l.pdf)",
        '<img src="m.png">',
        '<a href="n.md">n</a>',
        "`[[code]]`",
        "```\n[[fenced]]\n```",
        "[",
        "]",
        "!",
        "|",
        "#",
        "*",
        "<b>",
        "</b>",
        "- [ ] ",
        "> ",
        "[[",
        "]]",
        "[x]: ref.png",
        "[x][]",
    ]
)
CONVERTER = MarkdownConverter(BASE_MARKDOWN_EXTENSIONS)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join), st.lists(st.booleans(), min_size=1, max_size=8))
def test_every_link_becomes_an_address_or_its_words(text: str, found: list[bool]) -> None:
    """Whatever is written, each link points at its file or shows as words: no mark or wikilink address is left."""
    marked, refs = find_refs(CONVERTER.convert(text), text, 1, "folder/entry.md")
    links = [
        Resolved(f"attachments/{n}.png") if found[n % len(found)] else Resolved(None, shown="f.png")
        for n in range(len(refs))
    ]
    shown = show_links(marked, links, "../")
    assert "\x00" not in shown and WIKI_SCHEME not in shown
    assert shown.count('<span class="unlinked">') == sum(1 for link in links if link.url is None)
    for n, link in enumerate(links):
        if link.url is not None:
            assert f"../attachments/{n}.png" in shown


def test_a_single_file_share_carries_its_pictures_and_links_within_itself(journal_root: Path) -> None:
    share(configure(journal_root, "paper"), Scope("all"), today=TODAY, single=True)
    (page,) = (journal_root / "paper").glob("shared-*.html")
    html = page.read_text(encoding="utf-8")
    drawing = (journal_root / "entries" / "drawings" / "house.png").read_bytes()
    assert f'src="data:image/png;base64,{base64.b64encode(drawing).decode()}"' in html
    assert re.search(r'<img alt="the canal" src="data:image/webp;base64,[A-Za-z0-9+/=]+">', html)  # the resized photo
    assert '<a class="wikilink" href="#2026-11-01-the-house">that house</a>' in html
    assert 'id="2026-11-01-the-house"' in html
    assert not re.search(r'(?:href|src)="(?!#|data:|https?:|mailto:)', html), "a link to another file"


def test_a_title_changed_in_place_is_what_wikilinks_find_next(tmp_path: Path) -> None:
    """Under watch a save that keeps the page name changes the journal in place; the names links find by
    must follow a new title all the same."""
    from generator.store import EntryStore
    from tests.helpers import journal_config

    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "a.md", "2024-03-01", "Old name", "Text.", slug="kept")
    write_entry(config.entries_dir, "b.md", "2024-03-02", "B", "See [[New name]] and [[Old name]].")
    store = EntryStore(config)
    store.scan()
    before = {e.source: e for e in store.journal().entries}["b.md"]
    assert [link.url for link in before.links] == [None, "entries/2024-03-01-kept.html"]
    write_entry(config.entries_dir, "a.md", "2024-03-01", "New name", "Text.", slug="kept")
    assert store.update(["a.md"]) == {"a.md"}
    journal = store.journal()
    after = {e.source: e for e in journal.entries}["b.md"]
    assert [link.url for link in after.links] == ["entries/2024-03-01-kept.html", None]


def test_a_link_across_years_survives_the_year_pages(tmp_path: Path) -> None:
    """The progress pages look at one year at a time; the links of that year's entries still point at other years."""
    from tests.helpers import journal_config

    config = journal_config(tmp_path)
    write_entry(config.entries_dir, "2025-06-01-first.md", "2025-06-01", "The first dream", "A house.", type="dream")
    write_entry(
        config.entries_dir, "2026-06-01-again.md", "2026-06-01", "Again", "Like [[The first dream]].", type="dream"
    )
    build(config, today=TODAY)
    page = (config.output_dir / "entries" / "2026-06-01-again.html").read_text(encoding="utf-8")
    assert '<a class="wikilink" href="../entries/2025-06-01-the-first-dream.html">The first dream</a>' in page
    assert (config.output_dir / "progress" / "2025.html").is_file()  # the year pages were made
