"""The search index's format, defined once: what search/index.js and each search/YYYY-H.js (a half-year) hold, and how.

generator/views/search.py builds the index with the encoders below. The manifest (search/index.js) carries
FORMAT to the page (the alphabets as runs of code points), and templates/static/search-index.js decodes with
the alphabets and the places of the
fields and flags it reads there, never with copies of its own: it knows only VERSION and the names of what
it shows. tests/test_search.py decodes with the constants here.

- The manifest: `window.interludeSearch.manifest({"v": VERSION, "format": FORMAT, "count": n,
  "shards": [[name, file, content hash, entry count], ...]})`, newest first.
- A shard: `window.interludeSearch.add({"v": VERSION, "name": "2026-2", "types": [...], "tags": [[slug, name],
  ...], "entries": [row, ...], "terms": "...", "postings": "..."})`.
- A row: one entry's values in the order of ROW_FIELDS. "type" is a place in "types", "tags" places in
  "tags", "flags" the sum of 2**i for each FLAGS[i] the entry has.
- "terms": the shard's words sorted by UTF-16 code units (JavaScript's string order). Each word is written
  as one character of SHARED, whose place there is how many leading code units it shares with the word
  before (at most len(SHARED) - 1), then the rest of the word. SHARED holds no letter or digit, and words
  are letters and digits only, so the next word starts at the next SHARED character.
- "postings": for each word, in the same order, the entries holding it, separated by a space. An entry is
  its place in "entries"; a word's entries, ascending, are written as steps (the first entry + 1, then
  each entry minus the one before), each step minus 1 as a number in base HALF using DIGITS, most
  significant first: a digit whose place is HALF or more carries on, one below HALF ends the number.

VERSION changes when the shape changes in a way FORMAT cannot say (a new kind of field, another way of
writing the lists); search-index.js reads the versions it knows."""

from __future__ import annotations

import itertools
import operator
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from typing import Any

VERSION = 1
# Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar), as ranges for a
# regular expression's [...]: a run of them is indexed as each pair of neighbouring characters, and its last
# character alone, so that every character starts a term. Two characters or more (家族) are searched as their
# pairs; one character (家) as the start of a term. search-query.js has the same ranges (UNSPACED):
# tests/test_javascript.py fails if the two differ. An excerpt of such text is cut by characters (entries.py).
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
)
ROW_FIELDS = ("key", "title", "time", "flags", "type", "tags", "snippet")
FLAGS = ("private", "discuss", "milestone")
# Printable ASCII that needs no escaping in a JSON string; a space separates the lists, so it is not a digit.
DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
HALF = len(DIGITS) // 2
SHARED = "".join(chr(c) for c in range(0x20, 0x7F) if not chr(c).isalnum() and chr(c) not in '"\\')


def runs(alphabet: str) -> list[list[int]]:
    """An alphabet as runs of consecutive code points, [first, last] each: how the manifest carries it (shorter
    than the characters themselves, and without ten digits in a row, which would read as a timestamp)."""
    found: list[list[int]] = []
    for code in map(ord, alphabet):
        if found and found[-1][1] + 1 == code:
            found[-1][1] = code
        else:
            found.append([code, code])
    return found


# What the page is told (in the manifest): everything it needs to decode rows, words and lists.
FORMAT: dict[str, Any] = {
    "fields": list(ROW_FIELDS),
    "flags": list(FLAGS),
    "digits": runs(DIGITS),
    "half": HALF,
    "shared": runs(SHARED),
}
_ROW_NAMES = frozenset(ROW_FIELDS)


def row(values: Mapping[str, Any]) -> list[Any]:
    """One entry's row: its values, named as in ROW_FIELDS, in that order."""
    if values.keys() != _ROW_NAMES:
        raise ValueError(f"a search row needs exactly {ROW_FIELDS}, not {tuple(values)}")
    return [values[name] for name in ROW_FIELDS]


def flags(values: Mapping[str, bool]) -> int:
    """The flags an entry has (named as in FLAGS) as one number."""
    return sum(1 << i for i, name in enumerate(FLAGS) if values[name])


def number(value: int) -> str:
    """A non-negative integer in DIGITS: carrying digits, then one final digit."""
    digits = [value % HALF]
    value //= HALF
    while value:
        digits.append(HALF + value % HALF)
        value //= HALF
    return "".join(DIGITS[d] for d in reversed(digits))


def _units(term: str) -> bytes:
    """A word as UTF-16 code units: the order and the slicing of JavaScript strings."""
    return term.encode("utf-16-be", "surrogatepass")


