"""The search index built in Python: word rules, the format (generator/searchformat.py) that static/search-index.js
decodes, half-year shards, size."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import make_journal
from generator import searchformat
from generator.excerpts import plain_text, visible_text
from generator.store import read_journal
from generator.views import search
from tests.helpers import journal_config, write_entry


def decode_shard(script: bytes) -> dict:
    """The data a shard hands to window.interludeSearch.add(...)."""
    text = script.decode("utf-8")
    found = re.fullmatch(r"window\.interludeSearch\.(add|manifest)\((.*)\);\n", text, re.S)
    assert found, text[:80]
    return json.loads(found.group(2))


def decode_index(terms: str, postings: str) -> dict[str, list[int]]:
    """The decoder of static/search-index.js, in Python, with the alphabets of generator/searchformat.py:
    front-coded words (cut in UTF-16 code units, as JavaScript slices strings), gap-encoded entry numbers."""
    words: list[str] = []
    previous = b""
    i = 0
    while i < len(terms):
        shared = searchformat.SHARED.index(terms[i])
        j = i + 1
        while j < len(terms) and terms[j] not in searchformat.SHARED:
            j += 1
        previous = previous[: 2 * shared] + terms[i + 1 : j].encode("utf-16-be", "surrogatepass")
        words.append(previous.decode("utf-16-be", "surrogatepass"))
        i = j
    half = searchformat.HALF
    lists = []
    for coded in postings.split(" "):
        numbers, last, value = [], -1, 0
        for char in coded:
            digit = searchformat.DIGITS.index(char)
            if digit >= half:
                value = value * half + digit - half
            else:
                last += value * half + digit + 1
                numbers.append(last)
                value = 0
        lists.append(numbers)
    assert len(words) == len(lists)
    return dict(zip(words, lists))


def decode_row(row: list) -> dict:
    """A shard's row by field name, its flags as the set of their names."""
    fields = dict(zip(searchformat.ROW_FIELDS, row, strict=True))
    fields["flags"] = {name for i, name in enumerate(searchformat.FLAGS) if fields["flags"] & (1 << i)}
    return fields


def test_words_are_lowercase_without_accents_or_apostrophes():
    assert search.words("Don't — Café, NAÏVE well-being I’m 3.5 x_y") == [
        "dont",
        "cafe",
        "naive",
        "well",
        "being",
        "im",
        "3",
        "5",
        "xy",
    ]


def test_scripts_without_spaces_are_indexed_by_characters_and_pairs():
    # 私の家 (no spaces): each two characters in a row, and the last alone; words around it stay words.
    assert search.words("Tokyo 私の家 2024") == ["tokyo", "私の", "の家", "家", "2024"]
    assert search.words("ภาษาไทย") == ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย", "ย"]
    assert search.words("夢") == ["夢"]
    # Scripts with spaces keep whole words, whatever their alphabet.
    assert search.words("Привет мир, γειά σου") == ["привет", "мир", "γεια", "σου"]


JAPANESE = [
    "今日は家族と夕ご飯を食べた。",
    "夢の話をした。",
    "明日はまた先生に会う。",
    "朝から雨が降っていて、気分が重かった。",
    "仕事の帰りに公園を少し歩いた。",
    "母から電話があって、昔の家のことを話した。",
    "眠れない夜がまた続いている。",
    "呼吸の練習を三回やってみた。",
    "友だちに手紙を書こうと思ったが、まだ書けない。",
    "電車の中で急に不安になった。",
    "でも、十分ほどで落ち着いた。",
    "先週より少しだけ楽になった気がする。",
]


def test_a_japanese_journal_index_stays_under_half_the_text(tmp_path):
    """Pairs of characters make more terms than words do (an English index is under a third of its text);
    Japanese text still keeps its index under half its size."""
    rng = random.Random(1)
    for n in range(90):
        day = f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}"
        write_entry(
            tmp_path / "entries",
            f"{day}.md",
            day,
            day,
            "".join(rng.choice(JAPANESE) for _ in range(rng.randint(8, 30))),
        )
    files = search.search_files(read_journal(journal_config(tmp_path)))
    text = sum(p.stat().st_size for p in (tmp_path / "entries").rglob("*.md"))
    assert sum(len(data) for data in files.values()) < text / 2


