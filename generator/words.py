"""How a number of things is said: "1 entry", "3 entries", "no photos". One place, for every message and page."""

from __future__ import annotations

# The plurals Interlude says that are not the word and an s.
_PLURALS = {
    "entry": "entries",
    "summary": "summaries",
    "activity": "activities",
    "was": "were",
    "is": "are",
    "this": "these",
    "it": "they",
}


def plural(count: int, word: str) -> str:
    """The word as it goes with this count: entry for 1, entries for any other number."""
    return word if count == 1 else _PLURALS.get(word, word + "s")


def listed(words: list[str]) -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1]))) if words else ""


def counted(count: int, word: str) -> str:
    """The count and its word: "1 entry", "2 entries", "0 photos"."""
    return f"{count:,} {plural(count, word)}"
