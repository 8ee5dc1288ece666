"""Interlude's own Markdown, an extension beside the converter: wikilinks as Obsidian writes them ([[name]],
[[name|words]], [[name#heading]], ![[picture.png]]), each made a link or an element whose address is the
wikilink's target under WIKI_SCHEME, for generator.refs to find; and headings that need a space after their #s."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

from markdown import Extension, Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from generator.sources import AUDIO_SUFFIXES, IMAGE_SUFFIXES, VIDEO_SUFFIXES

WIKI_SCHEME = "interlude-wiki:"  # a wikilink's target between the Markdown step and the link step


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
