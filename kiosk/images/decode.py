"""Decoding one picture with Pillow: safe, upright, 8-bit, no bigger than needed.

No Kivy here: this runs on worker threads and in ``kiosk cache warm``'s
processes. A file that cannot be shown raises :class:`ImageError`, which
carries the reason in plain English and Chinese for staff.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError

# A picture with more pixels than this is refused before it is decoded (a
# 30,000 x 30,000 "decompression bomb" would need 2.7 GB). 120 MP is above
# any camera or phone a centre is likely to use.
MAX_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
logging.getLogger("PIL").setLevel(logging.INFO)  # not a line per PNG chunk in the kiosk's log

# HEIC/HEIF photos from phones: Pillow opens them once pillow-heif is registered. Importing
# it takes 30-50 ms, so that is done at the first HEIC photo met, not at start-up.
HEIF_AVAILABLE = importlib.util.find_spec("pillow_heif") is not None
_heif_registered: bool | None = None  # None: not tried yet


def register_heif() -> bool:
    """Let Pillow open HEIC photos (once); False when pillow-heif cannot be loaded."""
    global _heif_registered
    if _heif_registered is None:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True
        except Exception:  # not installed, or no wheel for this machine: HEIC is refused clearly
            _heif_registered = False
    return _heif_registered


def set_max_pixels(limit: int | None) -> None:
    """The pixel limit (``images.max_pixels`` in kiosk.yaml) for every later picture."""
    global MAX_PIXELS
    if limit and limit > 0:
        MAX_PIXELS = int(limit)
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def max_pixels() -> int:
    return MAX_PIXELS

FIT_MODES = ("contain", "cover")
_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_ORIENTATION = 0x0112
# How each EXIF orientation is made upright (as ImageOps.exif_transpose does)
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


class ImageError(Exception):
    """A picture that cannot be shown, with the reason for staff (English and Chinese)."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


@dataclass(frozen=True)
class Decoded:
    """Pixels ready for a texture: rows top to bottom, ``mode`` ``RGB`` or ``RGBA``."""

    width: int
    height: int
    mode: str
    data: bytes
    lossless: bool = False  # from a lossless file (PNG, GIF, BMP): cached without JPEG loss

    @property
    def nbytes(self) -> int:
        return len(self.data)


def fitted_size(width: int, height: int, box: tuple[int, int], mode: str = "contain"):
    """The size of a ``width`` x ``height`` picture scaled to ``box`` (never enlarged).

    ``contain``: the whole picture fits inside the box. ``cover``: the picture
    covers the box (and is cropped on screen).
    """
    bw, bh = box
    if width <= 0 or height <= 0:
        return 0, 0
    sx, sy = bw / width, bh / height
    scale = max(sx, sy) if mode == "cover" else min(sx, sy)
    scale = min(1.0, scale)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _refuse_unreadable(path: str, exc: Exception | None = None):
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise ImageError(f"the file cannot be read ({err.strerror or err})",
                         f"文件无法读取（{err.strerror or err}）") from err
    if size == 0:
        raise ImageError("the picture file is empty (0 bytes)", "图片文件是空的（0 字节）") from exc
    with open(path, "rb") as fh:
        head = fh.read(32)
    if b"ftypheic" in head or b"ftypheix" in head or b"ftypmif1" in head or b"ftyphevc" in head:
        raise ImageError("this is a HEIC photo from a phone, which this kiosk cannot read "
                         "(the pillow-heif package is missing); save it as JPEG",
                         "这是手机拍的 HEIC 格式照片，本机无法读取（缺少 pillow-heif）；"
                         "请另存为 JPEG") from exc
    raise ImageError("this file is not a picture that can be read (is it really a JPEG or PNG?)",
                     "该文件不是可识别的图片（请确认它确实是 JPEG 或 PNG 图片）") from exc


def _too_big(width: int, height: int) -> ImageError:
    return ImageError(
        f"the picture is too large ({width} x {height} pixels, more than "
        f"{MAX_PIXELS // 1_000_000} million); make it smaller",
        f"图片尺寸过大（{width} x {height} 像素，超过 {MAX_PIXELS // 10_000} 万像素）；请缩小后再用")


def open_image(path: str) -> Image.Image:
    """Open ``path`` (header only) or raise :class:`ImageError` with the reason."""
    try:
        try:
            im = Image.open(path)
        except UnidentifiedImageError:
            if not (_heif_registered is None and HEIF_AVAILABLE and register_heif()):
                raise
            im = Image.open(path)  # a HEIC photo, perhaps: pillow-heif is registered now
    except Image.DecompressionBombError as exc:
        w, h = _header_size(path)
        raise _too_big(w, h) from exc
    except UnidentifiedImageError as exc:
        _refuse_unreadable(path, exc)
        raise  # not reached
    except OSError as exc:
        _refuse_unreadable(path, exc)
        raise
    except ValueError as exc:  # a PNG text chunk beyond Pillow's safety limit
        raise ImageError(f"the picture carries too much extra data to be read safely ({exc})",
                         f"图片附带的额外数据太多，无法安全读取（{exc}）") from exc
    w, h = im.size
    if w * h > MAX_PIXELS:
        im.close()
        raise _too_big(w, h)
    return im


def _header_size(path: str) -> tuple[int, int]:
    """Width and height from the header alone, bypassing Pillow's bomb check."""
    limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(path) as im:
            return im.size
    except Exception:
        return 0, 0
    finally:
        Image.MAX_IMAGE_PIXELS = limit


