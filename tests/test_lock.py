"""interlude build --lock: no plaintext in the output, the format as documented, and the site opening in
Chromium with the right passphrase only, reporting a tampered file as damaged."""

from __future__ import annotations

import base64
import json
import re
import stat
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from generator.build import build, render_site
from generator.cli import main
from generator.errors import LockError, OutputError
from generator.lock import (
    ITERATIONS,
    NONCE_BYTES,
    VERSION,
    Header,
    associated_data,
    build_locked,
    lock_files,
    unlock_site,
)
from generator.output import MARKER
from generator.render import theme_statics
from generator.sources import AUDIO_SUFFIXES, IMAGE_SUFFIXES, VIDEO_SUFFIXES
from generator.store import read_journal
from tests.privacy_support import (
    PASSPHRASE,
    PRIVATE_WORDS,
    SHARED_BY_AGENDA,
    TEST_ITERATIONS,
    TODAY,
    UNSHARED_BY_AGENDA,
    configure,
    every_file,
    journal_words,
    make_journal,
    occurrences,
)


def lock(root: Path, output: str = "locked", passphrase: str = PASSPHRASE) -> Path:
    build_locked(configure(root, output), passphrase, today=TODAY, iterations=TEST_ITERATIONS)
    return root / output


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One locked build of the privacy journal, shared by the read-only tests."""
    root = tmp_path_factory.mktemp("journal")
    make_journal(root)
    return lock(root)


def header_of(folder: Path) -> dict[str, Any]:
    shell = (folder / "index.html").read_text(encoding="utf-8")
    return json.loads(unescape(re.search(r'<meta name="interlude-lock" content="([^"]*)">', shell).group(1)))


def payload_of(folder: Path, rel: str) -> bytes:
    found = re.fullmatch(
        r'window\.interludeLocked\.add\("[0-9a-f]+","([A-Za-z0-9+/=]+)"\);\n', (folder / rel).read_text()
    )
    assert found, rel
    return base64.b64decode(found.group(1))


def test_no_word_of_the_journal_is_in_any_file(locked: Path, tmp_path: Path) -> None:
    """Every word of the journal's titles, bodies, tags, milestones, title and metric names, except the
    ones Interlude's own code holds anyway (found in a locked build of an empty journal)."""
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yaml").write_text("title: Empty\n", encoding="utf-8")
    code = b" ".join(every_file(lock(tmp_path)).values()).lower()
    words = {w for w in journal_words(min_length=4) if w.lower().encode() not in code}
    assert {*PRIVATE_WORDS, *UNSHARED_BY_AGENDA, *SHARED_BY_AGENDA, "Hortensia", "Gumption"} <= words
    assert len(words) > 45
    for rel, data in every_file(locked).items():
        checked = words
        if rel.startswith("locked/"):
            # Nothing but the call and its base64, decoded here: a word found in the raw base64 text
            # would be chance, in the decoded bytes it would be plaintext. Random bytes match a
            # six-letter word with odds of about 1e-13 per place, so shorter words are left out.
            data, checked = payload_of(locked, rel), {w for w in words if len(w) >= 6}
        assert [w for w in sorted(checked) if w.lower().encode() in data.lower()] == [], rel
    assert not (locked / ".interlude-cache").exists()


