"""Which kind of Interlude site a folder holds, so that no build replaces one kind with a riskier one:
a full build never goes into a share (it would add private entries to what is sent), an unlocked
build never goes over a locked site (it would put the journal back in plain text), and a share never
goes over the person's own site."""

from __future__ import annotations

from pathlib import Path

from generator.errors import OutputError
from generator.output import MARKER, read_manifest

SHARE_MARKER = ".interlude-share"  # a file every share holds
LOCKED_DIR = "locked"  # where a locked site keeps its sealed files


def site_kind(output: Path) -> str | None:
    """ "share", "locked" or "site" for a folder Interlude built; None for any other folder."""
    if not (output / MARKER).is_file():
        return None
    files = read_manifest(output)
    if SHARE_MARKER in files:
        return "share"
    if any(rel.startswith(f"{LOCKED_DIR}/") for rel in files):
        return "locked"
    return "site"


def check_build_output(output: Path, locked: bool = False) -> None:
    """Refuse a full build into a share, and an unlocked build over a locked site."""
    kind = site_kind(output)
    if kind == "share":
        raise OutputError(
            f"{output} holds a share for someone else; building your whole journal there would "
            "add everything, private entries too; choose another --output"
        )
    if kind == "locked" and not locked:
        raise OutputError(
            f"{output} holds a locked site; build it with --lock, or choose another --output "
            "(delete the folder first if you really want it unlocked)"
        )


def check_share_output(output: Path, own_site: Path) -> None:
    """A share goes into a folder of its own, never over the person's own site."""
    out, site = output.resolve(), own_site.resolve()
    if out == site:
        raise OutputError(
            f"{output} is where your own journal site goes; a share needs a folder of its own "
            "(the default is ./share); choose another --output"
        )
    if site in out.parents:
        raise OutputError(
            f"{output} is inside your own journal site ({own_site}), which the next build would "
            "replace; a share needs a folder outside it (the default is ./share); choose another --output"
        )
    if out in site.parents:
        raise OutputError(
            f"{output} holds your own journal site ({own_site}); a share needs a folder of its own "
            "(the default is ./share); choose another --output"
        )
    if site_kind(output) not in (None, "share"):
        raise OutputError(f"{output} holds your journal site, not a share; choose another --output")
