"""``kiosk cache warm [DIR]``: decode every picture of a content tree into the image cache.

Run it after copying new content (or on a second kiosk): the first visitor
then never waits for a 24-megapixel photo to be decoded. Uses every core; a
progress bar goes to stderr; pictures that cannot be shown are listed, in
plain words, at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

from kiosk.content.paths import IMAGE_EXTS, is_ignored

_pipeline = None  # one per worker process


def find_pictures(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if not is_ignored(name) and os.path.splitext(name)[1].lower() in IMAGE_EXTS:
                found.append(Path(folder) / name)
    return found


def _start(cache_dir: str, disk_mb: float) -> None:
    global _pipeline
    from kiosk.images.pipeline import Pipeline

    _pipeline = Pipeline(cache_dir, disk_mb)


def _warm_one(path: str):
    from kiosk.images.decode import ImageError

    try:
        before = _pipeline.decodes
        _pipeline.master(path)
        return path, _pipeline.decodes > before, None
    except ImageError as exc:
        return path, False, (exc.message, exc.message_zh)
    except OSError as exc:
        return path, False, (f"the file cannot be read ({exc.strerror})", f"文件无法读取（{exc.strerror}）")


def _bar(done: int, total: int, started: float, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    rate = done / max(1e-6, time.monotonic() - started)
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.1f}/s "


def warm(root: Path, cache_dir: str, disk_mb: float = 2048, processes: int | None = None,
         out=None) -> dict:
    """Fill the cache for every picture under ``root``. Returns counts and problems."""
    out = out or sys.stderr  # looked up now: sys.stderr may have been replaced since import
    pictures = [str(p) for p in find_pictures(root)]
    processes = processes or os.cpu_count() or 1
    made, problems = 0, []
    started = time.monotonic()
    if pictures:
        # "spawn": forking a process that already runs threads (a kiosk, a test run)
        # can copy a held lock into the child and hang it.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(min(processes, len(pictures)), initializer=_start,
                      initargs=(cache_dir, disk_mb)) as pool:
            for done, (path, built, error) in enumerate(
                    pool.imap_unordered(_warm_one, pictures, chunksize=1), start=1):
                made += bool(built)
                if error:
                    problems.append((os.path.relpath(path, root), *error))
                out.write(_bar(done, len(pictures), started))
                out.flush()
        out.write("\n")
    return {"pictures": len(pictures), "decoded": made, "problems": problems,
            "seconds": time.monotonic() - started}


# ------------------------------------------------------------ command line


def add_parser(sub) -> None:
    cache = sub.add_parser("cache", help="the image cache")
    cache_sub = cache.add_subparsers(dest="cache_command", required=True)
    w = cache_sub.add_parser("warm", help="decode every picture of a content folder into the cache")
    w.add_argument("dir", nargs="?", default=None, help="content folder (default: from kiosk.yaml)")
    w.add_argument("--config", default=None, help="kiosk.yaml to read (default: ./kiosk.yaml)")
    w.add_argument("--cache-dir", default=None, help="cache folder (default: cache.dir in kiosk.yaml)")
    w.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")


def run(args) -> int:
    from kiosk.config import load_config

    config_path = args.config or ("kiosk.yaml" if Path("kiosk.yaml").exists() else None)
    config, _ = load_config(config_path)
    root = Path(args.dir) if args.dir else config.content_dir
    if not root.is_dir():
        print(f"找不到内容文件夹 / content folder not found: {root}", file=sys.stderr)
        return 2
    cache_dir = args.cache_dir or str(config.path(config.cache.dir))
    result = warm(root, cache_dir, config.cache.disk_mb, args.jobs)
    print(f"{result['pictures']} 张图片，新解码 {result['decoded']} 张，用时 {result['seconds']:.1f} 秒 / "
          f"{result['pictures']} pictures, {result['decoded']} decoded now, "
          f"{result['seconds']:.1f} s; cache: {cache_dir}")
    for rel, en, zh in result["problems"]:
        print(f"{rel}: error: {zh} / {en}")
    return 1 if result["problems"] else 0