def test_only_the_shell_theme_files_and_sealed_files_are_written(locked: Path) -> None:
    files = every_file(locked)
    sealed = [rel for rel in files if rel.startswith("locked/")]
    theme = {rel for rel in theme_statics(configure(locked.parent, "locked")) if rel != "static/live.js"}
    assert {"static/style.css"} <= theme
    assert set(files) - set(sealed) == {"index.html", MARKER, "static/lock.js", *theme}
    assert all(re.fullmatch(r"locked/[0-9a-f]{32}\.js", rel) for rel in sealed)
    for path in [locked, *locked.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_the_format_is_as_documented(locked: Path) -> None:
    header = header_of(locked)
    assert header["v"] == 1 and header["kdf"] == "PBKDF2-HMAC-SHA256" and header["cipher"] == "AES-256-GCM"
    assert header["iterations"] == TEST_ITERATIONS and len(base64.b64decode(header["salt"])) == 16
    sealed = [payload_of(locked, rel) for rel in every_file(locked) if rel.startswith("locked/")]
    nonces = {item[1 : 1 + NONCE_BYTES] for item in sealed}
    assert all(item[0] == 1 for item in sealed) and len(nonces) == len(sealed)  # a fresh nonce per item


def test_production_default_is_at_least_600000_iterations() -> None:
    assert ITERATIONS >= 600_000
    header, _ = lock_files({"index.html": b"x"}, PASSPHRASE)
    assert header.iterations == ITERATIONS


def test_unlocking_gives_back_exactly_the_site(locked: Path, tmp_path: Path) -> None:
    journal = read_journal(configure(locked.parent, "locked"))
    assert unlock_site(locked, PASSPHRASE) == {
        **render_site(journal, TODAY),
        "static/lock.js": (locked / "static/lock.js").read_bytes(),
    }


def test_a_wrong_passphrase_is_refused(locked: Path) -> None:
    with pytest.raises(LockError, match="wrong passphrase"):
        unlock_site(locked, PASSPHRASE + "!")


@pytest.mark.parametrize("damage", ["flip", "truncate", "swap"])
def test_a_tampered_file_is_reported_as_damaged(tmp_path: Path, damage: str) -> None:
    make_journal(tmp_path)
    folder = lock(tmp_path)
    first, second = sorted(rel for rel in every_file(folder) if rel.startswith("locked/"))[:2]
    target = folder / first
    if damage == "flip":
        sealed = bytearray(payload_of(folder, first))
        sealed[-20] ^= 1
        item = first[len("locked/") : -3]
        target.write_text(f'window.interludeLocked.add("{item}","{base64.b64encode(bytes(sealed)).decode()}");\n')
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:60])
    else:
        other = (folder / second).read_text().replace(second[len("locked/") : -3], first[len("locked/") : -3])
        target.write_text(other)  # another item's ciphertext under this item's id
    with pytest.raises(LockError, match="damaged"):
        unlock_site(folder, PASSPHRASE)


def test_short_passphrases_are_refused(tmp_path: Path) -> None:
    make_journal(tmp_path)
    with pytest.raises(LockError, match="at least 8"):
        lock(tmp_path, passphrase="pip")
    assert not (tmp_path / "locked").exists()


def test_a_locked_site_replaces_a_plain_one_and_never_the_other_way(tmp_path: Path) -> None:
    make_journal(tmp_path)
    config = configure(tmp_path, "output")
    build(config, today=TODAY)
    assert (tmp_path / "output" / ".interlude-cache").exists()
    lock(tmp_path, "output")
    assert not (tmp_path / "output" / ".interlude-cache").exists()  # the plain build's cache is gone
    assert occurrences(tmp_path / "output", ["lighthouse", "Quokka"]) == {}
    with pytest.raises(OutputError, match="holds a locked site"):
        build(config, today=TODAY)
    assert occurrences(tmp_path / "output", ["lighthouse"]) == {}


