"""Readable, safe names for pages: the letters and digits of any script, lowercased, joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60
MAX_SLUG_BYTES = 150
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "entry") -> str:
    """A short, safe, readable file-name part: the letters and digits of any script, lowercased, joined by hyphens
    (accented Latin letters lose their accents: "Café" → "cafe", "Привет мир" → "привет-мир"); never empty,
    never a path."""
    if text.isascii():  # most titles, types and headings: the same as the loop below, in one pass
        return _NOT_ASCII_ALNUM.sub("-", text.lower()).strip("-")[:MAX_SLUG].rstrip("-") or fallback
    kept: list[str] = []
    # A combining mark on a letter of another script is part of the letter (Devanagari's vowel signs); on an
    # ASCII letter it is an accent to drop; after anything else (an emoji's invisible variation selector
    # U+FE0F, a keycap) it is nothing to keep.
    after_letter = False
    for char in unicodedata.normalize("NFKD", text.lower()):
        kind = unicodedata.category(char)[0]
        if char.isascii():
            after_letter = False
            kept.append(char.lower() if char.isalnum() else "-")  # 𝐀 is "A" once decomposed
        elif kind == "M":
            if after_letter:
                kept.append(char)
        elif kind in "LN":
            after_letter = True
            kept.append(char.lower())  # 𝝖 (a mathematical capital, with no lower case) is "Α" once decomposed
        else:
            after_letter = False
            kept.append("-")
    slug = unicodedata.normalize("NFC", re.sub(r"-+", "-", "".join(kept)).strip("-"))
    slug = slug[:MAX_SLUG]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:  # file names hold 255 bytes; other scripts take 2–4 a letter
        slug = slug[:-1]
    return slug.rstrip("-") or fallback


def tag_slug(name: str) -> str:
    """A tag's page name: its words as a slug, or, where it has none (an emoji), its characters' code points."""
    slug = slugify(name, fallback="")
    if slug:
        return slug
    points = "-".join(f"{ord(c):x}" for c in name)
    if len(points) > MAX_SLUG:
        points = points[: MAX_SLUG + 1].rsplit("-", 1)[0]  # whole code points: no half of one, no hyphen at the end
    return f"tag-{points}"
