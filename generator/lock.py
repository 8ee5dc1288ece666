"""interlude build --lock: the site encrypted with a passphrase, opened in the browser from file://.

Format (version 1), everything the browser needs besides the passphrase stored with the data:
- index.html is a shell holding no journal text: the unlock form, and in a <meta name="interlude-lock">
  the version, the KDF and its parameters (PBKDF2-HMAC-SHA256, iterations, a random 16-byte salt),
  the cipher (AES-256-GCM), a sealed check value and the id of the sealed manifest.
- Every generated file (pages, search index shards, anything not under static/) is sealed into
  locked/<id>.js, a script calling window.interludeLocked.add(id, base64). Ids are random, so file
  names say nothing; the sealed manifest maps each site path to its id.
- A sealed item is: version byte, 12-byte random nonce, AES-256-GCM ciphertext and 16-byte tag, with
  "interlude-lock/1/<id>" as associated data, so a file cannot be swapped for another one.
- The check value tells a wrong passphrase (the check fails) from a damaged file (the check opens,
  the file does not).
- static/ (the stylesheet, the scripts) is theme code, copied as it is; static/lock.js opens the rest.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from generator.build import BuildReport, render_site
from generator.config import Config
from generator.errors import LockError
from generator.folders import LOCKED_DIR, check_build_output
from generator.output import read_manifest, write_site
from generator.render import default_theme, make_environment, render
from generator.sources import MEDIA_TYPES
from generator.store import read_journal
from generator.views import Page

VERSION = 1
ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16  # AES-GCM's full tag
CONTEXT = "interlude-lock"  # each item is sealed with "interlude-lock/<VERSION>/<its id>" as associated data
KEY_BYTES = 32
MIN_PASSPHRASE = 8
CHECK_ID = "check"
CHECK_TEXT = b"interlude-lock check"
LOCK_SCRIPT = "static/lock.js"
_PAYLOAD = re.compile(r'^window\.interludeLocked\.add\("([0-9a-f]+)","([A-Za-z0-9+/=]*)"\);\n?$')


@dataclass(frozen=True)
class Header:
    """The parameters stored in the shell, in the clear: everything but the passphrase."""

    salt: bytes
    iterations: int
    check: bytes
    manifest: str

    def to_json(self) -> str:
        """The shell's <meta name="interlude-lock"> content."""
        return json.dumps(
            {
                "v": VERSION,
                "kdf": "PBKDF2-HMAC-SHA256",
                "iterations": self.iterations,
                "salt": _b64(self.salt),
                "cipher": "AES-256-GCM",
                "check": _b64(self.check),
                "manifest": self.manifest,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Header:
        """Read a header back; LockError when it is not one this version understands."""
        try:
            data = json.loads(text)
            if data["v"] != VERSION or data["kdf"] != "PBKDF2-HMAC-SHA256" or data["cipher"] != "AES-256-GCM":
                raise LockError(f"this site was locked with an unknown format (version {data['v']})")
            return cls(
                base64.b64decode(data["salt"]),
                int(data["iterations"]),
                base64.b64decode(data["check"]),
                str(data["manifest"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise LockError("the locked site's index.html is damaged") from exc


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def derive_key(passphrase: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    """PBKDF2-HMAC-SHA256 → a 256-bit key; the passphrase in Unicode NFC, as the browser normalises it."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, iterations=iterations)
    return kdf.derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def associated_data(item_id: str) -> bytes:
    """What binds a sealed item to its identity and the format version."""
    return f"{CONTEXT}/{VERSION}/{item_id}".encode("ascii")


def seal(key: bytes, item_id: str, plaintext: bytes) -> bytes:
    """Version byte, a fresh random 96-bit nonce, then AES-256-GCM ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return bytes([VERSION]) + nonce + AESGCM(key).encrypt(nonce, plaintext, associated_data(item_id))


def unseal(key: bytes, item_id: str, sealed: bytes) -> bytes:
    """The plaintext of a sealed item; LockError if it was altered, cut short or sealed with another key."""
    if len(sealed) < 1 + NONCE_BYTES + TAG_BYTES or sealed[0] != VERSION:
        raise LockError(f"locked item {item_id} is damaged")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, associated_data(item_id))
    except InvalidTag as exc:
        raise LockError(f"locked item {item_id} is damaged") from exc


def page_rules() -> str:
    """What static/lock.js is told in the shell (<meta name="interlude-lock-rules">), so that it keeps no copy of
    its own: the format's version, how items are sealed, and the media type of each kind of attached file."""
    types = {suffix.lstrip("."): kind for suffix, kind in MEDIA_TYPES.items()}
    rules = {"version": VERSION, "context": CONTEXT, "nonce": NONCE_BYTES, "tag": TAG_BYTES, "types": types}
    return json.dumps(rules, sort_keys=True)


def payload_script(item_id: str, sealed: bytes) -> bytes:
    """A sealed item as a script the shell can load from file:// (fetch() cannot read local files)."""
    return f'window.interludeLocked.add("{item_id}","{_b64(sealed)}");\n'.encode("ascii")


def is_theme_file(path: str) -> bool:
    """Files copied from the theme as they are (stylesheet, scripts, fonts): not made from the journal."""
    return path.startswith("static/")


def lock_files(
    files: dict[str, bytes], passphrase: str, iterations: int = ITERATIONS
) -> tuple[Header, dict[str, bytes]]:
    """Seal every generated file under an opaque name; theme files stay as they are.

    `iterations` is lowered only by tests: a locked site's strength comes from the default."""
    check_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES)
    key = derive_key(passphrase, salt, iterations)
    out: dict[str, bytes] = {}
    ids: dict[str, str] = {}
    for path, data in files.items():
        if is_theme_file(path):
            out[path] = data
            continue
        item_id = secrets.token_hex(16)
        ids[path] = item_id
        out[f"{LOCKED_DIR}/{item_id}.js"] = payload_script(item_id, seal(key, item_id, data))
    manifest_id = secrets.token_hex(16)
    manifest = json.dumps({"v": VERSION, "start": "index.html", "files": ids}, sort_keys=True).encode()
    out[f"{LOCKED_DIR}/{manifest_id}.js"] = payload_script(manifest_id, seal(key, manifest_id, manifest))
    header = Header(salt, iterations, seal(key, CHECK_ID, CHECK_TEXT), manifest_id)
    return header, out


def lock_site(
    files: dict[str, bytes], config: Config, passphrase: str, iterations: int = ITERATIONS
) -> dict[str, bytes]:
    """The locked site: the shell index.html, static/lock.js, theme files, and every other file sealed."""
    header, locked = lock_files(files, passphrase, iterations)
    shell = render(
        make_environment(config),
        Page("index.html", "lock/shell.html", {"lock_header": header.to_json(), "lock_rules": page_rules()}),
    )
    locked["index.html"] = shell.encode("utf-8")
    locked[LOCK_SCRIPT] = (default_theme() / "lock" / "lock.js").read_bytes()
    return locked


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that would protect nothing."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise LockError(
            f"the passphrase must be at least {MIN_PASSPHRASE} characters; "
            "four or five random words are strong and easy to type"
        )


def build_locked(
    config: Config, passphrase: str, today: date | None = None, iterations: int = ITERATIONS
) -> BuildReport:
    """Build the whole site locked, in memory, and write it atomically. No build cache is read or
    written: a cache in the output folder would hold every entry in plain text."""
    started = time.perf_counter()
    check_passphrase(passphrase)
    check_build_output(config.output_dir, locked=True)
    journal = read_journal(config)
    files = render_site(journal, today)
    locked = lock_site(files, config, passphrase, iterations)
    written = write_site(config.output_dir, config.entries_dir, locked)
    return BuildReport(
        len(journal.entries),
        written.written + written.unchanged,
        journal.problems,
        written,
        time.perf_counter() - started,
    )


def unlock_site(folder: Path, passphrase: str) -> dict[str, bytes]:
    """Every file of a locked site in plain form, by its site path (what the browser shows after unlocking)."""
    shell = (folder / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta name="interlude-lock" content="([^"]*)">', shell)
    if not found:
        raise LockError(f"{folder} does not hold a locked site")
    header = Header.from_json(html.unescape(found.group(1)))
    key = derive_key(passphrase, header.salt, header.iterations)
    try:
        unseal(key, CHECK_ID, header.check)
    except LockError as exc:
        raise LockError("wrong passphrase") from exc
    manifest = json.loads(_read_item(folder, key, header.manifest))
    files = {rel: (folder / rel).read_bytes() for rel in read_manifest(folder) if is_theme_file(rel)}
    for path, item_id in manifest["files"].items():
        files[path] = _read_item(folder, key, item_id)
    return files


def _read_item(folder: Path, key: bytes, item_id: str) -> bytes:
    try:
        text = (folder / LOCKED_DIR / f"{item_id}.js").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise LockError(f"locked item {item_id} is missing or damaged") from exc
    found = _PAYLOAD.match(text)
    if not found or found.group(1) != item_id:
        raise LockError(f"locked item {item_id} is damaged")
    return unseal(key, item_id, base64.b64decode(found.group(2)))
