"""Links between entries and to the files they attach: found when a file is read, resolved once the whole
journal is known.

Reading an entry (in any process, cached between builds) turns each link or image it holds into a numbered
mark and keeps a Ref for it: where it points, as written. The journal then resolves every Ref at once: an
entry's file or a wikilink becomes that entry's page, a picture or a PDF becomes its copy under
attachments/. What a link resolves to changes when other files do (an entry renamed, a picture added), so it
is never part of the cached entry, only of the Journal made from it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from markdown import Extension, Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from generator.errors import EntryWarning
from generator.filekinds import AUDIO_SUFFIXES, ENTRY_SUFFIXES, IMAGE_SUFFIXES, VIDEO_SUFFIXES
from generator.slugs import slugify

if TYPE_CHECKING:
    from generator.entries import Entry

ATTACHMENTS = "attachments"
WIKI_SCHEME = "interlude-wiki:"  # a wikilink's target between the Markdown step and the link step
# Photos from a phone are 4–12 MB: a page shows a resized copy of any picture this large, linking to the file.
PREVIEW_FROM = 400_000
PREVIEW_WIDTH = 1600
PREVIEWABLE = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
_MARK = re.compile(r"\x00(ref|src):(\d+)\x00")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_ATTRIBUTE = re.compile(r'<(a|img|audio|video|source)\b([^>]*?)\s(href|src)="([^"]*)"([^>]*)>', re.I)
_ANCHOR = re.compile(r"<(/?)a\b[^>]*>", re.I)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_ALT = re.compile(r'\salt="([^"]*)"')
_EMBED_CLASS = 'class="wikilink embed"'


@dataclass(frozen=True, slots=True)
class Ref:
    """One link or embedded file of an entry, as written: resolved later, with the whole journal."""

    target: str  # a path: relative to the entries folder, normalised; a wikilink: the name or title written
    wiki: bool  # [[…]]: found by file name or title, anywhere
    fragment: str = ""  # a heading within the target, as its id
    embed: bool = False  # shown in the page (an image, a sound) rather than linked
    line: int | None = None
    written: str = ""  # as the person wrote it, for messages


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a Ref points in the site (relative to its top folder), or None when nothing matches."""

    url: str | None
    src: str | None = None  # for an image: what the page shows (a resized copy of a large photo)
    shown: str = ""  # for a link to nothing: its file's name, where it has no words of its own
    embed: str = ""  # for ![[Entry]]: the page name of the entry shown here (not when it would show itself)


# ---- reading: Markdown → HTML with marks, and the Refs they stand for ------------------------------------


class _Wikilink(InlineProcessor):
    """[[target]], [[target|shown text]], [[target#heading]], and ![[picture.png]] (Obsidian's forms)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        embed, written, shown = m.group(1) == "!", m.group(2).strip(), m.group(3)
        name, _, heading = written.partition("#")
        name, heading = name.strip(), heading.strip()
        href = WIKI_SCHEME + quote(written, safe="")
        suffix = posixpath.splitext(name)[1].lower()
        if embed and suffix in IMAGE_SUFFIXES:
            element = etree.Element("img", {"src": href, "alt": name})
            if shown and re.fullmatch(r"\d{1,4}(x\d{1,4})?", shown.strip()):  # ![[tram.png|300]]: a width
                element.set("width", shown.strip().split("x")[0])
            elif shown:
                element.set("alt", shown.strip())
            return element, m.start(0), m.end(0)
        if embed and suffix in AUDIO_SUFFIXES | VIDEO_SUFFIXES:
            element = etree.Element("audio" if suffix in AUDIO_SUFFIXES else "video", {"src": href, "controls": ""})
            element.text = AtomicString(name)
            return element, m.start(0), m.end(0)
        # ![[Entry]] or ![[Entry#Heading]]: that entry (or section) shown in the page, once the journal is known
        element = etree.Element("a", {"href": href, "class": "wikilink embed" if embed else "wikilink"})
        label = (
            shown.strip()
            if shown and shown.strip()
            else (f"{name} › {heading}" if name and heading else name or heading)
        )
        element.text = AtomicString(label)
        return element, m.start(0), m.end(0)


class _SpacedHashHeader(HashHeaderProcessor):
    """A # heading needs a space after its #s, as in CommonMark and Obsidian: `#grief` alone on a line is a
    hashtag, not a heading."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:[ \t](?:\\.|[^\\])*?)?)#*(?:\n|$)")


