"""Draw the party-red theme's background texture: images/background.jpg.

A deep red field, slightly lighter at the top centre, with faint gold rays, a
faint diamond lattice and a thin double gold frame. Everything is kept dim so
cream text stays as readable as on the plain background colour (#7a0c12).

Run from anywhere:  python themes/party-red/make_background.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
OUT = HERE / "images" / "background.jpg"
SIZE = (1080, 1920)
TOP = (146, 20, 28)  # the field's colour near the top centre
BOTTOM = (100, 8, 14)  # and at the bottom edge
GOLD = (232, 194, 106)


def field(size: tuple[int, int]) -> Image.Image:
    """Vertical gradient with a soft glow around the top centre."""
    w, h = size
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / (h - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM, strict=True)))
    base = column.resize(size)
    glow = Image.new("L", size, 0)
    ImageDraw.Draw(glow).ellipse((-w * 0.3, -h * 0.25, w * 1.3, h * 0.45), fill=60)
    glow = glow.filter(ImageFilter.GaussianBlur(radius=w // 5))
    light = Image.new("RGB", size, (176, 34, 40))
    return Image.composite(light, base, glow)


def pattern(size: tuple[int, int]) -> Image.Image:
    """Gold line work as an alpha mask (0-255), drawn at 2x then reduced for smooth lines."""
    w, h = size[0] * 2, size[1] * 2
    rays = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(rays)
    cx, cy = w / 2, -h * 0.08
    for i in range(48):  # rays from above the top centre, fading downwards
        angle = math.pi * (0.08 + 0.84 * i / 47)
        x = cx + math.cos(angle) * h * 1.4
        y = cy + math.sin(angle) * h * 1.4
        draw.line((cx, cy, x, y), fill=34 if i % 2 else 22, width=3)
    fade = Image.linear_gradient("L").resize((w, h))
    rays = ImageChops.subtract(rays, fade.point(lambda v: v * 40 // 255))
    lattice = Image.new("L", (w, h), 0)
    ld = ImageDraw.Draw(lattice)
    for k in range(-h, w + h, 180):  # diamond lattice
        ld.line((k, 0, k + h, h), fill=14, width=2)
        ld.line((k, 0, k - h, h), fill=14, width=2)
    mask = ImageChops.lighter(rays, lattice)
    frame = ImageDraw.Draw(mask)
    for inset, width in ((56, 4), (78, 2)):  # thin double frame
        frame.rectangle((inset, inset, w - inset, h - inset), outline=70, width=width)
    return mask.resize(size, Image.LANCZOS)


def build(out: Path = OUT) -> Path:
    base = field(SIZE)
    gold = Image.new("RGB", SIZE, GOLD)
    image = Image.composite(gold, base, pattern(SIZE))
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "JPEG", quality=84, optimize=True, progressive=True)
    return out


if __name__ == "__main__":
    path = build()
    print(f"{path} {path.stat().st_size // 1024} KB")
