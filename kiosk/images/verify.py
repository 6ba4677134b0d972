"""Proving a picture before it is shown: open it, decode it, judge its size.

:func:`check_picture` reads one file the way the screen will (Pillow, with
``pillow-heif`` for phone photos) and says, in plain English and Chinese,
what is wrong with it: not an ordinary file, empty, not a picture, a HEIC
photo renamed ``.jpg``, cut off while copying, too many pixels, a strip far
longer than it is wide. Pictures that work but are much larger than the
screen needs get a warning with their size.

:class:`PictureChecks` remembers each answer by (path, size, modification
time), in memory and, for ``kiosk check``, in a small file in the cache
folder, so checking an unchanged tree again costs one ``stat`` per picture.

No Kivy here: the content loader and ``kiosk check`` use it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kiosk.images.decode import HEIF_AVAILABLE, register_heif
from kiosk.images.decode import max_pixels as _max_pixels

# A photo larger than this (long side, or file size) works but wastes memory and
# time on every kiosk; docs/content.md asks for at most this much.
WARN_SIDE = 2000
WARN_BYTES = 1024 * 1024
# Longer side over shorter side beyond which a picture is refused: on any frame of
# the screen it would be a line a few pixels thick.
MAX_ASPECT = 20.0
HEIC_EXTS = (".heic", ".heif")
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")

Note = tuple[str, str, str]  # (severity, English, Chinese)


def heif_available() -> bool:
    return HEIF_AVAILABLE and register_heif()


def _heif_expected() -> bool:
    """Can HEIC photos be read, as far as is known without loading pillow-heif (about 20 ms
    of a start): installed, and not found broken by a photo that needed it."""
    decoding = sys.modules["kiosk.images.decode"]  # (``kiosk.images.decode`` is also a function)
    return HEIF_AVAILABLE and decoding._heif_registered is not False


def _size_words(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KB"
    return f"{size} bytes"


def _is_heic(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not only a character cut at the end
            return False
    return b"\x00" not in head


def _error(en: str, zh: str) -> tuple[Note, ...]:
    return (("error", en, zh),)


def check_picture(path: str, max_pixels: int | None = None) -> tuple[Note, ...]:
    """What is wrong with the picture at ``path``: () if it can be shown as it is.

    Only an ordinary file is opened (never a pipe or a device, which could block
    or never end); the whole picture is decoded (a JPEG at a reduced scale), so
    a file cut off while copying is found now rather than on screen.
    """
    limit = max_pixels or _max_pixels()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _error(f"the file cannot be opened ({exc.strerror or exc})",
                      f"文件无法打开（{exc.strerror or exc}）")
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return _error("this is not an ordinary file (a pipe, a device or a socket); "
                          "put a picture file here",
                          "这不是普通文件（而是管道、设备或套接字）；请放入图片文件")
        if st.st_size == 0:
            return _error("the picture file is empty (0 bytes); copy it again",
                          "图片文件是空的（0 字节）；请重新复制")
        head = fh.read(64)
        fh.seek(0)
        ext = os.path.splitext(path)[1].lower()
        notes: list[Note] = []
        if _is_heic(head):
            if not heif_available():
                return _error(
                    "this is a HEIC photo from a phone, and this kiosk cannot read HEIC "
                    "(the pillow-heif package is missing); save it as JPEG",
                    "这是手机拍的 HEIC 格式照片，本机无法读取 HEIC（缺少 pillow-heif）；"
                    "请另存为 JPEG")
            if ext not in HEIC_EXTS:
                notes.append((
                    "warning",
                    f"this is a HEIC photo from a phone renamed {ext}; it is shown, but other "
                    f"programs may not open it: save it as JPEG, or name it .heic",
                    f"这是手机拍的 HEIC 照片被改名为 {ext}；可以显示，但其他程序可能打不开："
                    f"请另存为 JPEG，或把扩展名改为 .heic"))
        try:
            im = _open_limited(fh, limit)
        except _TooMany as exc:
            return _error(*_too_many(exc.width, exc.height, limit))
        except UnidentifiedImageError:
            if _looks_like_text(head):
                return _error(f"this file holds text, not a picture, although its name ends "
                              f"in {ext}",
                              f"这个文件里是文字而不是图片，虽然它的扩展名是 {ext}")
            return _error("this file is not a picture that can be read (is it really a JPEG "
                          "or PNG? it may be damaged)",
                          "该文件不是可识别的图片（请确认它确实是 JPEG 或 PNG 图片；也可能已损坏）")
        except ValueError as exc:  # PNG text chunks beyond Pillow's safety limit
            return _error(f"the picture carries too much extra data to be read safely ({exc}); "
                          f"save it again with an image editor",
                          f"图片附带的额外数据太多，无法安全读取（{exc}）；请用图片软件重新保存")
        except (OSError, SyntaxError) as exc:
            return _error(*_damaged(str(exc)))
        with im:
            width, height = im.size
            if width * height > limit:
                return _error(*_too_many(width, height, limit))
            if min(width, height) < 1 or max(width, height) / min(width, height) > MAX_ASPECT:
                return _error(
                    f"the picture is {width} x {height} pixels, a strip far longer than it "
                    f"is wide; it cannot be shown sensibly (at most {MAX_ASPECT:.0f} times "
                    f"longer than wide)",
                    f"图片是 {width} x {height} 像素的细长条，无法正常显示"
                    f"（长边最多是短边的 {MAX_ASPECT:.0f} 倍）")
            try:
                if im.format == "JPEG":
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
            except Image.DecompressionBombError:
                return _error(*_too_many(width, height, limit))
            except ValueError as exc:
                return _error(f"the picture cannot be decoded ({exc})",
                              f"图片无法解码（{exc}）")
            except (OSError, SyntaxError, EOFError) as exc:
                return _error(*_damaged(str(exc)))
        if max(width, height) > WARN_SIDE or st.st_size > WARN_BYTES:
            notes.append((
                "warning",
                f"the picture is larger than the screen needs ({width} x {height} pixels, "
                f"{_size_words(st.st_size)}); it is scaled down, but at most {WARN_SIDE} pixels "
                f"on the long side and {WARN_BYTES >> 20} MB load faster",
                f"图片比屏幕需要的大（{width} x {height} 像素，{_size_words(st.st_size)}）；"
                f"会自动缩小，但长边不超过 {WARN_SIDE} 像素、文件不超过 {WARN_BYTES >> 20} MB "
                f"时加载更快"))
        return tuple(notes)


class _TooMany(Exception):
    def __init__(self, width: int, height: int):
        super().__init__(width, height)
        self.width, self.height = width, height


def _open_limited(fh, limit: int) -> Image.Image:
    """Open (header only) with Pillow's own bomb check out of the way: the limit is ours."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        im = Image.open(fh)
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    width, height = im.size
    if width * height > limit:
        im.close()
        raise _TooMany(width, height)
    return im


