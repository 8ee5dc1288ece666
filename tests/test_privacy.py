"""Nothing leaves the machine: every page forbids network loads and inline code, the output is readable by
its owner only, and it names nothing of the machine it was built on."""

from __future__ import annotations

import getpass
import http.server
import re
import socket
import stat
import threading
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any, ClassVar

import pytest

from generator.build import build
from generator.lock import build_locked
from generator.share import Scope, share
from tests.helpers import write_entry
from tests.privacy_support import PASSPHRASE, TEST_ITERATIONS, TODAY, configure, every_file, make_journal

TRIVIAL_NAMES = {"", "root", "user", "admin", "localhost", "vm", "host", "ubuntu", "debian"}


def build_every_kind(root: Path) -> dict[str, Path]:
    """The journal at root built as the person's site, a share (folder and single file) and locked."""
    build(configure(root, "site"), today=TODAY)
    share(configure(root, "share"), Scope("all"), today=TODAY, own_site=root / "site")
    share(configure(root, "paper"), Scope("agenda"), today=TODAY, single=True, own_site=root / "site")
    build_locked(configure(root, "locked"), PASSPHRASE, today=TODAY, iterations=TEST_ITERATIONS)
    return {name: root / name for name in ("site", "share", "paper", "locked")}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("journal")
    make_journal(root)
    return build_every_kind(root)


def policy_of(html: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, "no Content-Security-Policy"
    return unescape(found.group(1))


def test_every_page_forbids_the_network_and_inline_code(outputs: dict[str, Path]) -> None:
    pages = 0
    for folder in outputs.values():
        for rel, data in every_file(folder).items():
            if not rel.endswith(".html"):
                continue
            html = data.decode("utf-8")
            head = html.split("</head>")[0]
            policy = policy_of(head)
            assert head.index("Content-Security-Policy") < head.index("<title>"), rel  # before anything loads
            directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
            assert directives["default-src"] == "'none'", rel
            assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'", rel
            shell = folder.name == "locked" and rel == "index.html"  # it shows what it decrypted from blob: URLs
            for name, sources in directives.items():
                allowed = shell and name in ("img-src", "media-src")
                assert not re.search(r"unsafe|https?:|\*" + ("" if allowed else "|blob:"), sources), (rel, name)
            assert '<meta name="referrer" content="no-referrer">' in head, rel
            assert '<meta name="robots" content="noindex, nofollow">' in head, rel
            pages += 1
    assert pages > 30


def test_no_inline_code_or_style_attribute_not_even_from_an_entrys_own_markup(outputs: dict[str, Path]) -> None:
    """Charts and pages use classes, and an entry's raw HTML is cleaned: no style="", no on…= handler and no
    inline script anywhere, the raw-markup entry's page included (its harmless words stay)."""
    for name in ("site", "share"):
        for rel, data in every_file(outputs[name]).items():
            if rel.endswith(".html"):
                html = data.decode("utf-8")
                assert ' style="' not in html and " onerror=" not in html, (name, rel)
                assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], (name, rel)
    raw = (outputs["site"] / "entries" / "2024-03-12-raw-markup.html").read_text(encoding="utf-8")
    # The pasted picture points at no file: it is shown as its name, without its handler.
    assert '<p id="styled">Styled words.</p>' in raw and '<span class="unlinked">nowhere.png</span>' in raw


def test_every_file_and_folder_is_the_owners_only(outputs: dict[str, Path]) -> None:
    for folder in outputs.values():
        paths = [folder, *folder.rglob("*")]
        assert any(p.is_file() and "static" in p.parts for p in paths) or folder.name == "paper"
        for path in paths:
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def machine_names(root: Path) -> list[str]:
    """What would tell whose machine built the site: folders, the user and the host, where not trivial."""
    names = [str(root), root.name, str(Path.home())]
    for lookup in (getpass.getuser, socket.gethostname, lambda: socket.getfqdn()):
        try:
            names.append(lookup())
        except (OSError, KeyError):
            pass
    return [n for n in names if n.lower() not in TRIVIAL_NAMES and len(n) > 2 and n != "/"]


def test_no_path_user_or_host_name_of_the_build_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "hortensia-private-journal"
    make_journal(root)
    write_entry(root / "entries", "2024-03-13-odd.md", "2024-03-13", "Odd flag", discuss="maybe")  # a warning
    monkeypatch.chdir(tmp_path.parent)  # the journal named by absolute paths from elsewhere
    outputs = build_every_kind(root)
    build(configure(root, "site"), today=date(2024, 3, 21))  # a second, incremental build from the cache
    names = machine_names(root)
    assert str(root) in names
    for folder in outputs.values():
        for rel, data in every_file(folder).items():
            for name in names:
                assert name.encode() not in data, (folder.name, rel, name)


