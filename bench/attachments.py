"""How long Parley's upload pipeline takes on a 12-megapixel phone photo (4000 x 3000).

    .venv/bin/python bench/attachments.py [rounds]

The photo is made here with Pillow (smooth gradients plus sensor-like noise, so that JPEG
has real detail to code, and an EXIF block with an orientation and a GPS position, as a
phone writes), saved as a JPEG of about 3-5 MB. Each round runs the whole of
parley.attachments.imaging.process_image: header check, decode (JPEG draft mode),
exif_transpose, re-encode to JPEG q85 progressive, and a 400 px WebP thumbnail. Also timed:
the same photo as PNG (decoded at full scale: no draft mode for PNG), and an animated GIF at
the frame cap. Prints medians; asserts nothing.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from parley.attachments.imaging import ImageLimits, process_image


def photo(width: int = 4000, height: int = 3000) -> Image.Image:
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    red = Image.blend(gradient, noise, 0.35)
    green = Image.blend(gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.3)
    blue = Image.blend(gradient.transpose(Image.Transpose.ROTATE_180), noise, 0.25)
    return Image.merge("RGB", (red, green, blue))


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = 6  # turned: the pipeline must rotate it
        exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
        image.save(out, format="JPEG", quality=92, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def animation(frames: int = 100) -> bytes:
    pictures = [Image.effect_noise((480, 270), 30 + i % 50).convert("RGB") for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:], duration=80)
    return out.getvalue()


def timed(data: bytes, rounds: int, limits: ImageLimits) -> tuple[float, float, object]:
    times = []
    result = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = process_image(io.BytesIO(data), limits)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    limits = ImageLimits()
    print(f"load average: {os.getloadavg()[0]:.1f}  rounds: {rounds}")
    image = photo()
    for fmt in ("JPEG", "PNG"):
        data = encoded(image, fmt)
        median, worst, result = timed(data, rounds, limits)
        assert result is not None
        print(
            f"12 MP {fmt:4} in {len(data) / 1e6:5.1f} MB -> {result.content_type} "  # type: ignore[attr-defined]
            f"{result.width}x{result.height} {len(result.data) / 1e6:4.1f} MB "  # type: ignore[attr-defined]
            f"+ thumb {len(result.thumb) / 1e3:4.0f} KB: median {median * 1000:6.0f} ms, "  # type: ignore[attr-defined]
            f"worst {worst * 1000:6.0f} ms"
        )
    gif = animation()
    median, worst, result = timed(gif, max(1, rounds // 2), limits)
    print(
        f"animated GIF 480x270 x 100 frames {len(gif) / 1e6:4.1f} MB -> "
        f"{result.content_type} {result.frames} frames {len(result.data) / 1e6:4.1f} MB: "  # type: ignore[attr-defined]
        f"median {median * 1000:6.0f} ms"
    )


if __name__ == "__main__":
    main()