class DecodeBudget:
    """How much memory decodes running at the same time may hold. A decode waits while
    others hold too much: a 24 MP photo decoded for the first time (about 51 MB) runs
    alone, two screen-sized pictures made from cached masters (about 23 MB each) run side
    by side. One decode always runs, however big."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self.peak = 0
        self._cond = threading.Condition()

    @contextmanager
    def taking(self, nbytes: int):
        with self._cond:
            while self.used and self.used + nbytes > self.limit:
                self._cond.wait()
            self.used += nbytes
            self.peak = max(self.peak, self.used)
        try:
            yield
        finally:
            with self._cond:
                self.used -= nbytes
                self._cond.notify_all()


DECODE_BUDGET_MB = 48
BUDGET = DecodeBudget(DECODE_BUDGET_MB * 1024 * 1024)


def _orientation(im: Image.Image) -> int:
    try:
        return im.getexif().get(_ORIENTATION, 1)
    except Exception:
        return 1


def display_size(im: Image.Image) -> tuple[int, int]:
    """Width and height as shown, after the EXIF orientation."""
    w, h = im.size
    return (h, w) if _orientation(im) in _ROTATED else (w, h)


def to_8bit(im: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency; 16-bit and CMYK become 8-bit RGB."""
    mode = im.mode
    if mode in ("RGB", "RGBA"):
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit grey: scale 0..65535 to 0..255 (a plain convert would clip to white)
        im = im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
        return im.convert("RGB")
    if mode == "F":
        return im.convert("L").convert("RGB")
    alpha = mode in ("LA", "La", "PA", "RGBa") or (
        mode in ("P", "L", "RGB") and "transparency" in im.info)
    return im.convert("RGBA" if alpha else "RGB")


def without_opaque_alpha(im: Image.Image) -> Image.Image:
    """An RGBA picture whose pixels are all opaque (a screenshot or an export saved with an
    unused alpha channel) as RGB: the same pixels, a quarter less memory, and drawn as the
    opaque picture it is (nothing under it need be drawn)."""
    if im.mode == "RGBA" and im.getchannel("A").getextrema()[0] == 255:
        return im.convert("RGB")
    return im


def decode(path: str, box: tuple[int, int], mode: str = "contain") -> Decoded:
    """Decode ``path`` upright, 8-bit, scaled to ``box`` by ``mode``.

    Raises :class:`ImageError` for anything that is not a usable picture:
    empty, not a picture, HEIC, truncated, a decompression bomb.
    """
    im, lossless = decode_image(path, box, mode)
    try:
        return to_decoded(im, lossless)
    finally:
        im.close()


def decode_image(path: str, box: tuple[int, int], mode: str = "contain"):
    """Like :func:`decode`, but the Pillow image (the caller closes it) and whether it
    came from a lossless file: saved to the cache as it is, without a copy of its pixels."""
    im = open_image(path)
    lossless = im.format != "JPEG"
    out = None
    try:
        out = _decode_open(im, box, mode)
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_big(*im.size) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        text = str(exc)
        if "truncated" in text or "broken data stream" in text or "premature" in text.lower():
            raise ImageError(
                "the picture is incomplete (the file was cut off, perhaps while copying)",
                "图片不完整（文件被截断，可能是复制时中断）") from exc
        raise ImageError(f"the picture cannot be decoded ({text})",
                         f"图片无法解码（{text}）") from exc
    finally:
        if out is not im:
            im.close()
    return out, lossless


def to_decoded(im: Image.Image, lossless: bool = False) -> Decoded:
    return Decoded(im.width, im.height, im.mode, im.tobytes(), lossless)


def _decode_open(im: Image.Image, box, mode) -> Image.Image:
    """The picture scaled and turned upright. Memory: a JPEG is decoded at the smallest
    scale (1/2, 1/4, 1/8) still at least the size wanted (``draft``), and it is scaled
    before it is turned, so that only the small picture is ever copied to turn it (a
    24 MP photo held sideways: 24 MB drafted, then 11 MB, instead of twice 24 MB)."""
    orientation = _orientation(im)
    w, h = im.size
    rotated = orientation in _ROTATED
    fw, fh = fitted_size(*((h, w) if rotated else (w, h)), box, mode)
    want = (fh, fw) if rotated else (fw, fh)  # the size before turning
    if im.format == "JPEG":
        im.draft("RGB" if im.mode in ("RGB", "YCbCr") else None, want)
    # the picture as decoded (im.size is the drafted size now), the resize's half-way
    # picture (new width, old height) and the result, at 4 bytes a pixel in Pillow
    cost = 4 * (im.width * im.height + want[0] * im.height + want[0] * want[1])
    with BUDGET.taking(cost):
        im.load()
        out = to_8bit(im)
        if out.size != want:
            out = out.resize(want, Image.Resampling.BICUBIC, reducing_gap=2.0)
        out = without_opaque_alpha(out)
        if out is not im:
            im.close()  # the large pixels go before the small ones are turned
    turn = _TURNS.get(orientation)
    if turn is not None:
        turned = out.transpose(turn)
        out.close()
        out = turned
    return out


def save_image(im: Image.Image, lossless: bool, path: str) -> None:
    """Write ``im`` for later (JPEG for photos, PNG for transparent or lossless pictures),
    atomically."""
    from kiosk.fileio import atomic_write

    with atomic_write(path, "wb") as fh:
        if im.mode == "RGB" and not lossless:
            im.save(fh, "JPEG", quality=92)
        else:
            im.save(fh, "PNG", compress_level=1)


