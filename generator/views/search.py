"""search.html and the search index: one script file per year, loaded by <script> tags so it works from file://.

Each shard (search/2026.js) holds, for that year's entries: the page name, title, time, type, tags and
opening words for the result list, plus an inverted index: the year's sorted word list, front-coded,
and for each word the entries it occurs in, gap-encoded. search/index.js lists the shards with a hash
of each, so an edit rewrites one shard and the small manifest, never the whole index.

The word rules here (split on word characters, lowercase, accents dropped, unspaced scripts in pairs of
characters) are mirrored by templates/static/search.js; change both together."""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache, partial
from typing import AbstractSet, Any, Iterable

from generator.entries import Entry, visible_text
from generator.journal import Journal
from generator.views import DataFile, Page

INDEX_VERSION = 1
SNIPPET_WORDS = 40
_WORD = re.compile(r"\w+(?:['’]+\w+)*")
# Gap digits: printable ASCII that needs no escaping in a JSON string; a space ends each word's list.
_DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
_HALF = len(_DIGITS) // 2  # digits below _HALF end a number; the others carry on
# Front coding: how many leading characters a word shares with the one before it, as a character that
# can never be part of a word (words are letters and digits only).
_SHARED = "".join(chr(c) for c in range(0x20, 0x7F) if not chr(c).isalnum() and chr(c) not in '"\\')


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The form a word is indexed and searched under: lowercase, accents, apostrophes and _ dropped."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isalnum())


# Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar): a run of
# them is indexed as each pair of neighbouring characters, and its last character alone, so that every
# character starts a term. Two characters or more (家族) are searched as their pairs; one character (家) as
# the start of a term. search.js has the same ranges (UNSPACED).
UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
            "\U00020000-\U0002fa1f")
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
            pieces.append(word[at:run.start()])
        text = run.group(0)
        pieces.extend(text[i:i + 2] for i in range(len(text) - 1))
        pieces.append(text[-1])
        at = run.end()
    if at < len(word):
        pieces.append(word[at:])
    return pieces


# The same rule, fast, for plain ASCII text (most journals): one byte-level pass instead of a regex.
_TYPOGRAPHY = (("\u2019", ""), ("\u2018", " "), ("\u201c", " "), ("\u201d", " "), ("\u2014", " "),
               ("\u2013", " "), ("\u2026", " "), ("\u00a0", " "))
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
    return term_set(" ".join([visible_text(entry.html), entry.title, entry.type.replace("-", " "), *(t.name for t in entry.tags)]))


def _number(value: int) -> str:
    """A non-negative integer in the gap alphabet: continuation digits, then one final digit."""
    digits = [value % _HALF]
    value //= _HALF
    while value:
        digits.append(_HALF + value % _HALF)
        value //= _HALF
    return "".join(_DIGITS[d] for d in reversed(digits))


def _units(term: str) -> bytes:
    """A word as UTF-16 code units: the order and the slicing of JavaScript strings."""
    return term.encode("utf-16-be", "surrogatepass")


def _shared_prefix(a: bytes, b: bytes) -> int:
    """Leading code units two words share (never half a surrogate pair), capped to one front-coding character."""
    n = 0
    limit = min(len(a), len(b), 2 * (len(_SHARED) - 1))
    while n < limit and a[n:n + 2] == b[n:n + 2]:
        n += 2
    if n and 0xD8 <= a[n - 2] <= 0xDB:  # a high surrogate: keep the pair together
        n -= 2
    return n // 2


def _front_coded(terms: list[str]) -> str:
    """Sorted words, each as how much it shares with the one before plus the rest (units as JavaScript counts)."""
    coded = []
    if all(t.isascii() for t in terms):  # the common case: characters are code units
        limit = len(_SHARED) - 1
        previous = ""
        for term in terms:
            n, most = 0, min(len(term), len(previous), limit)
            while n < most and term[n] == previous[n]:
                n += 1
            coded.append(_SHARED[n] + term[n:])
            previous = term
        return "".join(coded)
    before = b""
    for term in terms:
        units = _units(term)
        shared = _shared_prefix(before, units)
        coded.append(_SHARED[shared] + units[2 * shared:].decode("utf-16-be", "surrogatepass"))
        before = units
    return "".join(coded)


# Every step of one or two digits, ready-made: _STEP[d] encodes the gap d - 1 between two entry numbers.
_STEP = ["", *(_number(n) for n in range(_HALF * _HALF))]


