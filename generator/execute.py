"""Execute: make the stale files of a plan, in this process or in worker processes on every core, and hand their
bytes to the write step (nothing here writes). This module alone owns the processes, which never outlive the
build that started them, and the garbage collector's policy."""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

import jinja2

from generator.config import Config
from generator.render import list_items, make_environment, render, take_items
from generator.views import DataFile, Page

if TYPE_CHECKING:
    from generator.plan import Job

_PR_SET_PDEATHSIG = 1
T = TypeVar("T")

# In a worker process: the build's settings, and what was made from them once (a Markdown converter,
# a Jinja environment), so that each job does not make them again.
_config: Config | None = None
_made: dict[str, Any] = {}


def die_with_parent() -> None:
    """In a worker: have the kernel kill it when its parent dies (Linux). Without this, a build killed
    with SIGKILL leaves its workers behind, waiting for work forever or still writing into a staging folder
    that the next build is removing."""
    parent = multiprocessing.parent_process()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: nothing to ask for
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the request took effect


def _start(config: Config) -> None:
    """A worker's first step: tie its life to the build's, and leave Ctrl-C to the build itself."""
    global _config
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _config = config
    _made.clear()


def _ready() -> None:
    """A job that does nothing: it makes the pool start its processes now."""


def settings() -> Config:
    """In a worker: the settings of the build it works for."""
    assert _config is not None, "only inside a worker"
    return _config


def local(name: str, make: Callable[[Config], T]) -> T:
    """In a worker: `make(config)`, made on first use and kept for the worker's later jobs."""
    if name not in _made:
        _made[name] = make(settings())
    return _made[name]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (in worker processes forked meanwhile too).

    A build frees its objects as soon as they are unused (reference counting); cycles are few: Jinja makes
    none, Python-Markdown five small objects a document, which the workers collect now and then
    (young_garbage). Running, the collector walks the thousands of entries taken in again and again,
    and the workers' pages and trees, finding next to nothing: 0.3 s of processor time at 10,000 entries."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_made_since = 0


def young_garbage(every: int = 1000) -> None:
    """In a worker, once in `every` calls: collect the youngest objects' cycles if the collector is paused."""
    global _made_since
    _made_since += 1
    if _made_since >= every and not gc.isenabled():
        gc.collect(0)
        _made_since = 0


class Workers:
    """A pool of worker processes, one per core, shared by the reading and the writing of one build.

    Started on first use, or early with start(). Forked, with the garbage collector frozen: the workers share
    the parent's memory until either writes to it (a collection walking every object would write to all of
    it). A large build starts them before it loads its cache or reads anything, while the parent is still
    small: the parent then writes to the journal it builds up, never to memory shared with them. The work
    they are sent travels with the job (pickled), so they never touch the journal the parent holds."""

    def __init__(self, config: Config):
        self.config = config
        self.size = os.cpu_count() or 1
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    @property
    def useful(self) -> bool:
        """Whether there is more than one core to share work with."""
        return self.size > 1 and "fork" in multiprocessing.get_all_start_methods()

    @property
    def running(self) -> bool:
        """Whether the workers have been started (and not closed since)."""
        return self._pool is not None

    def pool(self) -> concurrent.futures.ProcessPoolExecutor:
        """The running pool, started now if it was not yet."""
        if self._pool is None:
            frozen_already = gc.get_freeze_count() > 0  # watch keeps its journal frozen between saves
            gc.freeze()
            try:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    self.size,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_start,
                    initargs=(self.config,),
                )
                self._pool.submit(_ready).result()  # fork every worker now, while the collector is frozen
            finally:
                if not frozen_already:
                    gc.unfreeze()
        return self._pool

    def start(self) -> None:
        """Start the workers now (before the parent grows), if they can help."""
        if self.useful:
            self.pool()

    def close(self) -> None:
        """Stop the workers; work not yet begun is dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


PARALLEL_RENDER = 400  # below this many pages, sharing them with worker processes costs more than it saves


def settle() -> None:
    """After a build that stays in memory (watch): keep the collector from walking its journal on every save."""
    gc.freeze()


def make(env: jinja2.Environment, page: Page, extra: Mapping[str, object]) -> bytes:
    """A page's bytes: rendered from its template, or made by its own function (a search file, an attachment)."""
    if isinstance(page, DataFile):
        return page.make()
    return render(env, page, extra).encode("utf-8")


