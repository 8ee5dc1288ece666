"""What a share may carry, and what no output may hold, when a journal is written the way Obsidian invites:
a picture named by its file name alone, comments between %%, pictures from the web, folders made under any
umask."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.comments import without_comments
from generator.lock import build_locked, unlock_site
from generator.share import Scope, share
from tests.helpers import write_entry
from tests.privacy_support import PASSPHRASE, TEST_ITERATIONS, TODAY, configure, every_file

SECRET_PHOTO = b"\x89PNG secret bytes of the photo kept in trauma"
PUBLIC_PHOTO = b"\x89PNG the beach photo everyone may see"


def photo(path: Path, data: bytes) -> None:
    """A picture file (its bytes are only ever compared, never decoded)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def journal_with_private_folder(root: Path, public_body: str) -> None:
    """entries/trauma/ holds a private entry and the photo it shows; entries/public/ an entry to discuss."""
    entries = root / "entries"
    photo(entries / "trauma" / "IMG_0001.png", SECRET_PHOTO)
    write_entry(
        entries, "trauma/2024-03-02-night.md", "2024-03-02 23:00", "The night", "![[IMG_0001.png]]", private="true"
    )
    write_entry(entries, "public/2024-03-04-beach.md", "2024-03-04 10:00", "Beach", public_body, discuss="true")
    (root / "journal.yaml").write_text("title: Leaks\n", encoding="utf-8")


def every_kind_of_share(root: Path) -> Iterator[Path]:
    """The journal shared as a folder of everything, as the agenda, and as one file to send."""
    for name, scope, single in (("all", "all", False), ("agenda", "agenda", False), ("paper", "agenda", True)):
        share(configure(root, name), Scope(scope), today=TODAY, single=single, own_site=root / "site")
        yield root / name


def held_anywhere(folder: Path, *needles: bytes) -> list[str]:
    """The files under folder whose name or bytes hold any of the needles."""
    found = []
    for rel, data in every_file(folder).items():
        if any(n in data or n in rel.encode() for n in needles):
            found.append(rel)
    return found


def test_a_markdown_picture_is_taken_from_its_entrys_own_folder_only(tmp_path: Path) -> None:
    journal_with_private_folder(tmp_path, "Sand.\n\n![beach](IMG_0001.png)")
    report = build(configure(tmp_path, "site"), today=TODAY)
    # The body starts on line 6 of the file (four front-matter lines between the two ---), the picture on line 8.
    assert [(Path(p.path), p.line) for p in report.problems] == [(tmp_path / "entries/public/2024-03-04-beach.md", 8)]
    message = report.problems[0].message
    assert "not found in public/" in message and "![[IMG_0001.png]]" in message
    page = (tmp_path / "site" / "entries" / "2024-03-04-beach.html").read_text(encoding="utf-8")
    assert '<span class="unlinked">beach</span>' in page and "IMG_0001" not in page
    for folder in every_kind_of_share(tmp_path):
        assert held_anywhere(folder, SECRET_PHOTO, b"trauma", b"IMG_0001") == [], folder.name


def test_a_wiki_embed_by_name_never_brings_a_file_from_a_folder_of_an_entry_a_share_leaves_out(
    tmp_path: Path,
) -> None:
    journal_with_private_folder(tmp_path, "Sand.\n\n![[IMG_0001.png]]")
    build(configure(tmp_path, "site"), today=TODAY)
    # In the person's own site the name finds the one file of that name, wherever it is.
    page = (tmp_path / "site" / "entries" / "2024-03-04-beach.html").read_text(encoding="utf-8")
    assert "attachments/trauma/IMG_0001.png" in page
    for folder in every_kind_of_share(tmp_path):
        assert held_anywhere(folder, SECRET_PHOTO, b"trauma") == [], folder.name


def test_a_share_holds_a_file_of_such_a_folder_when_a_shared_entry_names_its_exact_path(tmp_path: Path) -> None:
    journal_with_private_folder(tmp_path, "Sand.\n\n![[trauma/IMG_0001.png]] and ![again](../trauma/IMG_0001.png)")
    build(configure(tmp_path, "site"), today=TODAY)
    for folder in every_kind_of_share(tmp_path):
        if folder.name == "paper":  # one file: the picture is in it as data
            assert b"data:image/png;base64," in (folder / "shared-2024-03-20.html").read_bytes()
        else:
            assert (folder / "attachments" / "trauma" / "IMG_0001.png").read_bytes() == SECRET_PHOTO


