"""The Jinja environment and page rendering: context in, HTML string out; no I/O besides templates."""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.meta
from markupsafe import Markup

from generator import __version__
from generator.config import Config
from generator.csp import content_security_policy, script_nonce
from generator.diarycard import week_page
from generator.entries import Entry
from generator.errors import TemplateProblem
from generator.journal import page_name
from generator.refs import ROOT_MARK
from generator.views import Page
from generator.views.metrics import badges
from generator.words import counted, plural
from generator.workers import local

_HERE = Path(__file__).resolve().parent


def default_theme() -> Path:
    """The theme shipped with Interlude: inside the installed package, or templates/ in a checkout."""
    for candidate in (_HERE / "theme", _HERE.parent / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("Interlude's default theme is missing; reinstall Interlude")


def theme_dirs(config: Config) -> list[Path]:
    """Template folders in lookup order: the journal's own templates first, file by file."""
    dirs = [default_theme()]
    if config.templates_dir is not None and config.templates_dir.resolve() != dirs[0]:
        dirs.insert(0, config.templates_dir)
    return dirs


def long_date(value: datetime | date, with_time: bool = True) -> str:
    """A diary date: "Tuesday 5 March 2024 · 21:40"."""
    text = f"{value:%A} {value.day} {value:%B %Y}"
    if with_time and isinstance(value, datetime):
        text += f" · {value:%H:%M}"
    return text


def short_date(value: datetime | date) -> str:
    """A compact date for lists: "Tue 5 Mar"."""
    return f"{value:%a} {value.day} {value:%b}"


def day_month_year(value: datetime | date) -> str:
    """ "5 March 2024"."""
    return f"{value.day} {value:%B %Y}"


_FOOTNOTE_IDS = re.compile(r'(id="|href="#)(fn(?:ref)?:)')


_HEADING_IDS = re.compile(r'(<h[1-6] id=")')


def scoped(html: str, prefix: str) -> Markup:
    """An entry's HTML with its footnote and heading ids made unique, for pages that show several entries."""
    html = _FOOTNOTE_IDS.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", html)
    return Markup(_HEADING_IDS.sub(lambda m: f"{m.group(1)}{prefix}-", html) if "<h" in html else html)


def number(value: float, digits: int = 1) -> str:
    """A metric value: whole numbers without decimals, others with `digits`."""
    if value == int(value):
        return str(int(value))
    return f"{value:.{digits}f}"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a <style> element: quotes, backslashes, line breaks and `<` as
    CSS escapes."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r\f' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


def running_heads(title: str, head: str) -> Markup:
    """The printed sheet's running heads, as CSS for an inline <style>: the journal's title at the top left, what
    the page is at the top right (the page numbers, the same on every page, are in style.css)."""
    return Markup(
        f"@page {{ @top-left {{ content: {css_string(title)}; }} @top-right {{ content: {css_string(head)}; }} }}"
    )


class ItemCache:
    """Each entry's list item rendered once and reused: _item.html on the tag pages, _row.html (a compact row) on
    the timeline's pages."""

    def __init__(self, env: jinja2.Environment, template: str = "_item.html"):
        self.env, self.template = env, template
        self.rendered: dict[tuple[str, str], bytes] = {}  # UTF-8: an excerpt's "…" would double a str's size

    def __call__(self, entry: Entry, root: str) -> Markup:
        """The entry's list item, with links relative to `root`."""
        key = (entry.key, entry.digest)
        item = self.rendered.get(key)
        if item is None:
            item = self.rendered[key] = self.made(entry)[1]
        return Markup(item.decode("utf-8", "surrogatepass").replace(ROOT_MARK, root))

    def made(self, entry: Entry) -> tuple[tuple[str, str], bytes]:
        """The entry's list item, links relative to ROOT_MARK, with its place in `rendered` (not put there)."""
        item = self.env.get_template(self.template).render(e=entry, root=ROOT_MARK)
        return (entry.key, entry.digest), item.encode("utf-8", "surrogatepass")


LIST_CACHES = ("item", "row")  # the environment's ItemCaches: tag pages' items, the timeline's rows
PORTABLE_TEMPLATES = ("entry.html", "_item.html", "_row.html")  # what the workers render (and what those use)


def list_items(env: jinja2.Environment, pages: list[Page]) -> list[tuple[str, tuple[str, str], bytes]]:
    """The list item and timeline row of each entry whose own page is among `pages`: made in a worker process
    beside the page, for the pages that list many entries (made in the build's own process) to reuse
    (take_items). None if a list template cannot be used: the page that lists them then reports it, as without
    workers."""
    try:
        caches = [(name, cast(ItemCache, env.globals[name])) for name in LIST_CACHES]
        entries = [page.made_context()["entry"] for page in pages if page.listed is not None]
        return [(name, *cache.made(entry)) for entry in entries for name, cache in caches]
    except jinja2.TemplateError:
        return []


def listed_already(env: jinja2.Environment, page: Page) -> bool:
    """Whether the list items of the entry whose page this is are made already (read_items, an earlier build)."""
    return page.listed is None or all(
        page.listed in cast(ItemCache, env.globals[name]).rendered for name in LIST_CACHES
    )


def read_items(entry: Entry) -> list[tuple[str, tuple[str, str], bytes]]:
    """In a worker process, as it reads an entry: the entry's list item and timeline row (as list_items), made
    there and then, so that when the pages that list entries are made every item is in (none made twice, by a
    worker beside the entry's page and by this process before that page came back). Made under the page name
    the entry will have unless another of that day and title takes it (journal.page_name): an item kept under a
    name no entry ends up with is never used. An entry without a lead paragraph waits for its page: its
    excerpt comes from its whole text, whose links the journal has not resolved yet."""
    if not entry.lead:
        return []
    env = local("jinja", make_environment)
    entry.key = page_name(entry)
    try:
        return [(name, *cast(ItemCache, env.globals[name]).made(entry)) for name in LIST_CACHES]
    except jinja2.TemplateError:
        return []
    finally:
        entry.key = ""


def take_items(env: jinja2.Environment, items: list[tuple[str, tuple[str, str], bytes]]) -> None:
    """Keep list items made elsewhere (list_items) for this environment's pages."""
    for name, key, item in items:
        cast(ItemCache, env.globals[name]).rendered[key] = item


def template_problem(error: jinja2.TemplateError) -> TemplateProblem:
    """The error to show for a template that cannot be used: which file and line (when known), what is wrong."""
    name, line = getattr(error, "filename", None) or getattr(error, "name", None), getattr(error, "lineno", None)
    if not (name and line):  # errors met while rendering: the template's own frame in the traceback says where
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    if name:
        try:
            name = Path(name).resolve().relative_to(Path.cwd()).as_posix()
        except (ValueError, OSError):
            pass
    where = f"{name}, line {line}: " if name and line else ""
    what = (error.message or type(error).__name__).rstrip(".")
    return TemplateProblem(f"a template cannot be used: {where}{what}; fix it, or remove it to use Interlude's own")


def compile_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile these templates now, and every template they extend, include or import (by a name written out), so
    that no page waits for them. A template that cannot be used is left to the page that uses it to report."""
    waiting, seen = list(names), set()
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            template = env.get_template(name)
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            waiting.extend(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n)
        except jinja2.TemplateError:
            continue
        del template


def theme_statics(config: Config) -> dict[str, bytes]:
    """The theme's static/ files (stylesheet, scripts), the journal's own overriding by name."""
    files: dict[str, bytes] = {}
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[f"static/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    return files


class _Environment(jinja2.Environment):
    """Jinja's environment, each template's globals one plain dict rather than a ChainMap over the environment's.

    Every `{% from … import … %}` compares the importing page's globals with the imported template's; over a
    ChainMap that comparison runs in Python, key by key (3% of a build's time, twice on every page). The
    environment's globals are all set before the first template is loaded, so a copy holds the same."""

    def make_globals(self, d: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(config: Config, statics: dict[str, bytes] | None = None) -> jinja2.Environment:
    """One environment per build, loading the journal's templates before the default theme (`statics`: the
    theme's static files, when the caller has read them already)."""
    statics = theme_statics(config) if statics is None else statics
    nonce = script_nonce(data for rel, data in sorted(statics.items()) if rel.endswith(".js"))
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(config)]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # one environment per build and per theme change (Site.reload_theme): no stat per page
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        long_date=long_date,
        short_date=short_date,
        day_month_year=day_month_year,
        number=number,
        scoped=scoped,
        counted=counted,  # {{ n | counted("entry") }}: "1 entry", "2 entries"
        plural=plural,  # {{ n | plural("day") }}: "day" or "days"
    )
    env.globals.update(
        site_title=config.title,
        metrics=config.metrics,
        version=__version__,
        excerpt_words=config.excerpt_words,
        live=False,
        crisis_contact=config.crisis_contact,
        session_type=config.session_type,
        badges=lambda entry: badges(entry, config.metrics),
        csp=functools.partial(content_security_policy, nonce=nonce),
        script_nonce=nonce,
        share=None,
        diary_card_page=week_page,  # the weekly card a diary card entry is on
        running_heads=running_heads,
    )
    env.globals["item"] = ItemCache(env)
    env.globals["row"] = ItemCache(env, "_row.html")
    return env


def render(env: jinja2.Environment, page: Page, extra: Mapping[str, Any] | None = None) -> str:
    """Render one page; `root` makes every link relative to where the page lives. A template that fails
    becomes a TemplateProblem naming its file and line (worked out here: a worker's traceback stays there)."""
    context = {"root": page.root, "path": page.path, **page.made_context(), **(extra or {})}
    try:
        return env.get_template(page.template).render(context)
    except jinja2.TemplateError as error:
        raise template_problem(error) from error
