"""The theme's background picture, prepared once at the window's size and drawn as a copy.

The picture covers the window (scaled to fill it, centred, what overflows cut
off). Drawn from the picture's own texture, every frame samples and blends a
whole screenful: on a software renderer the most expensive single thing on
most screens (18 of 44 ms of an exhibit page's frame on one core at
1080x1920). Prepared here at exactly the window's size, each pixel of the
texture is one pixel of the window: it is sampled with the nearest texel
(the same pixels as a smoothed sample at 1:1, at two thirds of the cost) and,
when the picture has no transparency, drawn without blending (nothing under
it can show through).

The picture is decoded when the theme or the window's size changes, never
while a visitor waits for a screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("kiosk")


@dataclass(frozen=True)
class Prepared:
    texture: object  # kivy Texture of exactly ``size``
    size: tuple[int, int]
    opaque: bool  # no transparent pixel: drawn without blending
    ratio: float  # the picture's own width / height


_cache: dict[tuple, Prepared] = {}


def cover_box(image_size, size) -> tuple[float, float, float, float]:
    """The part of a picture of ``image_size`` that shows when it covers ``size``
    (scaled to fill it, centred): ``(left, top, right, bottom)`` in the picture's pixels."""
    iw, ih = image_size
    w, h = size
    ratio = iw / ih
    # the same geometry as drawing the whole picture at (bg_w, bg_h), centred
    bg_w, bg_h = max(w, h * ratio), max(h, w / ratio)
    scale = bg_w / iw
    left, top = (bg_w - w) / 2 / scale, (bg_h - h) / 2 / scale
    return left, top, left + w / scale, top + h / scale


def cover_image(image, size):
    """A Pillow image of exactly ``size``: ``image`` covering it. Drawn 1:1 when the picture
    already has the window's size; otherwise resampled (smoothly, as the screen's scaling
    looked)."""
    from PIL import Image

    w, h = size
    box = cover_box(image.size, size)
    if image.size == (w, h):
        return image
    rounded = tuple(round(v) for v in box)
    if (rounded[2] - rounded[0], rounded[3] - rounded[1]) == (w, h) and all(
            abs(a - b) < 1e-6 for a, b in zip(box, rounded, strict=True)):
        return image.crop(rounded)
    return image.resize((w, h), Image.Resampling.BILINEAR, box=box)


def prepare(path: str | Path, size) -> Prepared | None:
    """The picture at ``path`` covering ``size`` as a texture (cached per file and size);
    None when it cannot be read."""
    from PIL import Image, ImageOps

    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0:
        return None
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        return None
    key = (str(p), stat.st_mtime_ns, stat.st_size, w, h)
    if key in _cache:
        return _cache[key]
    try:
        with Image.open(p) as im:
            if im.format == "JPEG":
                im.draft("RGB", (w, h))  # decoded at the smallest size still covering
            im = ImageOps.exif_transpose(im)
            ratio = im.width / im.height if im.height else 0.5625
            has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
            im = im.convert("RGBA" if has_alpha else "RGB")
            opaque = not has_alpha or im.getchannel("A").getextrema()[0] == 255
            if opaque and has_alpha:
                im = im.convert("RGB")
            picture = cover_image(im, (w, h))
            data = picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes()
    except Exception as exc:  # a broken picture must not stop the kiosk
        log.error("theme background %s cannot be shown: %s", p, exc)
        return None
    from kivy.graphics.texture import Texture

    fmt = "rgb" if opaque else "rgba"
    texture = Texture.create(size=(w, h), colorfmt=fmt)
    texture.blit_buffer(data, colorfmt=fmt, bufferfmt="ubyte")
    texture.min_filter = "nearest"  # drawn 1:1: the same pixels as a smoothed sample
    texture.mag_filter = "nearest"
    _cache.clear()  # one window, one size at a time: the previous one is not drawn again
    prepared = Prepared(texture, (w, h), opaque, ratio)
    _cache[key] = prepared
    return prepared


# ------------------------------------------------------------------ drawing


def plain_fills_unsmoothed() -> None:
    """Every plain rectangle, rounded card and line Kivy draws samples its default texture
    (64x64 of white) with the colour: sampled smoothly, a software renderer pays for the
    smoothing on every pixel of every plain fill for nothing (each sample is white either
    way). Nearest sampling draws the same pixels, a screenful of fill in 9 instead of 14 ms
    on one core at 1080x1920."""
    from kivy.graphics import Rectangle

    texture = Rectangle().texture  # the render context's default texture
    if texture is not None:
        texture.min_filter = "nearest"
        texture.mag_filter = "nearest"


def _blend_off(*_):
    from kivy.graphics.opengl import GL_BLEND, glDisable

    glDisable(GL_BLEND)


def _blend_on(*_):
    from kivy.graphics.opengl import GL_BLEND, glEnable

    glEnable(GL_BLEND)


class BackdropDrawing:
    """The instructions that draw the background (its colour, or its picture) on a canvas,
    kept up to date by :meth:`update`."""

    def __init__(self, canvas):
        from kivy.graphics import Callback, Color, InstructionGroup, Rectangle

        self.group = InstructionGroup()
        self.colour = Color(0, 0, 0, 1)
        self.fill = Rectangle(pos=(0, 0), size=(0, 0))
        self.opaque = False
        self.picture_colour = Color(1, 1, 1, 1)
        self.picture = Rectangle(pos=(0, 0), size=(0, 0))
        for ins in (self.colour, self.fill, Callback(self._before_picture),
                    self.picture_colour, self.picture, Callback(self._after_picture)):
            self.group.add(ins)
        canvas.add(self.group)
        self._blending_off = False

    def _before_picture(self, *_):
        self._blending_off = self.covers
        if self._blending_off:
            _blend_off()

    def _after_picture(self, *_):
        if self._blending_off:
            _blend_on()
            self._blending_off = False

    def update(self, pos, size, colour, prepared: Prepared | None, shown: bool) -> None:
        """Draw ``prepared`` (or the plain ``colour`` without one) over ``pos``/``size``,
        or nothing when not ``shown``."""
        pos = (round(pos[0]), round(pos[1]))
        size = (round(size[0]), round(size[1]))
        self.colour.rgba = colour
        self.fill.pos = pos
        self.fill.size = size if shown and prepared is None else (0, 0)
        self.picture.pos = pos
        if shown and prepared is not None:
            self.picture.texture = prepared.texture
            self.picture.size = size
            self.opaque = prepared.opaque
        else:
            self.picture.size = (0, 0)
            self.opaque = False

    @property
    def covers(self) -> bool:
        """An opaque picture covers the whole area drawn (nothing under it shows)."""
        return self.opaque and self.picture.size[0] > 0
