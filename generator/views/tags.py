"""A page per tag (a large tag split by year), and tags.html listing them all."""

from __future__ import annotations

import functools
from typing import Any

from generator.entries import Entry, Tag
from generator.journal import Journal
from generator.views import Page, entries_deps


def tag_url(tag: Tag, year: int | None = None) -> str:
    """A tag's page: its newest entries, or one year of them."""
    return f"tags/{tag.slug}.html" if year is None else f"tags/{tag.slug}-{year}.html"


def tag_pages(journal: Journal) -> list[Page]:
    """tags.html, then each tag's page with its entries newest first. A tag used more often than the
    timeline's front page holds gets a page per year, its main page showing the newest entries."""
    tags = journal.tags()
    pages = [
        Page(
            "tags.html",
            "tags.html",
            {
                "tags": [(tag, len(entries)) for tag, entries in tags.values()],
                "page_title": "Tags",
            },
            deps=("tags", tuple((tag.name, tag.slug, len(entries)) for tag, entries in tags.values())),
        )
    ]
    limit = journal.config.timeline_size
    for tag, entries in tags.values():
        newest = entries[::-1]
        if len(newest) <= limit:
            pages.append(_page(tag, newest, len(newest), [], None))
            continue
        by_year: dict[int, list[Entry]] = {}
        for entry in newest:
            by_year.setdefault(entry.date.year, []).append(entry)
        years = [(year, len(found), tag_url(tag, year)) for year, found in by_year.items()]
        pages.append(_page(tag, newest[:limit], len(newest), years, None))
        pages.extend(_page(tag, found, len(newest), years, year) for year, found in by_year.items())
    return pages


def _page(tag: Tag, entries: list[Entry], total: int, years: list[tuple[int, int, str]], year: int | None) -> Page:
    """A tag's page (or one year of it), its entries grouped by month when the page is made."""
    return Page(
        tag_url(tag, year),
        "tag.html",
        deps=("tag", tag.name, tag.slug, entries_deps(entries), total, tuple(years), year),
        lazy=functools.partial(_tag_context, tag, entries, total, years, year),
    )


def _tag_context(
    tag: Tag, entries: list[Entry], total: int, years: list[tuple[int, int, str]], year: int | None
) -> dict[str, Any]:
    """What tag.html shows."""
    months: list[tuple[str, Any, list[Entry]]] = []  # (2024-03, its first entry's date, its entries), as listed
    for entry in entries:
        month = f"{entry.day.year:04d}-{entry.day.month:02d}"
        if not months or months[-1][0] != month:
            months.append((month, entry.date, []))
        months[-1][2].append(entry)
    return {
        "tag": tag,
        "entries": entries,
        "months": months,
        "total": total,
        "years": years,
        "year": year,
        "page_title": f"Tag: {tag.name}" + (f", {year}" if year else ""),
    }
