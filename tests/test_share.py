"""interlude share: private entries never leave, nothing of unshared entries shows, the folder is its own."""

from __future__ import annotations

import re
import shutil
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.csp import source_hash
from generator.errors import OutputError, ShareError
from generator.folders import SHARE_MARKER
from generator.output import MARKER
from generator.share import Scope, share
from tests.privacy_support import (
    PRIVATE_WORDS,
    SHARED_BY_AGENDA,
    TODAY,
    UNSHARED_BY_AGENDA,
    configure,
    every_file,
    make_journal,
    occurrences,
)

SCOPES = {
    "agenda": (Scope("agenda"), False),
    "since": (Scope("since", date(2024, 3, 9)), False),
    "all": (Scope("all"), False),
    "single-file": (Scope("all"), True),
    "single-file-agenda": (Scope("agenda"), True),
}


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    make_journal(tmp_path)
    return tmp_path


def make_share(root: Path, name: str, output: str = "share") -> Path:
    scope, single = SCOPES[name]
    share(configure(root, output), scope, today=TODAY, single=single, own_site=root / "output")
    return root / output


@pytest.mark.parametrize("name", SCOPES)
def test_private_entries_are_in_no_byte_of_any_share(journal: Path, name: str) -> None:
    folder = make_share(journal, name)
    assert occurrences(folder, PRIVATE_WORDS) == {}
    pages = b"".join(data for rel, data in every_file(folder).items() if rel.endswith(".html"))
    assert b'class="flag flag-private"' not in pages and b" is-private" not in pages


@pytest.mark.parametrize("name", SCOPES)
def test_a_share_is_the_same_whether_or_not_private_entries_exist(
    journal: Path, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """The strongest form of "nothing of them shows": not a count, tag, average, chart point or index word."""
    without = tmp_path_factory.mktemp("without")
    make_journal(without, private=False)
    assert every_file(make_share(journal, name)) == every_file(make_share(without, name))


def test_the_default_share_is_the_agenda_and_nothing_else(journal: Path) -> None:
    folder = make_share(journal, "agenda")
    assert occurrences(folder, UNSHARED_BY_AGENDA) == {}
    assert set(occurrences(folder, SHARED_BY_AGENDA)) == set(SHARED_BY_AGENDA)
    pages = every_file(folder)
    assert [p for p in pages if p.startswith("entries/")] == ["entries/2024-03-09-walking-by-the-lighthouse.html"]
    agenda = pages["next-session.html"].decode()
    assert "1 entry marked to talk about in the next session, written on 9 March 2024." in agenda
    assert "Before the first session" not in pages["index.html"].decode()  # the sessions are there, just not shared
    assert "On this day" not in pages["index.html"].decode()


def test_since_shares_every_entry_from_the_date(journal: Path) -> None:
    pages = every_file(make_share(journal, "since"))
    assert sorted(p for p in pages if p.startswith("entries/")) == [
        "entries/2024-03-09-walking-by-the-lighthouse.html",
        "entries/2024-03-10-velvet-octopus-dream.html",
        "entries/2024-03-12-raw-markup.html",
    ]


def test_single_file_is_self_contained_with_the_agenda_first(journal: Path) -> None:
    folder = make_share(journal, "single-file")
    files = every_file(folder)
    assert sorted(files) == sorted([MARKER, SHARE_MARKER, "shared-2024-03-20.html"])
    html = files["shared-2024-03-20.html"].decode()
    assert not re.search(r"<(?:link|script)\b", html.split("</head>")[0]), "nothing loaded from another file"
    links = re.findall(r'\b(?:href|src)="([^"]*)"', html)
    assert all(link.startswith("#") or link == "nowhere.png" for link in links), links
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)  # the stylesheet inlined, and the running heads
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1))
    assert len(styles) == 2 and f"style-src {' '.join(source_hash(s) for s in styles)};" in policy  # by their hash
    assert "@top-left" in styles[1] and "shared on 20 March 2024" in styles[1]
    assert "script-src 'none';" in policy
    assert html.index('id="h-agenda"') < html.index('id="h-entries"')
    titles = re.findall(r'<h3 class="share-title">([^<]*)</h3>', html)
    assert titles == [
        "First session with Dr Quillfeather",
        "Marmalade in the kitchen",
        "Second session",
        "Walking by the lighthouse",
        "Velvet octopus dream",
        "Raw markup",
    ]  # oldest first


def test_nothing_to_share_is_an_error(tmp_path: Path) -> None:
    make_journal(tmp_path)
    with pytest.raises(ShareError, match="nothing to share"):
        share(configure(tmp_path, "share"), Scope("since", date(2030, 1, 1)), today=TODAY, own_site=tmp_path / "output")
    assert not (tmp_path / "share").exists()


