"""The Content-Security-Policy every page carries: nothing from the network, no inline code but our own.

Scripts run only if they carry the site's nonce (the theme's own <script> tags) or were started by one that
does ('strict-dynamic': the search index's year files, the live-refresh stamp, the lock's sealed files).
No other script runs: not one pasted into an entry, and not a file elsewhere on the disk (`file:` is no
source of scripts). The nonce is not a secret (it is the hash of the theme's scripts, the same in every
build, so that pages do not change from one build to the next); entries are cleaned of scripts before
that. Styles, images and fonts come from the site's own files: Chromium lets 'self' match the page's
sibling file: URLs, and `file:` is listed as well for browsers where 'self' means nothing on an opaque
file:// origin. The lock's shell also allows pictures and sounds from blob: URLs, which only its own script
can make (it shows the attached files it decrypted that way). None of these lets a page reach the network, and neither allows inline script, inline event
handlers (`<img onerror>`) or `style=""` attributes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

OWN_FILES = "'self' file:"


def source_hash(code: str) -> str:
    """The CSP source expression that allows exactly this inline <style> or <script> text."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def script_nonce(scripts: Iterable[bytes]) -> str:
    """The nonce the theme's own <script> tags carry: a hash of the theme's scripts."""
    digest = hashlib.blake2b(b"\0".join(scripts), digest_size=18).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def content_security_policy(
    styles: Iterable[str] = (), own_files: bool = True, nonce: str = "", blobs: bool = False
) -> str:
    """The policy for one page: its own files (unless `own_files` is False: a self-contained file), scripts
    carrying `nonce` and those they start, plus the inline <style> blocks given, by hash; with `blobs`,
    pictures and sounds its scripts decrypted (the lock's shell)."""
    files = OWN_FILES if own_files else ""
    hashes = " ".join(source_hash(style) for style in styles)
    scripts = f"'nonce-{nonce}' 'strict-dynamic'" if own_files and nonce else "'none'"
    directives = {
        "default-src": "'none'",
        "script-src": scripts,
        "style-src": " ".join(p for p in (files, hashes) if p) or "'none'",
        "img-src": " ".join(p for p in (files, "data:", "blob:" if blobs else "") if p),
        "font-src": files or "'none'",
        "media-src": " ".join(p for p in (files, "blob:" if blobs else "") if p) or "'none'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())
