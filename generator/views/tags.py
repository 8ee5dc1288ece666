"""A page per tag, and tags.html listing them all."""

from __future__ import annotations

from generator.journal import Journal
from generator.views import Page


def tag_pages(journal: Journal) -> list[Page]:
    """tags.html, then one page per tag with its entries newest first."""
    tags = journal.tags()
    pages = [Page("tags.html", "tags.html", {
        "tags": [(tag, len(entries)) for tag, entries in tags.values()],
        "page_title": "Tags",
    })]
    for tag, entries in tags.values():
        pages.append(Page(f"tags/{tag.slug}.html", "tag.html", {
            "tag": tag, "entries": entries[::-1], "page_title": f"Tag: {tag.name}",
        }))
    return pages