def _gaps(numbers: list[int]) -> str:
    """Ascending entry numbers as the gaps between them."""
    if len(numbers) == 1 and numbers[0] + 1 < len(_STEP):  # a third of a year's words occur in one entry
        return _STEP[numbers[0] + 1]
    steps = map(operator.sub, numbers, itertools.chain((-1,), numbers))
    if numbers[-1] < len(_STEP) - 1:  # no step is larger than the last number + 1: all ready-made (a year's shard)
        return "".join(map(_STEP.__getitem__, steps))
    return "".join(_STEP[d] if d < len(_STEP) else _number(d - 1) for d in steps)


def inverted_index(term_sets: Iterable[AbstractSet[str]]) -> tuple[str, str]:
    """The sorted, front-coded word list and, for each word, the gap-encoded entries it occurs in.
    `term_sets` may be a generator: each entry's words are let go once counted (a year's worth is megabytes)."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, terms in enumerate(term_sets):
        for term in terms:
            postings[term].append(number)
    ordered = sorted(postings) if all(t.isascii() for t in postings) else sorted(postings, key=_units)
    return _front_coded(ordered), " ".join([_gaps(postings[term]) for term in ordered])


def _entry_row(entry: Entry, types: dict[str, int], tags: dict[str, int]) -> list[Any]:
    """What the result list shows of one entry."""
    flags = (1 if entry.private else 0) | (2 if entry.discuss else 0) | (4 if entry.milestone else 0)
    return [entry.key, entry.title, f"{entry.date:%H:%M}" if entry.has_time else "", flags,
            types.setdefault(entry.type, len(types)), [tags.setdefault(t.slug, len(tags)) for t in entry.tags],
            entry.excerpt(SNIPPET_WORDS)]


def shard_data(name: str, entries: list[Entry], term_sets: Iterable[AbstractSet[str]]) -> dict[str, Any]:
    """One shard's content: entry rows, the type and tag names they use, and the inverted index."""
    types: dict[str, int] = {}
    tags: dict[str, int] = {}
    rows = [_entry_row(e, types, tags) for e in entries]
    names = {t.slug: t.name for e in entries for t in e.tags}
    terms, postings = inverted_index(term_sets)
    return {"v": INDEX_VERSION, "name": name, "types": list(types), "tags": [[s, names[s]] for s in tags],
            "entries": rows, "terms": terms, "postings": postings}


def _script(call: str, data: dict[str, Any]) -> bytes:
    """A script that hands data to the page: `call(data);`, compact UTF-8."""
    return f"{call}({json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n".encode("utf-8")


def shard_name(entry: Entry) -> str:
    """The shard an entry is searched in: its year's."""
    return f"{entry.date.year:04d}"


def shard_path(entry: Entry) -> str:
    """The file of an entry's shard."""
    return f"search/{shard_name(entry)}.js"


def shard_groups(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries by year, oldest first: one shard each."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(shard_name(entry), []).append(entry)
    return groups


def _version(data: bytes) -> str:
    """A short content hash in letters only (no digits that could read as a date or a count)."""
    return "".join("abcdefghijklmnop"[b >> 4] + "abcdefghijklmnop"[b & 15]
                   for b in hashlib.blake2b(data, digest_size=6).digest())


def shard_script(name: str, entries: list[Entry]) -> bytes:
    """One year's shard: a script handing its entries and inverted index to search.js."""
    data = shard_data(name, entries, map(entry_terms, entries))
    return _script("window.interludeSearch.add", data)


def search_data(journal: Journal) -> list[DataFile]:
    """search/index.js (the manifest) and one search/YYYY.js per year, each made only when its entries
    changed: a shard depends on nothing but its year's entries, so one edit remakes one shard."""
    groups = shard_groups(journal.entries)
    files: list[DataFile] = []
    shards = []
    for name, entries in groups.items():
        deps = (INDEX_VERSION, tuple((e.key, e.digest) for e in entries))
        files.append(DataFile(shard_path(entries[0]), "", deps=deps, make=partial(shard_script, name, entries)))
        shards.append([name, f"{name}.js", _version(repr(deps).encode()), len(entries)])
    manifest = {"v": INDEX_VERSION, "count": len(journal.entries), "shards": shards[::-1]}
    files.append(DataFile("search/index.js", "", deps=(INDEX_VERSION, repr(manifest)),
                          make=partial(_script, "window.interludeSearch.manifest", manifest)))
    return files


def search_files(journal: Journal) -> dict[str, bytes]:
    """Every search file's path and bytes, made now (for shares and locked builds, made in memory)."""
    return {f.path: f.make() for f in search_data(journal)}


def search_page(journal: Journal) -> Page:
    """search.html: the full search, with filters by type and tag."""
    types = sorted({e.type for e in journal.entries})
    tags = [tag for tag, _ in journal.tags().values()]
    return Page("search.html", "search.html", {
        "page_title": "Search",
        "types": types,
        "tags": sorted(tags, key=lambda t: t.name.lower()),
        "total": len(journal.entries),
    })