def test_a_file_in_a_folder_holding_no_left_out_entry_is_found_by_name_in_a_share(tmp_path: Path) -> None:
    journal_with_private_folder(tmp_path, "Sand.\n\n![[beach.png]]")
    photo(tmp_path / "entries" / "attachments" / "beach.png", PUBLIC_PHOTO)
    build(configure(tmp_path, "site"), today=TODAY)
    for folder in every_kind_of_share(tmp_path):
        if folder.name != "paper":
            assert (folder / "attachments" / "attachments" / "beach.png").read_bytes() == PUBLIC_PHOTO
        assert held_anywhere(folder, SECRET_PHOTO, b"trauma") == [], folder.name


def test_of_files_sharing_a_name_the_nearest_wins_and_the_clash_is_said_once(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    for rel in ("x.png", "a/x.png", "a/b/x.png", "c/x.png", "a/b/c/d/x.png"):
        photo(entries / rel, rel.encode())
    write_entry(entries, "a/b/c/2024-03-01-deep.md", "2024-03-01 10:00", "Deep", "One.\n\n![[x.png]]")
    write_entry(entries, "a/b/c/2024-03-02-again.md", "2024-03-02 10:00", "Again", "![[X.png]]")
    write_entry(entries, "c/2024-03-03-own.md", "2024-03-03 10:00", "Own", "![[x.png]]")
    write_entry(entries, "2024-03-04-top.md", "2024-03-04 10:00", "Top", "![[x.png]]")
    write_entry(entries, "a/2024-03-05-up.md", "2024-03-05 10:00", "Up", "![[x.png]]")
    write_entry(entries, "e/f/2024-03-06-aside.md", "2024-03-06 10:00", "Aside", "![[x.png]]")
    (tmp_path / "journal.yaml").write_text("title: Names\n", encoding="utf-8")
    report = build(configure(tmp_path, "site"), today=TODAY)
    site = tmp_path / "site" / "entries"
    # Nearest by hand: a/b/c/ has no x.png, the closest folder up holding one is a/b/; c/ and a/ and the top
    # folder hold their own (found as a path from the entry's folder); e/f/ has none above it but the top one.
    expected = {
        "2024-03-01-deep": "a/b/x.png",
        "2024-03-02-again": "a/b/x.png",
        "2024-03-03-own": "c/x.png",
        "2024-03-04-top": "x.png",
        "2024-03-05-up": "a/x.png",
        "2024-03-06-aside": "x.png",
    }
    for page, rel in expected.items():
        html = (site / f"{page}.html").read_text(encoding="utf-8")
        assert re.findall(r'src="\.\./attachments/([^"]+)"', html) == [rel], page
    clashes = [p for p in report.problems if "files have this name" in p.message]
    assert len(clashes) == 1, [p.show() for p in report.problems]
    clash = clashes[0]
    # Reported at the first use: four front-matter lines, then "One.", a blank line and the picture: line 7.
    assert Path(clash.path) == tmp_path / "entries/a/b/c/2024-03-01-deep.md" and clash.line == 7
    assert "5 files have this name" in clash.message and "the nearest, a/b/x.png" in clash.message
    for rel in ("x.png", "a/x.png", "a/b/x.png", "c/x.png", "a/b/c/d/x.png"):
        assert re.search(rf"(?<![\w/]){re.escape(rel)}", clash.message), rel


def test_a_missing_file_is_reported_at_the_line_of_its_link_not_where_its_name_first_appears(
    tmp_path: Path,
) -> None:
    body = "I meant to add sketch.png here.\n\nLater.\n\n![my sketch](sketch.png)"
    write_entry(tmp_path / "entries", "2024-03-01-sketch.md", "2024-03-01 10:00", "Sketch", body)
    (tmp_path / "journal.yaml").write_text("title: Lines\n", encoding="utf-8")
    report = build(configure(tmp_path, "site"), today=TODAY)
    # Front matter is lines 1–4, the body starts on line 5: the link is on its fifth line, line 9.
    assert [(p.line, "sketch.png not found" in p.message) for p in report.problems] == [(9, True)]


# ---- Obsidian's %% comments are hidden everywhere ----------------------------------------------------------

COMMENTED = """Visible words. %% don't tell her about the pills %% And after.

%%
The whole block is hidden: the pharmacy receipt.
mood:: 1
%%

- a list item %% with a hidden aside %% shown
- `code keeps %%percent signs%%` and so does this:

```text
%% a comment in code stays: literally printed %%
```

Last visible line. %% never closed: the rest is hidden
lithium #secretclinic
"""
COMMENT_WORDS = [
    b"pills",
    b"pharmacy",
    b"receipt",
    b"hidden aside",
    b"never closed",
    b"lithium",
    b"secretclinic",
    b"mood:: 1",
]


def test_comments_are_in_no_page_excerpt_search_index_share_or_lock(tmp_path: Path) -> None:
    write_entry(
        tmp_path / "entries", "2024-03-04-notes.md", "2024-03-04 10:00", "Notes", COMMENTED, discuss="true", mood="6"
    )
    (tmp_path / "journal.yaml").write_text("title: Comments\n", encoding="utf-8")
    report = build(configure(tmp_path, "site"), today=TODAY)
    assert report.problems == []
    shares = list(every_kind_of_share(tmp_path))
    build_locked(configure(tmp_path, "locked"), PASSPHRASE, today=TODAY, iterations=TEST_ITERATIONS)
    outputs = {"site": every_file(tmp_path / "site"), "locked": unlock_site(tmp_path / "locked", PASSPHRASE)}
    outputs.update({folder.name: every_file(folder) for folder in shares})
    for name, files in outputs.items():
        assert any(b"Visible words." in data and b"And after." in data for data in files.values()), name
        assert any(b"Last visible line." in data for data in files.values()), name
        for rel, data in files.items():
            assert [word for word in COMMENT_WORDS if word in data] == [], (name, rel)
    page = (tmp_path / "site" / "entries" / "2024-03-04-notes.html").read_text(encoding="utf-8")
    assert "<code>code keeps %%percent signs%%</code>" in page
    assert "%% a comment in code stays: literally printed %%" in page
    assert "<li>a list item  shown</li>" in page
    assert "secretclinic" not in (tmp_path / "site" / "tags.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a %% b %% c", "a  c"),
        ("a %%b%% c %%d%% e", "a  c  e"),
        ("one\n%%\ntwo\n%%\nthree", "one\n\n\n\nthree"),
        ("open %% rest\nand more", "open \n"),
        ("`%% kept %%` then %% gone %%.", "`%% kept %%` then ."),
        ("``a ` %% b`` %%c%%", "``a ` %% b`` "),
        ("`unclosed %% gone %% tick", "`unclosed  tick"),
        ("```\n%% code %%\n```\n%% text %%", "```\n%% code %%\n```\n"),
        ("~~~~\n```\n%% still code %%\n~~~~\n%%x%%y", "~~~~\n```\n%% still code %%\n~~~~\ny"),
        ("> ```\n> %% quoted code %%\n> ```", "> ```\n> %% quoted code %%\n> ```"),
        ("- item\n    ```\n    %% listed code %%\n    ```", "- item\n    ```\n    %% listed code %%\n    ```"),
        ("100%% sure", "100"),
    ],
)
def test_what_a_comment_is(text: str, shown: str) -> None:
    assert without_comments(text) == shown


