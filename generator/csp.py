"""The Content-Security-Policy every page carries: nothing from the network, no inline code but our own.

The site is opened from file://. Chromium lets 'self' match the page's sibling file: URLs (tested in
tests/test_privacy.py); `file:` is listed as well for browsers where 'self' means nothing on an opaque
file:// origin. Neither lets a page reach the network, and neither allows inline script, inline event
handlers (`<img onerror>`) or `style=""` attributes, so raw HTML in an entry cannot run code.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Iterable

OWN_FILES = "'self' file:"


def source_hash(code: str) -> str:
    """The CSP source expression that allows exactly this inline <style> or <script> text."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(styles: Iterable[str] = (), own_files: bool = True) -> str:
    """The policy for one page: its own files (unless `own_files` is False: a self-contained file),
    plus the inline <style> blocks given, by hash."""
    files = OWN_FILES if own_files else ""
    hashes = " ".join(source_hash(style) for style in styles)
    directives = {
        "default-src": "'none'",
        "script-src": files or "'none'",
        "style-src": " ".join(p for p in (files, hashes) if p) or "'none'",
        "img-src": " ".join(p for p in (files, "data:") if p),
        "font-src": files or "'none'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())
