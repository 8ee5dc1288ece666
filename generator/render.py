"""The Jinja environment and page rendering: context in, HTML string out; no I/O besides templates."""

from __future__ import annotations

import math
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
from generator.config import Config, Metric
from generator.csp import content_security_policy, script_nonce, source_hash
from generator.diarycard import week_page
from generator.entries import Entry
from generator.errors import TemplateProblem
from generator.journal import page_name
from generator.refs import ROOT_MARK
from generator.views import Page
from generator.views.metrics import Badge, badges
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


# The names strftime's %A, %a, %B and %b give (Interlude never sets a locale, so they are always these): looked up
# rather than formatted, as every page formats a few dates and strftime is the slow part of that.
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    *("", "January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def long_date(value: datetime | date, with_time: bool = True) -> str:
    """A diary date: "Tuesday 5 March 2024 · 21:40"."""
    text = f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month]} {value.year}"
    if with_time and isinstance(value, datetime):
        text += f" · {value.hour:02d}:{value.minute:02d}"
    return text


def short_date(value: datetime | date) -> str:
    """A compact date for lists: "Tue 5 Mar"."""
    return f"{DAYS[value.weekday()][:3]} {value.day} {MONTHS[value.month][:3]}"


def day_month_year(value: datetime | date) -> str:
    """ "5 March 2024"."""
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def month_year(value: datetime | date) -> str:
    """ "March 2024": a month's heading and link."""
    return f"{MONTHS[value.month]} {value.year}"


def weekday(value: datetime | date) -> str:
    """ "Tue": a list's date in the margin."""
    return DAYS[value.weekday()][:3]


def hour(value: datetime) -> str:
    """ "21:40"."""
    return f"{value.hour:02d}:{value.minute:02d}"


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


_CSS_ESCAPES = {ord(c): f"\\{ord(c):x} " for c in '"\\<>' + "".join(map(chr, range(32)))}


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a <style> element: quotes, backslashes, line breaks and `<` as
    CSS escapes."""
    return f'"{text.translate(_CSS_ESCAPES)}"'


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
        return self.each([entry], root)

    def each(self, entries: list[Entry], root: str, end: str = "") -> Markup:
        """{{ item.each(entries, root, end) }}: the entries' list items one after the other, each followed by `end`:
        the same as {% for e in entries %}{{ item(e, root) }}{{ end }}{% endfor %}, with the links put in once
        for all of them."""
        rendered, made = self.rendered, self.made
        parts = []
        for entry in entries:
            key = (entry.key, entry.digest)
            item = rendered.get(key)
            if item is None:
                item = rendered[key] = made(entry)[1]
            parts.append(item)
        joined = end.encode("utf-8", "surrogatepass").join([*parts, b""]) if end else b"".join(parts)
        return Markup(joined.decode("utf-8", "surrogatepass").replace(ROOT_MARK, root))

    def made(self, entry: Entry) -> tuple[tuple[str, str], bytes]:
        """The entry's list item, links relative to ROOT_MARK, with its place in `rendered` (not put there)."""
        item = self.env.get_template(self.template).render(e=entry, root=ROOT_MARK)
        return (entry.key, entry.digest), item.encode("utf-8", "surrogatepass")


class EntryParts:
    """What an entry's page, its list item and its timeline row all show of it, each made once: its badges as HTML
    (_badges.html) and its excerpt. A worker makes an entry's item and row as it reads it, or (when the entry was not read in
    this build) a batch of entry pages and then their items and rows, so the parts of the last few hundred entries
    are kept, then forgotten (a build's memory stays flat).

    _badges.html is included where a page shows badges: it sees the page's names as well as `bs`. Interlude's own
    needs only `bs`, so its HTML is the same wherever the same badges are shown, and made once for them (most
    entries share their values with another: 2,400 different sets of badges among 10,000 entries); a journal's
    own _badges.html is rendered where it is shown, with the page's names, as an {% include %} would."""

    KEPT = 256  # entries: a worker's batch of entry pages (those whose items are made beside them) at most
    SHOWN = 1000  # different sets of badges

    def __init__(self, env: jinja2.Environment, metrics: dict[str, Metric], words: int):
        self.env, self.metrics, self.words = env, metrics, words
        self.kept: dict[int, tuple[Entry, list[Badge], Markup | None, str | None]] = {}
        self.own_badges: bool | None = None  # whether _badges.html is Interlude's (known once it is first loaded)
        self.shown: dict[tuple[object, ...], Markup] = {}  # Interlude's _badges.html for each set of badges

    def _parts(self, entry: Entry) -> tuple[Entry, list[Badge], Markup | None, str | None]:
        """The entry's kept parts (badges, their HTML when it is the same everywhere, excerpt when asked for)."""
        parts = self.kept.get(id(entry))
        if parts is None or parts[0] is not entry:  # the entry is held with its parts, so its id is not reused
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            bs = badges(entry, self.metrics)
            parts = self.kept[id(entry)] = (entry, bs, self._shown(bs) if self._own_badges() else None, None)
        return parts

    def _shown(self, bs: list[Badge]) -> Markup:
        """Interlude's _badges.html for these badges, made once for each set."""
        # Equal badges show the same, except a value of -0.0 beside 0.0 (`:g` writes "-0"): a zero's sign is in the key.
        key = (*bs, *(math.copysign(1.0, b.value) for b in bs if not b.value))
        html = self.shown.get(key)
        if html is None:
            if len(self.shown) >= self.SHOWN:
                self.shown.clear()
            html = self.shown[key] = self._badges_html(bs)
        return html

    def _own_badges(self) -> bool:
        """Whether _badges.html is the default theme's."""
        if self.own_badges is None:
            filename = self.env.get_template("_badges.html").filename or ""
            self.own_badges = Path(filename).resolve() == default_theme() / "_badges.html"
        return self.own_badges

    def _badges_html(self, bs: list[Badge], names: Mapping[str, Any] | None = None) -> Markup:
        """_badges.html for these badges (none: nothing)."""
        return Markup(self.env.get_template("_badges.html").render({**(names or {}), "bs": bs}) if bs else "")

    @jinja2.pass_context
    def badges_html(self, context: jinja2.runtime.Context, entry: Entry) -> Markup:
        """{{ badge_list(e) }}: the entry's badges as _badges.html shows them, or nothing when it has none."""
        entry, bs, html, _ = self._parts(entry)
        return html if html is not None else self._badges_html(bs, context.get_all())

    def excerpt(self, entry: Entry) -> str:
        """{{ excerpt_of(e) }}: the entry's excerpt (Entry.excerpt, `excerpt_words` long)."""
        parts = self._parts(entry)
        if parts[3] is None:
            parts = self.kept[id(entry)] = (*parts[:3], entry.excerpt(self.words))
        return cast(str, parts[3])


