"""The files entries link to or show, copied into the site: each as it is, and a large photo also resized."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from generator.journal import Journal
from generator.links import PREVIEW_WIDTH
from generator.views import DataFile


def attachment_files(journal: Journal) -> list[DataFile]:
    """A copy of every attached file, and a resized copy of each large photo a page shows."""
    files = []
    for attachment in sorted(journal.attachments.values(), key=lambda a: a.rel):
        files.append(
            DataFile(
                attachment.url_path,
                "",
                deps=("file", attachment.signature),
                make=functools.partial(copy_of, attachment.path),
            )
        )
        if attachment.preview:
            files.append(
                DataFile(
                    attachment.preview_path,
                    "",
                    deps=("preview", PREVIEW_WIDTH, attachment.signature),
                    make=functools.partial(preview_of, attachment.path),
                )
            )
    return files


def copy_of(path: Path) -> bytes:
    """The file's bytes, as they are."""
    return path.read_bytes()


def preview_of(path: Path) -> bytes:
    """A photo made at most PREVIEW_WIDTH wide, turned upright as the camera meant, without its metadata
    (a phone's photo holds where it was taken); the file itself when it cannot be read as a picture."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 4))
            clear = "A" in upright.getbands() or "transparency" in upright.info
            if upright.mode not in ("RGB", "RGBA") or (upright.mode == "RGBA") != clear:
                upright = upright.convert("RGBA" if clear else "RGB")
            out = io.BytesIO()
            upright.save(out, "WEBP", quality=80, method=4)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return path.read_bytes()
