"""A page per entry, with its neighbours and the month it belongs to."""

from __future__ import annotations

from generator.entries import Entry
from generator.journal import Journal
from generator.views import Page
from generator.views.search import shard_path
from generator.views.timeline import month_of


def entry_page(journal: Journal, entry: Entry) -> Page:
    """One entry's page: its text, metrics, tags, and previous/next links."""
    before, after = journal.previous(entry), journal.next(entry)
    mentioned_in = journal.mentions.get(entry.key, [])
    return Page(
        entry.url,
        "entry.html",
        {
            "entry": entry,
            "previous": before,
            "next": after,
            "mentioned_in": mentioned_in,
            "month_url": month_of(entry) + f"#{entry.key}",
            "page_title": entry.title,
        },
        deps=(
            *((e.key, e.state) if e else None for e in (entry, before, after)),
            tuple((e.key, e.digest) for e in mentioned_in),
        ),
        portable=True,
        batch=shard_path(entry),
    )


def entry_pages(journal: Journal) -> list[Page]:
    """Every entry's page."""
    return [entry_page(journal, entry) for entry in journal.entries]