def _make_batch(pages: list[Page], extra: Mapping[str, object]) -> tuple[list[bytes], list[tuple[Any, bytes]]]:
    """In a worker: make some pages with the worker's own Jinja environment, and their entries' list items."""
    env = local("jinja", make_environment)
    made = [make(env, page, extra) for page in pages]
    young_garbage()
    return made, list_items(env, pages)


class Execution:
    """The making of a plan's stale jobs, iterated as (job, bytes) while it goes on.

    With workers, the pages made from a few entries each (an entry's page, a search file) go to them in
    batches with the entries they show (pickled), while this process makes the pages that show many entries
    (each entry's list item is rendered once here for all of them), then takes back the batches no worker
    has started. The workers' results are handed on as they come in, so few wait in memory."""

    def __init__(self, env: jinja2.Environment, jobs: list[Job], extra: Mapping[str, object], workers: Workers | None):
        self.env, self.extra = env, extra
        self.futures: dict[concurrent.futures.Future[tuple[list[bytes], list[Any]]], list[Job]] = {}
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
            future = pool.submit(_make_batch, cast("list[Page]", [job.page for job in batch]), self.extra)
            self.futures[future] = batch

    def __iter__(self) -> Iterator[tuple[Job, bytes]]:
        try:
            for job in self.own:
                yield job, job.data if job.page is None else make(self.env, job.page, self.extra)  # type: ignore[misc]
                yield from self._done()
            for future in reversed(list(self.futures)):  # last first, so that everyone finishes together
                if future.cancel():
                    for job in self.futures.pop(future):
                        yield job, make(self.env, job.page, self.extra)  # type: ignore[arg-type]
            for future in concurrent.futures.as_completed(list(self.futures)):
                yield from self._results(future)
        finally:
            for future in self.futures:  # given up (an error): drop what no worker has started
                future.cancel()
            concurrent.futures.wait(self.futures)

    def _done(self) -> Iterator[tuple[Job, bytes]]:
        """The workers' batches finished so far."""
        for future in [f for f in self.futures if f.done() and not f.cancelled()]:
            yield from self._results(future)

    def _results(self, future: concurrent.futures.Future[tuple[list[bytes], list[Any]]]) -> Iterator[tuple[Job, bytes]]:
        """A worker's batch of files; the list items it made are kept for the pages that list their entries."""
        made, items = future.result()
        take_items(self.env, items)
        return zip(self.futures.pop(future), made)


class Executor:
    """Makes what a plan says is stale, sharing large amounts of work with worker processes."""

    def __init__(self, config: Config, large: bool = False):
        self.workers = Workers(config)
        if large:
            # Start the workers now, before the cache is loaded: a worker forked from a large process ends up
            # with a copy of it, as the parent writes to the memory they shared (reference counts, the allocator).
            self.workers.start()

    def run(
        self, env: jinja2.Environment, jobs: list[Job], extra: Mapping[str, object], share: bool = True
    ) -> Execution:
        """Start making `jobs`; iterate the result for their bytes. `share`: workers may help (they do when they
        are running already, having read many files, or when there are enough pages to be worth sending)."""
        helped = share and self.workers.useful and (self.workers.running or len(jobs) >= PARALLEL_RENDER)
        return Execution(env, jobs, extra, self.workers if helped else None)

    def close(self) -> None:
        """Stop the worker processes, if any were started; a later read or run starts them again."""
        self.workers.close()
