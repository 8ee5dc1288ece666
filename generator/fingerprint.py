"""A page's fingerprint: a hash of everything its HTML is made from, so unchanged pages are never re-rendered."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from generator import __version__
from generator.config import Config
from generator.entries import Entry
from generator.views import Page


def _feed(h: Any, value: Any) -> None:
    """Add a context value to the hash; an entry counts by its page name and its file's content hash."""
    if isinstance(value, Entry):
        h.update(b"E" + value.key.encode() + value.state.encode())
    elif isinstance(value, (str, int, float, bool, date)) or value is None:
        h.update(b"V" + repr(value).encode("utf-8", "surrogatepass"))
    elif isinstance(value, dict):
        h.update(b"{")
        for key, item in value.items():
            _feed(h, key)
            _feed(h, item)
        h.update(b"}")
    elif isinstance(value, (list, tuple)) and value and all(type(item) is Entry for item in value):
        h.update(b"L" + "".join(f"{e.key}|{e.state}|" for e in value).encode())  # lists of entries, quickly
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for item in value:
            _feed(h, item)
        h.update(b"]")
    elif dataclasses.is_dataclass(value):
        kind: type = type(value)
        h.update(kind.__name__.encode())
        _feed(h, [getattr(value, name) for name in _field_names(kind)])
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names (dataclasses.fields works them out anew on every call)."""
    return tuple(f.name for f in dataclasses.fields(kind))


def fingerprint(page: Page, base: str) -> str:
    """The page's fingerprint under a given theme, settings and Interlude version (`base`)."""
    if page.deps is not None:  # the view promises its context is a function of these: no need to walk it
        return _declared(base, page.path, page.template, page.deps)
    h = hashlib.blake2b(base.encode(), digest_size=16)
    _feed(h, [page.path, page.template])
    _feed(h, page.made_context())
    return h.hexdigest()


@functools.lru_cache(maxsize=1 << 16)
def _declared(base: str, path: str, template: str, deps: tuple[Any, ...]) -> str:
    """The fingerprint of a page from what it declares it is made from; kept, since a save under watch plans
    every page again and most declare what they did before (the journal's 10,000 entry pages, say)."""
    h = hashlib.blake2b(base.encode(), digest_size=16)
    h.update(repr((path, template, deps)).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def base_fingerprint(config: Config, theme: Iterable[Path], mode: str) -> str:
    """What every page depends on: Interlude's version, the settings, every theme file, the build mode."""
    h = hashlib.blake2b(digest_size=16)
    settings = dataclasses.replace(config, entries_dir=Path(), output_dir=Path(), templates_dir=None, config_path=None)
    h.update(f"{__version__}|{settings!r}|{mode}".encode())
    for folder in theme:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()
