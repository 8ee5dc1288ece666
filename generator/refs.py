"""A body's links as numbered marks. Reading an entry (in any process, cached between builds) turns each link or
image it holds into a mark and keeps a Ref for it: where it points, as written. Once the journal has resolved
them (generator.links), each mark is filled in with where its Ref points now (a Resolved), as a page shows it."""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from generator.markdown_links import WIKI_SCHEME
from generator.slugs import slugify
from generator.sources import AUDIO_SUFFIXES, IMAGE_SUFFIXES, VIDEO_SUFFIXES

ROOT_MARK = "\x00root\x00"  # stands for the way to the site's top folder: an entry cannot hold NUL bytes
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


# ---- finding: Markdown's HTML → HTML with marks, and the Refs they stand for ------------------------------


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


# ---- showing: each mark filled in with where its Ref points ---------------------------------------------


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
