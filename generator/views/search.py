"""search.html and the search index: one script file per half-year, loaded by <script> tags so it works from file://.

Each shard (search/2026-2.js) holds, for that half-year's entries: the page name, title, time, type, tags and
opening words for the result list, plus an inverted index: its sorted word list, front-coded,
and for each word the entries it occurs in, gap-encoded. search/index.js lists the shards with a hash
of each, so an edit rewrites one shard and the small manifest, never the whole index. How all this is
written down is defined in generator/searchformat.py, and only there.

The word rules here (split on word characters, lowercase, accents dropped, unspaced scripts in pairs of
characters) are mirrored by templates/static/search-query.js; change both together."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache, partial
from typing import Any

from generator import searchformat
from generator.entries import Entry
from generator.excerpts import visible_text
from generator.journal import Journal
from generator.searchformat import UNSPACED, front_coded, posting_lists, utf16_order
from generator.views import DataFile, Page

SNIPPET_WORDS = 40
_WORD = re.compile(r"\w+(?:['’]+\w+)*")


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The form a word is indexed and searched under: lowercase, accents, apostrophes and _ dropped."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isalnum())


_UNSPACED_RUN = re.compile(f"[{UNSPACED}]+")


def words(text: str) -> list[str]:
    """The normalised words of a text, in order, as they are indexed."""
    found = [w for w in map(normalise, _WORD.findall(unicodedata.normalize("NFC", text))) if w]
    if not _UNSPACED_RUN.search(text):  # one look at the whole text: most journals hold no such script
        return found
    return [part for w in found for part in _pieces(w)]


def _pieces(word: str) -> list[str]:
    """A word as indexed: itself, or where it holds unspaced script, its other letters as words, each pair of
    neighbouring unspaced characters, and the last character of each run."""
    if not _UNSPACED_RUN.search(word):
        return [word]
    pieces: list[str] = []
    at = 0
    for run in _UNSPACED_RUN.finditer(word):
        if run.start() > at:
            pieces.append(word[at : run.start()])
        text = run.group(0)
        pieces.extend(text[i : i + 2] for i in range(len(text) - 1))
        pieces.append(text[-1])
        at = run.end()
    if at < len(word):
        pieces.append(word[at:])
    return pieces


# The same rule, fast, for plain ASCII text (most journals): one byte-level pass instead of a regex.
_TYPOGRAPHY = (
    ("\u2019", ""),
    ("\u2018", " "),
    ("\u201c", " "),
    ("\u201d", " "),
    ("\u2014", " "),
    ("\u2013", " "),
    ("\u2026", " "),
    ("\u00a0", " "),
)
_SEPARATORS = bytes(c for c in range(128) if not chr(c).isalnum() and chr(c) not in "'_")
_TO_SPACE = bytes.maketrans(_SEPARATORS, b" " * len(_SEPARATORS))


def term_set(text: str) -> AbstractSet[str]:
    """The distinct normalised words of a text (a dict's keys: making a dict from a list of words takes
    about 60% of the time a set takes)."""
    for typographic, plain in _TYPOGRAPHY:
        if typographic in text:
            text = text.replace(typographic, plain)
    if text.isascii():
        return dict.fromkeys(text.encode("ascii").lower().translate(_TO_SPACE, b"'_").decode("ascii").split()).keys()
    return dict.fromkeys(words(text)).keys()


def entry_terms(entry: Entry) -> AbstractSet[str]:
    """Every word an entry can be found by: its text, title, tags and type."""
    return term_set(
        " ".join([visible_text(entry.html), entry.title, entry.type.replace("-", " "), *(t.name for t in entry.tags)])
    )


def inverted_index(term_sets: Iterable[AbstractSet[str]]) -> tuple[str, str]:
    """The sorted, front-coded word list and, for each word, the gap-encoded entries it occurs in.
    `term_sets` may be a generator: each entry's words are let go once counted (a year's worth is megabytes)."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    number = -1
    for number, terms in enumerate(term_sets):
        for term in terms:
            postings[term].append(number)
    ordered = utf16_order(postings)
    return front_coded(ordered), posting_lists(map(postings.__getitem__, ordered), number + 1)


