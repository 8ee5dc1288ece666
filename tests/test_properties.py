"""Properties over generated input: reading any file gives an Entry or an EntryError, never anything else,
and building any journal gives a page for every entry that reads."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.config import Config, load_config
from generator.entries import Entry, MarkdownConverter, read_entry
from generator.errors import EntryError, EntryWarning
from generator.excerpts import lead_text, plain_text
from generator.slugs import MAX_SLUG

TODAY = date(2024, 3, 20)
KNOWN_KEYS = [
    "title",
    "date",
    "type",
    "tags",
    "discuss",
    "milestone",
    "private",
    "slug",
    "mood",
    "anxiety",
    "energy",
    "stress",
    "sleep",
    "before",
    "after",
    "emotion",
]
NASTY = [
    "no",
    "yes",
    "on",
    "off",
    "y",
    "~",
    "null",
    "true",
    "10:45",
    "1:30:00",
    "0x1F",
    "0o17",
    "0755",
    "1e400",
    ".inf",
    ".nan",
    "-",
    "---",
    "...",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!timestamp 2024-03-05 10:00",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "*a",
    "&a [*a]",
    "&a x",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "|",
    ">",
    "%",
    "@",
    "`",
    "#",
    ": ",
    "? x",
    "- x",
    "\t",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31 23:59",
    "2024-03-05T25:00",
    "2024-03-05 21:40:00+14:00",
    "2024-03-05T21:40Z",
    "1624-03-05",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "/",
    "\\",
    "\u202e",
    "\x85",
    "\u2028",
    "\ufeff",
    "🌊",
    "",
    "9" * 400,
    "[" * 30 + "]" * 30,
    "[a, [b, [c]]]",
    "{a: {b: 1}}",
    "'it''s'",
    '"\\u0000"',
    '"\\ud800"',
]
MARKDOWN = [
    "word",
    " ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "`",
    "```",
    "\\",
    "[",
    "](",
    ")",
    "<",
    ">",
    "&",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "|",
    "---",
    "[^1]",
    "[^1]: note",
    "<div>",
    "</div>",
    "<script>",
    "\t",
    "    ",
    "🌊",
    "é",
    "\u2028",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(NASTY),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)

DATES = st.one_of(
    st.sampled_from(["2024-03-05 21:40", "0001-01-01", "9999-12-31 23:59", "2024-03-05T21:40:00Z"]),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    st.dates(),
    st.datetimes(timezones=st.timezones()),
)


def is_safe_name(slug: str) -> bool:
    """A page name part: letters, marks and digits of any script (no capitals) joined by single hyphens."""
    parts = slug.split("-")
    return (
        all(parts)
        and all(unicodedata.category(c)[0] in "LMN" and c == c.lower() for part in parts for c in part)
        and unicodedata.is_normalized("NFC", slug)
        and len(slug.encode()) <= 150
    )


@st.composite
def front_matter_line(draw: st.DrawFn) -> tuple[str, str]:
    """A key and its line: mostly a value as YAML writes it, sometimes one written as a person might."""
    key = draw(st.sampled_from(KNOWN_KEYS) | st.text(min_size=1, max_size=8))
    if draw(st.integers(0, 9)) < 9:  # (hypothesis favours 0: the common case goes there)
        try:
            return key, yaml.safe_dump({key: draw(values)}, default_flow_style=True, allow_unicode=True, width=10**6)[
                1:-2
            ]
        except (yaml.YAMLError, ValueError):
            pass
    return key, f"{key}: {draw(st.sampled_from(NASTY) | st.text(max_size=16))}"


@st.composite
def entry_bytes(draw: st.DrawFn) -> bytes:
    """A whole file: front matter (well formed, unclosed or none), a Markdown body, an encoding, line ends."""
    pairs = draw(st.lists(front_matter_line(), max_size=6, unique_by=lambda pair: pair[0]))
    lines = [line for _, line in pairs]
    if draw(st.integers(0, 3)) < 3 and "date" not in dict(pairs):  # most entries get a date, to get far
        lines.insert(draw(st.integers(0, len(lines))), f"date: {draw(DATES)}")
    body = draw(st.lists(st.sampled_from(MARKDOWN) | st.text(max_size=10), max_size=25).map("".join))
    shape = draw(st.sampled_from(["closed"] * 6 + ["dots", "unclosed", "none"]))
    front = {"closed": "---\n{}\n---\n", "dots": "---\n{}\n...\n", "unclosed": "---\n{}\n", "none": ""}[shape]
    text = front.format("\n".join(lines)) + body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(["utf-8"] * 5 + ["utf-8-sig", "utf-16", "cp1252", "bytes"]))
    if encoding == "bytes":
        return draw(st.binary(max_size=200))
    return text.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass")


NAMES = st.sampled_from(["entry.md", "2024-03-05-named.md", "2024-02-30-impossible.md", "notes.markdown"])


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, MarkdownConverter, Path]:
    """Default settings, one converter, and a folder to write generated files into."""
    folder = tmp_path_factory.mktemp("generated")
    config = load_config(folder, tmp_path_factory.mktemp("out") / "output")
    return config, MarkdownConverter(config.markdown_extensions), folder


def check_entry(entry: Entry) -> None:
    """What every page name and model field relies on."""
    assert is_safe_name(entry.slug) and len(entry.slug) <= MAX_SLUG, entry.slug
    assert all(is_safe_name(tag.slug) for tag in entry.tags), entry.tags
    assert isinstance(entry.title, str) and entry.title
    assert entry.date.tzinfo is None
    assert all(isinstance(w, EntryWarning) for w in entry.warnings)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=entry_bytes(), name=NAMES)
def test_reading_anything_gives_an_entry_or_an_entry_error(
    reader: tuple[Config, MarkdownConverter, Path], data: bytes, name: str
) -> None:
    config, converter, folder = reader
    path = folder / name
    path.write_bytes(data)
    try:
        entry = read_entry(path, name, config, converter)
    except EntryError as error:
        assert not isinstance(error, EntryWarning)
        assert error.path == name and "\n" not in error.message
        return
    check_entry(entry)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(NAMES, entry_bytes()), min_size=1, max_size=4))
def test_building_any_journal_gives_a_page_for_every_entry_that_reads(
    reader: tuple[Config, MarkdownConverter, Path], files: list[tuple[str, bytes]]
) -> None:
    _, converter, _ = reader
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        readable = 0
        for number, (name, data) in enumerate(files):
            path = root / "entries" / str(number) / name  # a folder each: names may repeat
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
        config = load_config(root / "entries", root / "output")
        for path in sorted((root / "entries").rglob("*.*")):
            try:
                read_entry(path, path.name, config, converter)
                readable += 1
            except EntryError:
                pass
        report = build(config, TODAY, cache=False)
        pages = list((root / "output" / "entries").glob("*.html")) if readable else []
        assert report.entries == readable == len(pages)
        assert len([p for p in report.problems if not isinstance(p, EntryWarning)]) == len(files) - readable
        assert (root / "output" / "index.html").is_file()
        assert sorted(p.name for p in root.iterdir()) == ["entries", "output"]


_LEAD_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<h2>Heading</h2>",
        "<ul>\n<li>item</li>\n</ul>",
        "word ",
        "two words ",
        "<em>x</em>",
        "&amp; ",
        "\n",
        "<pre><code>code</code></pre>",
        "<br />",
        "café ",
    ]
)


@settings(max_examples=400)
@given(st.lists(_LEAD_PIECES, max_size=40).map("".join), st.integers(min_value=0, max_value=12))
def test_the_lead_is_the_words_of_the_first_paragraphs(body_html: str, words: int) -> None:
    # The lead is read from each <p>…</p> in turn, up to the paragraph that reaches the count.
    found: list[str] = []
    for paragraph in re.finditer(r"<p>(.*?)</p>", body_html, re.S):
        found.extend(plain_text(paragraph.group(1)).split())
        if len(found) >= words:
            break
    assert lead_text(body_html, words) == " ".join(found[: words + 1])


def _first_too_deep(body: str) -> int | None:
    """The nesting rule as one search of the whole body: the first line whose lists and quotes go past MAX_NESTING."""
    from generator.entries import _MARKER, _NESTED, MAX_NESTING

    for found in _NESTED.finditer(body):
        if len(found.group(1).expandtabs(4)) // 2 + len(_MARKER.findall(found.group(2))) > MAX_NESTING:
            return body.count("\n", 0, found.start())
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["- ", "> ", "1. ", "12) ", "* ", "+ ", " ", "\t", "\n", "\n\n", "x", ".", ">", "- " * 21]),
        max_size=120,
    ).map("".join)
)
def test_too_deep_nesting_is_found_on_the_line_a_search_of_the_whole_text_finds(body: str) -> None:
    from generator.entries import _too_deep

    assert _too_deep(body) == _first_too_deep(body)


@pytest.mark.parametrize("name", ["[" * 30 + "]" * 30, "🙂" * 20, "✨🌙" * 9, "!?" * 40])
def test_a_tag_without_words_is_named_by_its_whole_code_points(name: str) -> None:
    """A tag with no letters or digits (emoji, brackets) is named by its characters' code points, cut to the
    slug's length at a whole one: never half a code point, never a hyphen at the end."""
    from generator.slugs import tag_slug

    slug = tag_slug(name)
    assert slug.startswith("tag-") and is_safe_name(slug)
    codes = slug.removeprefix("tag-").split("-")
    assert codes == [f"{ord(c):x}" for c in name][: len(codes)]  # the first characters', each whole
    assert len("-".join(codes)) <= MAX_SLUG < len("-".join(f"{ord(c):x}" for c in name[: len(codes) + 1]))