class Partials:
    """{{ once("_nav.html", root=root, here=here) }}: a partial template that shows the same on every page with
    the same values (the scripts a page loads, its search box, its menu), rendered once per build for each and
    reused. The partial sees the environment's globals and those values only, as its header says."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.rendered: dict[tuple[str, tuple[tuple[str, Any], ...]], Markup] = {}

    def __call__(self, name: str, **values: Any) -> Markup:
        key = (name, tuple(values.items()))
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = Markup(self.env.get_template(name).render(values))
        return html


LIST_CACHES = ("item", "row")  # the environment's ItemCaches: tag pages' items, the timeline's rows
# What the workers render, and the partials those show by name from Python (badge_list, once), not by an include.
PORTABLE_TEMPLATES = (
    "entry.html",
    "_item.html",
    "_row.html",
    "_badges.html",
    "_nav.html",
    "_scripts.html",
    "_search_box.html",
)


def list_items(env: jinja2.Environment, pages: list[Page]) -> list[tuple[str, tuple[str, str], bytes]]:
    """The list item and timeline row of each entry whose own page is among `pages`: made in a worker process
    beside the page, for the pages that list many entries (made in the build's own process) to reuse
    (take_items). None if a list template cannot be used: the page that lists them then reports it, as without
    workers."""
    return _items_of(env, [page.made_context()["entry"] for page in pages if page.listed is not None])


def _items_of(env: jinja2.Environment, entries: list[Entry]) -> list[tuple[str, tuple[str, str], bytes]]:
    """Each entry's list item and timeline row, with their places in the ItemCaches; none if a list template cannot
    be used."""
    try:
        caches = [(name, cast(ItemCache, env.globals[name])) for name in LIST_CACHES]
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
        return _items_of(env, [entry])
    finally:
        entry.key = ""


def take_items(env: jinja2.Environment, items: list[tuple[str, tuple[str, str], bytes]]) -> None:
    """Keep list items made elsewhere (list_items, read_items) for this environment's pages."""
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
            env.get_template(name)
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            waiting.extend(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n)
        except jinja2.TemplateError:
            continue


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


class Policies:
    """csp(styles, own_files, blobs): a page's Content-Security-Policy, csp.content_security_policy with the site's
    nonce. Every page has its own inline style (its running heads), so pages differ only in the styles' hashes: the
    policy around them is worked out once for each set of options, and each page's hashes put in its place."""

    def __init__(self, nonce: str):
        self.nonce = nonce
        self.around: dict[tuple[bool, bool], tuple[str, str]] = {}

    def __call__(self, styles: list[str] | tuple[str, ...] = (), own_files: bool = True, blobs: bool = False) -> str:
        if not styles:
            return content_security_policy(styles, own_files, self.nonce, blobs)
        around = self.around.get((own_files, blobs))
        if around is None:
            mark = source_hash("")  # the policy with one style, cut where that style's hash is
            before, _, after = content_security_policy([""], own_files, self.nonce, blobs).partition(mark)
            around = self.around[own_files, blobs] = (before, after)
        return around[0] + " ".join(map(source_hash, styles)) + around[1]


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
        autoescape=True,  # every template, whatever its name (Jinja asks a function again for each page and partial)
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
        month_year=month_year,  # {{ e.date | month_year }}: "March 2024"
        weekday=weekday,  # "Tue"
        hour=hour,  # "21:40"
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
        csp=Policies(nonce),
        script_nonce=nonce,
        share=None,
        diary_card_page=week_page,  # the weekly card a diary card entry is on
        running_heads=running_heads,
    )
    parts = EntryParts(env, config.metrics, config.excerpt_words)
    env.globals.update(badge_list=parts.badges_html, excerpt_of=parts.excerpt, once=Partials(env))
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
