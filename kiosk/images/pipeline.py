"""The image pipeline: a picture file and a target size in, screen-ready pixels out.

Every picture is decoded once with Pillow into a *master* (upright, 8-bit, at
most :data:`MASTER_SIDE` pixels on its long side) that is kept in a disk
cache; the sizes the screens ask for are made from the master and cached
too. Cache files are named after the hash of the source's bytes plus the
target, so a restart, a renamed file or another kiosk with the same content
reuses the work, and a photo replaced at the same path is never mistaken for
the old one. The cache has a size cap and removes what was used longest ago.

No Kivy here (the Kivy side is ``kiosk.ui.images``)::

    pipeline = Pipeline("~/.cache/kiosk", disk_mb=2048)
    decoded = pipeline.load("content/05-gallery/images/a.jpg", (1280, 1920), "contain")
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk import recovery
from kiosk.images.decode import (
    FIT_MODES,
    Decoded,
    ImageError,
    decode,
    decode_image,
    fitted_size,
    save_image,
    to_decoded,
    without_opaque_alpha,
)

MASTER_SIDE = 2048  # long side of the cached master; every screen size is made from it
# Target sizes are rounded up to one of these, so that screens of slightly
# different layouts share cache files.
BUCKETS = (64, 128, 192, 256, 384, 512, 640, 768, 1024, 1280, 1536, 1920, 2048, 2560, 3072, 3840)
CACHE_VERSION = "v1"
_CHUNK = 1 << 20
CACHE_RETRY_SECONDS = 60.0  # after a failed cache write, pictures skip the cache this long

log = logging.getLogger("kiosk.images")


def bucket(n: float) -> int:
    """``n`` rounded up to the next size in :data:`BUCKETS`."""
    for b in BUCKETS:
        if n <= b:
            return b
    return BUCKETS[-1]


def target_box(width: float, height: float, limit: tuple[float, float] | None = None):
    """The cache target for a widget ``width`` x ``height`` (each side capped by ``limit``,
    usually the window size: nothing larger than the screen is ever kept)."""
    if limit:
        width, height = min(width, limit[0]), min(height, limit[1])
    return bucket(max(1, width)), bucket(max(1, height))


# ------------------------------------------------------------------ hashing


@dataclass(frozen=True)
class Signature:
    """What a file looks like from outside: if any of this changes, it is read again."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str) -> Signature:
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def hash_file(path: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Hashes:
    """Content hashes remembered by (path, signature): an unchanged file is hashed once."""

    def __init__(self):
        self._known: dict[str, tuple[Signature, str]] = {}
        self._lock = threading.Lock()

    def known(self, path: str, sig: Signature) -> str | None:
        got = self._known.get(path)
        return got[1] if got and got[0] == sig else None

    def get(self, path: str, sig: Signature | None = None) -> str:
        sig = sig or Signature.of(path)
        found = self.known(path, sig)
        if found is None:
            found = hash_file(path)
            with self._lock:
                self._known[path] = (sig, found)
        return found


# --------------------------------------------------------------- disk cache


class DiskCache:
    """Files under ``folder`` with a size cap; the least recently used go first.

    Using an entry touches its modification time, which is the age cleanup
    goes by. Writes are atomic (temporary file, then rename), so several
    threads and processes can fill the same cache.
    """

    def __init__(self, folder: str | os.PathLike, cap_mb: float = 2048):
        self.folder = Path(folder).expanduser() / CACHE_VERSION
        self.cap = int(cap_mb * 1024 * 1024)
        self._lock = threading.Lock()
        self._total: int | None = None  # bytes, counted lazily

    def path(self, name: str) -> Path:
        return self.folder / name[:2] / name

    def get(self, name: str) -> Path | None:
        path = self.path(name)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def reserve(self, name: str) -> Path:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def added(self, path: Path) -> None:
        """Count a file just written at ``path``; clean up when over the cap."""
        try:
            size = path.stat().st_size
        except OSError:
            return
        with self._lock:
            if self._total is None:
                self._total = self.usage()
            else:
                self._total += size
            over = self._total > self.cap
        if over:
            self.cleanup()

    def entries(self) -> list[tuple[float, int, Path]]:
        found = []
        if not self.folder.is_dir():
            return found
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub):
                if entry.name.endswith(".tmp"):
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found.append((st.st_mtime, st.st_size, Path(entry.path)))
        return found

    def usage(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def cleanup(self, target: float = 0.8) -> int:
        """Remove the least recently used files until the cache is under ``target`` of its cap.
        Returns the number of files removed."""
        with self._lock:
            entries = sorted(self.entries())
            total = sum(size for _, size, _ in entries)
            removed = 0
            for _, size, path in entries:
                if total <= self.cap * target:
                    break
                try:
                    path.unlink()
                except OSError:
                    continue
                total -= size
                removed += 1
            self._total = total
            return removed


# ----------------------------------------------------------------- pipeline


class _NoCache(Exception):
    """The master could not be written to the disk cache."""


def _remove_temporaries(path: Path) -> None:
    """Half-written temporaries of ``path`` left by a failed write (a full disk)."""
    try:
        for tmp in path.parent.glob(f"{path.name}.*.tmp"):
            tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _read_cached(path: Path) -> Decoded | None:
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode not in ("RGB", "RGBA"):
                im = im.convert("RGB")
            im = without_opaque_alpha(im)  # (kept so by an earlier version)
            return Decoded(im.width, im.height, im.mode, im.tobytes())
    except Exception as exc:  # a damaged cache file: kept aside (dated), made again
        # the dated file stays in the cache folder, so the size cap removes it in time
        recovery.move_aside(path, "picture cache entry", str(exc))
        return None


class Pipeline:
    """Decodes and caches pictures. Thread safe; ``load`` may run on many threads at once."""

    def __init__(self, cache_dir: str | os.PathLike, disk_mb: float = 2048):
        self.disk = DiskCache(cache_dir, disk_mb)
        self.hashes = Hashes()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self.decodes = 0  # originals decoded (cache misses), for tests and benchmarks
        self.cache_errors = 0  # writes to the disk cache that failed
        self._no_cache_until = 0.0  # after a failed write the cache is left alone a while
        self._good: dict[str, str] = {}  # path -> digest of its last version that decoded

    def _lock_for(self, digest: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(digest, threading.Lock())

    @staticmethod
    def name(digest: str, box: tuple[int, int], mode: str) -> str:
        return f"{digest}-{box[0]}x{box[1]}-{mode}.img"

    def master(self, path: str, digest: str | None = None) -> Path:
        """The cached master of ``path`` (made now if missing). Raises :class:`ImageError`."""
        digest = digest or self.hashes.get(path)
        name = f"{digest}-master.img"
        found = self.disk.get(name)
        if found is not None:
            return found
        with self._lock_for(digest):
            found = self.disk.get(name)
            if found is not None:
                return found
            # saved straight from Pillow's image: its pixels are never copied out
            im, lossless = decode_image(path, (MASTER_SIDE, MASTER_SIDE), "contain")
            try:
                self.decodes += 1
                target = self._store(name, im, lossless)
            finally:
                im.close()
            if target is None:
                raise _NoCache()
            return target

    def _store(self, name: str, im, lossless: bool) -> Path | None:
        """Keep the Pillow image ``im`` in the disk cache; None if the cache cannot be written
        (folder not writable, disk full): pictures are then made in memory only."""
        try:
            target = self.disk.reserve(name)
            save_image(im, lossless, str(target))
        except OSError as exc:
            self.cache_errors += 1
            self._no_cache_until = time.monotonic() + CACHE_RETRY_SECONDS
            if self.cache_errors == 1 or self.cache_errors % 1000 == 0:
                log.error("the picture cache %s cannot be written (%s); pictures are still "
                          "shown, made afresh each time (%d so far)",
                          self.disk.folder, exc.strerror or exc, self.cache_errors)
            _remove_temporaries(self.disk.path(name))
            return None
        self.disk.added(target)
        return target

    def load(self, path: str, box: tuple[int, int], mode: str = "contain",
             digest: str | None = None) -> Decoded:
        """Pixels of ``path`` fitted to ``box`` (``contain`` or ``cover``).

        A file that is broken now (being written, cut off) but decoded before gives
        its last good pixels, from the cached master of that version. Raises
        :class:`ImageError` if the file is not a usable picture and never was, and
        ``OSError`` if it vanished meanwhile.
        """
        try:
            decoded = self._load(path, box, mode, digest)
        except ImageError:
            old = self._good.get(path)
            master = self.disk.get(f"{old}-master.img") if old else None
            if master is None:
                raise
            log.info("%s cannot be shown as it is now; its last good version is shown", path)
            return decode(str(master), box, mode)
        self._good[path] = digest or self.hashes.get(path)
        return decoded

    def _load(self, path: str, box: tuple[int, int], mode: str = "contain",
              digest: str | None = None) -> Decoded:
        if mode not in FIT_MODES:
            mode = "contain"
        if self._no_cache_until > time.monotonic():  # the cache cannot be written just now
            self.decodes += 1
            return decode(path, box, mode)
        digest = digest or self.hashes.get(path)
        name = self.name(digest, box, mode)
        cached = self.disk.get(name)
        if cached is not None:
            decoded = _read_cached(cached)
            if decoded is not None:
                return decoded
        try:
            master = self.master(path, digest)
        except _NoCache:  # no disk cache: straight from the original
            self.decodes += 1
            return decode(path, box, mode)
        try:
            with Image.open(master) as im:
                mw, mh = im.size
        except Exception:  # a damaged master: made again from the original
            master.unlink(missing_ok=True)
            master = self.master(path, digest)
            with Image.open(master) as im:
                mw, mh = im.size
        sx, sy = box[0] / mw, box[1] / mh
        wants_more = (max(sx, sy) if mode == "cover" else min(sx, sy)) > 1.0
        if wants_more and max(mw, mh) >= MASTER_SIDE:
            im, lossless = decode_image(path, box, mode)  # bigger than the master: the original
            self.decodes += 1
        else:
            im, lossless = decode_image(str(master), box, mode)
        try:
            self._store(name, im, lossless)
            return to_decoded(im, lossless)
        finally:
            im.close()


__all__ = [
    "BUCKETS", "MASTER_SIDE", "Decoded", "DiskCache", "Hashes", "ImageError", "Pipeline",
    "Signature", "bucket", "fitted_size", "target_box",
]
