"""The built small journal as a whole: every link works offline, every entry has its page,
previous/next and tag pages point at the right entries."""

from __future__ import annotations

import posixpath
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import BuildReport
from tests.regenerate_golden import build_small

# The small journal's entries, oldest first, as worked out by hand from tests/journals/small/.
KEYS = [
    "2024-02-27-cannot-sleep",
    "2024-03-01-first-session",
    "2024-03-03-the-tram-that-would-not-stop",
    "2024-03-05-walked-all-the-way-home",
    "2024-03-06-just-for-me",
    "2024-03-08-second-session",
    "2024-04-02-spring-at-last",
]
TITLES = [
    "Cannot sleep",
    "First session",
    "The tram that would not stop",
    "Walked all the way home",
    "Just for me",
    "Second session",
    "Spring &lt;at last&gt;",
]
TAGS = {  # newest first, as a tag page lists them
    "sleep": ["2024-03-03-the-tram-that-would-not-stop", "2024-03-01-first-session", "2024-02-27-cannot-sleep"],
    "therapy": ["2024-03-08-second-session", "2024-03-01-first-session"],
    "dream": ["2024-03-03-the-tram-that-would-not-stop"],
    "family": ["2024-03-06-just-for-me", "2024-03-05-walked-all-the-way-home"],
    "outside": ["2024-04-02-spring-at-last", "2024-03-05-walked-all-the-way-home"],
}


class Links(HTMLParser):
    """Every href/src (with its tag and rel) and every id of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append((tag, values.get("rel") or "", values[name] or ""))


def parse(data: bytes) -> Links:
    parser = Links()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    output = tmp_path_factory.mktemp("small") / "site"
    return output, build_small(output)


@pytest.fixture(scope="module")
def pages(site: tuple[Path, BuildReport]) -> dict[str, Links]:
    output, _ = site
    return {p.relative_to(output).as_posix(): parse(p.read_bytes()) for p in sorted(output.rglob("*.html"))}


def target(page: str, href: str) -> tuple[str, str]:
    """The site-relative file and the fragment a link on `page` points at."""
    path, _, fragment = href.partition("#")
    path = path.partition("?")[0]
    if not path:
        return page, fragment
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)), fragment


def entry_links(links: Links, page: str) -> list[str]:
    """Entry keys linked from a page, in order, each once."""
    keys: list[str] = []
    for _, _, href in links.links:
        found = re.fullmatch(r"entries/(.+)\.html", target(page, href)[0])
        if found and found.group(1) not in keys:
            keys.append(found.group(1))
    return keys


def test_builds_without_problems(site: tuple[Path, BuildReport]) -> None:
    _, report = site
    assert report.problems == []
    assert report.entries == 7


def test_every_link_is_relative_and_offline(pages: dict[str, Links]) -> None:
    for page, links in pages.items():
        for _tag, _, href in links.links:
            assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href), (page, href)  # no http:, data:, file:
            assert not href.startswith("/"), (page, href)  # neither /abs nor //host
            assert not href.endswith("/"), (page, href)  # a folder does not open from file://


def test_every_link_points_at_a_file_and_an_id_that_exist(
    site: tuple[Path, BuildReport], pages: dict[str, Links]
) -> None:
    output, _ = site
    checked = 0
    for page, links in pages.items():
        for _, _, href in links.links:
            file, fragment = target(page, href)
            assert not file.startswith("../"), (page, href)
            assert (output / file).is_file(), (page, href)
            if fragment:
                assert fragment in pages[file].ids, (page, href)
            checked += 1
    assert checked > 100


def test_stylesheet_loads_nothing_from_elsewhere(site: tuple[Path, BuildReport]) -> None:
    output, _ = site
    for css in output.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text
        assert not re.search(r"url\(\s*['\"]?(?:[a-z]+:|//)", text, re.I), css


def test_every_page_is_reachable_from_the_index(pages: dict[str, Links]) -> None:
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        page = todo.pop()
        for _, _, href in pages[page].links:
            file = target(page, href)[0]
            if file.endswith(".html") and file not in seen:
                seen.add(file)
                todo.append(file)
    assert seen == set(pages)


def test_every_entry_has_its_page(site: tuple[Path, BuildReport]) -> None:
    output, _ = site
    made = sorted(p.stem for p in (output / "entries").glob("*.html"))
    assert made == KEYS
    for key, title in zip(KEYS, TITLES):
        assert f"<h1>{title}</h1>" in (output / "entries" / f"{key}.html").read_text(encoding="utf-8")


def test_previous_and_next_links(pages: dict[str, Links]) -> None:
    for index, key in enumerate(KEYS):
        page = f"entries/{key}.html"
        rels = {rel: target(page, href)[0] for _, rel, href in pages[page].links if rel in ("prev", "next")}
        expected = {}
        if index > 0:
            expected["prev"] = f"entries/{KEYS[index - 1]}.html"
        if index + 1 < len(KEYS):
            expected["next"] = f"entries/{KEYS[index + 1]}.html"
        assert rels == expected, key


def test_tag_pages_list_their_entries(site: tuple[Path, BuildReport], pages: dict[str, Links]) -> None:
    output, _ = site
    assert sorted(p.stem for p in (output / "tags").glob("*.html")) == sorted(TAGS)
    for slug, keys in TAGS.items():
        assert entry_links(pages[f"tags/{slug}.html"], f"tags/{slug}.html") == keys, slug
    listed = [target("tags.html", href)[0] for _, _, href in pages["tags.html"].links]
    assert {f"tags/{slug}.html" for slug in TAGS} <= set(listed)


def test_month_pages_hold_their_entries(pages: dict[str, Links]) -> None:
    """Each entry is an anchor on its month's page (entry pages link back to it), on no other."""
    months = {"timeline/2024-02.html": KEYS[:1], "timeline/2024-03.html": KEYS[1:6], "timeline/2024-04.html": KEYS[6:]}
    assert sorted(p for p in pages if p.startswith("timeline/")) == sorted(months)
    for page, keys in months.items():
        assert sorted(pages[page].ids & set(KEYS)) == keys, page
        assert set(keys) <= set(entry_links(pages[page], page)), page


def test_every_file_of_the_build_is_private(site: tuple[Path, BuildReport]) -> None:
    """The pages, the stylesheet, the marker and the build cache: only the owner may read them."""
    output, _ = site
    paths = [output, *output.rglob("*")]
    assert any(p.name == ".interlude-site" for p in paths)
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_hashtags_link_to_tag_pages_that_exist_from_every_page_that_shows_them(tmp_path: Path) -> None:
    import re as regex

    from generator.build import build
    from generator.config import load_config
    from tests.helpers import write_entry

    write_entry(tmp_path / "entries", "2024-03-05-a.md", "2024-03-05", "A", "Tonight #grief came back.", discuss="true")
    build(load_config(tmp_path / "entries", tmp_path / "out"))
    for page in ("entries/2024-03-05-a.html", "next-session.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        links = regex.findall(r'<a class="hashtag" href="([^"]+)">#grief</a>', html)
        assert links, page
        for link in links:
            assert ((tmp_path / "out" / page).parent / link).resolve().is_file(), (page, link)
        assert "\x00" not in html
    (tmp_path / "journal.yaml").write_text("hashtags: false\n", encoding="utf-8")
    build(load_config(tmp_path / "entries", tmp_path / "off", config_path=tmp_path / "journal.yaml"))
    assert 'class="hashtag"' not in (tmp_path / "off" / "entries" / "2024-03-05-a.html").read_text(encoding="utf-8")
    assert not (tmp_path / "off" / "tags" / "grief.html").exists()
