"""An entry's HTML made safe to show, offline: pasted HTML cleaned (scripts, frames, forms, event handlers and
javascript: links removed, with nh3), and each picture, sound or video from the web made a link to it, never
loaded. Each removal is a warning naming the line it was written on."""

from __future__ import annotations

import html
import re

import nh3

from generator.errors import EntryWarning
from generator.markdown_links import WIKI_SCHEME

_TAG = re.compile(r"<[^>]+>")

# Raw HTML in an entry is cleaned with nh3 (ammonia): harmless formatting stays, anything that could run
# code or send a form goes. Only entries that hold raw HTML or an unusual link scheme are cleaned (the rest is
# Markdown's own markup, which has neither), and each kind of removal is reported once with its line.
_CLEAN_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "main", "audio", "video", "source"}
_CLEAN_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_CLEAN_ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir"}
_CLEAN_ATTRIBUTES["a"] = _CLEAN_ATTRIBUTES.get("a", set()) | {"title"}
_CLEAN_ATTRIBUTES["details"] = {"open"}  # a callout folded with + starts open
for _media in ("audio", "video", "source"):
    _CLEAN_ATTRIBUTES[_media] = {"src", "controls", "type"}
_CLEAN_SCHEMES = {"http", "https", "mailto", "tel", WIKI_SCHEME.rstrip(":")}
_ODD_SCHEME = re.compile(r"(?:javascript|vbscript|data|file)\s*:")  # looked for in the lowercased text
_NEVER_RUN = "scripts, frames, forms and event handlers never run"
_REMOVED = [
    (re.compile(r"<script\b", re.I), "a <script>", _NEVER_RUN),
    (re.compile(r"<(iframe|frame|frameset|object|embed|applet)\b", re.I), "an embedded frame or object", _NEVER_RUN),
    (re.compile(r"<(form|input|button|select|textarea)\b", re.I), "a form", _NEVER_RUN),
    (
        re.compile(r"<(link|meta|base|style)\b", re.I),
        "a <link>, <meta>, <base> or <style>",
        "a page loads nothing and takes its look from the theme",
    ),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S), "an on…= event handler", _NEVER_RUN),
    (re.compile(r"(?:javascript|vbscript)\s*:", re.I), "a javascript: link", _NEVER_RUN),
    (
        re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
        'a style="…" attribute',
        "a page takes its look from the theme",
    ),
]


def clean_html(body_html: str, body: str, first_line: int, path: str, warnings: list[EntryWarning]) -> str:
    """The entry's HTML with scripts, frames, forms, event handlers and javascript: links removed (nh3),
    each kind of removal a warning naming the line it was written on."""
    if "<" not in body and (":" not in body or not _ODD_SCHEME.search(body.lower())):
        return body_html
    cleaned = nh3.clean(
        body_html, tags=_CLEAN_TAGS, attributes=_CLEAN_ATTRIBUTES, url_schemes=_CLEAN_SCHEMES, link_rel=None
    )
    for pattern, what, why in _REMOVED:
        found = pattern.search(body)
        if found and pattern.search(body_html):
            line = first_line + body.count("\n", 0, found.start())
            warnings.append(
                EntryWarning(
                    path,
                    f"{what} was removed: pasted HTML is cleaned, and {why}; remove it from the file to silence this",
                    line,
                )
            )
    return cleaned


# A picture, a sound or a video from the web would be fetched as the page opens, telling that server who reads
# the journal and when. Each is shown as a link instead (its words, or its address): one click, only if wanted.
_REMOTE = rf"(?!{WIKI_SCHEME})(?:[a-zA-Z][a-zA-Z0-9+.-]+:|//)"  # a scheme (not a drive letter, C:) or //host
_PLAYER = re.compile(r"<(audio|video)\b[^>]*>.*?</\1>", re.I | re.S)
_REMOTE_SRC = re.compile(rf'\ssrc="{_REMOTE}', re.I)
_REMOTE_IMAGE = re.compile(rf'<img\b[^>]*\ssrc="{_REMOTE}[^>]*>', re.I)
_REMOTE_SOURCE = re.compile(rf'<(?:source|audio|video)\b[^>]*\ssrc="{_REMOTE}[^>]*>', re.I)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.I)
_ALT_WORDS = re.compile(r'\salt="([^"]*)"', re.I)


def remote_media(body_html: str, body: str, first_line: int, path: str, warnings: list[EntryWarning]) -> str:
    """The entry's HTML with each picture, sound or video from the web made a link to it (never loaded), each
    one reported with the line it was written on."""
    if 'src="' not in body_html or not ('src="//' in body_html or ":" in body_html):
        return body_html
    reported: set[str] = set()

    def as_link(found: re.Match[str], address: str, words: str) -> str:
        url = html.unescape(address)
        if url not in reported:
            reported.add(url)
            at = body.find(url)
            warnings.append(
                EntryWarning(
                    path,
                    f"{url} is on the web, so it is shown as a link and not loaded (a page loads nothing from the "
                    "network); save it into the entries folder and link to the file to show it",
                    first_line + body.count("\n", 0, at) if at >= 0 else None,
                )
            )
        inside = body_html.count("<a ", 0, found.start()) + body_html.count("<a>", 0, found.start())
        inside -= body_html.count("</a>", 0, found.start())
        shown = words.strip() or html.escape(url)
        if inside > 0:  # a picture that was a link itself: its words, in that link
            return f'<span class="remote">{shown}</span>'
        return f'<a class="remote" href="{html.escape(url)}">{shown}</a>'

    def player(found: re.Match[str]) -> str:
        if not _REMOTE_SRC.search(found.group(0)):
            return found.group(0)
        address = next((a for a in _SRC.finditer(found.group(0)) if _REMOTE_SRC.match(a.group(0))), None)
        words = _TAG.sub("", found.group(0)).strip()
        return as_link(found, address.group(1) if address else "", words)

    def image(found: re.Match[str]) -> str:
        address, alt = _SRC.search(found.group(0)), _ALT_WORDS.search(found.group(0))
        return as_link(found, address.group(1) if address else "", alt.group(1) if alt else "")

    body_html = _PLAYER.sub(player, body_html)
    body_html = _REMOTE_IMAGE.sub(image, body_html)
    return _REMOTE_SOURCE.sub(image, body_html)