def _too_many(width: int, height: int, limit: int) -> tuple[str, str]:
    return (f"the picture has too many pixels ({width} x {height}, more than "
            f"{limit / 1_000_000:g} million; the limit is images.max_pixels in kiosk.yaml); "
            f"make it smaller",
            f"图片像素太多（{width} x {height}，超过 {limit / 10_000:g} 万像素；上限见 kiosk.yaml 的 "
            f"images.max_pixels）；请缩小后再用")


def _damaged(text: str) -> tuple[str, str]:
    low = text.lower()
    if "truncated" in low or "broken data stream" in low or "premature" in low \
            or "end of file" in low or "unexpected end" in low:
        return ("the picture is incomplete (the file was cut off, perhaps while copying); "
                "copy it again",
                "图片不完整（文件被截断，可能是复制时中断）；请重新复制")
    return (f"the picture is damaged and cannot be decoded ({text}); save it again",
            f"图片已损坏，无法解码（{text}）；请重新保存")


# ------------------------------------------------------------------ memory

_default_file: str | None = None


def remember_in(path: str | os.PathLike | None) -> None:
    """Every :class:`PictureChecks` made from now on keeps its answers in ``path`` (the
    cache folder's ``picture-checks.json``), shared by the kiosk, ``kiosk check`` and
    ``kiosk cache warm``: a picture proven by one is not decoded again by the others."""
    global _default_file
    _default_file = os.fspath(path) if path is not None else None


