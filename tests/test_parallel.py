"""A large build shares its work with worker processes; what it writes must not depend on who wrote it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator import execute, output, render, store
from generator.build import Site, build, render_site
from generator.config import load_config
from generator.store import read_journal
from tests.helpers import site_files, write_entry

TODAY = date(2024, 12, 31)
ENTRIES = 450  # more files than PARALLEL_FROM and more pages than PARALLEL_RENDER: the workers take part
_real_batch = execute._make_batch
_record: Path | None = None


def recording_batch(pages: list, extra: dict, unlisted: list, into: Path | None) -> list[bytes]:  # type: ignore[type-arg]
    """_make_batch, noting which process ran it (module level, so that the pool can send it)."""
    assert _record is not None
    with open(_record, "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {len(pages)}\n")
    return _real_batch(pages, extra, unlisted, into)


def batches_made_elsewhere() -> int:
    """How many pages the worker processes made since the record was last cleared (none may be this one's)."""
    assert _record is not None
    batches = [line.split() for line in _record.read_text(encoding="utf-8").splitlines()]
    _record.unlink()
    assert batches and str(os.getpid()) not in {pid for pid, _ in batches}  # made by other processes
    return sum(int(count) for _, count in batches)


def _journal(root: Path) -> Path:
    """Entries over two years, with the parts that could differ between processes: footnotes (ids made
    unique per page), shared tags, metrics, sessions, private and flagged entries, non-ASCII words."""
    entries = root / "entries"
    for i in range(ENTRIES):
        day = date(2023, 1, 1).toordinal() + i * 730 // ENTRIES
        when = date.fromordinal(day)
        body = (
            f"Entry {i} about the *week*.[^n]\n\n> Quoted line {i % 7}.\n\n- one\n- two\n\n"
            f"Café talk, naïve hope — {i}.\n\n[^n]: A note on entry {i}.\n"
        )
        write_entry(
            entries,
            f"{when:%Y}/{when:%Y-%m-%d}-e{i}.md",
            f"{when} {7 + i % 14:02d}:{i % 60:02d}",
            f"Entry {i}" if i % 11 else "Same title",
            body,
            mood=str(1 + i % 10),
            tags=f"[t{i % 9}, Théo {i % 3}]",
            type="session" if i % 7 == 0 else "reflection",
            discuss="true" if i % 13 == 0 else "false",
            private="true" if i % 17 == 0 else "false",
        )
    (root / "journal.yaml").write_text(
        "title: Many\nmetrics:\n  mood: {label: Mood, min: 1, max: 10}\n", encoding="utf-8"
    )
    return entries


def test_a_build_shared_with_workers_equals_one_rendered_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    global _record
    entries = _journal(tmp_path)
    _record = tmp_path / "batches.txt"
    monkeypatch.setattr(execute, "_make_batch", recording_batch)
    config = load_config(entries, tmp_path / "shared", config_path=tmp_path / "journal.yaml")
    assert build(config, TODAY).problems == []
    shards = 4 + 1  # one search shard per half-year (2023 and 2024) and their manifest
    # Entry pages and shards only (this process takes back batches no worker has started, if any).
    assert 0 < batches_made_elsewhere() <= ENTRIES + shards

    journal = read_journal(config)
    own = {"live": True}  # the site's own pages (a share's and the lock's leave live refresh out)
    in_memory = render_site(journal, TODAY, own)  # as shares and the lock make it: with the workers too
    assert 0 < batches_made_elsewhere() <= ENTRIES + shards
    monkeypatch.setattr(execute, "PARALLEL_RENDER", 10**9)
    alone = render_site(journal, TODAY, own)  # every page made here
    assert not _record.exists()
    files = site_files(tmp_path / "shared")
    assert files.pop("static/live.js") and "live-stamp.js" not in files  # the site's own script; no stamp without watch
    assert files == alone == in_memory

    # The cache, written while the workers rendered, serves the next build: only the edited entry is read.
    write_entry(entries, "2023/2023-01-01-e0.md", "2023-01-01 07:00", "Entry 0", "Edited.")
    assert build(config, TODAY).changed == {"2023/2023-01-01-e0.md"}


_real_made = render.ItemCache.made


def recording_made(self: render.ItemCache, entry: object) -> tuple[tuple[str, str], bytes]:
    """ItemCache.made, noting which process made which entry's item or row."""
    assert _record is not None
    made = _real_made(self, entry)  # type: ignore[arg-type]
    with open(_record, "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {self.template} {made[0][0]}\n")
    return made


def test_each_list_item_is_made_once_by_the_workers_as_they_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    global _record
    entries = _journal(tmp_path)
    _record = tmp_path / "items.txt"
    monkeypatch.setattr(render.ItemCache, "made", recording_made)
    config = load_config(entries, tmp_path / "out", config_path=tmp_path / "journal.yaml")
    assert build(config, TODAY).problems == []
    made = [line.split() for line in _record.read_text(encoding="utf-8").splitlines()]
    # One item and one row per entry, never two of either: the pages listing them reuse what the workers made.
    assert sorted((template, key) for _, template, key in made) == sorted(
        (template, page.stem)
        for page in (tmp_path / "out" / "entries").glob("*.html")
        for template in ("_item.html", "_row.html")
    )
    assert len(made) == 2 * ENTRIES
    assert str(os.getpid()) not in {pid for pid, _, _ in made}


def test_the_templates_are_compiled_before_the_workers_start_or_while_they_read(tmp_path: Path) -> None:
    """The templates of an entry's page and list items are compiled once, before the workers are forked (which
    then share them); the others while the workers read the entries, as this process would only wait for them."""
    config = load_config(_journal(tmp_path), tmp_path / "out", config_path=tmp_path / "journal.yaml")
    site = Site(config, today=TODAY, large=True)
    try:
        compiled_before = {name for _, name in site.env.cache or {}}
        site.read()
        compiled_after = {name for _, name in site.env.cache or {}}
        templates = set(site.env.list_templates(filter_func=lambda name: name.endswith(".html")))
        assert {"entry.html", "_item.html", "_row.html", "base.html"} <= compiled_before < templates
        assert compiled_after >= templates
    finally:
        site.close()


def test_the_workers_write_the_pages_they_make_into_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's pages do not travel back to its process to be written: each worker writes what it makes (with
    output.write_file, into the staging folder), and the site is the same as one made in one process."""
    global _record
    entries = _journal(tmp_path)
    _record = tmp_path / "writes.txt"
    real = output.write_file

    def recording_write(path: Path, data: bytes) -> None:
        assert _record is not None
        with open(_record, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {path.parent.name}/{path.name}\n")
        real(path, data)

    monkeypatch.setattr(output, "write_file", recording_write)
    config = load_config(entries, tmp_path / "out", config_path=tmp_path / "journal.yaml")
    assert build(config, TODAY).problems == []
    writes = [line.split() for line in _record.read_text(encoding="utf-8").splitlines()]
    by_workers = {name for pid, name in writes if pid != str(os.getpid())}
    assert len(by_workers) > ENTRIES // 2 and all(name.startswith(("entries/", "search/")) for name in by_workers)
    assert len(writes) == len({name for _, name in writes})  # each file written once
    monkeypatch.setattr(execute, "PARALLEL_RENDER", 10**9)
    alone = render_site(read_journal(config), TODAY, {"live": True})
    files = site_files(tmp_path / "out")
    files.pop("static/live.js")
    assert files == alone


def test_the_workers_share_what_this_process_made_for_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No worker makes its own Markdown converter or Jinja environment (loading extensions, compiling
    templates): it uses the ones made before it was forked."""
    global _record
    entries = _journal(tmp_path)
    _record = tmp_path / "made.txt"

    def recording(real):  # type: ignore[no-untyped-def]
        def made(*args):  # type: ignore[no-untyped-def]
            assert _record is not None
            with open(_record, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {real.__name__}\n")
            return real(*args)

        return made

    monkeypatch.setattr(execute, "make_environment", recording(execute.make_environment))
    monkeypatch.setattr(store, "_converter", recording(store._converter))
    config = load_config(entries, tmp_path / "out", config_path=tmp_path / "journal.yaml")
    assert build(config, TODAY).problems == []
    made = [line.split() for line in _record.read_text(encoding="utf-8").splitlines()]
    assert made == [[str(os.getpid()), "_converter"]]  # once, here, for the workers


def test_a_page_made_here_lets_go_of_its_context(tmp_path: Path) -> None:
    """The plan holds every page to the end of the build; a context made when its page was made (an entry's whole
    text, a year's charts) is let go once the page is, and made again if it is asked for."""
    config = load_config(_journal(tmp_path), tmp_path / "out", config_path=tmp_path / "journal.yaml")
    journal = read_journal(config)
    site = Site(config, today=TODAY)
    try:
        plan = site.plan(journal, output.MemoryWriter())
        lazy = [job for job in plan.jobs if job.page is not None and job.page.lazy is not None][:40]
        made = {job.path: data for job, data in execute.Executor(config).run(site.env, lazy, {}, share=False)}
        assert len(made) == len(lazy) and all(made.values())
        assert all(job.page.context == {} and job.page.lazy is not None for job in lazy)  # type: ignore[union-attr]
        again = execute.make(site.env, lazy[0].page, {})  # type: ignore[arg-type]
        assert again == made[lazy[0].path]
    finally:
        site.close()
