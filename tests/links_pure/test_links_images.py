"""Re-encoding untrusted images with Pillow; every image is generated here."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from parley.links.images import ImageError, reencode_image


def make(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: object) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    if mode == "RGB":
        for x in range(0, size[0], 4):  # a little structure so encoders have work to do
            image.putpixel((x, x % size[1]), (0, 0, 255))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_png_is_reencoded() -> None:
    data, mime = reencode_image(make("PNG"))
    assert mime in {"image/webp", "image/jpeg"}
    image = opened(data)
    assert image.format in {"WEBP", "JPEG"}
    assert image.size == (64, 48)


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP", "BMP"])
def test_other_formats(fmt: str) -> None:
    data, _ = reencode_image(make(fmt))
    assert opened(data).size == (64, 48)


def test_large_image_is_scaled_down_keeping_aspect() -> None:
    data, _ = reencode_image(make("PNG", (3000, 1500)), max_side=1200)
    assert opened(data).size == (1200, 600)


def test_alpha_is_kept_or_flattened() -> None:
    rgba = Image.new("RGBA", (20, 20), (0, 255, 0, 128))
    out = io.BytesIO()
    rgba.save(out, format="PNG")
    data, mime = reencode_image(out.getvalue())
    assert opened(data).mode in {"RGBA", "RGB"}
    assert mime in {"image/webp", "image/jpeg"}


def test_metadata_is_stripped() -> None:
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS
    source = make("JPEG", exif=exif.tobytes(), icc_profile=b"\0" * 128, comment=b"hi")
    assert opened(source).getexif()  # the input really carries EXIF
    data, _ = reencode_image(source)
    result = opened(data)
    assert not result.getexif()
    assert "icc_profile" not in result.info
    assert "exif" not in result.info
    assert b"secret" not in data


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    data, _ = reencode_image(make("JPEG", (80, 40), exif=exif.tobytes()))
    assert opened(data).size == (40, 80)


def test_first_frame_of_animation() -> None:
    frames = [Image.new("RGB", (30, 30), c) for c in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    data, _ = reencode_image(out.getvalue())
    result = opened(data)
    assert getattr(result, "n_frames", 1) == 1
    pixel = result.convert("RGB").getpixel((15, 15))
    assert isinstance(pixel, tuple) and pixel[0] > 200


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size; the pixel data is a tiny compressed stream."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (100_000, 100_000), (1, 10**8)])
def test_decompression_bombs_are_refused(width: int, height: int) -> None:
    with pytest.raises(ImageError) as info:
        reencode_image(_png_header_only(width, height))
    assert info.value.reason == "too_many_pixels"


def test_pixel_limit_is_configurable() -> None:
    with pytest.raises(ImageError) as info:
        reencode_image(make("PNG", (200, 200)), max_pixels=10_000)
    assert info.value.reason == "too_many_pixels"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 50,  # truncated PNG
        b"\xff\xd8\xff\xe0" + b"garbage" * 10,  # a JPEG start and nothing else
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # EPS: never decoded
        b"GIF89a" + b"\xff" * 20,
    ],
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(ImageError) as info:
        reencode_image(data)
    assert info.value.reason == "not_an_image"


def test_truncated_real_image_is_refused() -> None:
    data = make("PNG", (300, 300))
    with pytest.raises(ImageError):
        reencode_image(data[: len(data) // 2])


def test_tiff_is_not_accepted() -> None:
    with pytest.raises(ImageError):
        reencode_image(make("TIFF"))


def test_output_is_bounded_by_max_bytes() -> None:
    noisy = Image.effect_noise((1200, 1200), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    data, _ = reencode_image(out.getvalue(), max_bytes=150_000)
    assert len(data) <= 150_000
    with pytest.raises(ImageError) as info:
        reencode_image(out.getvalue(), max_bytes=100)
    assert info.value.reason == "too_large"