def _entry_row(entry: Entry, types: dict[str, int], tags: dict[str, int]) -> list[Any]:
    """What the result list shows of one entry."""
    return searchformat.row(
        {
            "key": entry.key,
            "title": entry.title,
            "time": f"{entry.date:%H:%M}" if entry.has_time else "",
            "flags": searchformat.flags(
                {"private": entry.private, "discuss": entry.discuss, "milestone": bool(entry.milestone)}
            ),
            "type": types.setdefault(entry.type, len(types)),
            "tags": [tags.setdefault(t.slug, len(tags)) for t in entry.tags],
            "snippet": entry.excerpt(SNIPPET_WORDS),
        }
    )


def shard_data(name: str, entries: list[Entry], term_sets: Iterable[AbstractSet[str]]) -> dict[str, Any]:
    """One shard's content (generator/searchformat.py): entry rows, the type and tag names they use, and the
    inverted index."""
    types: dict[str, int] = {}
    tags: dict[str, int] = {}
    rows = [_entry_row(e, types, tags) for e in entries]
    names = {t.slug: t.name for e in entries for t in e.tags}
    terms, postings = inverted_index(term_sets)
    return {
        "v": searchformat.VERSION,
        "name": name,
        "types": list(types),
        "tags": [[s, names[s]] for s in tags],
        "entries": rows,
        "terms": terms,
        "postings": postings,
    }


def _script(call: str, data: dict[str, Any]) -> bytes:
    """A script that hands data to the page: `call(data);`, compact UTF-8."""
    return f"{call}({json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n".encode()


def shard_name(entry: Entry) -> str:
    """The shard an entry is searched in: its half-year's (2026-1 is January to June, 2026-2 July to December).
    Half a year keeps the file a save remakes small (a year of a busy journal took 0.17 s to index again,
    half of one takes 0.1 s), while the words the halves share make the index only a tenth larger."""
    return f"{entry.date.year:04d}-{1 if entry.date.month <= 6 else 2}"


def shard_path(entry: Entry) -> str:
    """The file of an entry's shard."""
    return f"search/{shard_name(entry)}.js"


def shard_groups(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries by half-year, oldest first: one shard each."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(shard_name(entry), []).append(entry)
    return groups


def _version(data: bytes) -> str:
    """A short content hash in letters only (no digits that could read as a date or a count)."""
    return "".join(
        "abcdefghijklmnop"[b >> 4] + "abcdefghijklmnop"[b & 15] for b in hashlib.blake2b(data, digest_size=6).digest()
    )


def shard_script(name: str, entries: list[Entry]) -> bytes:
    """One half-year's shard: a script handing its entries and inverted index to the page (search-index.js)."""
    data = shard_data(name, entries, map(entry_terms, entries))
    return _script("window.interludeSearch.add", data)


# Any change to the format remakes every shard (and changes each one's hash, so no browser keeps an old one).
_FORMAT_KEY = repr((searchformat.VERSION, searchformat.FORMAT))


def search_data(journal: Journal) -> list[DataFile]:
    """search/index.js (the manifest) and one search/YYYY-H.js per half-year, each made only when its entries
    changed: a shard depends on nothing but its half-year's entries, so one edit remakes one shard."""
    groups = shard_groups(journal.entries)
    files: list[DataFile] = []
    shards = []
    for name, entries in groups.items():
        deps = (_FORMAT_KEY, tuple((e.key, e.digest) for e in entries))
        files.append(DataFile(shard_path(entries[0]), "", deps=deps, make=partial(shard_script, name, entries)))
        shards.append([name, f"{name}.js", _version(repr(deps).encode()), len(entries)])
    manifest = {
        "v": searchformat.VERSION,
        "format": searchformat.FORMAT,
        "count": len(journal.entries),
        "shards": shards[::-1],
    }
    files.append(
        DataFile(
            "search/index.js",
            "",
            deps=(repr(manifest),),
            make=partial(_script, "window.interludeSearch.manifest", manifest),
        )
    )
    return files


def search_files(journal: Journal) -> dict[str, bytes]:
    """Every search file's path and bytes, made now (for shares and locked builds, made in memory)."""
    return {f.path: f.make() for f in search_data(journal)}


def search_page(journal: Journal) -> Page:
    """search.html: the full search, with filters by type and tag."""
    types = sorted({e.type for e in journal.entries})
    tags = [tag for tag, _ in journal.tags().values()]
    return Page(
        "search.html",
        "search.html",
        {
            "page_title": "Search",
            "types": types,
            "tags": sorted(tags, key=lambda t: t.name.lower()),
            "total": len(journal.entries),
        },
    )