@settings(max_examples=300)
@given(st.text(alphabet="ab Z_'’‘“”—–…\u00a0.,-3é\x01\t\nßİ家夢の", max_size=30))
def test_fast_ascii_path_agrees_with_the_word_rule(text):
    assert search.term_set(text) == frozenset(search.words(text))


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<em>",
                "</em>",
                "<br />",
                "<li>",
                "</li>",
                "&amp;",
                "&lt;",
                "&#8217;",
                "&nbsp;",
                "don",
                "’",
                "t",
                " ",
                "\n",
                "\t",
                "Café",
                "x_y",
                "—",
                "3.5",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_an_entrys_words_come_straight_from_its_html_as_from_its_plain_text(body_html):
    # entry_terms reads the HTML's visible text without first collapsing its whitespace (plain_text): same words.
    assert search.term_set(visible_text(body_html)) == search.term_set(plain_text(body_html))


def test_the_format_writes_json_without_escapes_and_words_without_ambiguity():
    # Both alphabets go into JSON strings as they are; a list never holds the space that separates lists, and a
    # front-coding character can never be part of a word (words are letters and digits).
    for alphabet in (searchformat.DIGITS, searchformat.SHARED):
        assert json.dumps(alphabet) == f'"{alphabet}"' and alphabet.isascii() and len(set(alphabet)) == len(alphabet)
    assert " " not in searchformat.DIGITS and len(searchformat.DIGITS) >= 2 * searchformat.HALF
    assert not any(c.isalnum() for c in searchformat.SHARED)
    assert searchformat.number(0) == searchformat.DIGITS[0]
    assert searchformat.number(searchformat.HALF) == searchformat.DIGITS[searchformat.HALF + 1] + searchformat.DIGITS[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sets(st.integers(0, 2200), min_size=1), max_size=12), st.integers(0, 3))
def test_all_lists_at_once_are_the_lists_one_by_one(sets, spare):
    # posting_lists lays every list end to end and writes all steps in one pass: the same as gaps word by word,
    # below and above the entry count where a step can need three digits (then it goes word by word).
    lists = [sorted(s) for s in sets]
    entries = max((numbers[-1] + 1 for numbers in lists), default=0) + spare
    assert searchformat.posting_lists(lists, entries) == " ".join(map(searchformat.gaps, lists))


def _front_coded_char_by_char(terms: list[str]) -> str:
    """Front coding as a loop over each word's characters (for ASCII words, characters are code units)."""
    coded, previous = [], ""
    for term in terms:
        n = 0
        while n < min(len(term), len(previous), len(searchformat.SHARED) - 1) and term[n] == previous[n]:
            n += 1
        coded.append(searchformat.SHARED[n] + term[n:])
        previous = term
    return "".join(coded)


@settings(max_examples=300, deadline=None)
@given(st.sets(st.tuples(st.sampled_from([0, 1, 29, 30, 31, 40]), st.text("ab0", max_size=5)), max_size=40))
def test_shared_starts_of_ascii_words_found_at_once_are_those_counted_char_by_char(starts_and_ends):
    # Short words, and long ones sharing about as many characters as one front-coding character can say, or more.
    words = {"x" * length + end for length, end in starts_and_ends} - {""}
    terms = searchformat.utf16_order(words)
    assert searchformat.front_coded(terms) == _front_coded_char_by_char(terms)


def test_a_row_is_its_named_values_in_the_formats_order():
    values = {"snippet": "s", "tags": [1], "type": 0, "flags": 5, "time": "", "title": "T", "key": "k"}
    assert dict(zip(searchformat.ROW_FIELDS, searchformat.row(values), strict=True)) == values
    assert searchformat.flags({"private": True, "discuss": False, "milestone": True}) == 5
    with pytest.raises(ValueError):
        searchformat.row({**values, "mood": 3})


def test_index_round_trips_through_the_decoder():
    sets = [frozenset({"anxiety", "anxious", "a"}), frozenset({"a", "b"}), frozenset(), frozenset({"a", "zebra"})]
    sets += [frozenset({"a"})] * 3000  # gaps and numbers that need several digits
    terms, postings = search.inverted_index(sets)
    decoded = decode_index(terms, postings)
    assert decoded["anxiety"] == [0] and decoded["anxious"] == [0] and decoded["zebra"] == [3]
    assert decoded["a"] == [0, 1, 3, *range(4, 3004)]
    assert list(decoded) == sorted(decoded)


