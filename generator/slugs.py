"""Readable, safe names for pages: the letters and digits of any script, lowercased, joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60
MAX_SLUG_BYTES = 150


def slugify(text: str, fallback: str = "entry") -> str:
    """A short, safe, readable file-name part: the letters and digits of any script, lowercased, joined by hyphens
    (accented Latin letters lose their accents: "Café" → "cafe", "Привет мир" → "привет-мир"); never empty,
    never a path."""
    kept: list[str] = []
    after_ascii = False  # a combining mark on an ASCII letter is an accent to drop; on other letters it is the letter
    for char in unicodedata.normalize("NFKD", text.lower()):
        kind = unicodedata.category(char)[0]
        if char.isascii():
            after_ascii = char.isalnum()
            kept.append(char.lower() if after_ascii else "-")  # 𝐀 is "A" once decomposed
        elif kind == "M":
            if not after_ascii:
                kept.append(char)
        elif kind in "LN":
            after_ascii = False
            kept.append(char)
        else:
            after_ascii = False
            kept.append("-")
    slug = unicodedata.normalize("NFC", re.sub(r"-+", "-", "".join(kept)).strip("-"))
    slug = slug[:MAX_SLUG]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:  # file names hold 255 bytes; other scripts take 2–4 a letter
        slug = slug[:-1]
    return slug.rstrip("-") or fallback
