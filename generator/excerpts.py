"""An entry's HTML as plain text: its visible words, the lead of its first paragraphs, and an excerpt's first
words, never much longer in a script without spaces."""

from __future__ import annotations

import html
import re

from generator.searchformat import UNSPACED

_TAG = re.compile(r"<[^>]+>")
_FOOTNOTES = re.compile(r'<div class="footnote">.*?</div>|<sup id="fnref[^"]*">.*?</sup>', re.S)
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|div|blockquote|pre|dt|dd)>|<br\s*/?>|<hr\s*/?>", re.I)

# A text in a script without spaces (Chinese, Japanese) is one "word" per sentence: an excerpt of it is cut
# at about as many characters as the words asked for would take (each such character carries about a word).
_UNSPACED_CHAR = re.compile(f"[{UNSPACED}]")


def first_words(text: str, count: int) -> str:
    """The first `count` words of a text, with … when there is more; never much longer than those words
    would be, in any script."""
    parts = text.split()
    shown = " ".join(parts[:count])
    limit = count * 2 if _UNSPACED_CHAR.search(shown) else count * 8
    if len(shown) > limit:
        return shown[:limit].rstrip() + "…"
    return shown + ("…" if len(parts) > count else "")


def plain_text(body_html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(_visible_words(body_html))


def visible_text(body_html: str) -> str:
    """The visible text of an HTML fragment, whitespace as it comes (for splitting into words)."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub(" ", body_html)))


def _visible_words(body_html: str) -> list[str]:
    """The visible text of an HTML fragment, split at whitespace."""
    return visible_text(body_html).split()


def lead_text(body_html: str, words: int = 80) -> str:
    """Plain text of the first paragraphs, enough for an excerpt (footnote marks and notes left out)."""
    if '<div class="footnote">' in body_html or '<sup id="fnref' in body_html:
        body_html = _FOOTNOTES.sub("", body_html)
    found: list[str] = []
    start = body_html.find("<p>")
    while start >= 0:  # each <p>…</p> in turn (str.find: a regular expression walks it a character at a time)
        end = body_html.find("</p>", start + 3)
        if end < 0:
            break
        found.extend(_visible_words(body_html[start + 3 : end]))
        if len(found) >= words:
            break
        start = body_html.find("<p>", end + 4)
    return " ".join(found[: words + 1])