def test_words_beyond_the_basic_plane_sort_and_slice_like_javascript():
    sets = [frozenset({"\U0001d400a", "\U0001d400b", "\U0001d401", "\uffeda", "z"})]  # 𝐀, 𝐁 share a high surrogate
    decoded = decode_index(*search.inverted_index(sets))
    assert set(decoded) == set(sets[0])
    assert list(decoded) == sorted(decoded, key=lambda w: w.encode("utf-16-be", "surrogatepass"))


def small_journal(root: Path):
    entries = root / "entries"
    write_entry(entries, "a.md", "2025-12-30 21:40", "Old year", "The kettle sang.", tags="[sleep]")
    write_entry(entries, "b.md", "2026-01-02", "Bad night", "A bad night, then tea.", type="dream", private="true")
    write_entry(entries, "c.md", "2026-01-03", "Morning", "Calm morning.", tags="[Sleep, work]", discuss="true")
    return read_journal(journal_config(root))


def test_one_shard_per_half_year_and_a_manifest(tmp_path):
    files = search.search_files(small_journal(tmp_path))
    assert sorted(files) == ["search/2025-2.js", "search/2026-1.js", "search/index.js"]
    manifest = decode_shard(files["search/index.js"])
    assert [s[0] for s in manifest["shards"]] == ["2026-1", "2025-2"]  # newest first
    assert manifest["count"] == 3
    spelt = {
        name: "".join(chr(c) for first, last in manifest["format"][name] for c in range(first, last + 1))
        for name in ("digits", "shared")
    }
    assert spelt == {"digits": searchformat.DIGITS, "shared": searchformat.SHARED}
    assert manifest["format"] | spelt == {
        "fields": list(searchformat.ROW_FIELDS),
        "flags": list(searchformat.FLAGS),
        "half": searchformat.HALF,
        **spelt,
    }
    shard = decode_shard(files["search/2026-1.js"])
    assert shard["name"] == "2026-1" and shard["types"] == ["dream", "reflection"]
    bad, calm = map(decode_row, shard["entries"])
    assert (bad["key"], bad["title"], bad["time"]) == ("2026-01-02-bad-night", "Bad night", "")
    assert bad["flags"] == {"private"}  # private: in the person's own index
    assert shard["types"][bad["type"]] == "dream" and bad["tags"] == []
    assert calm["flags"] == {"discuss"} and [shard["tags"][t] for t in calm["tags"]] == [
        ["sleep", "Sleep"],
        ["work", "work"],
    ]
    assert calm["snippet"] == "Calm morning."
    old = decode_row(decode_shard(files["search/2025-2.js"])["entries"][0])
    assert old["time"] == "21:40" and old["flags"] == set()
    index = decode_index(shard["terms"], shard["postings"])
    assert index["bad"] == [0] and index["tea"] == [0] and index["calm"] == [1]
    assert index["dream"] == [0] and index["sleep"] == [1]  # type and tags are words of the entry too
    assert index["night"] == [0] and index["morning"] == [1]  # titles as well


def test_an_edit_rewrites_one_shard_and_the_manifest(tmp_path):
    before = search.search_files(small_journal(tmp_path))
    write_entry(tmp_path / "entries", "c.md", "2026-01-03", "Morning", "Calm morning, then rain.")
    after = search.search_files(read_journal(journal_config(tmp_path)))
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"search/2026-1.js", "search/index.js"}
    assert "rain" in decode_index(*(decode_shard(after["search/2026-1.js"])[k] for k in ("terms", "postings")))


def test_the_search_page_offers_the_journals_types_and_tags(tmp_path):
    page = search.search_page(small_journal(tmp_path))
    assert page.path == "search.html"
    assert page.made_context()["types"] == ["dream", "reflection"]
    assert [t.slug for t in page.made_context()["tags"]] == ["sleep", "work"]


def test_index_is_under_a_third_of_the_journal(tmp_path):
    make_journal(tmp_path / "entries", 300)
    files = search.search_files(read_journal(journal_config(tmp_path)))
    text = sum(p.stat().st_size for p in (tmp_path / "entries").rglob("*.md"))
    assert sum(len(data) for data in files.values()) < text / 3
