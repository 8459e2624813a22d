"""Re-encoding of untrusted images (link-preview pictures): pure, bytes in, bytes out.

    data, mime = reencode_image(result.content)

The input is only ever decoded by Pillow's decoders for JPEG, PNG, GIF, WebP and BMP;
its size is checked from the header before any pixels are decoded (decompression bombs),
the file is verified, the first frame is turned upright by its EXIF orientation, scaled
down to `max_side`, and written out fresh — no EXIF, GPS, XMP, ICC profile, comments or
extra frames survive. WebP when Pillow has it, else JPEG.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError, features

__all__ = ["ALLOWED_FORMATS", "ImageError", "reencode_image"]

ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
MAX_INPUT_BYTES = 20_000_000
DEFAULT_MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000; never more than Image.MAX_IMAGE_PIXELS


class ImageError(ValueError):
    """The bytes are not an image we accept. `reason` is a short machine code:
    not_an_image, too_large, too_many_pixels, unsupported."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _open(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError:
        raise ImageError("not_an_image", "The file is not a picture we can read.") from None
    except Image.DecompressionBombError:
        raise ImageError("too_many_pixels", "The picture has too many pixels.") from None


def reencode_image(
    data: bytes,
    *,
    max_side: int = 1200,
    max_bytes: int = 500_000,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> tuple[bytes, str]:
    """A clean, scaled-down copy of an untrusted image: (bytes, mime type).

    Raises ImageError for anything that is not a readable JPEG/PNG/GIF/WebP/BMP, for
    images over `max_pixels` (checked before decoding), and when no quality setting gets
    the result under `max_bytes`.
    """
    if not data:
        raise ImageError("not_an_image", "The file is empty.")
    if len(data) > MAX_INPUT_BYTES:
        raise ImageError("too_large", "The picture file is too large.")
    pixel_limit = min(max_pixels, int(Image.MAX_IMAGE_PIXELS or max_pixels))

    with warnings.catch_warnings():
        # Pillow warns (and past twice the limit, raises) on decompression bombs.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(data) as probe:
                width, height = probe.size
                if width <= 0 or height <= 0 or width * height > pixel_limit:
                    raise ImageError("too_many_pixels", "The picture has too many pixels.")
                probe.verify()
            with _open(data) as image:
                image.seek(0)  # first frame of an animation
                if image.format == "JPEG":  # decode at a reduced scale when possible
                    image.draft("RGB", (max_side, max_side))
                image.load()
                frame = ImageOps.exif_transpose(image) or image
                clean = _flatten_mode(frame)
        except ImageError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageError("too_many_pixels", "The picture has too many pixels.") from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise ImageError("not_an_image", f"The picture is damaged: {exc}") from None

    clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean.info = {}  # drop everything the decoder carried over (EXIF, ICC, XMP, comments)
    return _encode(clean, max_bytes)


def _flatten_mode(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        return image.convert("RGBA")
    return image.convert("RGB")


def _encode(image: Image.Image, max_bytes: int) -> tuple[bytes, str]:
    webp = features.check("webp")
    if not webp and image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    for scale in (1.0, 0.75, 0.5):
        candidate = image
        if scale < 1.0:
            size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
            candidate = image.resize(size, Image.Resampling.LANCZOS)
        for quality in (82, 70, 55, 40):
            out = io.BytesIO()
            if webp:
                candidate.save(out, format="WEBP", quality=quality, method=4)
            else:
                candidate.save(out, format="JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                return out.getvalue(), "image/webp" if webp else "image/jpeg"
    raise ImageError("too_large", "The picture could not be made small enough.")
