"""Execute: make the stale files of a plan, in this process or in the worker processes (generator.workers), and
hand their bytes to the write step; a worker making a build's pages writes them into its staging folder itself,
with output.write_file (the only writing here, and output.py's)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import jinja2

from generator import output
from generator.config import Config
from generator.output import Unwritten
from generator.render import (
    PORTABLE_TEMPLATES,
    compile_templates,
    list_items,
    listed_already,
    make_environment,
    render,
    take_items,
)
from generator.views import DataFile, Job, Page
from generator.workers import Workers, local, young_garbage

PARALLEL_RENDER = 400  # below this many pages, sharing them with worker processes costs more than it saves


def make(env: jinja2.Environment, page: Page, extra: Mapping[str, object]) -> bytes:
    """A page's bytes: rendered from its template, or made by its own function (a search file, an attachment)."""
    if isinstance(page, DataFile):
        return page.make()
    return render(env, page, extra).encode("utf-8")


def for_pages(env: jinja2.Environment) -> dict[str, Any]:
    """What the workers need to make pages, made here before they are forked: the environment, with the templates
    of an entry's page and list items compiled (each worker would compile them again)."""
    compile_templates(env, PORTABLE_TEMPLATES)
    return {"jinja": env}


def _make_batch(
    pages: list[Page], extra: Mapping[str, object], unlisted: list[Page], into: Path | None
) -> tuple[list[bytes | None], list[tuple[Any, ...]]]:
    """In a worker: make some pages with the worker's own Jinja environment, and the list items of the entries of
    `unlisted` (those of `pages` whose items the build's process does not have yet). With `into` (a build's
    staging folder), each page is written there and None handed back in its place: the build's process records
    it, and the pages' bytes do not travel between processes."""
    env = local("jinja", make_environment)
    made: list[bytes | None] = []
    for page in pages:
        data = make(env, page, extra)
        if into is None:
            made.append(data)
            continue
        try:
            output.write_file(into / page.path, data)
        except OSError as error:
            raise Unwritten(error.errno, error.strerror, error.filename) from None
        made.append(None)
    young_garbage()
    return made, list_items(env, unlisted)


class Execution:
    """The making of a plan's stale jobs, iterated as (job, bytes) while it goes on.

    With workers, the pages made from a few entries each (an entry's page, a search file) go to them in
    batches with the entries they show (pickled), while this process makes the pages that show many entries
    (with the list items the workers made as they read the entries, or beside an entry's page), then takes back
    the batches no worker has started. The workers' results are handed on as they come in, so few wait in memory."""

    def __init__(
        self,
        env: jinja2.Environment,
        jobs: list[Job],
        extra: Mapping[str, object],
        workers: Workers | None,
        into: Path | None = None,
    ):
        self.env, self.extra, self.into = env, extra, into
        self.futures: dict[concurrent.futures.Future[tuple[list[bytes | None], list[Any]]], list[Job]] = {}
        self.own = [job for job in jobs if job.page is None or workers is None or not job.page.portable]
        if workers is not None:
            self._send(workers, [job for job in jobs if job.page is not None and job.page.portable])

    def _send(self, workers: Workers, jobs: list[Job]) -> None:
        """Batches of consecutive entry pages (an entry's neighbours travel once per batch), each half-year's search
        file first in the first batch of its pages (its entries travel once), other files on their own."""
        pool = workers.pool()
        shards = {job.path: job for job in jobs if isinstance(job.page, DataFile)}
        single = [job for job in jobs if not isinstance(job.page, DataFile)]
        size = max(20, min(250, len(single) // (workers.size * 8) + 1))
        batches: list[list[Job]] = []
        for job in single:
            assert job.page is not None
            shard = job.page.batch
            if not batches or len(batches[-1]) >= size or batches[-1][-1].page.batch != shard:  # type: ignore[union-attr]
                batches.append([shards.pop(shard)] if shard in shards else [])
            batches[-1].append(job)
        with_shard = [batch for batch in batches if isinstance(batch[0].page, DataFile)]
        without = [batch for batch in batches if not isinstance(batch[0].page, DataFile)]
        for batch in [*with_shard, *([job] for job in shards.values()), *without]:  # the longest first
            pages = cast("list[Page]", [job.page for job in batch])
            unlisted = [page for page in pages if not listed_already(self.env, page)]
            future = pool.submit(_make_batch, pages, self.extra, unlisted, self.into)
            self.futures[future] = batch

    def __iter__(self) -> Iterator[tuple[Job, bytes | None]]:
        try:
            for job in self.own:
                yield job, job.data if job.page is None else self._made(job.page)
                yield from self._done()
            for future in reversed(list(self.futures)):  # last first, so that everyone finishes together
                if future.cancel():
                    for job in self.futures.pop(future):
                        yield job, self._made(job.page)  # type: ignore[arg-type]
            for future in concurrent.futures.as_completed(list(self.futures)):
                yield from self._results(future)
        finally:
            for future in self.futures:  # given up (an error): drop what no worker has started
                future.cancel()
            concurrent.futures.wait(self.futures)

    def _made(self, page: Page) -> bytes:
        """A page made here; its context let go once it is (the plan holds the page to the end of the build)."""
        data = make(self.env, page, self.extra)
        page.release()
        return data

    def _done(self) -> Iterator[tuple[Job, bytes | None]]:
        """The workers' batches finished so far."""
        for future in [f for f in self.futures if f.done() and not f.cancelled()]:
            yield from self._results(future)

    def _results(
        self, future: concurrent.futures.Future[tuple[list[bytes | None], list[Any]]]
    ) -> Iterator[tuple[Job, bytes | None]]:
        """A worker's batch of files (None: written into `into` already); the list items it made are kept for the
        pages that list their entries."""
        made, items = future.result()
        take_items(self.env, items)
        return zip(self.futures.pop(future), made)


class Executor:
    """Makes what a plan says is stale, sharing large amounts of work with worker processes."""

    def __init__(self, config: Config, large: bool = False, prepare: Callable[[], dict[str, Any]] | None = None):
        self.workers = Workers(config, prepare)
        if large:
            # Start the workers now, before the cache is loaded: a worker forked from a large process ends up
            # with a copy of it, as the parent writes to the memory they shared (reference counts, the allocator).
            self.workers.start()

    def run(
        self,
        env: jinja2.Environment,
        jobs: list[Job],
        extra: Mapping[str, object],
        share: bool = True,
        into: Path | None = None,
    ) -> Execution:
        """Start making `jobs`; iterate the result for their bytes (None: a worker wrote the file into `into`, the
        writer's direct() folder). `share`: workers may help (they do when they are running already, having read
        many files, or when there are enough pages to be worth sending)."""
        helped = share and self.workers.useful and (self.workers.running or len(jobs) >= PARALLEL_RENDER)
        return Execution(env, jobs, extra, self.workers if helped else None, into)

    def close(self) -> None:
        """Stop the worker processes, if any were started; a later read or run starts them again."""
        self.workers.close()
