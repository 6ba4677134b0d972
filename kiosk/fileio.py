"""Writing the kiosk's own files so that a reader, a crash or a power cut never sees half.

Every file the kiosk writes for itself (the status file, the metrics file, the PIN
file, decoded pictures in the cache) goes through :func:`atomic_write`:

1. the bytes go to a temporary file in the target's own folder (a rename across
   file systems would not be atomic);
2. the temporary file is flushed to the disk (``fsync``);
3. it is renamed over the target (``os.replace``: a reader sees the old file or
   the new one, never a mix);
4. the folder is flushed too, so the rename itself survives a power cut;
5. on any error the temporary file is removed and the error raised: nothing is
   left behind, and the old file is untouched.

No Kivy here.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, encoding: str = "utf-8",
                 permissions: int | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on a clean exit it replaces
    ``path``. ``mode`` is ``"w"`` (text) or ``"wb"``; ``permissions`` (e.g. ``0o600``) are
    set before anything is written (default: what a new file gets, as with ``open``)."""
    if mode not in ("w", "wb"):
        raise ValueError("mode must be 'w' or 'wb'")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, permissions if permissions is not None else 0o666 & ~_UMASK)
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": encoding})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(target.parent)


def write_bytes(path: str | os.PathLike, data: bytes, **options) -> None:
    with atomic_write(path, "wb", **options) as fh:
        fh.write(data)


def write_text(path: str | os.PathLike, text: str, **options) -> None:
    with atomic_write(path, "w", **options) as fh:
        fh.write(text)


def write_json(path: str | os.PathLike, doc, **options) -> None:
    """``doc`` as indented JSON (UTF-8, Chinese kept readable) with a final newline."""
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n", **options)


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot flush a folder; the rename has happened
        pass
    finally:
        os.close(fd)


def _read_umask() -> int:
    """The process's umask, read without changing it where Linux tells (setting it to read
    it back would race with threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


__all__ = ["atomic_write", "fsync_folder", "write_bytes", "write_json", "write_text"]
