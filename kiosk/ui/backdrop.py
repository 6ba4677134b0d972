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

from kiosk.ui.occlusion import MAX_PIECES, uncovered

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


def _key(path: str | Path, size) -> tuple | None:
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        return None
    return (str(p), stat.st_mtime_ns, stat.st_size, int(size[0]), int(size[1]))


def _decode(path: str, size) -> tuple[bytes, bool, float]:
    """The picture's pixels covering ``size``, bottom row first as a texture takes them:
    ``(pixels, opaque, the picture's own width / height)``; raises when it cannot be read."""
    from PIL import Image, ImageOps

    w, h = size
    with Image.open(path) as im:
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
        return picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes(), opaque, ratio


_ahead: dict[tuple, object] = {}  # key -> Future of _decode, started by decode_ahead


def decode_ahead(path: str | Path, size) -> None:
    """Start decoding the picture for ``size`` on a thread of its own (Pillow lets go of
    Python's lock while it decodes): at start the window's first picture is then ready by
    the time the screen is built (a 1080x1920 JPEG takes about 20 ms), instead of after."""
    import threading
    from concurrent.futures import Future

    w, h = int(size[0]), int(size[1])
    key = _key(path, (w, h))
    if key is None or w <= 0 or h <= 0 or key in _cache or key in _ahead:
        return
    future: Future = Future()

    def work():
        try:
            future.set_result(_decode(str(path), (w, h)))
        except BaseException as exc:  # handed to prepare(), which logs it
            future.set_exception(exc)

    _ahead.clear()
    _ahead[key] = future
    threading.Thread(target=work, name="kiosk-backdrop", daemon=True).start()


def prepare(path: str | Path, size) -> Prepared | None:
    """The picture at ``path`` covering ``size`` as a texture (cached per file and size);
    None when it cannot be read."""
    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0:
        return None
    key = _key(path, (w, h))
    if key is None:
        return None
    if key in _cache:
        return _cache[key]
    ahead = _ahead.pop(key, None)
    _ahead.clear()  # one begun for another size is not wanted any more
    try:
        data, opaque, ratio = ahead.result() if ahead is not None else _decode(str(path), (w, h))
    except Exception as exc:  # a broken picture must not stop the kiosk
        log.error("theme background %s cannot be shown: %s", path, exc)
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
    kept up to date by :meth:`update`, and left out where ``hidden()`` (rectangles of the
    canvas's coordinates, :mod:`kiosk.ui.occlusion`) says something opaque lies over it.

    What is hidden is asked each time the background is drawn, so it is the frame's own
    (every layout, scroll and screen change of the frame done): the background is drawn in
    the few rectangles around it (:func:`kiosk.ui.occlusion.uncovered`), each a piece of
    the same picture at the same place."""

    def __init__(self, canvas, hidden=None):
        from kivy.graphics import Callback, Color, InstructionGroup, Rectangle

        self.group = InstructionGroup()
        self.hidden = hidden  # () -> rectangles (left, bottom, right, top) not to draw under
        self.colour = Color(0, 0, 0, 1)
        self.pieces = [Rectangle(pos=(0, 0), size=(0, 0)) for _ in range(MAX_PIECES)]
        self.group.add(Callback(self._before_drawing))
        self.group.add(self.colour)
        for piece in self.pieces:
            self.group.add(piece)
        self.group.add(Callback(self._after_drawing))
        canvas.add(self.group)
        self.area = (0, 0, 0, 0)  # left, bottom, right, top: whole pixels
        self.prepared: Prepared | None = None
        self.shown = False
        self.drawn: list = []  # the rectangles drawn now
        self._blending_off = False

    def update(self, pos, size, colour, prepared: Prepared | None, shown: bool) -> None:
        """Draw ``prepared`` (or the plain ``colour`` without one) over ``pos``/``size``,
        or nothing when not ``shown``."""
        x, y = round(pos[0]), round(pos[1])
        self.area = (x, y, x + round(size[0]), y + round(size[1]))
        self.colour.rgba = (1, 1, 1, 1) if prepared is not None else colour
        self.prepared = prepared
        self.shown = shown
        self.drawn = None  # laid out again, whatever was drawn before
        self._lay()

    def _lay(self) -> None:
        area = self.area
        if not self.shown:
            rects = []
        else:
            hidden = self.hidden() if self.hidden is not None else ()
            rects = uncovered(area, hidden) if hidden else [area]
        if rects == self.drawn:
            return  # the same as the last frame: nothing is touched (nothing to redraw)
        self.drawn = rects
        prepared = self.prepared
        texture = prepared.texture if prepared is not None else None
        ax, ay, aw, ah = area[0], area[1], max(1, area[2] - area[0]), max(1, area[3] - area[1])
        for n, piece in enumerate(self.pieces):
            if n >= len(rects):
                if piece.size[0] or piece.size[1]:
                    piece.size = (0, 0)
                continue
            x0, y0, x1, y1 = rects[n]
            piece.pos = (x0, y0)
            piece.size = (x1 - x0, y1 - y0)
            if piece.texture is not texture:
                piece.texture = texture
            if texture is not None:  # the same pixels of the picture as the whole would show
                u0, v0 = (x0 - ax) / aw, (y0 - ay) / ah
                u1, v1 = (x1 - ax) / aw, (y1 - ay) / ah
                piece.tex_coords = (u0, v0, u1, v0, u1, v1, u0, v1)

    def _before_drawing(self, *_):
        self._lay()
        self._blending_off = self.covers
        if self._blending_off:
            _blend_off()

    def _after_drawing(self, *_):
        if self._blending_off:
            _blend_on()
            self._blending_off = False

    def paints(self, size) -> bool:
        """Every pixel of a window of ``size`` is painted opaque this frame: the background,
        opaque, is shown over all of it and left out only under what is opaque itself."""
        if not self.shown or self.area != (0, 0, int(size[0]), int(size[1])):
            return False
        if self.prepared is not None:
            return self.prepared.opaque
        return self.colour.a >= 1

    @property
    def covers(self) -> bool:
        """An opaque picture is drawn (nothing under it shows): drawn without blending."""
        return self.shown and self.prepared is not None and self.prepared.opaque \
            and bool(self.drawn)
