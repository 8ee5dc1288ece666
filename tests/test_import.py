"""`interlude import dayone | jrnl | daylio`: exports made here, in each app's documented format (no real
person's data), imported into a fresh journal, imported again, and built."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.importers import import_journal
from generator.importers.dayone import unescape
from generator.store import read_journal
from tests.privacy_support import every_file

TODAY = datetime(2026, 12, 3).date()


def photo(colour: tuple[int, int, int], gps: bool = True) -> bytes:
    """A small JPEG as a phone writes one: turned (orientation 6), with the place it was taken."""
    exif = Image.Exif()
    exif[0x0112] = 6
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


PHOTO_A, PHOTO_B = photo((200, 40, 40)), photo((40, 40, 200))
MD5_A, MD5_B = "0cc175b9c0f1b6a831c399e269772661", "92eb5ffee6ae2fec3ad71c777531578f"
MD5_AUDIO, MD5_PDF = "4a8a08f09d37b73795649038408b5f33", "8277e0910d750195b448797616e091ad"
AUDIO, PDF = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00", b"%PDF-1.4\n% a stand-in\n%%EOF\n"
BERLIN_LOCATION = {
    "placeName": "Kastanienallee 12",
    "localityName": "Berlin",
    "country": "Germany",
    "latitude": 52.5388,
    "longitude": 13.4102,
}


def dayone_entry(uuid: str, created: str, zone: str, text: str, **more: object) -> dict[str, object]:
    return {"uuid": uuid, "creationDate": created, "timeZone": zone, "text": text, "starred": False, **more}


DAYONE_JOURNAL = {
    "metadata": {"version": "1.0"},
    "entries": [
        # 01:30 in Berlin on either side of the change to summer time (29 March 2026: UTC+1 before, UTC+2 after).
        dayone_entry(
            "A1",
            "2026-03-28T00:30:00Z",
            "Europe/Berlin",
            "# Before the clocks went forward\nNight thoughts\\.",
            tags=["sleep", "late night"],
            starred=True,
            location=BERLIN_LOCATION,
            weather={"conditionsDescription": "Clear", "temperatureCelsius": 4},
        ),
        dayone_entry(
            "A2",
            "2026-03-29T23:30:00Z",
            "Europe/Berlin",
            "After the change\n\n1\\. not a list\nA real backslash: C:\\\\Users and \\\\\\. end\\.\n"
            "\\- not a list either\nMid\\-line \\(fine\\) \\*kept\\* \\!\n\n![](dayone-moment://PH1)\n\n"
            "See [the night before](dayone2://view?entryId=A1).",
            photos=[{"identifier": "PH1", "md5": MD5_A, "type": "jpeg", "location": BERLIN_LOCATION}],
        ),
        # Tokyo, where it was already the next day.
        dayone_entry(
            "A3",
            "2026-04-02T16:15:00Z",
            "Asia/Tokyo",
            "Tokyo morning, two photos\n\n![](dayone-moment://PH2)\n![](dayone-moment://PH3)",
            photos=[
                {"identifier": "PH2", "md5": MD5_B, "type": "jpeg"},
                {"identifier": "PH3", "md5": "ffff", "type": "jpeg"},
            ],
        ),
        dayone_entry(
            "A6",
            "2026-04-04T18:00:00Z",
            "Europe/London",
            "A voice memo\n\n![](dayone-moment:/audio/AU1)\n\nAnd the plan: ![](dayone-moment:/pdfAttachment/PD1)",
            audios=[{"identifier": "AU1", "md5": MD5_AUDIO, "type": "m4a"}],
            pdfAttachments=[{"identifier": "PD1", "md5": MD5_PDF, "type": "pdf"}],
        ),
        {"creationDate": "2026-04-03T10:00:00Z", "text": "no uuid"},  # malformed: skipped
        dayone_entry("A5", "not a date", "Europe/Berlin", "bad date"),  # malformed: skipped
    ],
}
WORK_JOURNAL = {
    "metadata": {"version": "1.0"},
    "entries": [
        dayone_entry("B1", "2026-04-05T07:00:00Z", "America/New_York", "A work note\n\nBefore the meeting."),
    ],
}


def dayone_zip(path: Path) -> Path:
    """A Day One export as it writes one: a journal .json per journal and photos/<md5>.<type>."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", json.dumps(DAYONE_JOURNAL))
        archive.writestr("Work.json", json.dumps(WORK_JOURNAL))
        archive.writestr(f"photos/{MD5_A}.jpeg", PHOTO_A)
        archive.writestr(f"Photos/{MD5_B}.jpeg", PHOTO_B)
        archive.writestr(f"audios/{MD5_AUDIO}.m4a", AUDIO)
        archive.writestr(f"pdfs/{MD5_PDF}.pdf", PDF)
    return path


def fresh(tmp_path: Path) -> Path:
    entries = tmp_path / "entries"
    entries.mkdir()
    return entries


def entries_by_origin(entries: Path) -> dict[str, object]:
    config = load_config(entries, entries.parent / "unused")
    return {e.extra["imported"]: e for e in read_journal(config).entries}


