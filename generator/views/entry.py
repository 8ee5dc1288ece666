"""A page per entry, with its neighbours and the month it belongs to."""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import unquote

from generator.entries import Entry
from generator.journal import Journal
from generator.refs import section_of, without_ids
from generator.views import Page
from generator.views.search import shard_path
from generator.views.timeline import month_of

# ![[Entry]] alone on its line: the entry (or its section) shown in the page, framed, with a link to it.
_EMBED = re.compile(r'<p><a class="wikilink embed" href="\x00ref:(\d+)\x00">(.*?)</a></p>', re.S)
_EMBED_MARK = b'class="wikilink embed"'  # in an entry's body (UTF-8) that shows another entry
MAX_EMBED_DEPTH = 3  # an entry shown in an entry shown in an entry; further in, a link


def with_embeds(journal: Journal, entry: Entry, depth: int = 0) -> tuple[str, list[Entry]]:
    """The entry's body (marks not yet resolved) with each ![[Entry]] on its own line showing that entry or its
    section; and the entries shown, so that the page is made again when one of them changes."""
    text = entry.body.decode("utf-8", "surrogatepass")
    shown: list[Entry] = []
    if not entry.links or _EMBED_MARK not in entry.body:
        return text, shown

    def embed(found: re.Match[str]) -> str:
        number = int(found.group(1))
        link = entry.links[number] if number < len(entry.links) else None
        index = journal.position.get(link.embed) if link and link.embed else None
        if link is None or index is None or depth >= MAX_EMBED_DEPTH:
            return found.group(0)
        target = journal.entries[index]
        inner, deeper = with_embeds(journal, target, depth + 1)
        fragment = (link.url or "").partition("#")[2]
        part = section_of(target.html_at("../", inner), unquote(fragment)) if fragment else target.html_at("../", inner)
        if part is None:
            return found.group(0)  # no such heading or block: the link, as written
        shown.extend([target, *deeper])
        return (
            f'<figure class="embed"><figcaption><a href="\x00ref:{number}\x00">{found.group(2)}</a></figcaption>'
            f'<div class="embed-body">{without_ids(part)}</div></figure>'
        )

    return _EMBED.sub(embed, text), shown


def entry_page(journal: Journal, entry: Entry) -> Page:
    """One entry's page: its text (with the entries it shows), metrics, tags, and previous/next links."""
    before, after = journal.previous(entry), journal.next(entry)
    mentioned_in = journal.mentions.get(entry.key, [])
    text, shown = with_embeds(journal, entry) if entry.links and _EMBED_MARK in entry.body else (None, [])
    return Page(
        entry.url,
        "entry.html",
        lazy=partial(_entry_context, entry, text if shown else None, before, after, mentioned_in),
        deps=(
            *((e.key, e.state) if e else None for e in (entry, before, after)),
            tuple((e.key, e.digest) for e in mentioned_in),
            tuple((e.key, e.state) for e in shown),
        ),
        portable=True,
        batch=shard_path(entry),
        listed=(entry.key, entry.digest),
    )


def _entry_context(
    entry: Entry, text: str | None, before: Entry | None, after: Entry | None, mentioned_in: list[Entry]
) -> dict[str, object]:
    """An entry page's context, made where the page is made (a worker process, for a large build): its body's
    links are put in there, not while the whole site is planned. `text`: the body with the entries it shows."""
    return {
        "entry": entry,
        "body": entry.html_at("../", text),
        "previous": before,
        "next": after,
        "mentioned_in": mentioned_in,
        "month_url": month_of(entry) + f"#{entry.key}",
        "page_title": entry.title,
    }


def entry_pages(journal: Journal) -> list[Page]:
    """Every entry's page."""
    return [entry_page(journal, entry) for entry in journal.entries]