def test_cli_build_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    make_journal(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERLUDE_PASSPHRASE", PASSPHRASE)
    assert main(["build", "--lock"]) == 1  # the production iteration count; the raw-markup entry was cleaned
    out, err = capsys.readouterr()
    assert ", locked)" in out and "2024-03-12-html.md:8: a <script> was removed" in err
    assert header_of(tmp_path / "output")["iterations"] == ITERATIONS
    monkeypatch.delenv("INTERLUDE_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["build", "--lock"]) == 2
    assert "INTERLUDE_PASSPHRASE" in capsys.readouterr().err


# In Chromium, from file://, as the person opens it.


def open_locked(browser: Any, folder: Path) -> Any:
    page = browser.new_page()
    page.goto((folder / "index.html").as_uri())
    page.wait_for_selector("#passphrase:enabled")
    return page


def unlock(page: Any, passphrase: str = PASSPHRASE) -> None:
    page.fill("#passphrase", passphrase)
    page.click("#unlock button[type=submit]")


def test_browser_opens_with_the_right_passphrase_only(browser: Any, locked: Path) -> None:
    page = open_locked(browser, locked)
    assert page.input_value("#passphrase") == "" and page.get_attribute("#passphrase", "type") == "password"
    unlock(page, "not the passphrase")
    page.wait_for_selector("#unlock-message.is-error")
    assert "does not open this journal" in page.inner_text("#unlock-message")
    assert page.locator(".site-header").count() == 0
    unlock(page)
    page.wait_for_selector(".page-timeline")
    assert "Walking by the lighthouse" in page.inner_text("main")
    assert page.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    assert page.title() == "Locked journal"  # the tab and the history never carry a title of the journal

    page.click("text=Velvet octopus dream")
    page.wait_for_selector(".page-entry h1")
    assert page.inner_text(".page-entry h1") == "Velvet octopus dream"
    assert re.fullmatch(r".*/index\.html#[0-9a-f]{32}", page.url)
    page.click("a[rel=next]")
    page.wait_for_selector("h1:text('Quokka confession')")  # the person's own site shows private entries
    page.go_back()
    page.wait_for_selector("h1:text('Velvet octopus dream')")
    page.click("nav a:text-is('Progress')")
    page.wait_for_selector(".page-progress svg.chart")

    page.fill("#site-search-input", "harmonium")  # the search index is sealed too, and opened through the lock
    page.wait_for_selector(".result-option:has-text('Velvet octopus dream')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:text('Velvet octopus dream')")
    page.click("nav a:text-is('Search')")
    page.fill("form[data-search=page] input[type=search]", "cormorants")
    page.locator(".result-title a").first.click()
    page.wait_for_selector("h1:text('Walking by the lighthouse')")
    page.close()


def test_browser_raw_html_does_not_run_in_the_locked_site(browser: Any, locked: Path) -> None:
    page = open_locked(browser, locked)
    unlock(page)
    page.wait_for_selector(".page-timeline")
    page.click("text=Raw markup")
    page.wait_for_selector("#styled")
    # Every picture has loaded or failed, so an onerror would have run (an inline script runs as it is inserted).
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    assert page.evaluate("() => [window.pwnedScript, window.pwnedImage]") == [None, None]
    assert page.evaluate("() => getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    page.close()


def test_browser_reports_a_damaged_page_and_shows_none_of_it(browser: Any, tmp_path: Path) -> None:
    make_journal(tmp_path)
    folder = lock(tmp_path)
    manifest = json.loads(_manifest(folder))
    entry = manifest["files"]["entries/2024-03-10-velvet-octopus-dream.html"]
    path = folder / "locked" / f"{entry}.js"
    path.write_text(path.read_text().replace('","', '","AAAA', 1))
    page = open_locked(browser, folder)
    unlock(page)
    page.wait_for_selector(".page-timeline")
    page.click("text=Velvet octopus dream")
    page.wait_for_selector("text=This page cannot be opened")
    assert "damaged" in page.inner_text("main") and "harmonium" not in page.content()
    page.close()
    # A damaged manifest: the right passphrase, but nothing can be shown.
    manifest_file = folder / "locked" / f"{header_of(folder)['manifest']}.js"
    manifest_file.write_text(manifest_file.read_text()[:-10] + '");\n')
    page = open_locked(browser, folder)
    unlock(page)
    page.wait_for_selector("#unlock-message.is-error")
    assert "damaged" in page.inner_text("#unlock-message")
    assert page.locator(".site-header").count() == 0
    page.close()


def _manifest(folder: Path) -> bytes:
    from generator.lock import derive_key, unseal

    header = Header.from_json(json.dumps(header_of(folder)))
    key = derive_key(PASSPHRASE, header.salt, header.iterations)
    return unseal(key, header.manifest, payload_of(folder, f"locked/{header.manifest}.js"))


def test_the_lock_serves_every_kind_of_picture_sound_and_video_an_entry_can_show_with_its_type(locked: Path) -> None:
    """A file type links.py shows in a page but lock.js does not know would reach the browser as
    application/octet-stream, and a locked site would not play or show it. lock.js is told the types, and the
    rest of the lock's rules, by the shell, from lock.py: it holds no copy that could drift."""
    shell = (locked / "index.html").read_text(encoding="utf-8")
    rules = json.loads(unescape(re.search(r'<meta name="interlude-lock-rules" content="([^"]*)">', shell).group(1)))
    assert (rules["version"], rules["nonce"], rules["tag"]) == (VERSION, NONCE_BYTES, 16)
    assert associated_data("x") == f"{rules['context']}/{rules['version']}/x".encode()
    for suffix in sorted(IMAGE_SUFFIXES | AUDIO_SUFFIXES | VIDEO_SUFFIXES):
        kind = rules["types"].get(suffix.lstrip("."), "")
        family = "image" if suffix in IMAGE_SUFFIXES else "audio" if suffix in AUDIO_SUFFIXES else "video"
        assert kind.startswith(family + "/"), (suffix, kind)
    script = (locked / "static" / "lock.js").read_text(encoding="utf-8")
    assert not re.search(r'"(image|audio|video)/|interlude-lock/|VERSION = \d', script)
