"""Small helpers shared by the tests: writing entries into a temporary journal, watching it, comparing sites."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.build import CACHE, Site
from generator.config import Config, load_config
from generator.output import MARKER, SiteWriter
from generator.watch import watch

TIMEOUT = 15.0


def write_entry(
    entries: Path, rel: str, date: str | None = None, title: str | None = None, body: str = "Text.", **meta: str
) -> Path:
    """Write one entry file with the given front-matter lines; returns its path."""
    lines = [f"title: {title}"] if title is not None else []
    lines += [f"date: {date}"] if date is not None else []
    lines += [f"{key}: {value}" for key, value in meta.items()]
    path = entries / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    front = "---\n" + "\n".join(lines) + "\n---\n" if lines else ""
    path.write_text(front + body + "\n", encoding="utf-8")
    return path


def as_ordinary_user(command: list[str]) -> list[str]:
    """A command run without root's power to ignore file permissions (as CI runs as root): under
    root, `setpriv` drops the capabilities that let it write into a folder whose mode forbids it."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]


def journal_config(root: Path) -> Config:
    """Default settings for a journal at root/entries, built into root/output."""
    (root / "entries").mkdir(parents=True, exist_ok=True)
    return load_config(root / "entries", root / "output")


class Session:
    """A watch running in a thread over a temporary journal, with its report lines."""

    def __init__(self, root: Path):
        self.root = root
        self.entries = root / "entries"
        self.templates = root / "templates"
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.heard: set[str] = set()  # every path watch has dealt with (settled on)
        self.readied = threading.Event()  # watch has readied the first save after a quick start
        self.barriers = 0

    def config(self) -> Config:
        """The session's settings: its own entries, output and (empty) templates folder."""
        return load_config(self.entries, self.root / "output", self.templates)

    def start(self) -> None:
        """Start watching and wait for the first build."""

        def run() -> None:
            try:
                watch(self.config(), report=self.lines.append, stop=self.stop, settled=self.settled)
            except BaseException as error:
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self.wait(lambda: any("Watching" in line for line in self.lines), "the first build")

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until a condition holds, failing with a description after TIMEOUT seconds."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.error is not None:
                raise self.error
            if condition():
                return
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}; watch said: {self.lines}")

    def settled(self, heard: frozenset[str]) -> None:
        """What watch says each time it has dealt with a burst of events (or readied the first save)."""
        self.heard.update(heard)
        if not heard:
            self.readied.set()

    def settle(self, folder: Path | None = None) -> None:
        """Wait until watch has dealt with everything done so far in the entries folder (or another it watches): a
        hidden file, which watch ignores, is made there; a folder's events come in order, so once watch says it
        settled on that file, every earlier event there has been rebuilt or found to change nothing."""
        self.barriers += 1
        barrier = (folder or self.entries) / f".settle-{self.barriers}"
        barrier.write_bytes(b"")
        self.wait(lambda: str(barrier) in self.heard, "watch to settle")
        barrier.unlink()

    def page(self, key: str) -> Path:
        """An entry's page in the output."""
        return self.root / "output" / "entries" / f"{key}.html"

    def wait_text(self, key: str, text: str) -> None:
        """Wait until an entry's page shows a text."""
        page = self.page(key)
        self.wait(lambda: page.is_file() and text in page.read_text(encoding="utf-8"), f"{text!r} in {page.name}")

    def rebuilds(self) -> int:
        """How many rebuilds watch has reported."""
        return sum(1 for line in self.lines if " written" in line and "Watching" not in line)

    def finish(self) -> None:
        """Stop watching; the thread must end."""
        self.stop.set()
        assert self.thread is not None
        self.thread.join(timeout=TIMEOUT)
        assert not self.thread.is_alive(), "watch did not stop"
        if self.error is not None:
            raise self.error


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site and its bytes, without the marker and the cache."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name not in (MARKER, CACHE)
    }


def fresh_live_build(config: Config, output: Path) -> dict[str, bytes]:
    """What watch's output should hold: a cold live build of the same journal into another folder."""
    fresh = load_config(config.entries_dir, output, config.templates_dir, config.config_path)
    writer = SiteWriter(fresh.output_dir, fresh.entries_dir)
    site = Site(fresh, live=True, cache=False)
    site.read()
    site.build_into(writer, set())
    return site_files(output)


def without_moves(files: dict[str, bytes]) -> dict[str, bytes]:
    """A live site's files with the stamp's list of pages that moved while watching left out (a fresh build
    has seen none move)."""
    stamp = files["live-stamp.js"]
    return {**files, "live-stamp.js": stamp[: stamp.index(b", {")]}