def checks_file(cache_dir: str | os.PathLike) -> Path:
    return Path(cache_dir).expanduser() / "picture-checks.json"


class PictureChecks:
    """Answers of :func:`check_picture` by path, valid while size and mtime stay the same."""

    FORMAT = 1

    def __init__(self, max_pixels: int | None = None, file: str | os.PathLike | None = None):
        self.max_pixels = max_pixels
        self._known: dict[str, tuple[int, int, tuple[Note, ...]]] = {}
        self.checked = 0  # pictures decoded (not answered from memory)
        # kept between runs here (see :func:`remember_in`); read at the first question
        self.file = os.fspath(file) if file is not None else _default_file
        self._read = self.file is None
        self._saved = 0

    def save_if_new(self) -> None:
        """Write the answers to :attr:`file` if pictures were decoded since the last write."""
        if self.file is not None and self.checked != self._saved:
            self._saved = self.checked
            self.save(self.file)

    def limit(self) -> int:
        return self.max_pixels or _max_pixels()

    def get(self, path: str, st: os.stat_result | None = None) -> tuple[Note, ...]:
        if st is None:
            try:
                st = os.stat(path)
            except OSError:
                return check_picture(path, self.limit())
        if not self._read:
            self._read = True
            self.load(self.file)
        key = (st.st_size, st.st_mtime_ns)
        known = self._known.get(path)
        if known is not None and known[:2] == key:
            return known[2]
        notes = check_picture(path, self.limit())
        self.checked += 1
        self._known[path] = (*key, notes)
        return notes

    def remember(self, path: str, size: int, mtime_ns: int, notes) -> None:
        """An answer found elsewhere (``kiosk cache warm``'s worker processes)."""
        if not self._read:
            self._read = True
            self.load(self.file)
        self._known[path] = (size, mtime_ns, tuple(tuple(n) for n in notes))
        self.checked += 1

    def prove_ahead(self, paths, workers: int | None = None) -> int:
        """Prove the pictures among ``paths`` not known yet, several at a time (decoding
        runs outside Python's lock): the first load of a large exhibition waits for
        its photos once, on every core. Returns how many were proven."""
        unknown = []
        for path in paths:
            try:
                st = os.lstat(path)  # links are proven when something names them
            except OSError:
                continue
            known = self._known.get(path)
            if stat.S_ISREG(st.st_mode) and st.st_size and (known is None
                                              or known[:2] != (st.st_size, st.st_mtime_ns)):
                unknown.append(path)
        if len(unknown) < 2:
            return 0
        if not self._read:
            self._read = True
            self.load(self.file)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
            for _ in pool.map(self.get, unknown):
                pass
        return len(unknown)

    # for ``kiosk check`` (a new process each time): remembered in a file

    def load(self, path: str | os.PathLike) -> None:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != self.FORMAT \
                or data.get("limit") != self.limit() or data.get("heif") != _heif_expected():
            return
        for name, (size, mtime, notes) in data.get("pictures", {}).items():
            self._known[name] = (size, mtime, tuple(tuple(n) for n in notes))

    def save(self, path: str | os.PathLike) -> None:
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"format": self.FORMAT, "limit": self.limit(),
                                  "heif": _heif_expected(),
                                  "pictures": {k: [s, m, [list(n) for n in notes]]
                                               for k, (s, m, notes) in list(self._known.items())}},
                                 ensure_ascii=False)
            fd, tmp = tempfile.mkstemp(prefix=".picture-checks-", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, target)
        except OSError:
            pass  # only the next check is slower


__all__ = ["MAX_ASPECT", "WARN_BYTES", "WARN_SIDE", "PictureChecks", "check_picture",
           "checks_file", "heif_available", "remember_in"]
