"""Pure functions from the Journal to pages: (output path, template, context). No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Page:
    """One HTML file to render: where it goes, with which template, from which context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Optional: a small tuple from which the context follows, so that the page's fingerprint is
    # this tuple's hash rather than a walk through its whole context (thousands of entry pages).
    deps: tuple | None = None

    @property
    def root(self) -> str:
        """The relative way back to the site root from this page ('' or '../')."""
        return "../" * self.path.count("/")


@dataclass
class DataFile(Page):
    """A generated file that is not a template's page (a search shard): made by `make`, from `deps` alone."""

    make: Callable[[], bytes] = lambda: b""