def test_line_numbers_after_a_comment_stay_those_of_the_file(tmp_path: Path) -> None:
    body = "%%\none\ntwo\n%%\n\n![gone](missing.png)"
    write_entry(tmp_path / "entries", "2024-03-01-lines.md", "2024-03-01 10:00", "Lines", body)
    (tmp_path / "journal.yaml").write_text("title: Lines\n", encoding="utf-8")
    report = build(configure(tmp_path, "site"), today=TODAY)
    # Four front-matter lines, then the four comment lines (5–8), a blank one (9): the picture is on line 10.
    assert [p.line for p in report.problems] == [10]


# ---- pictures and media from the web are links, never loaded ---------------------------------------------

FROM_THE_WEB = """A cat: ![a cat](https://pictures.example/cat.png)

<img src="https://pictures.example/pasted.jpg" alt="pasted in">

[![a linked picture](https://pictures.example/in-a-link.png)](https://pictures.example/page.html)

<video controls src="http://media.example/clip.mp4">the clip</video>

<audio controls><source src="https://media.example/song.mp3" type="audio/mpeg">the song</audio>

![no words](//cdn.example/p.gif)

<p style="color: red">Red words.</p>
"""
_LOADED = re.compile(
    r'<(?:img|audio|video|source|track|iframe|embed|object)\b[^>]*\s(?:src|poster|srcset|data)="([^"]*)"', re.I
)