def utf16_order(terms: Collection[str]) -> list[str]:
    """Words sorted as JavaScript compares strings (by UTF-16 code units, not by code points)."""
    return sorted(terms) if all(map(str.isascii, terms)) else sorted(terms, key=_units)


def _shared_prefix(a: bytes, b: bytes) -> int:
    """Leading code units two words share (never half a surrogate pair), capped to one front-coding character."""
    n = 0
    limit = min(len(a), len(b), 2 * (len(SHARED) - 1))
    while n < limit and a[n : n + 2] == b[n : n + 2]:
        n += 2
    if n and 0xD8 <= a[n - 2] <= 0xDB:  # a high surrogate: keep the pair together
        n -= 2
    return n // 2


_DIFFERS = bytes([0, *[1] * 255])  # for bytes.translate: 1 where a byte is not 0


def _ascii_shared(terms: list[str]) -> list[int]:
    """For each of distinct ASCII words, how many leading characters it shares with the one before (the first: 0),
    at most len(SHARED) - 1; found for all the words in a few passes over one block of bytes, not a Python loop
    over each word's characters (a shard has 18,000 words).

    Each word is padded with NULs (never in a word) to one width, the words laid end to end read as one number
    and XOR-ed with itself shifted by one word: in a word's bytes, the first that is not 0 is the first character
    where it differs from the word before (a NUL against a letter where the shorter of the two ends)."""
    limit = len(SHARED) - 1
    width = max(map(len, terms), default=0) + 1
    blocks = "".join(map(str.ljust, terms, itertools.repeat(width), itertools.repeat("\0"))).encode("ascii")
    whole = int.from_bytes(blocks, "big")
    differs = (whole ^ (whole >> (8 * width))).to_bytes(len(blocks), "big").translate(_DIFFERS)
    starts = range(0, len(blocks), width)
    found = map(differs.find, itertools.repeat(b"\1"), starts, range(min(width, limit), len(blocks) + width, width))
    # Not found within the limit: the two share at least `limit` characters (or are the same word, which counts
    # as sharing all of its characters).
    return [at - start if at >= 0 else min(len(term), limit) for at, start, term in zip(found, starts, terms)]


def front_coded(terms: list[str]) -> str:
    """Sorted words, each as how much it shares with the one before plus the rest (units as JavaScript counts)."""
    if all(map(str.isascii, terms)):  # the common case: characters are code units
        return "".join([SHARED[n] + term[n:] for n, term in zip(_ascii_shared(terms), terms)])
    coded = []
    before = b""
    for term in terms:
        units = _units(term)
        shared = _shared_prefix(before, units)
        coded.append(SHARED[shared] + units[2 * shared :].decode("utf-16-be", "surrogatepass"))
        before = units
    return "".join(coded)


# Every step of one or two digits, ready-made: _STEP[d] writes the step d (as d - 1).
_STEP = ["", *(number(n) for n in range(HALF * HALF))]


def gaps(numbers: list[int]) -> str:
    """Ascending entry numbers as their steps."""
    if len(numbers) == 1 and numbers[0] + 1 < len(_STEP):  # a third of a shard's words occur in one entry
        return _STEP[numbers[0] + 1]
    steps = map(operator.sub, numbers, itertools.chain((-1,), numbers))
    if numbers[-1] < len(_STEP) - 1:  # no step is larger than the last number + 1: all ready-made (a shard)
        return "".join(map(_STEP.__getitem__, steps))
    return "".join(_STEP[d] if d < len(_STEP) else number(d - 1) for d in steps)


_SEPARATE = (-1,)  # put before each list: the step into it is its first number + 1, the one out of it negative


def posting_lists(lists: Iterable[list[int]], entries: int) -> str:
    """Every word's entries (ascending lists of numbers below `entries`) as their steps, the lists separated by a
    space: the same as " ".join(map(gaps, lists)), with a few C-level passes over all the numbers at once instead
    of Python steps for each word (a shard of 300 entries has 18,000 words and 100,000 numbers).

    The lists are laid end to end, each after a -1, and the step from each number to the next looked up in one
    table: within a list the steps are 1 to entries (from the -1 before the first number too), each written as
    gaps writes it; into the next list's -1 the step is negative, -entries to -1, which the table's end (read
    from the back) writes as the space between two lists."""
    if entries >= len(_STEP):  # a step may need more than two digits: word by word
        return " ".join(map(gaps, lists))
    flat: list[int] = []
    deque(map(flat.extend, itertools.chain.from_iterable(zip(itertools.repeat(_SEPARATE), lists))), maxlen=0)
    table = _STEP[: entries + 1] + [" "] * (entries + 1)
    return "".join(map(table.__getitem__, map(operator.sub, itertools.islice(flat, 1, None), flat)))
