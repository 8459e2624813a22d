"""The image pipeline for uploads: untrusted bytes in, a clean re-encoded picture and a
thumbnail out. Pure (Pillow only, no Django), so the benchmark and the tests call it as is.

Every picture is decoded by Pillow's own decoders for the formats we accept, checked from its
header before any pixel is decoded (pixel cap, decompression bombs), turned upright by its
EXIF orientation, and written out fresh: no EXIF, GPS, XMP, ICC profile or comment survives,
and whatever else the file carried (a script after the image data, a polyglot) is gone.
Animations keep at most `max_frames` frames and `max_duration_ms` of running time.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

__all__ = ["ImageLimits", "ImageRefused", "Processed", "accepted_formats", "process_image"]

# Pillow format name -> what members call it. AVIF needs a Pillow built with libavif (the
# wheels since 11.3 are); HEIC is not accepted (docs/attachments.md).
_WANTED = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP", "AVIF": "AVIF"}


def accepted_formats() -> tuple[str, ...]:
    """The formats of _WANTED this Pillow can decode."""
    Image.init()
    return tuple(name for name in _WANTED if name in Image.OPEN)


LOSSLESS_MAX_PIXELS = 4_200_000  # a 2560 × 1600 screenshot stays PNG


class ImageRefused(ValueError):
    """Not a picture we accept; the message is for the member."""


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int = 50_000_000  # per frame, checked from the header before decoding
    max_side: int = 4096  # longer side of the stored picture (larger ones are scaled down)
    thumb_side: int = 400
    max_frames: int = 100  # an animation keeps at most this many frames …
    max_duration_ms: int = 15_000  # … and this much running time …
    max_animation_pixels: int = 60_000_000  # … and this many pixels over all kept frames


@dataclass(frozen=True)
class Processed:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    thumb: bytes
    thumb_content_type: str
    frames: int  # kept frames (1 for a still picture)
    source_format: str


def _open(source: BinaryIO) -> Image.Image:
    source.seek(0)
    try:
        return Image.open(source, formats=accepted_formats())
    except UnidentifiedImageError:
        raise ImageRefused("This file is not a picture Parley can read.") from None
    except Image.DecompressionBombError:
        raise ImageRefused("This picture has too many pixels.") from None


def process_image(source: BinaryIO, limits: ImageLimits | None = None) -> Processed:
    """Decode, check and re-encode one uploaded picture. Raises ImageRefused."""
    limits = limits or ImageLimits()
    pixel_cap = min(limits.max_pixels, int(Image.MAX_IMAGE_PIXELS or limits.max_pixels))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(source) as image:
                width, height = image.size
                # The header alone: a bomb is refused before a single pixel is decoded.
                if width <= 0 or height <= 0 or width * height > pixel_cap:
                    raise ImageRefused(
                        f"This picture has too many pixels ({width} × {height}); the limit "
                        f"is {pixel_cap / 1e6:.0f} megapixels."
                    )
                fmt = str(image.format)
                frames = getattr(image, "n_frames", 1) if fmt in ("GIF", "WEBP") else 1
                if frames > 1:
                    return _animation(image, fmt, limits)
                return _still(image, fmt, limits)
        except ImageRefused:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageRefused("This picture has too many pixels.") from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError):
            raise ImageRefused("This picture is damaged and cannot be read.") from None


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _upright(image: Image.Image, fmt: str, limits: ImageLimits) -> Image.Image:
    if fmt == "JPEG":  # decode a huge photo at a reduced scale straight away (much faster)
        image.draft("RGB", (limits.max_side, limits.max_side))
    image.load()
    mode = "RGBA" if _has_alpha(image) else "RGB"
    clean = image if image.mode == mode else image.convert(mode)  # a 12 MP copy costs 0.3 s
    ImageOps.exif_transpose(clean, in_place=True)  # a no-op without an orientation
    clean.info = {}  # nothing the decoder carried over (EXIF, ICC, XMP, comments) is written
    if max(clean.size) > limits.max_side:
        clean.thumbnail(
            (limits.max_side, limits.max_side), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    return clean


def _thumb(image: Image.Image, limits: ImageLimits) -> bytes:
    thumb = image.copy()
    # reducing_gap: a fast box reduction first, then Lanczos (4× faster on a 12 MP photo,
    # the same to the eye at 400 px).
    thumb.thumbnail(
        (limits.thumb_side, limits.thumb_side), Image.Resampling.LANCZOS, reducing_gap=2.0
    )
    out = io.BytesIO()
    thumb.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()


def _still(image: Image.Image, fmt: str, limits: ImageLimits) -> Processed:
    clean = _upright(image, fmt, limits)
    out = io.BytesIO()
    # Screenshots and drawings (PNG or GIF up to LOSSLESS_MAX_PIXELS, anything transparent)
    # stay lossless; photos are JPEG, which every browser and mail client shows. A 12 MP
    # photo saved as PNG would be 25 MB and take seconds to compress: it becomes a JPEG.
    # No `optimize`/`progressive` for JPEG: 9× the encoding time for ~5 % fewer bytes.
    lossless = fmt in ("PNG", "GIF") and clean.width * clean.height <= LOSSLESS_MAX_PIXELS
    if lossless or clean.mode == "RGBA":
        clean.save(out, format="PNG", compress_level=3)
        content_type, extension = "image/png", "png"
    else:
        clean.save(out, format="JPEG", quality=85)
        content_type, extension = "image/jpeg", "jpg"
    return Processed(
        data=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
        thumb=_thumb(clean, limits),
        thumb_content_type="image/webp",
        frames=1,
        source_format=fmt,
    )


def _animation(image: Image.Image, fmt: str, limits: ImageLimits) -> Processed:
    """Keep the frames that fit the caps (frames, running time, pixels) and write them as an
    animated WebP (smaller than GIF, and shown by every current browser)."""
    canvas = image.size
    kept: list[Image.Image] = []
    durations: list[int] = []
    elapsed = pixels = 0
    for frame in ImageSequence.Iterator(image):
        if frame.size != canvas:  # a frame larger than the picture it belongs to
            raise ImageRefused("This animation has a frame larger than the picture.")
        duration = max(20, int(frame.info.get("duration") or 100))
        pixels += canvas[0] * canvas[1]
        if (
            len(kept) >= limits.max_frames
            or (kept and elapsed + duration > limits.max_duration_ms)
            or pixels > limits.max_animation_pixels
        ):
            break
        kept.append(frame.convert("RGBA"))
        durations.append(duration)
        elapsed += duration
    if max(canvas) > limits.max_side:
        side = (limits.max_side, limits.max_side)
        for picture in kept:
            picture.thumbnail(side, Image.Resampling.LANCZOS)
    first = kept[0]
    out = io.BytesIO()
    first.save(
        out,
        format="WEBP",
        save_all=True,
        append_images=kept[1:],
        duration=durations,
        loop=0,
        quality=75,
        method=0,  # the fastest: method 4 took several times as long on 100 frames
    )
    return Processed(
        data=out.getvalue(),
        content_type="image/webp",
        extension="webp",
        width=first.width,
        height=first.height,
        thumb=_thumb(first, limits),
        thumb_content_type="image/webp",
        frames=len(kept),
        source_format=fmt,
    )


def square_avatar(
    source: BinaryIO, sizes: tuple[int, ...], limits: ImageLimits
) -> dict[int, bytes]:
    """An uploaded avatar: the first frame, upright, cropped to its centre square and written
    as WebP at each of `sizes`."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(source) as image:
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                    raise ImageRefused("This picture has too many pixels.")
                image.seek(0)
                clean = _upright(image, str(image.format), limits)
        except ImageRefused:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageRefused("This picture has too many pixels.") from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError):
            raise ImageRefused("This picture is damaged and cannot be read.") from None
    out: dict[int, bytes] = {}
    for size in sizes:
        square = ImageOps.fit(clean, (size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        square.save(buffer, format="WEBP", quality=85, method=4)
        out[size] = buffer.getvalue()
    return out