class InterludeMarkdown(Extension):
    """Interlude's own Markdown: wikilinks, and headings that need a space after their #s."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After code spans and escapes (190, 180), before reference links (170): [[x]] is not a reference.
        md.inlinePatterns.register(_Wikilink(r"(!?)\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]", md), "wikilink", 175)
        if "hashheader" in md.parser.blockprocessors:
            md.parser.blockprocessors.register(_SpacedHashHeader(md.parser), "hashheader", 70)


def heading_ids(body_html: str) -> str:
    """Give each heading an id made from its words, so that [[entry#Heading]] can point at it."""
    if "<h" not in body_html:
        return body_html
    taken: set[str] = set()

    def named(found: re.Match[str]) -> str:
        base = slugify(html.unescape(_TAGS.sub("", found.group(2))), fallback="section")
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        return f'<h{found.group(1)} id="{name}">{found.group(2)}</h{found.group(1)}>'

    return _HEADING.sub(named, body_html)


def find_refs(body_html: str, body: str, first_line: int, source: str) -> tuple[str, tuple[Ref, ...]]:
    """The entry's HTML with each relative link, image and wikilink made a numbered mark, and the Refs the
    marks stand for. Web links, mail links and #fragments are left as they are. A picture not inside a link
    is wrapped in one, to the file itself: the page may show a smaller copy."""
    if 'href="' not in body_html and 'src="' not in body_html:
        return body_html, ()
    folder = posixpath.dirname(source)
    refs: list[Ref] = []
    parts: list[str] = []
    position = searched = 0
    open_anchors = 0
    for found in _URL_ATTRIBUTE.finditer(body_html):
        before = body_html[position : found.start()]
        open_anchors += sum(1 if not closing else -1 for closing in (m.group(1) for m in _ANCHOR.finditer(before)))
        parts.append(before)
        position = found.end()
        tag, attribute, value = found.group(1).lower(), found.group(3).lower(), html.unescape(found.group(4))
        ref = _ref(value, folder, embed=attribute == "src" or (tag == "a" and _EMBED_CLASS in found.group(2)))
        if ref is None:
            parts.append(found.group(0))
            if tag == "a":
                open_anchors += 1
            continue
        line, searched = _line_of(body, ref.written[:-2] if ref.wiki else ref.written, searched, first_line)
        refs.append(Ref(ref.target, ref.wiki, ref.fragment, ref.embed, line, ref.written))
        number = len(refs) - 1
        mark = f"\x00{'src' if tag == 'img' else 'ref'}:{number}\x00"
        element = f'<{found.group(1)}{found.group(2)} {found.group(3)}="{mark}"{found.group(5)}>'
        suffix = posixpath.splitext(ref.target)[1].lower()
        if tag == "img" and suffix in AUDIO_SUFFIXES | VIDEO_SUFFIXES:  # ![](voice.m4a): a player, not a picture
            player = "audio" if suffix in AUDIO_SUFFIXES else "video"
            element = f'<{player} controls src="\x00ref:{number}\x00">{html.escape(posixpath.basename(ref.target))}</{player}>'
        elif tag == "img" and suffix and suffix not in IMAGE_SUFFIXES:  # ![](plan.pdf): a link to the file
            alt = _ALT.search(found.group(0))
            words = (alt.group(1) if alt else "") or html.escape(posixpath.basename(ref.target))
            element = f'<a class="attachment" href="\x00ref:{number}\x00">{words}</a>'
        elif tag == "img" and open_anchors <= 0:
            element = f'<a class="picture" href="\x00ref:{number}\x00">{element}</a>'
        elif tag == "a":
            open_anchors += 1
        parts.append(element)
    parts.append(body_html[position:])
    return "".join(parts), tuple(refs)


def _ref(value: str, folder: str, embed: bool) -> Ref | None:
    """What a link's address points at inside the journal, or None for the web, mail and the page itself."""
    if value.startswith(WIKI_SCHEME):
        written = unquote(value[len(WIKI_SCHEME) :])
        name, _, heading = written.partition("#")
        heading = heading.strip()
        block = re.fullmatch(r"\^([A-Za-z0-9][A-Za-z0-9-]*)", heading)  # [[Entry#^block-id]]: that block's own id
        return Ref(
            name.strip(),
            True,
            f"^{block.group(1)}" if block else slugify(heading, fallback="") if heading else "",
            embed,
            written=f"[[{written}]]",
        )
    if not value or value.startswith(("#", "/", "\\")) or _SCHEME.match(value):
        return None
    path, _, fragment = value.partition("#")
    path = path.split("?", 1)[0]
    target = posixpath.normpath(posixpath.join(folder, unquote(path).replace("\\", "/")))
    if target == ".":
        return None
    return Ref(target, False, fragment, embed, written=value.split("#", 1)[0])


def _line_of(body: str, written: str, start: int, first_line: int) -> tuple[int | None, int]:
    """The file line a link was written on (searching on from the last one found), and where to search next:
    where the address follows the marks of a link (`](`, `]: `, `="`, `[[`), else wherever its words are."""
    for lead in () if written.startswith("[[") else ("](", "](<", "]: ", '="', "='"):
        at = body.find(lead + written, start)
        if at >= 0:
            return first_line + body.count("\n", 0, at), at + len(lead) + len(written)
    at = body.find(written, start)
    if at < 0:
        at = body.find(written)
    if at < 0:
        return None, start
    return first_line + body.count("\n", 0, at), at + len(written)


_TEMPORARY = {".swp", ".swx", ".swo", ".tmp", ".crswap", ".part", ".crdownload", ".kate-swp"}


def may_be_attached(rel: str) -> bool:
    """Whether a file in the entries folder could be one an entry shows (not hidden, not an editor's leftover)."""
    parts = rel.split("/")
    name = parts[-1]
    return (
        not any(p.startswith(".") for p in parts)
        and not name.startswith(("~", "#"))
        and not name.endswith("~")
        and "." in name.strip(".")
        and posixpath.splitext(name)[1].lower() not in _TEMPORARY | ENTRY_SUFFIXES
    )


# ---- resolving: the whole journal known ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an entry links to or shows, copied into the site (and shown resized, if a large photo)."""

    rel: str  # relative to the entries folder
    path: Path
    signature: tuple[int, int, int]
    preview: bool

    @property
    def url_path(self) -> str:
        """The copy's file in the site."""
        return f"{ATTACHMENTS}/{self.rel}"

    @property
    def preview_path(self) -> str:
        """The resized copy's file in the site."""
        return f"{self.url_path}.preview.webp"

    @property
    def url(self) -> str:
        """The copy's address, from the site's top folder."""
        return quote(self.url_path)

    @property
    def preview_url(self) -> str:
        """The resized copy's address, from the site's top folder."""
        return quote(self.preview_path)


@dataclass
class Links:
    """Every entry's links resolved: what each entry's marks point at, who mentions whom, what is attached."""

    mentions: dict[str, list[Entry]]  # an entry's page name → the entries linking to it, oldest first
    attachments: dict[str, Attachment]  # by path relative to the entries folder
    warnings: list[EntryWarning]
    names: dict[str, str] | None = None  # entry_names(), if it was needed: a journal changed in place reuses it


class _Index:
    """The journal's entries by every name a link can use, and its other files by name."""

    def __init__(
        self,
        entries: list[Entry],
        root: Path,
        files: Callable[[], FileNames] | None = None,
        names: dict[str, str] | None = None,
    ):
        self.root, self.entries = root, entries
        self.by_source = {e.source: e for e in entries}
        self.by_key = {e.key: e for e in entries}
        self.names = names
        self._files = files
        self._file_names: FileNames | None = None
        self._stats: dict[str, Attachment | None] = {}
        self.clashes: dict[str, tuple[Entry, Ref, list[str]]] = {}  # a ![[name]] many files have: the first use

    def named(self, name: str) -> Entry | None:
        """The entry a wikilink's name (in lower case) points at."""
        if self.names is None:
            self.names = entry_names(self.entries)
        key = self.names.get(name)
        return self.by_key.get(key) if key is not None else None

    def entry(self, ref: Ref, own: Entry) -> Entry | None:
        """The entry a link points at, if it is one."""
        if ref.wiki:
            if not ref.target:
                return own  # [[#heading]]: a heading of this entry
            name = " ".join(ref.target.split()).casefold()
            for suffix in ENTRY_SUFFIXES:
                name = name.removesuffix(suffix)
            return self.named(name)
        if posixpath.splitext(ref.target)[1].lower() not in ENTRY_SUFFIXES:
            return None
        found = self.by_source.get(ref.target)
        if found is None and "/" not in ref.written:  # Obsidian's "shortest path" links name the file alone
            found = self.named(posixpath.splitext(posixpath.basename(ref.target))[0].casefold())
        return found

    def attachment(self, ref: Ref, own: Entry) -> Attachment | None:
        """The file a link points at, if it is inside the entries folder and not an entry or hidden. A Markdown
        link's path starts from the entry's own folder, and nothing else is tried; a ![[path]] starts from the
        entry's folder or the top folder, else it is a file of that name (and folders) anywhere, the nearest."""
        if posixpath.splitext(ref.target)[1].lower() in ENTRY_SUFFIXES:
            return None  # an entry's file is never copied, only linked to as a page
        if not ref.wiki:
            return self._stat(ref.target)
        folder = posixpath.dirname(own.source)
        paths = [posixpath.join(folder, ref.target)] + ([ref.target] if "/" in ref.target else [])
        for rel in paths:  # a path from the entry's folder, or from the top folder (a name alone: the nearest)
            found = self._stat(posixpath.normpath(rel))
            if found is not None:
                return found
        written = ref.target.replace("\\", "/").strip("/").casefold()
        named = self.files().get(posixpath.basename(written), ())
        candidates = [rel for rel in named if ("/" + rel.casefold()).endswith("/" + written)]
        candidates = [rel for rel in nearest_first(candidates, folder) if self._stat(rel) is not None]
        if len(candidates) > 1:
            self.clashes.setdefault(written, (own, ref, candidates))
        return self._stat(candidates[0]) if candidates else None

    def _stat(self, rel: str) -> Attachment | None:
        """The file at rel, if it may be copied."""
        if rel in self._stats:
            return self._stats[rel]
        found = None
        parts = rel.split("/")
        if rel and not rel.startswith("../") and rel != ".." and not any(p.startswith(".") for p in parts):
            path = self.root / rel
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
            if stat is not None and os.path.isfile(path):
                suffix = posixpath.splitext(rel)[1].lower()
                found = Attachment(
                    rel,
                    path,
                    (stat.st_size, stat.st_mtime_ns, stat.st_ino),
                    suffix in PREVIEWABLE and stat.st_size >= PREVIEW_FROM,
                )
        self._stats[rel] = found
        return found

    def files(self) -> FileNames:
        """files_by_name(root), looked up once."""
        if self._file_names is None:
            self._file_names = self._files() if self._files else files_by_name(self.root)
        return self._file_names


def entry_names(entries: list[Entry]) -> dict[str, str]:
    """Every name a wikilink can give an entry by, in lower case → its page name. Where two share a name, a
    file's path wins over a file's name, that over a page name, that over a title; of two of a kind, the
    earlier entry."""
    paths = [(e.source.rsplit(".", 1)[0].casefold(), e.key) for e in reversed(entries)]
    names = {" ".join(e.title.split()).casefold(): e.key for e in reversed(entries)}
    names.update((e.key.casefold(), e.key) for e in reversed(entries))
    names.update((path.rsplit("/", 1)[-1], key) for path, key in paths)
    names.update(paths)
    return names


FileNames = dict[str, tuple[str, ...]]  # a file's name in lower case → every such file, in folder order


def files_by_name(root: Path) -> FileNames:
    """Every file under the entries folder that is not an entry nor hidden, by its name in lower case: where a
    ![[name]] that is no path finds its file."""
    found: dict[str, list[str]] = {}
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        prefix = Path(folder).relative_to(root).as_posix()
        for name in sorted(names):
            if not name.startswith(".") and posixpath.splitext(name)[1].lower() not in ENTRY_SUFFIXES:
                found.setdefault(name.casefold(), []).append(name if prefix == "." else f"{prefix}/{name}")
    return {name: tuple(paths) for name, paths in found.items()}


def nearest_first(paths: Iterable[str], folder: str) -> list[str]:
    """Files in order of nearness to an entry in `folder`: its own folder, then each folder up from it (the
    closest first), then the others by how few folders lie between, then in folder order."""
    here = [part for part in folder.split("/") if part]

    def distance(rel: str) -> tuple[int, int, int, str]:
        there = [part for part in posixpath.dirname(rel).split("/") if part]
        common = 0
        while common < min(len(here), len(there)) and here[common] == there[common]:
            common += 1
        up, down = len(here) - common, len(there) - common
        return (0 if down == 0 else 1, up, down, rel)

    return sorted(paths, key=distance)


def without_folders(files: FileNames, hidden: set[str]) -> FileNames:
    """files_by_name() without the files in `hidden` folders (relative, "" for the top one) or in folders below
    them (below any but the top one): what a share may find by name when those folders hold entries it leaves
    out."""

    def hidden_file(rel: str) -> bool:
        folder = posixpath.dirname(rel)
        if folder in hidden:
            return True
        while folder:
            folder = posixpath.dirname(folder)
            if folder and folder in hidden:
                return True
        return False

    kept = {name: tuple(rel for rel in paths if not hidden_file(rel)) for name, paths in files.items()}
    return {name: paths for name, paths in kept.items() if paths}


def folders_of_entries(root: Path, leaving_out: set[str]) -> set[str]:
    """The folders (relative, "" for the top one) that hold an entry's file other than those in `leaving_out`
    (sources), whether or not it could be read."""
    found = set()
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]
        prefix = Path(folder).relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix
        for name in names:
            source = f"{prefix}/{name}" if prefix else name
            if posixpath.splitext(name)[1].lower() in ENTRY_SUFFIXES and source not in leaving_out:
                found.add(prefix)
                break
    return found


def resolve(
    entries: list[Entry],
    root: Path,
    shown: Callable[[str], str],
    files: Callable[[], FileNames] | None = None,
    names: dict[str, str] | None = None,
) -> Links:
    """Resolve every entry's links against the whole journal; each entry gets its `links` and `linked`.
    `files` gives files_by_name(root), and `names` is entry_names(entries), either perhaps remembered from
    an earlier call (watch)."""
    if not any(entry.refs or entry.links for entry in entries):
        return Links({}, {}, [])
    index = _Index(entries, root, files, names)
    mentions: dict[str, list[Entry]] = {}
    attachments: dict[str, Attachment] = {}
    warnings: list[EntryWarning] = []
    for entry in entries:
        if not entry.refs:
            if entry.links:
                entry.links, entry.linked = (), ""
            continue
        resolved = []
        for ref in entry.refs:
            target = index.entry(ref, entry)
            if target is not None:
                fragment = ref.fragment and f"#{quote(ref.fragment)}"
                resolved.append(Resolved(f"{target.url}{fragment}", embed=target.key if ref.embed else ""))
                if target is not entry and entry not in mentions.setdefault(target.key, []):
                    mentions[target.key].append(entry)
                continue
            found = index.attachment(ref, entry)
            if found is not None:
                attachments[found.rel] = found
                resolved.append(Resolved(found.url, found.preview_url if found.preview and ref.embed else found.url))
                continue
            resolved.append(Resolved(None, shown=posixpath.basename(ref.target)))
            warnings.append(EntryWarning(shown(entry.source), _not_found(ref), ref.line))
        entry.links, entry.linked = tuple(resolved), _linked(resolved)
    warnings += _without_loops(entries, shown)
    for own, ref, paths in index.clashes.values():
        shown_paths = ", ".join(paths[:-1]) + f" and {paths[-1]}"
        warnings.append(
            EntryWarning(
                shown(own.source),
                f"{'!' if ref.embed else ''}{ref.written}: {len(paths)} files have this name ({shown_paths}); the "
                f"nearest, {paths[0]}, is shown; to show another, write its path, as in ![[{paths[1]}]]",
                ref.line,
            )
        )
    return Links(mentions, attachments, warnings, index.names)


def _linked(resolved: Iterable[Resolved]) -> str:
    """A short hash of where an entry's links point: its page changes when this does."""
    return hashlib.blake2b(repr(tuple(resolved)).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _without_loops(entries: list[Entry], shown: Callable[[str], str]) -> list[EntryWarning]:
    """Each ![[Entry]] that would show the entry inside itself (itself, or one that shows it back, however far
    round) made a plain link, and reported."""
    by_key = {e.key: e for e in entries}
    embeds = {e.key: [i for i, link in enumerate(e.links) if link.embed] for e in entries if e.links}
    embeds = {key: found for key, found in embeds.items() if found}
    if not embeds:
        return []
    warnings: list[EntryWarning] = []

    def leads_back(start: str, first: str) -> bool:
        """Whether the entries shown from `first`, and those they show, however far, come back to `start`."""
        seen, waiting = {first}, [first]
        while waiting:
            key = waiting.pop()
            for index in embeds.get(key, []):
                inner = by_key[key].links[index].embed
                if inner == start:
                    return True
                if inner and inner not in seen:
                    seen.add(inner)
                    waiting.append(inner)
        return False

    for key, found in embeds.items():
        entry = by_key[key]
        for index in found:
            target = entry.links[index].embed
            if target == key or leads_back(key, target):
                links = list(entry.links)
                links[index] = dataclasses.replace(links[index], embed="")
                entry.links, entry.linked = tuple(links), _linked(links)
                ref = entry.refs[index]
                what = "itself" if target == key else "an entry that shows this one in turn"
                warnings.append(
                    EntryWarning(
                        shown(entry.source),
                        f"!{ref.written} would show {what}, endlessly; it is shown as a link instead",
                        ref.line,
                    )
                )
    return warnings


def _not_found(ref: Ref) -> str:
    """The warning for a link that points at nothing."""
    if ref.target.startswith("../") or ref.target == "..":
        return (
            f"{ref.written} is outside the entries folder, so it is not copied into the site; "
            "move the file into the entries folder"
        )
    if ref.wiki:
        return (
            f"{ref.written} matches no entry's file name or title, nor a file in the entries folder; "
            "it is shown as plain text"
        )
    folder = posixpath.dirname(ref.target)
    where = f"in {folder}/" if folder else "in the entries folder"
    hint = (
        f"; to find a file by its name in any folder, write {'!' if ref.embed else ''}[[{unquote(ref.written)}]]"
        if "/" not in ref.written and "\\" not in ref.written
        else ""
    )
    return (
        f"{ref.written} not found {where} (a Markdown link's path starts from its entry's folder); it is shown "
        f"as plain text{hint}"
    )


def show_links(body_html: str, links: Iterable[Resolved], root: str) -> str:
    """The body with each mark replaced by its address from `root`; a link to nothing becomes its text."""
    links = tuple(links)
    for number, link in enumerate(links):
        if link.url is None:
            body_html = _unlinked(body_html, number, link.shown)
    return _MARK.sub(lambda m: _address(links, m, root), body_html)


def _address(links: tuple[Resolved, ...], found: re.Match[str], root: str) -> str:
    """The address a mark stands for, from `root`."""
    number = int(found.group(2))
    link = links[number] if number < len(links) else Resolved(None)
    url = link.src if found.group(1) == "src" and link.src else link.url
    return html.escape(root + url) if url is not None else ""


@functools.lru_cache(maxsize=256)
def _unlinked_patterns(number: int) -> tuple[re.Pattern[str], ...]:
    """The ways mark `number` can appear: a picture in its own link, an image, a sound, a link."""
    ref, src = re.escape(f"\x00ref:{number}\x00"), re.escape(f"\x00src:{number}\x00")
    return (
        re.compile(rf'<a class="picture" href="{ref}">(<img[^>]*>)</a>'),
        re.compile(rf"(<img[^>]*{src}[^>]*>)"),
        re.compile(rf"<(?:audio|video)[^>]*{ref}[^>]*>(.*?)</(?:audio|video)>", re.S),
        re.compile(rf"<a\b[^>]*{ref}[^>]*>(.*?)</a>", re.S),
    )


def _unlinked(body_html: str, number: int, shown: str) -> str:
    """The body with link `number` shown as its text (else `shown`), marked as pointing at nothing."""

    def words(found: re.Match[str]) -> str:  # a picture: its description
        alt = _ALT.search(found.group(1))
        return f'<span class="unlinked">{(alt.group(1) if alt else "").strip() or html.escape(shown)}</span>'

    def inside(found: re.Match[str]) -> str:  # a link or a player: what it holds (a picture in a link stays)
        return f'<span class="unlinked">{found.group(1).strip() or html.escape(shown)}</span>'

    picture, image, player, link = _unlinked_patterns(number)
    for pattern, replace in ((picture, words), (image, words), (player, inside), (link, inside)):
        body_html = pattern.sub(replace, body_html)
    return body_html


_OPENING = re.compile(r'<(h[1-6]|p|li|ul|ol|blockquote|table|div)\b[^>]*\sid="([^"]*)"[^>]*>')
_IDS = re.compile(r'\sid="[^"]*"')


def section_of(body_html: str, fragment: str) -> str | None:
    """The part of an entry's HTML that [[Entry#fragment]] names: a heading and what follows it up to the next
    heading as high, or the block with that id (`^block-id`); None if there is none."""
    found = next((m for m in _OPENING.finditer(body_html) if m.group(2) == fragment), None)
    if found is None:
        return None
    tag = found.group(1)
    if tag[0] == "h":
        level = int(tag[1])
        ends = re.compile(rf"<h[1-{level}][\s>]")
        end = ends.search(body_html, found.end())
        return body_html[found.start() : end.start() if end else len(body_html)]
    depth, at = 0, found.start()
    for piece in re.finditer(rf"<(/?){tag}\b[^>]*>", body_html[at:]):
        depth += -1 if piece.group(1) else 1
        if depth == 0:
            return body_html[at : at + piece.end()]
    return None


def without_ids(body_html: str) -> str:
    """HTML with no id attributes: a part of another entry shown in a page must not take the page's own ids."""
    return _IDS.sub("", body_html) if ' id="' in body_html else body_html


_DATA_PICTURE = re.compile(r'<a class="picture" href="data:[^"]*">(<img[^>]*>)</a>')


def in_one_file(
    body_html: str, refs: tuple[Ref, ...], links: tuple[Resolved, ...], pictures: dict[str, str], keys: set[str]
) -> str:
    """The body for a page that is one file: pictures it shows as data: addresses (`pictures`: a copy's address
    → its data), links to entries in the same file (`keys`) to their place in it, every other link as words."""
    inlined = []
    for ref, link in zip(refs, links or [Resolved(None)] * len(refs)):
        key = link.url[len("entries/") :].split(".html", 1)[0] if link.url and link.url.startswith("entries/") else ""
        if key in keys:
            inlined.append(Resolved(f"#{key}"))
        elif ref.embed and link.src in pictures:
            inlined.append(Resolved(pictures[link.src], pictures[link.src]))
        else:
            inlined.append(Resolved(None, shown=posixpath.basename(ref.target)))
    shown = show_links(body_html, inlined, "")
    return _DATA_PICTURE.sub(r"\1", shown) if "data:" in shown else shown
