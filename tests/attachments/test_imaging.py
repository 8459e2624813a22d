"""The image pipeline on real pictures written with Pillow."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from parley.attachments.imaging import ImageLimits, ImageRefused, process_image, square_avatar

from . import pictures


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_exif_orientation_is_applied_so_a_turned_photo_stands_upright() -> None:
    # Orientation 6: the camera held turned; viewers rotate 90° clockwise to show it.
    result = process_image(io.BytesIO(pictures.jpeg(200, 100, orientation=6)))
    assert (result.width, result.height) == (100, 200)
    stored = _open(result.data)
    assert stored.size == (100, 200)
    # The blue mark of the top-left corner is now top-right.
    r, _g, b = stored.convert("RGB").getpixel((90, 5))
    assert b > 150 and r < 100


def test_exif_and_gps_are_stripped_from_the_stored_picture() -> None:
    source = pictures.jpeg(gps=True)
    assert _open(source).getexif().get_ifd(pictures.GPS_IFD)  # the input has a location
    stored = _open(process_image(io.BytesIO(source)).data)
    assert not stored.getexif()
    assert "exif" not in stored.info and "icc_profile" not in stored.info


def test_a_decompression_bomb_is_refused_from_its_header_before_decoding() -> None:
    # 20,000 × 20,000 claimed, with 64 bytes of pixels: decoding would report damage, so
    # the "too many pixels" answer shows that only the header was read.
    with pytest.raises(ImageRefused, match="too many pixels"):
        process_image(io.BytesIO(pictures.png_header_only(20_000, 20_000)))


def test_a_picture_over_the_pixel_cap_but_under_pillows_is_refused_by_ours() -> None:
    with pytest.raises(ImageRefused, match=r"too many pixels \(8000 × 8000\)"):
        process_image(io.BytesIO(pictures.png_header_only(8000, 8000)))


def test_an_animated_gif_keeps_at_most_the_frame_cap() -> None:
    limits = ImageLimits(max_frames=10)
    result = process_image(io.BytesIO(pictures.gif_animation(40, 50)), limits)
    assert result.frames == 10
    assert result.content_type == "image/webp"
    assert getattr(_open(result.data), "n_frames", 1) == 10


def test_an_animated_gif_keeps_at_most_the_running_time_cap() -> None:
    limits = ImageLimits(max_duration_ms=5000)
    result = process_image(io.BytesIO(pictures.gif_animation(20, 2000)), limits)
    assert result.frames == 2  # 2 × 2 s fit in 5 s, a third would not


def test_a_big_photo_is_scaled_down_to_the_longest_side_and_gets_a_thumbnail() -> None:
    limits = ImageLimits(max_side=500, thumb_side=100)
    result = process_image(io.BytesIO(pictures.jpeg(2000, 1000)), limits)
    assert (result.width, result.height) == (500, 250)
    assert _open(result.thumb).size == (100, 50)


def test_a_png_stays_lossless_and_keeps_its_transparency() -> None:
    result = process_image(io.BytesIO(pictures.png(alpha=True)))
    assert result.content_type == "image/png"
    assert _open(result.data).mode == "RGBA"


def test_html_is_not_a_picture() -> None:
    with pytest.raises(ImageRefused, match="not a picture"):
        process_image(io.BytesIO(b"<html><script>alert(1)</script></html>"))


def test_a_gif_html_polyglot_loses_everything_but_the_pixels() -> None:
    polyglot = pictures.gif_animation(1, 100) + b"<script>alert(document.cookie)</script>"
    result = process_image(io.BytesIO(polyglot))
    assert b"<script" not in result.data and b"<script" not in result.thumb


def test_an_avatar_is_cropped_square_at_every_size() -> None:
    sizes = square_avatar(io.BytesIO(pictures.jpeg(300, 120)), (48, 96), ImageLimits())
    assert [_open(data).size for data in sizes.values()] == [(48, 48), (96, 96)]
