"""Worker processes and the garbage collector's policy: a pool of processes forked once per build (or per watch
save), shared by the reading of entry files and the making of pages, and never outliving the build that started
it; and when Python's cyclic collector is paused, frozen or run. Knows nothing of what the workers are sent."""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from generator.config import Config

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


def _start(config: Config, prepared: dict[str, Any]) -> None:
    """A worker's first step: tie its life to the build's, and leave Ctrl-C to the build itself. `prepared`: what
    local() would make, made already by the build's process (forked, so shared rather than sent)."""
    global _config
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _config = config
    _made.clear()
    _made.update(prepared)


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

    def __init__(self, config: Config, prepare: Callable[[], dict[str, Any]] | None = None):
        self.config = config
        # Made in this process just before the workers are forked, for their local(): what every worker would
        # otherwise make for itself (a Markdown converter's extensions loaded, templates compiled).
        self.prepare = prepare
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
            prepared = self.prepare() if self.prepare else {}
            frozen_already = gc.get_freeze_count() > 0  # watch keeps its journal frozen between saves
            gc.freeze()
            try:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    self.size,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_start,
                    initargs=(self.config, prepared),
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


def settle() -> None:
    """After a build that stays in memory (watch): keep the collector from walking its journal on every save."""
    gc.freeze()
