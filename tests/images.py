"""Small images made in memory for the media tests: a phone photo with GPS and a turn, a PNG with text."""
from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

GPS = {1: "N", 2: (23.0, 7.0, 41.5), 3: "E", 4: (108.0, 19.0, 12.25)}


def upright() -> Image.Image:
    """40×20, the left quarter blue: which way up it is can be told from its pixels."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    for x in range(10):
        for y in range(20):
            image.putpixel((x, y), (20, 40, 220))
    return image


def phone_jpeg() -> bytes:
    """The upright picture stored sideways with EXIF orientation 6, GPS, a camera model and a comment."""
    exif = Image.Exif()
    exif[0x0110] = "YunPhone YP-20"
    exif[0x0112] = 6
    exif[0x8825] = GPS
    out = io.BytesIO()
    upright().rotate(90, expand=True).save(out, "JPEG", quality=95, exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


def texted_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王某某 13800000000")
    info.add_itxt("Comment", "内部草稿", zip=True)
    out = io.BytesIO()
    upright().save(out, "PNG", pnginfo=info)
    return out.getvalue()


def is_upright(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.size != (40, 20):
        return False
    left, right = image.getpixel((2, 10)), image.getpixel((37, 10))
    return left[2] > 150 and left[0] < 100 and right[0] > 150 and right[2] < 100