def test_a_share_never_goes_into_the_own_site_folder(journal: Path) -> None:
    with pytest.raises(OutputError, match="own journal site"):
        share(configure(journal, "output"), Scope("all"), today=TODAY, own_site=journal / "output")
    build(configure(journal, "elsewhere"), today=TODAY)
    with pytest.raises(OutputError, match="not a share"):
        share(configure(journal, "elsewhere"), Scope("all"), today=TODAY, own_site=journal / "output")


def test_a_full_build_never_goes_into_a_share(journal: Path) -> None:
    make_share(journal, "agenda")
    with pytest.raises(OutputError, match="private entries too"):
        build(configure(journal, "share"), today=TODAY)
    assert occurrences(journal / "share", PRIVATE_WORDS) == {}
    make_share(journal, "all")  # a share may replace a share


def test_cli_share(journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(journal)
    assert main(["share", "--all"]) == 1  # the raw-markup entry's cleaning is reported
    out = capsys.readouterr().out
    assert "into share/; 2 private entries left out" in out
    assert main(["share", "--single-file", "--since", "2024-03-09", "--output", "paper"]) == 1
    assert len(list((journal / "paper").glob("shared-*.html"))) == 1
    assert main(["share", "--output", "output"]) == 2
    assert "needs a folder of its own" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["share", "--since", "last tuesday"])
    shutil.rmtree(journal / "share")


@pytest.mark.parametrize("value", ["ja", "private", '"True."', "2", "[true]", "", "{yes: no}", "n", "N", "nope", "~"])
def test_a_private_value_that_is_not_clearly_false_keeps_the_entry_out_of_every_share(
    journal: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (journal / "entries" / "2024-03-15-unsure.md").write_text(
        f"---\ntitle: Unsure\ndate: 2024-03-15\ndiscuss: true\nprivate: {value}\n---\nGalimatias words.\n",
        encoding="utf-8",
    )
    for name in SCOPES:
        folder = make_share(journal, name, f"share-{name}")
        assert occurrences(folder, ["Galimatias", "Unsure"]) == {}, name
    (journal / "output").mkdir(exist_ok=True)
    assert main(["share", "--all", "--entries", str(journal / "entries"), "--output", str(journal / "cli-share")]) == 1
    _, err = capsys.readouterr()
    assert "2024-03-15-unsure.md:5: private:" in err and "the entry is kept private" in err
    assert occurrences(journal / "cli-share", ["Galimatias"]) == {}


def test_the_share_counts_only_the_private_entries_it_would_have_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = tmp_path / "entries"
    entries.mkdir()
    (entries / "2024-03-01-secret.md").write_text("---\ndate: 2024-03-01\nprivate: true\n---\nOld.\n", encoding="utf-8")
    (entries / "2024-03-02-session.md").write_text(
        "---\ndate: 2024-03-02\ntype: session\n---\nTalked.\n", encoding="utf-8"
    )
    (entries / "2024-03-03-bring.md").write_text(
        "---\ndate: 2024-03-03\ndiscuss: true\n---\nBring.\n", encoding="utf-8"
    )
    (entries / "2024-03-04-quiet.md").write_text(
        "---\ndate: 2024-03-04\nprivate: true\n---\nNot marked.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["share"]) == 0  # the agenda: neither private entry was marked to discuss
    out, _ = capsys.readouterr()
    assert out.startswith("Shared 1 entry into share/. Open"), out
    assert main(["share", "--all"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Shared 2 entries into share/; 2 private entries left out."), out
    assert main(["share", "--since", "2024-03-02"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Shared 2 entries into share/; 1 private entry left out."), out


@pytest.mark.parametrize(
    "where, message",
    [
        ("output/share", "is inside your own journal site"),
        ("output/entries/share", "is inside your own journal site"),
        (".", "holds your own journal site"),
    ],
)
def test_a_share_inside_the_site_or_around_it_is_refused(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str, message: str
) -> None:
    monkeypatch.chdir(journal)
    assert main(["build"]) in (0, 1)
    before = every_file(journal)
    capsys.readouterr()
    assert main(["share", "--all", "--output", where]) == 2
    _, err = capsys.readouterr()
    assert message in err and len(err.splitlines()) == 1, err
    assert every_file(journal) == before
    assert main(["build"]) in (0, 1)  # and the site builds as before
    assert every_file(journal / "output") == {
        k[len("output/") :]: v for k, v in before.items() if k.startswith("output/")
    }


def test_a_site_inside_a_share_or_another_site_is_refused(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(journal)
    assert main(["share", "--all"]) in (0, 1)
    assert main(["build"]) in (0, 1)
    before = every_file(journal)
    capsys.readouterr()
    for where in ("share/site", "output/again"):
        assert main(["build", "--output", where]) == 2
        _, err = capsys.readouterr()
        assert "is inside another site Interlude made" in err, err
    assert every_file(journal) == before
