"""Real pictures and files, written with Pillow in the tests (nothing checked in)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def jpeg(
    width: int = 200, height: int = 100, *, orientation: int | None = None, gps: bool = False
) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    # A mark in the top-left corner, to see where it ends up after turning.
    image.paste((20, 20, 220), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", (width, height), (10, 120, 40, 128)[: 4 if alpha else 3]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def gif_animation(frames: int, duration_ms: int, size: tuple[int, int] = (40, 30)) -> bytes:
    # Every frame differs (Pillow merges identical neighbours).
    pictures = [
        Image.new("RGB", size, ((i * 37) % 256, (i * 91) % 256, i % 256)) for i in range(frames)
    ]
    out = io.BytesIO()
    pictures[0].save(
        out, format="GIF", save_all=True, append_images=pictures[1:], duration=duration_ms, loop=0
    )
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with almost no pixel data: decoding it
    would fail as damaged; only a check of the header refuses it for its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
