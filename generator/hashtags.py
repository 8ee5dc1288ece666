"""#hashtags in an entry's text: found (they are tags too) and made links to their tag pages; and taken out of
a page that is one file, where no tag page is."""

from __future__ import annotations

import html
import re

from generator.refs import ROOT_MARK
from generator.slugs import tag_slug

# #grief, #self-compassion, #сон: a hashtag starts a word (after a space, an opening bracket or the start of a
# line), holds a letter, and is not a number (#1), an entity (&#39;) or a URL's fragment (page#part).
_HASHTAG = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))#((?:\d*[^\W\d_])[\w-]*(?:/[\w-]+)*)", re.M)
_SKIP_TAGS = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_HASHTAG_LINK = re.compile(r'<a class="hashtag" href="\x00root\x00tags/[^"]*">([^<]*)</a>')


def hashtags(body_html: str) -> tuple[str, list[str]]:
    """The entry's HTML with each #hashtag in its text made a link to its tag page, and the tags found, in
    order. Headings, code and links are left alone (a heading's # is gone by now; `#1` stays a number)."""
    if "#" not in body_html:
        return body_html, []
    found: list[str] = []
    parts: list[str] = []
    skipping: list[str] = []
    position = 0

    def link(match: re.Match[str]) -> str:
        name = match.group(1).rstrip("-/")
        found.append(name)
        rest = match.group(1)[len(name) :]
        return f'<a class="hashtag" href="{ROOT_MARK}tags/{tag_slug(name)}.html">#{html.escape(name, quote=False)}</a>{rest}'

    for tag in _HTML_TAG.finditer(body_html):
        text = body_html[position : tag.start()]
        parts.append(_HASHTAG.sub(link, text) if not skipping and "#" in text else text)
        parts.append(tag.group(0))
        name = tag.group(2).lower()
        if name in _SKIP_TAGS:
            if tag.group(1):
                if skipping and skipping[-1] == name:
                    skipping.pop()
            elif not tag.group(0).endswith("/>"):
                skipping.append(name)
        position = tag.end()
    text = body_html[position:]
    parts.append(_HASHTAG.sub(link, text) if not skipping and "#" in text else text)
    return "".join(parts), found


def without_hashtag_links(body_html: str) -> str:
    """The body with each #hashtag's link made its plain words again."""
    return _HASHTAG_LINK.sub(r"\1", body_html) if ROOT_MARK in body_html else body_html
