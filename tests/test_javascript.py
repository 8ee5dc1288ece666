"""The theme's JavaScript checked without a browser, under Node: every script parses (`node --check`), and the
search's pure parts (word rules, query parsing, the index decoder) give what Python gives, so that the two
sides of each contract cannot drift apart. Without Node these skip with the reason, and fail when CI=true."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.searchformat import FORMAT, UNSPACED, front_coded, gaps, utf16_order
from generator.views.search import words
from tests.conftest import _unavailable

THEME = Path(__file__).resolve().parent.parent / "templates"
SCRIPTS = sorted(THEME.rglob("*.js"))
STATIC = THEME / "static"

# Runs search-index.js and search-query.js in a sandbox whose `window` is a plain object (neither touches the page
# as it loads), then answers each request read from standard input.
RUNNER = r"""
const vm = require("vm"), fs = require("fs");
const window = {};
const context = vm.createContext({ window: window, console: console });
for (const file of process.argv.slice(1)) { vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file }); }
const ns = window.interludeSearch;
const asked = JSON.parse(fs.readFileSync(0, "utf8"));
const decoder = asked.format ? new ns.Decoder(asked.format) : null;
process.stdout.write(JSON.stringify({
  words: (asked.words || []).map(function (text) { return ns.wordsOf(text); }),
  queries: (asked.queries || []).map(function (text) {
    const query = ns.parse(text);
    return { clauses: query.clauses, type: query.type, tag: query.tag, requirements: ns.requirements(query) };
  }),
  terms: decoder ? decoder.terms(asked.terms) : [],
  postings: decoder ? asked.postings.map(function (list) { return decoder.postings(list); }) : [],
}));
"""


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        _unavailable("node not found (install it: apt-get install nodejs)")
    assert found is not None
    return found


def ask(request: dict[str, Any]) -> dict[str, Any]:
    """The search scripts' answers to one request, run under Node."""
    result = subprocess.run(
        [node(), "-e", RUNNER, str(STATIC / "search-index.js"), str(STATIC / "search-query.js")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(THEME).as_posix())
def test_every_script_of_the_theme_parses(script: Path) -> None:
    result = subprocess.run([node(), "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _range_edges() -> list[str]:
    """The first and last character of each unspaced range Python declares, and the ones just outside it."""
    chars = list(UNSPACED)
    edges = []
    for first, last in zip(chars[0::3], chars[2::3], strict=True):
        assert chars[chars.index(first) + 1] == "-"
        edges += [chr(ord(first) - 1), first, last, chr(ord(last) + 1)]
    return edges


def test_a_query_is_cut_into_the_words_python_indexes() -> None:
    edges = _range_edges()
    texts = [
        "Couldn't sleep — the tram, again.",
        "Café CAFÉ cafe\u0301 naïve Ängste",
        "l’appel d'air _under_score_ x²",
        "家族と話した。今日は疲れた",
        "ภาษาไทย ພາສາລາວ ភាសាខ្មែរ မြန်မာ",
        "𠀀𠀁 and 𪚥 (astral CJK)",
        "mixed家族words and 3rd 2026-11-17",
        *(f"a{c}{c}b {c}" for c in edges),
    ]
    assert ask({"words": texts})["words"] == [as_asked(words(text)) for text in texts]


def as_asked(indexed: list[str]) -> list[str]:
    """Python's indexed words as a query asks for them: a run of unspaced script is indexed as its pairs and its
    last character alone (so that a single character finds it), and asked for as its pairs only."""
    lone = re.compile(f"[{UNSPACED}]")
    return [
        word
        for before, word in zip(["", *indexed], indexed, strict=False)
        if not (lone.fullmatch(word) and len(before) == 2 and before[1] == word)
    ]


def test_a_query_reads_phrases_filters_and_the_word_still_being_typed() -> None:
    answers = ask({"queries": ['"wise mind" type:Dream TAG:Sleep wal', "tram.", "家", "“walk home”"]})["queries"]
    # Worked by hand from the query syntax: a quoted phrase, filters lowercased, the last word a prefix while typed.
    assert answers[0]["clauses"] == [
        {"words": ["wise", "mind"], "phrase": True, "prefix": False},
        {"words": ["wal"], "phrase": False, "prefix": True},
    ]
    assert (answers[0]["type"], answers[0]["tag"]) == ("dream", "sleep")
    assert answers[0]["requirements"] == [
        {"word": "wise", "prefix": False},
        {"word": "mind", "prefix": False},
        {"word": "wal", "prefix": True},
    ]
    assert answers[1]["requirements"] == [{"word": "tram", "prefix": False}]  # ended by a full stop: a whole word
    assert answers[2]["requirements"] == [{"word": "家", "prefix": True}]  # one unspaced character starts terms
    assert answers[3]["clauses"] == [{"words": ["walk", "home"], "phrase": True, "prefix": False}]  # curly quotes


def test_the_decoder_reads_back_the_words_and_lists_python_writes() -> None:
    draw = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzéß家族ไ" + "\U00020000"
    terms = utf16_order({"".join(draw.choices(alphabet, k=draw.randint(1, 12))) for _ in range(400)})
    lists = [sorted(draw.sample(range(5000), draw.randint(1, 30))) for _ in range(60)]
    lists += [[0], [4999], list(range(200)), [47 * 47 - 2, 47 * 47 - 1, 47 * 47, 60000]]  # steps around two digits
    answer = ask({"format": FORMAT, "terms": front_coded(terms), "postings": [gaps(numbers) for numbers in lists]})
    assert answer["terms"] == terms
    assert answer["postings"] == lists


def test_an_excerpt_of_unspaced_script_is_cut_by_characters_in_every_range_the_search_knows() -> None:
    """The excerpt rule uses the search's ranges: text in the astral CJK range (U+20000 on) is cut like 家族."""
    from generator.excerpts import first_words

    # 10 words asked: unspaced text is cut at 2 characters a word, so 20 characters and "…".
    for char in ("家", "\U00020001"):
        assert first_words(char * 100, 10) == char * 20 + "…"