# In Chromium, from file://.


class Counting(http.server.BaseHTTPRequestHandler):
    """A local web server that only counts what reaches it."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Counting.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Counting.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_browser_csp_blocks_an_entrys_script_and_every_network_load(browser: Any, tmp_path: Path, server: str) -> None:
    make_journal(tmp_path)
    write_entry(
        tmp_path / "entries",
        "2024-03-14-remote.md",
        "2024-03-14",
        "Remote things",
        f'<img src="{server}/pixel.png">\n\n<link rel="stylesheet" href="{server}/sheet.css">\n\n'
        f'<script src="{server}/tracker.js"></script>\n\n<iframe src="{server}/frame"></iframe>\n\n'
        f'<style>@import url("{server}/import.css"); body {{ background: url("{server}/bg.png"); }}</style>',
    )
    build(configure(tmp_path, "site"), today=TODAY)
    page = browser.new_page()
    asked: list[str] = []  # every address the page asked for, file:// ones too; reported before its load event
    page.on("request", lambda request: asked.append(request.url))
    for name in ("2024-03-12-raw-markup", "2024-03-14-remote-things"):
        page.goto((tmp_path / "site" / "entries" / f"{name}.html").as_uri())
        page.wait_for_load_state("load")  # every picture, sheet, script and frame has loaded or failed by now
    assert asked and all(url.startswith("file://") for url in asked), asked
    assert Counting.hits == []
    page.goto((tmp_path / "site" / "entries" / "2024-03-12-raw-markup.html").as_uri())
    page.wait_for_load_state("load")
    state = page.evaluate("""() => ({script: window.pwnedScript, image: window.pwnedImage,
        styled: getComputedStyle(document.getElementById('styled')).color,
        sheet: getComputedStyle(document.body).fontSize})""")
    assert state["script"] is None and state["image"] is None
    assert state["styled"] != "rgb(255, 0, 0)"  # style="" attributes do not apply either
    assert state["sheet"] == "18px"  # while the site's own stylesheet loads from file://
    page.close()


def test_browser_single_file_share_applies_its_inlined_stylesheet(browser: Any, outputs: dict[str, Path]) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(next(outputs["paper"].glob("shared-*.html")).as_uri())
    assert page.evaluate("() => getComputedStyle(document.body).fontSize") == "18px"
    assert not [e for e in errors if "Content Security Policy" in e and "style" in e]
    page.close()


def test_only_the_sites_own_scripts_run_not_a_file_elsewhere_on_the_disk(browser: Any, tmp_path: Path) -> None:
    """A <script src="file:///…"> pasted into an entry once ran: the policy allowed any file: URL."""
    make_journal(tmp_path)
    elsewhere = tmp_path / "downloads" / "evil.js"
    elsewhere.parent.mkdir()
    elsewhere.write_text("window.pwnedFile = 1;", encoding="utf-8")
    (tmp_path / "site-copy.js").write_text("window.pwnedSibling = 1;", encoding="utf-8")
    write_entry(tmp_path / "entries", "2024-03-14-pasted.md", "2024-03-14", "Pasted", "Text.")
    build(configure(tmp_path, "site"), today=TODAY)
    page_file = tmp_path / "site" / "entries" / "2024-03-14-pasted.html"
    html = page_file.read_text(encoding="utf-8")
    # Put the scripts into the page itself: the entry's cleaning would remove them, and this tests the policy alone.
    page_file.write_text(
        html.replace(
            "<p>Text.</p>",
            f'<p>Text.</p><script src="{elsewhere.as_uri()}"></script><script src="../../site-copy.js"></script>',
        ),
        encoding="utf-8",
    )
    directives = dict(d.strip().split(" ", 1) for d in policy_of(html).split(";"))
    assert "file:" not in directives["script-src"] and "'self'" not in directives["script-src"]
    page = browser.new_page()
    try:
        page.goto((tmp_path / "site" / "entries" / "2024-03-14-pasted.html").as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.interludeSearch !== undefined")  # the site's own scripts run
        assert page.evaluate("() => [window.pwnedFile, window.pwnedSibling]") == [None, None]
    finally:
        page.close()
