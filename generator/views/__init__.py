"""Pure functions from the Journal to pages: (output path, template, context). No I/O here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.entries import Entry


@dataclass
class Page:
    """One HTML file to render: where it goes, with which template, from which context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Optional: a small tuple from which the context follows, so that the page's fingerprint is
    # this tuple's hash rather than a walk through its whole context (thousands of entry pages).
    deps: tuple | None = None
    # Optional, with deps: makes the context when the page is made, not when it is planned (a page that
    # is current costs only its deps).
    lazy: Callable[[], dict[str, Any]] | None = None
    # Made from a few entries, which travel with it: worth sending to a worker process. `batch` names the
    # file it is best sent with (an entry's page goes with its half-year's search file).
    portable: bool = False
    batch: str | None = None
    # Optional: for an entry's own page, the (page name, digest) its list items are kept under (render.ItemCache):
    # whoever makes the page makes them too, unless they are made already.
    listed: tuple[str, str] | None = None

    # The `lazy` a made context came from, while it is kept (release).
    _unmade: Callable[[], dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    def made_context(self) -> dict[str, Any]:
        """The page's context, made now if the view left it to be made when needed."""
        if self.lazy is not None:
            self.context, self.lazy, self._unmade = self.lazy(), None, self.lazy
        return self.context

    def release(self) -> None:
        """Let go of a context made when needed (it is made again if asked): a build keeps its plan, every page of
        it, to the end, and a made context can be large (an entry's whole text, a year's charts)."""
        if self._unmade is not None:
            self.context, self.lazy, self._unmade = {}, self._unmade, None

    @property
    def root(self) -> str:
        """The relative way back to the site root from this page ('' or '../')."""
        return "../" * self.path.count("/")


@dataclass
class DataFile(Page):
    """A generated file that is not a template's page (a search shard): made by `make`, from `deps` alone."""

    make: Callable[[], bytes] = lambda: b""
    portable: bool = True


@dataclass(frozen=True)
class Job:
    """One file of the site: its path, a fingerprint of everything it is made from, and how to make it: a page
    (rendered from its template, or made by its own function) or bytes known already (a theme file)."""

    path: str
    fingerprint: str
    page: Page | None = None
    data: bytes | None = None


def entries_deps(entries: Iterable[Entry]) -> str:
    """A short hash of what a list of entries shows: each one's page name and state, in order."""
    return hashlib.blake2b(
        "|".join(f"{e.key}:{e.state}" for e in entries).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()
