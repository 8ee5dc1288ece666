"""Photos brought in by an import, without where they were taken.

A phone writes the place into each photo: EXIF GPS fields, XMP, IPTC. Unless the person asks for locations
(--with-location), a JPEG keeps only its orientation of all that (so it still shows upright) and a PNG loses
its EXIF and XMP chunks. The picture itself is not decoded again: its bytes are the camera's, unchanged.
Other files (HEIC, videos, sounds) are copied as they are; the README says so.
"""

from __future__ import annotations

import io
import struct

_APP1, _APP13, _SOS, _EOI = 0xE1, 0xED, 0xDA, 0xD9
ORIENTATION = 0x0112


def without_location(data: bytes) -> bytes:
    """A photo's bytes without the metadata that can say where it was taken (JPEG and PNG)."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    return data


def _jpeg(data: bytes) -> bytes:
    """A JPEG with its EXIF (all but the orientation), XMP and IPTC segments taken out."""
    out = [data[:2]]
    position = 2
    orientation = None
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (_SOS, _EOI):
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[position : position + 2])
            position += 2
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segment = data[position : position + 2 + length]
        payload = segment[4:]
        if marker == _APP1 and payload.startswith(b"Exif\x00\x00"):
            orientation = _orientation(payload[6:])
        elif not (marker == _APP1 and b"ns.adobe.com/xap" in payload[:40]) and marker != _APP13:
            out.append(segment)
        position += 2 + length
    if orientation and orientation != 1:
        out.insert(1, _exif_segment(orientation))
    out.append(data[position:])
    return b"".join(out)


def _orientation(tiff: bytes) -> int | None:
    """The Orientation tag of an EXIF block, if it has one."""
    try:
        from PIL import Image

        exif = Image.Exif()
        exif.load(b"Exif\x00\x00" + tiff)
        value = exif.get(ORIENTATION)
        return int(value) if value else None
    except Exception:
        return None


def _exif_segment(orientation: int) -> bytes:
    """An APP1 segment holding nothing but the orientation."""
    from PIL import Image

    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    block = exif.tobytes()
    if not block.startswith(b"Exif"):
        block = b"Exif\x00\x00" + block
    return b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block


def _png(data: bytes) -> bytes:
    """A PNG without its eXIf chunk and its XMP text."""
    out = io.BytesIO()
    out.write(data[:8])
    position = 8
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        kind = data[position + 4 : position + 8]
        chunk = data[position : position + 12 + length]
        body = chunk[8 : 8 + length]
        xmp = kind in (b"iTXt", b"tEXt", b"zTXt") and body.startswith(b"XML:com.adobe.xmp")
        if kind != b"eXIf" and not xmp:
            out.write(chunk)
        position += 12 + length
        if kind == b"IEND":
            break
    return out.getvalue()
