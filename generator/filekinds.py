"""The kinds of file an entries folder holds, defined once: entries by their suffix, and the pictures, sounds and
videos a page shows, each with the media type it is served as (the lock hands that table to lock.js)."""

from __future__ import annotations

ENTRY_SUFFIXES = frozenset({".md", ".markdown"})

# Suffix → media type. A locked site decrypts each attached file in memory and shows it from a blob: URL of
# this type; one it does not know is application/octet-stream, which a browser neither shows nor plays.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
}
AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".flac": "audio/flac",
    ".aac": "audio/aac",
    ".opus": "audio/ogg",
    ".webm": "audio/webm",  # shown in an <audio> player: phones record voice notes as WebM
}
VIDEO_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".m4v": "video/mp4", ".ogv": "video/ogg"}
OTHER_TYPES = {".pdf": "application/pdf"}  # a worksheet the therapist gave: linked, opened in the browser

IMAGE_SUFFIXES = frozenset(IMAGE_TYPES)
AUDIO_SUFFIXES = frozenset(AUDIO_TYPES)
VIDEO_SUFFIXES = frozenset(VIDEO_TYPES)
MEDIA_TYPES = {**IMAGE_TYPES, **AUDIO_TYPES, **VIDEO_TYPES, **OTHER_TYPES}