def test_day_one_times_titles_tags_photos_links_and_stars(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    report = import_journal("dayone", dayone_zip(tmp_path / "export.zip"), entries)
    assert len(report.written) == 5 and report.photos == 2 and report.files == 2
    assert [s.where for s in report.skipped] == ["Journal.json entry 5", "Journal.json entry 6"]
    assert [(w.where, w.message) for w in report.warnings] == [
        (
            "Journal.json entry 3 (2026-04/2026-04-03-tokyo-morning-two-photos.md)",
            "photo PH3 is not in the export; the entry says so where it was",
        )
    ]
    found = entries_by_origin(entries)
    before, after, tokyo, work = (found[f"dayone:{u}"] for u in ("A1", "A2", "A3", "B1"))
    assert (before.date, after.date) == (datetime(2026, 3, 28, 1, 30), datetime(2026, 3, 30, 1, 30))
    assert tokyo.date == datetime(2026, 4, 3, 1, 15) and work.date == datetime(2026, 4, 5, 3, 0)
    assert before.title == "Before the clocks went forward" and after.title == "After the change"
    assert [t.name for t in before.tags] == ["sleep", "late night", "Journal"]  # two journals: each is a tag
    assert [t.name for t in work.tags] == ["Work"]
    assert before.starred and not after.starred
    text = (entries / after.source).read_text(encoding="utf-8")
    assert "1\\. not a list" in text and "\\- not a list either" in text  # kept: they would become Markdown
    assert "Mid-line (fine) \\*kept\\* !" in text
    assert "C:\\Users and \\\\. end." in text  # the person's own backslashes stay
    assert "[the night before](2026-03-28-before-the-clocks-went-forward.md)" in text
    assert "(photo not in the export)" in (entries / tokyo.source).read_text(encoding="utf-8")
    photos = sorted(p.name for p in entries.rglob("*.jpeg"))
    assert photos == [f"2026-03-30-{MD5_A[:8]}.jpeg", f"2026-04-03-{MD5_B[:8]}.jpeg"]
    memo = (entries / found["dayone:A6"].source).read_text(encoding="utf-8")
    assert f"![](2026-04-04-{MD5_AUDIO[:8]}.m4a)" in memo and f"[PDF](2026-04-04-{MD5_PDF[:8]}.pdf)" in memo
    assert (entries / "2026-04" / f"2026-04-04-{MD5_AUDIO[:8]}.m4a").read_bytes() == AUDIO


def test_unescaping_keeps_what_would_become_markdown() -> None:
    assert unescape("Hello\\. Yes\\!") == "Hello. Yes!"
    assert (
        unescape("\\# not a heading\n\\> not a quote\n2\\) not a list")
        == "\\# not a heading\n\\> not a quote\n2\\) not a list"
    )
    assert unescape("\\!\\[not a picture\\]") == "!\\[not a picture\\]"  # an escaped [ starts no picture
    assert unescape("```\ncode\\.\n```") == "```\ncode\\.\n```"
    assert unescape("a \\\\ b, \\\\* c") == "a \\ b, \\\\* c"


def test_day_one_leaves_no_place_anywhere_unless_asked(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    import_journal("dayone", dayone_zip(tmp_path / "export.zip"), entries)
    everything = b"".join(every_file(entries).values())
    for word in (b"Berlin", b"Kastanienallee", b"52.53", b"13.41", b"Clear"):
        assert word not in everything
    for path in entries.rglob("*.jpeg"):
        image = Image.open(path)
        assert image.getexif().get_ifd(0x8825) == {}  # no GPS
        assert image.getexif()[0x0112] == 6  # still upright
    with_place = tmp_path / "located"
    with_place.mkdir()
    import_journal("dayone", tmp_path / "export.zip", with_place, with_location=True)
    text = b"".join(p.read_bytes() for p in with_place.rglob("*.md"))
    assert b"place: Kastanienallee 12, Berlin, Germany" in text
    assert any(Image.open(p).getexif().get_ifd(0x8825) for p in with_place.rglob("*.jpeg"))


def test_an_unzipped_export_with_its_folder_imports_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "unzipped" / "Export"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(dayone_zip(tmp_path / "export.zip")) as archive:
        archive.extractall(folder)
    zipped, unzipped = tmp_path / "a" / "entries", tmp_path / "b" / "entries"
    zipped.mkdir(parents=True)
    unzipped.mkdir(parents=True)
    import_journal("dayone", tmp_path / "export.zip", zipped)
    import_journal("dayone", tmp_path / "unzipped", unzipped)
    assert every_file(zipped) == every_file(unzipped)


JRNL_TEXT = """[2026-03-05 09:30] Called in sick. Used the time to clean the house. @home
[2026-03-05 21:40] Evening with @Marta and #family *
We talked about the summer.

Then about @work.
[2026-03-06 07:05:00 AM] The new default time form
Written with jrnl's current default.
[2026-13-45 10:00] A month that does not exist
This line goes with the bad entry.
[2026-03-07 10:00:00 PM] Late
Mail me at someone@example.com about it.
"""


def test_jrnl_text_both_time_forms_titles_stars_and_tags(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    report = import_journal("jrnl", tmp_path / "journal.txt", entries)
    assert len(report.written) == 4
    assert [(s.where, s.message) for s in report.skipped] == [
        ("line 8", "[2026-13-45 10:00] is a date that does not exist (there is no month 13)")
    ]
    found = sorted(entries_by_origin(entries).values(), key=lambda e: e.date)
    assert [e.date for e in found] == [
        datetime(2026, 3, 5, 9, 30),
        datetime(2026, 3, 5, 21, 40),
        datetime(2026, 3, 6, 7, 5),
        datetime(2026, 3, 7, 22, 0),
    ]
    sick, evening, _default, late = found
    assert sick.title == "Called in sick." and "Used the time to clean the house." in sick.text
    assert evening.title == "Evening with @Marta and #family" and evening.starred and not sick.starred
    assert sorted(t.name for t in evening.tags) == ["family", "marta", "work"]
    assert [t.name for t in sick.tags] == ["home"]
    assert late.tags == ()  # an e-mail address is not a tag
    assert "A month that does not exist" not in "".join(p.read_text(encoding="utf-8") for p in entries.rglob("*.md"))


def test_jrnl_with_its_own_time_format_and_its_json_export(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "journal.txt").write_text("[05.03.2026 21:40] Another setting\nText.\n", encoding="utf-8")
    assert len(import_journal("jrnl", tmp_path / "journal.txt", entries, timeformat="%d.%m.%Y %H:%M").written) == 1
    export = {
        "tags": {"@work": 1},
        "entries": [
            {
                "title": "From the export",
                "body": "Body text.",
                "date": "2026-03-08",
                "time": "18:20",
                "tags": ["@work"],
                "starred": True,
            },
            {"title": "No date"},
        ],
    }
    (tmp_path / "journal.json").write_text(json.dumps(export), encoding="utf-8")
    report = import_journal("jrnl", tmp_path / "journal.json", entries)
    assert len(report.written) == 1 and [(s.where, s.message) for s in report.skipped] == [("entry 2", "has no date")]
    entry = next(e for e in entries_by_origin(entries).values() if e.title == "From the export")
    assert entry.date == datetime(2026, 3, 8, 18, 20) and entry.starred and [t.name for t in entry.tags] == ["work"]


DAYLIO_CSV = """full_date,date,weekday,time,mood,activities,note_title,note
2026-03-09,March 9,Monday,9:10 pm,good,work | friends | long walk,A good evening,"Saw <b>Priya</b>.<br>Walked home.&amp; slept"
2026-03-09,March 9,Monday,08:05,meh,,,
2026-03-08,March 8,Sunday,10:04 AM,sleepy,family,,
2026-03-07,March 7,Saturday,25:99,awful,,,
2026-03-06,March 6,Friday,7:00 am,rad,,,
"""
DAYLIO_OLDER = """full_date,date,weekday,time,mood,activities,note
2026-02-01,February 1,Sunday,20:00,bad,sleep,"<i>Tired</i>"
"""


def test_daylio_moods_times_activities_and_notes(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "daylio.csv").write_text(DAYLIO_CSV, encoding="utf-8")
    report = import_journal("daylio", tmp_path / "daylio.csv", entries)
    assert len(report.written) == 4 and [s.where for s in report.skipped] == ["line 5"]
    assert len(report.notes) == 1 and "'sleepy' (1 check-in)" in report.notes[0] and '"sleepy": N' in report.notes[0]
    found = sorted(entries_by_origin(entries).values(), key=lambda e: e.date)
    assert [e.date for e in found] == [
        datetime(2026, 3, 6, 7, 0),
        datetime(2026, 3, 8, 10, 4),
        datetime(2026, 3, 9, 8, 5),
        datetime(2026, 3, 9, 21, 10),
    ]
    # rad 9, a renamed mood (no value: reported, left out), meh 5, good 7: Daylio's words on the 1–10 scale.
    assert [e.metrics.get("mood") for e in found] == [9.0, None, 5.0, 7.0]
    evening = found[-1]
    assert evening.title == "A good evening" and [t.name for t in evening.tags] == ["work", "friends", "long walk"]
    assert "Saw **Priya**.\nWalked home.& slept" in (entries / evening.source).read_text(encoding="utf-8")
    (tmp_path / "older.csv").write_text(DAYLIO_OLDER, encoding="utf-8")
    older = import_journal("daylio", tmp_path / "older.csv", entries)
    assert len(older.written) == 1 and not older.skipped
    assert "*Tired*" in (entries / older.written[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "source, name, content",
    [
        ("dayone", "export.zip", dayone_zip),
        ("jrnl", "journal.txt", JRNL_TEXT),
        ("daylio", "daylio.csv", DAYLIO_CSV),
    ],
)
def test_a_second_import_adds_nothing_and_changes_nothing(
    tmp_path: Path, source: str, name: str, content: object
) -> None:
    entries = fresh(tmp_path)
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_text(str(content), encoding="utf-8")
    first = import_journal(source, path, entries)
    before = {rel: (data, (entries / rel).stat().st_mtime_ns) for rel, data in every_file(entries).items()}
    second = import_journal(source, path, entries)
    assert second.written == [] and second.already == len(first.written) > 0
    assert {rel: (data, (entries / rel).stat().st_mtime_ns) for rel, data in every_file(entries).items()} == before


def test_a_clash_gets_a_new_name_and_the_existing_file_is_untouched(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    mine = entries / "2026-03" / "2026-03-05-called-in-sick.md"
    mine.parent.mkdir()
    mine.write_text("---\ntitle: Mine\ndate: 2026-03-05\n---\nMy own file.\n", encoding="utf-8")
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    report = import_journal("jrnl", tmp_path / "journal.txt", entries)
    assert "2026-03/2026-03-05-called-in-sick-2.md" in report.written
    assert mine.read_text(encoding="utf-8") == "---\ntitle: Mine\ndate: 2026-03-05\n---\nMy own file.\n"


def test_dry_run_writes_nothing_and_says_what_it_would(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    code = main(["import", "jrnl", str(tmp_path / "journal.txt"), "--entries", str(entries), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 1 and list(entries.iterdir()) == []
    assert out.count("would write ") == 4 and "Would import 4 entries and 0 photos" in out
    assert "nothing was written" in out and "line 8: [2026-13-45 10:00] is a date that does not exist" in err


def test_the_command_reports_counts_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "daylio.csv").write_text(
        DAYLIO_CSV.replace("2026-03-07,March 7,Saturday,25:99,awful,,,\n", ""), encoding="utf-8"
    )
    assert main(["import", "daylio", str(tmp_path / "daylio.csv"), "--entries", str(entries)]) == 0
    assert "Imported 4 entries and 0 photos into" in capsys.readouterr().out
    assert main(["import", "daylio", str(tmp_path / "daylio.csv"), "--entries", str(entries)]) == 0
    assert "Nothing new: all 4 entries" in capsys.readouterr().out
    (tmp_path / "not.csv").write_text("name,age\nx,1\n", encoding="utf-8")
    assert main(["import", "daylio", str(tmp_path / "not.csv"), "--entries", str(entries)]) == 2
    assert "is not Daylio's CSV export" in capsys.readouterr().err
    assert main(["import", "dayone", str(tmp_path / "not.csv"), "--entries", str(entries)]) == 2
    assert main(["import", "jrnl", str(tmp_path / "missing.txt"), "--entries", str(entries)]) == 2


def test_imported_journals_build_with_no_problems_and_every_photo_showing(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    import_journal("dayone", dayone_zip(tmp_path / "export.zip"), entries)
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    import_journal("jrnl", tmp_path / "journal.txt", entries)
    (tmp_path / "daylio.csv").write_text(DAYLIO_CSV.replace("sleepy", "bad"), encoding="utf-8")
    import_journal("daylio", tmp_path / "daylio.csv", entries)
    report = build(load_config(entries, tmp_path / "output"), today=TODAY)
    assert report.problems == [] and report.entries == 5 + 4 + 4
    output = tmp_path / "output"
    pictures = re.findall(
        r'<img alt="[^"]*" src="\.\./(attachments/[^"]+)"',
        "".join(p.read_text(encoding="utf-8") for p in (output / "entries").glob("*.html")),
    )
    assert len(pictures) == 2 and all((output / p).is_file() for p in pictures)
    memo = (output / "entries" / "2026-04-04-a-voice-memo.html").read_text(encoding="utf-8")
    assert f'<audio controls src="../attachments/2026-04/2026-04-04-{MD5_AUDIO[:8]}.m4a">' in memo
    assert f'<a href="../attachments/2026-04/2026-04-04-{MD5_PDF[:8]}.pdf">PDF</a>' in memo
    assert (output / "attachments" / "2026-04" / f"2026-04-04-{MD5_PDF[:8]}.pdf").read_bytes() == PDF
    timeline = (output / "index.html").read_text(encoding="utf-8")
    assert timeline.count("flag-starred") == 2  # Day One's star and jrnl's


def test_an_import_never_changes_what_is_already_in_the_entries_folder(tmp_path: Path) -> None:
    """Over the sample journal: every file that was there is there afterwards, byte for byte, untouched."""
    import shutil

    entries = tmp_path / "entries"
    shutil.copytree(Path(__file__).resolve().parent.parent / "entries", entries)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in entries.rglob("*") if p.is_file()}
    import_journal("dayone", dayone_zip(tmp_path / "export.zip"), entries)
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    import_journal("jrnl", tmp_path / "journal.txt", entries)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before}
    assert after == before
    assert not list(entries.rglob(".interlude-import-*"))  # no temporary file left behind


def test_an_entry_whose_photo_cannot_be_read_is_skipped_whole(tmp_path: Path) -> None:
    """A photo damaged in the .zip (its checksum fails): that entry is skipped, nothing of it written."""
    entries = fresh(tmp_path)
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(
            "Journal.json",
            json.dumps(
                {
                    "entries": [
                        dayone_entry(
                            "C1",
                            "2026-05-01T10:00:00Z",
                            "UTC",
                            "A photo\n\n![](dayone-moment://P1)",
                            photos=[{"identifier": "P1", "md5": MD5_A, "type": "jpeg"}],
                        ),
                        dayone_entry("C2", "2026-05-02T10:00:00Z", "UTC", "No photo"),
                    ]
                }
            ),
        )
        archive.writestr(f"photos/{MD5_A}.jpeg", PHOTO_A)
    data = bytearray(export.read_bytes())
    at = data.find(PHOTO_A[200:220])
    data[at] ^= 0xFF  # one byte of the stored photo changed: its CRC no longer matches
    export.write_bytes(bytes(data))
    report = import_journal("dayone", export, entries)
    assert [s.where for s in report.skipped] == ["dayone:C1"] and "cannot be read" in report.skipped[0].message
    assert report.written == ["2026-05/2026-05-02-no-photo.md"]
    assert sorted(p.name for p in entries.rglob("*") if p.is_file()) == ["2026-05-02-no-photo.md"]


def one_journal_zip(path: Path, records: list[dict[str, object]], files: dict[str, bytes] | None = None) -> Path:
    """A Day One export of one journal holding these records, and these files beside it."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", json.dumps({"metadata": {"version": "1.0"}, "entries": records}))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def test_a_day_one_entry_that_opens_with_a_photo_keeps_it_and_takes_its_title_from_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Day One's usual layout: the photo, a blank line, then the text."""
    entries = fresh(tmp_path)
    export = one_journal_zip(
        tmp_path / "export.zip",
        [
            dayone_entry(
                "P1",
                "2026-05-01T10:00:00Z",
                "UTC",
                "![](dayone-moment://PA)\n\nAt the lake\nCold water\\.",
                photos=[{"identifier": "PA", "md5": MD5_A, "type": "jpeg"}],
            ),
            dayone_entry(
                "P2",
                "2026-05-02T18:30:00Z",
                "UTC",
                "![](dayone-moment://PB)",
                photos=[{"identifier": "PB", "md5": MD5_B, "type": "jpeg"}],
            ),
        ],
        {f"photos/{MD5_A}.jpeg": PHOTO_A, f"photos/{MD5_B}.jpeg": PHOTO_B},
    )
    assert main(["import", "dayone", str(export), "--entries", str(entries)]) == 0
    assert "Imported 2 entries and 2 photos" in capsys.readouterr().out
    lake = (entries / "2026-05" / "2026-05-01-at-the-lake.md").read_text(encoding="utf-8")
    assert "title: At the lake\n" in lake and lake.endswith(f"---\n![](2026-05-01-{MD5_A[:8]}.jpeg)\n\nCold water.\n")
    found = entries_by_origin(entries)
    assert found["dayone:P2"].title == "2 May 2026"  # only a photo: the date is its title
    assert found["dayone:P2"].source == "2026-05/2026-05-02-18-30.md"
    assert sorted(p.name for p in entries.rglob("*.jpeg")) == [
        f"2026-05-01-{MD5_A[:8]}.jpeg",
        f"2026-05-02-{MD5_B[:8]}.jpeg",
    ]


def test_an_entry_with_a_very_long_heading_is_imported_once_with_a_short_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = fresh(tmp_path)
    heading = "A day I want to remember. " + "And then more happened, " * 187  # 26 + 187 × 24 = 4,514 characters
    export = one_journal_zip(
        tmp_path / "export.zip", [dayone_entry("H1", "2026-05-03T09:00:00Z", "UTC", f"# {heading}\nThe rest\\.")]
    )
    assert main(["import", "dayone", str(export), "--entries", str(entries)]) == 0
    assert "Imported 1 entry and 0 photos" in capsys.readouterr().out
    assert main(["import", "dayone", str(export), "--entries", str(entries)]) == 0
    assert "Nothing new: the one entry" in capsys.readouterr().out
    [entry] = entries_by_origin(entries).values()
    assert entry.title == "A day I want to remember."
    assert entry.source == "2026-05/2026-05-03-a-day-i-want-to-remember.md"
    assert heading.strip() in entry.text and "The rest." in entry.text  # the text keeps the whole heading


def test_an_origin_is_found_wherever_it_is_in_the_front_matter(tmp_path: Path) -> None:
    """A person added a long summary above `imported:`: the entry is still known as imported."""
    entries = fresh(tmp_path)
    (tmp_path / "journal.txt").write_text("[2026-03-05 21:40] Evening\nText.\n", encoding="utf-8")
    [written] = import_journal("jrnl", tmp_path / "journal.txt", entries).written
    path = entries / written
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nsummary: " + "x" * 9000 + "\n", 1))
    again = import_journal("jrnl", tmp_path / "journal.txt", entries)
    assert again.written == [] and again.already == 1


DAYLIO_FIVE = """full_date,date,weekday,time,mood,activities,note_title,note
2026-03-05,March 5,Thursday,21:00,rad,,,
2026-03-04,March 4,Wednesday,21:00,good,,,
2026-03-03,March 3,Tuesday,21:00,meh,,,
2026-03-02,March 2,Monday,21:00,bad,,,
2026-03-01,March 1,Sunday,21:00,awful,,,
"""


@pytest.mark.parametrize(
    "mood, expected",
    [
        # Daylio's five moods spread over the declared range, awful at its bottom and rad at its top.
        ("{min: 1, max: 5, better: higher}", [1.0, 2.0, 3.0, 4.0, 5.0]),
        ("{min: 0, max: 10, better: higher}", [0.0, 2.5, 5.0, 7.5, 10.0]),
        ("{min: 1, max: 10, better: higher}", [1.0, 3.0, 5.0, 7.0, 9.0]),  # the built-in range: as it was
        # Levels of its own: only those count (Daylio's words are left out and reported).
        ('{min: 1, max: 5, better: higher, levels: {"meh": 2, "good": 5}}', [None, None, 2.0, 5.0, None]),
    ],
)
def test_daylio_moods_count_on_the_mood_scale_journal_yaml_declares(
    tmp_path: Path, mood: str, expected: list[float | None]
) -> None:
    entries = fresh(tmp_path)
    settings = tmp_path / "journal.yaml"
    settings.write_text(f"metrics:\n  mood: {mood}\n", encoding="utf-8")
    (tmp_path / "daylio.csv").write_text(DAYLIO_FIVE, encoding="utf-8")
    assert len(import_journal("daylio", tmp_path / "daylio.csv", entries).written) == 5
    journal = read_journal(load_config(entries, tmp_path / "unused", config_path=settings))
    found = sorted(journal.entries, key=lambda e: e.date)  # awful, bad, meh, good, rad
    assert [e.metrics.get("mood") for e in found] == expected


def test_jrnl_says_when_a_date_does_not_exist(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    (tmp_path / "journal.txt").write_text(
        "[2024-02-30 10:00:00 AM] Thirtieth of February\nText.\n"
        "[2026-13-45 10:00] Month thirteen\n"
        "[2024-02-29 10:00:00 AM] A leap day\nText.\n"
        "[2024-02-29 25:00] Hour twenty-five\n",
        encoding="utf-8",
    )
    report = import_journal("jrnl", tmp_path / "journal.txt", entries)
    assert len(report.written) == 1
    assert [(s.where, s.message) for s in report.skipped] == [
        ("line 1", "[2024-02-30 10:00:00 AM] is a date that does not exist (February 2024 has 29 days)"),
        ("line 3", "[2026-13-45 10:00] is a date that does not exist (there is no month 13)"),
        ("line 6", "[2024-02-29 25:00] is not a time in the form '%Y-%m-%d %H:%M' (give --timeformat for another)"),
    ]
    (tmp_path / "own.txt").write_text("[30.02.2024 10:00] Another setting\n", encoding="utf-8")
    [own] = import_journal("jrnl", tmp_path / "own.txt", entries, timeformat="%d.%m.%Y %H:%M").skipped
    assert own.message == "[30.02.2024 10:00] is a date that does not exist (its month has fewer days)"


def test_jrnl_json_entries_without_a_date_or_with_one_that_does_not_exist_say_so(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    records = [
        {"title": "No date", "body": ""},
        {"title": "Leap", "date": "2025-02-29", "time": "10:00"},
        {"title": "Odd time", "date": "2025-03-01", "time": "lunch"},
        {"title": "Fine", "date": "2025-03-01", "time": "12:30"},
    ]
    (tmp_path / "journal.json").write_text(json.dumps({"entries": records}), encoding="utf-8")
    report = import_journal("jrnl", tmp_path / "journal.json", entries)
    assert len(report.written) == 1
    assert [(s.where, s.message) for s in report.skipped] == [
        ("entry 1", "has no date"),
        ("entry 2", "date '2025-02-29' does not exist (February 2025 has 28 days)"),
        ("entry 3", "time 'lunch' is not a time like 21:40"),
    ]


def test_entries_given_as_a_file_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("mine\n", encoding="utf-8")
    notes = tmp_path / "notes.md"
    for entries, problem in (
        (notes, f"--entries {notes} is a file; give the folder that holds your entries, or a new folder's name"),
        (notes / "entries", f"--entries {notes / 'entries'} is inside {notes}, which is a file; give a folder"),
    ):
        for dry_run in ([], ["--dry-run"]):
            assert main(["import", "jrnl", str(tmp_path / "journal.txt"), "--entries", str(entries), *dry_run]) == 2
            assert capsys.readouterr().err == f"interlude: {problem}\n"
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_a_dry_run_makes_no_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "journal.txt").write_text(JRNL_TEXT, encoding="utf-8")
    entries = tmp_path / "journal" / "entries"
    assert main(["import", "jrnl", str(tmp_path / "journal.txt"), "--entries", str(entries), "--dry-run"]) == 1
    assert "Would import 4 entries" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.txt"]


def test_bare_day_one_entry_links_become_links_to_the_imported_entry_or_words(tmp_path: Path) -> None:
    entries = fresh(tmp_path)
    export = one_journal_zip(
        tmp_path / "export.zip",
        [
            dayone_entry("L1", "2026-06-01T08:00:00Z", "UTC", "The lake\n\nCold."),
            dayone_entry(
                "L3",
                "2026-06-02T08:00:00Z",
                "UTC",
                "Looking back\n\nSee dayone://view?entryId=L1 and <dayone2://view?entryId=L1>, "
                "[dayone://view?entryId=L1](dayone://view?entryId=L1), then dayone://view?entryId=L2\\.",
            ),
        ],
    )
    import_journal("dayone", export, entries)
    text = (entries / "2026-06" / "2026-06-02-looking-back.md").read_text(encoding="utf-8")
    lake = "[The lake](2026-06-01-the-lake.md)"
    assert text.endswith(f"See {lake} and {lake}, {lake}, then (an entry that was not imported).\n")
    assert "interlude-origin" not in text and "dayone" not in text.split("imported:")[1].split("\n", 1)[1]


def test_a_photo_missing_from_a_day_one_export_is_a_warning_naming_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = fresh(tmp_path)
    export = one_journal_zip(
        tmp_path / "export.zip",
        [
            dayone_entry(
                "M1",
                "2026-07-01T08:00:00Z",
                "UTC",
                "At the market\n\n![](dayone-moment://PA)\n![](dayone-moment://PX)",
                photos=[
                    {"identifier": "PA", "md5": MD5_A, "type": "jpeg"},
                    {"identifier": "PX", "md5": "ffff", "type": "jpeg"},
                ],
            ),
        ],
        {f"photos/{MD5_A}.jpeg": PHOTO_A},
    )
    assert main(["import", "dayone", str(export), "--entries", str(entries)]) == 1
    out, err = capsys.readouterr()
    assert err == (
        f"{export}: Journal.json entry 1 (2026-07/2026-07-01-at-the-market.md): photo PX is not in the export; "
        "the entry says so where it was\n"
    )
    assert "Imported 1 entry and 1 photo into" in out and "1 warning (listed above)" in out
    text = (entries / "2026-07" / "2026-07-01-at-the-market.md").read_text(encoding="utf-8")
    assert text.endswith(f"![](2026-07-01-{MD5_A[:8]}.jpeg)\n*(photo not in the export)*\n")
    assert main(["import", "dayone", str(export), "--entries", str(entries)]) == 0  # already in: nothing to say


# --- an import stopped or killed halfway ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
# An import that the kernel kills while it writes a file larger than 32 KB (Python ignores SIGXFSZ; this child
# takes its default back, so it dies at once, as with SIGKILL, and no `finally` runs).
KILLED_ON_A_LARGE_FILE = """
import resource, signal, sys
from generator.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))
sys.exit(main(sys.argv[1:]))
"""


def leftovers(entries: Path) -> list[str]:
    """The temporary files of an import under the entries folder."""
    return sorted(p.name for p in entries.rglob(".interlude-import-*"))


def photos_and_entries_agree(entries: Path) -> None:
    """Every photo beside the entries is shown by one, and every photo an entry shows is there."""
    shown = {
        (path.parent / name).relative_to(entries).as_posix()
        for path in entries.rglob("*.md")
        for name in re.findall(r"!\[\]\(([^)]+\.jpeg)\)", path.read_text(encoding="utf-8"))
    }
    assert {p.relative_to(entries).as_posix() for p in entries.rglob("*.jpeg")} == shown


@pytest.mark.parametrize("again", ["the same export", "an export without that entry"])
def test_an_import_killed_between_a_photo_and_its_entry_is_set_right_by_the_next(tmp_path: Path, again: str) -> None:
    entries = tmp_path / "entries"
    first = dayone_entry(
        "K1",
        "2026-08-01T08:00:00Z",
        "UTC",
        "Small\n\n![](dayone-moment://PA)",
        photos=[{"identifier": "PA", "md5": MD5_A}],
    )
    large = dayone_entry(
        "K2",
        "2026-08-02T08:00:00Z",
        "UTC",
        "Large\n\n![](dayone-moment://PB)\n\n" + "A long day. " * 4000,  # 48 KB: the kernel stops the import here
        photos=[{"identifier": "PB", "md5": MD5_B}],
    )
    files = {f"photos/{MD5_A}.jpeg": PHOTO_A, f"photos/{MD5_B}.jpeg": PHOTO_B}
    export = one_journal_zip(tmp_path / "export.zip", [first, large], files)
    command = ["import", "dayone", str(export), "--entries", str(entries)]
    killed = subprocess.run([sys.executable, "-c", KILLED_ON_A_LARGE_FILE, *command], env=CHILD_ENV, timeout=60)
    assert killed.returncode == -signal.SIGXFSZ
    month = entries / "2026-08"
    # Killed in the worst place: the large entry's photo is in, the entry is not (a part of it is, hidden).
    assert sorted(p.name for p in month.iterdir() if not p.name.startswith(".")) == [
        f"2026-08-01-{MD5_A[:8]}.jpeg",
        "2026-08-01-small.md",
        f"2026-08-02-{MD5_B[:8]}.jpeg",
    ]
    assert len(leftovers(entries)) == 2  # the part of the entry, and the note of the photo made for it
    (month / ".interlude-import-k3j_9x0a").write_bytes(b"half a photo")  # what an earlier version left
    if again == "the same export":
        assert main(command) == 0
        assert sorted(p.name for p in month.iterdir()) == [
            f"2026-08-01-{MD5_A[:8]}.jpeg",
            "2026-08-01-small.md",
            f"2026-08-02-{MD5_B[:8]}.jpeg",  # made again under its own name, not beside itself as …-2.jpeg
            "2026-08-02-large.md",
        ]
    else:
        one_journal_zip(tmp_path / "export.zip", [first], files)
        assert main(command) == 0
        assert sorted(p.name for p in month.iterdir()) == [f"2026-08-01-{MD5_A[:8]}.jpeg", "2026-08-01-small.md"]
    assert leftovers(entries) == []
    photos_and_entries_agree(entries)


def test_an_orphan_photo_is_never_taken_away_if_it_is_not_the_one_the_import_made(tmp_path: Path) -> None:
    """The person put their own picture where the killed import's photo was: it stays."""
    entries = tmp_path / "entries"
    large = dayone_entry(
        "K2",
        "2026-08-02T08:00:00Z",
        "UTC",
        "Large\n\n![](dayone-moment://PB)\n\n" + "A long day. " * 4000,
        photos=[{"identifier": "PB", "md5": MD5_B}],
    )
    export = one_journal_zip(tmp_path / "export.zip", [large], {f"photos/{MD5_B}.jpeg": PHOTO_B})
    command = ["import", "dayone", str(export), "--entries", str(entries)]
    subprocess.run([sys.executable, "-c", KILLED_ON_A_LARGE_FILE, *command], env=CHILD_ENV, timeout=60)
    mine = entries / "2026-08" / f"2026-08-02-{MD5_B[:8]}.jpeg"
    mine.unlink()
    mine.write_bytes(PHOTO_A)
    one_journal_zip(tmp_path / "export.zip", [], {})
    assert main(command) == 0
    assert mine.read_bytes() == PHOTO_A and leftovers(entries) == []


def test_ctrl_c_stops_between_entries_says_how_far_and_the_same_command_finishes(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    count = 300
    md5s = [hashlib.md5(str(n).encode()).hexdigest() for n in range(count)]
    records = [
        dayone_entry(
            f"S{n}",
            f"2026-09-01T{n // 60:02d}:{n % 60:02d}:00Z",
            "UTC",
            f"Entry {n}\n\n![](dayone-moment://P{n})",
            photos=[{"identifier": f"P{n}", "md5": md5s[n]}],
        )
        for n in range(count)
    ]
    export = one_journal_zip(tmp_path / "export.zip", records, {f"photos/{md5}.jpeg": PHOTO_A for md5 in md5s})
    command = ["import", "dayone", str(export), "--entries", str(entries)]
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", *command], env=CHILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = entries / "2026-09" / "2026-09-01-entry-0.md"
    deadline = time.monotonic() + 60
    while not first.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    assert child.poll() is None, "the import ended before it could be stopped"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    came = len(list(entries.rglob("*.md")))
    assert child.returncode == 130 and 0 < came < count
    assert err.decode() == (
        f"interlude: stopped: {came} of {count} new entries came in and {came} photo{'s' if came > 1 else ''}, each whole; "
        "run the same command again to bring in the rest\n"
    )
    assert leftovers(entries) == []
    photos_and_entries_agree(entries)
    assert main(command) == 0
    assert len(list(entries.rglob("*.md"))) == len(list(entries.rglob("*.jpeg"))) == count
    photos_and_entries_agree(entries)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_what_an_import_makes_only_its_owner_may_open_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    mine = tmp_path / "mine" / "entries"
    mine.mkdir(parents=True)
    mine.chmod(0o755)
    before = os.umask(umask)
    try:
        import_journal("dayone", dayone_zip(tmp_path / "export.zip"), tmp_path / "new" / "entries")
        import_journal("dayone", tmp_path / "export.zip", mine)
    finally:
        os.umask(before)
    made = [tmp_path / "new", *(tmp_path / "new").rglob("*"), *mine.rglob("*")]
    modes = {(p.is_dir(), p.stat().st_mode & 0o777) for p in made}
    assert modes == {(True, 0o700), (False, 0o600)}
    # Each import: 2 month folders, 5 entries, 4 files beside them; the new journal's 2 folders as well.
    assert len(made) == 2 * (2 + 5 + 4) + 2
    assert mine.stat().st_mode & 0o777 == 0o755  # a folder that was there is left as it was