def test_a_picture_or_media_from_the_web_is_a_link_never_loaded_and_reported(tmp_path: Path) -> None:
    write_entry(tmp_path / "entries", "2024-03-04-web.md", "2024-03-04 10:00", "Web", FROM_THE_WEB, discuss="true")
    (tmp_path / "journal.yaml").write_text("title: Web\n", encoding="utf-8")
    report = build(configure(tmp_path, "site"), today=TODAY)
    shares = list(every_kind_of_share(tmp_path))
    for folder in [tmp_path / "site", *shares]:
        for rel, data in every_file(folder).items():
            if rel.endswith(".html"):
                loads = [src for src in _LOADED.findall(data.decode("utf-8")) if not src.startswith("data:")]
                assert [src for src in loads if re.match(r"[a-z][a-z0-9+.-]+:|//", src, re.I)] == [], (folder, rel)
    page = (tmp_path / "site" / "entries" / "2024-03-04-web.html").read_text(encoding="utf-8")
    for url, words in [
        ("https://pictures.example/cat.png", "a cat"),
        ("https://pictures.example/pasted.jpg", "pasted in"),
        ("http://media.example/clip.mp4", "the clip"),
        ("https://media.example/song.mp3", "the song"),
        ("//cdn.example/p.gif", "no words"),
    ]:
        assert f'<a class="remote" href="{url}">{words}</a>' in page, url
    # A picture that was a link already keeps that link and shows its words inside it.
    assert '<a href="https://pictures.example/page.html"><span class="remote">a linked picture</span></a>' in page
    single = (tmp_path / "paper" / "shared-2024-03-20.html").read_text(encoding="utf-8")
    assert "a cat" in single and "https://pictures.example/cat.png" in single
    # Front matter is lines 1–5; each address is reported once, at the line it is written on (counted by hand).
    web = sorted((p.line, p.message.split(" ", 1)[0]) for p in report.problems if "on the web" in p.message)
    assert web == [
        (6, "https://pictures.example/cat.png"),
        (8, "https://pictures.example/pasted.jpg"),
        (10, "https://pictures.example/in-a-link.png"),
        (12, "http://media.example/clip.mp4"),
        (14, "https://media.example/song.mp3"),
        (16, "//cdn.example/p.gif"),
    ]
    styled = [p for p in report.problems if 'style="…"' in p.message]
    assert [p.line for p in styled] == [18] and "<p>Red words.</p>" in page


# ---- every folder Interlude makes is its owner's only, whatever the umask ---------------------------------


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=["umask-022", "umask-002", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_every_folder_and_file_made_is_the_owners_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    entries = tmp_path / "entries"
    photo(entries / "pictures" / "trips" / "2024" / "sea.png", PUBLIC_PHOTO)
    write_entry(
        entries, "2024-03-04-sea.md", "2024-03-04 10:00", "Sea", "![sea](pictures/trips/2024/sea.png)", discuss="true"
    )
    (tmp_path / "journal.yaml").write_text("title: Modes\n", encoding="utf-8")
    build(configure(tmp_path, "site"), today=TODAY)
    build(configure(tmp_path, "site"), today=TODAY, cache=False)  # a second build, over the first
    list(every_kind_of_share(tmp_path))
    build_locked(configure(tmp_path, "locked"), PASSPHRASE, today=TODAY, iterations=TEST_ITERATIONS)
    made = [tmp_path / name for name in ("site", "all", "agenda", "paper", "locked")]
    assert (tmp_path / "site" / "attachments" / "pictures" / "trips" / "2024" / "sea.png").is_file()
    for folder in made:
        for path in [folder, *folder.rglob("*")]:
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
