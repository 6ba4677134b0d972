"""``kiosk cache warm [DIR]``: decode every picture of a content tree into the image cache.

Run it after copying new content (or on a second kiosk): the first visitor
then never waits for a 24-megapixel photo to be decoded. Uses every core; a
progress bar goes to stderr; pictures that cannot be shown are listed, in
plain words, at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import sys
import time
from pathlib import Path

from kiosk.content.paths import IMAGE_EXTS, is_ignored

_pipeline = None  # one per worker process
_limit = 60.0
TIME_LIMIT = 60.0  # seconds one picture may take; a bigger one is reported, not waited for


def _inside(path: str, real_root: str) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def find_pictures(root: Path, problems: list | None = None) -> list[Path]:
    """Pictures under ``root`` that are ordinary files inside it, in name order. Anything
    else with a picture's name (a pipe, a device, a link leading out) goes to
    ``problems`` as (relative path, English, Chinese) and is never opened."""
    found = []
    root = Path(root)
    real_root = os.path.realpath(root)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):  # pipes, devices and links are "files" here too
            if is_ignored(name) or os.path.splitext(name)[1].lower() not in IMAGE_EXTS:
                continue
            path = os.path.join(folder, name)
            why = _not_ordinary(path, real_root)
            if why is None:
                found.append(Path(path))
            elif problems is not None:
                problems.append((os.path.relpath(path, root), *why))
    return found


def _not_ordinary(path: str, real_root: str) -> tuple[str, str] | None:
    try:
        if os.path.islink(path) and not _inside(path, real_root):
            return ("this is a link to a place outside the content folder; it is not used",
                    "这是指向内容文件夹以外的链接；不会使用")
        mode = os.stat(path).st_mode
    except OSError as exc:
        return (f"the file cannot be read ({exc.strerror or exc})",
                f"文件无法读取（{exc.strerror or exc}）")
    if not stat.S_ISREG(mode):
        return ("this is not an ordinary file (a pipe, a device or a socket); it is not used",
                "这不是普通文件（而是管道、设备或套接字）；不会使用")
    return None


def _start(cache_dir: str, disk_mb: float, max_pixels: int | None = None,
           limit: float = TIME_LIMIT) -> None:
    global _pipeline, _limit
    from kiosk.images.decode import set_max_pixels
    from kiosk.images.pipeline import Pipeline

    set_max_pixels(max_pixels)
    _pipeline = Pipeline(cache_dir, disk_mb)
    _limit = limit


class _TooSlow(Exception):
    pass


def _alarm(*_):
    raise _TooSlow()


def _warm_one(path: str):
    from kiosk.images.decode import ImageError

    # a worker runs one picture at a time on its main thread: an alarm bounds it
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, _limit)
    try:
        from kiosk.images.verify import check_picture

        st = os.stat(path)
        notes = check_picture(path)  # remembered for the kiosk and kiosk check
        before = _pipeline.decodes
        _pipeline.master(path)
        return path, _pipeline.decodes > before, None, (st.st_size, st.st_mtime_ns, notes)
    except _TooSlow:
        return path, False, (f"the picture took longer than {_limit:g} s to decode; make it "
                             f"smaller", f"图片解码超过 {_limit:g} 秒；请缩小后再用"), None
    except ImageError as exc:
        return path, False, (exc.message, exc.message_zh), None
    except OSError as exc:
        return path, False, (f"the file cannot be read ({exc.strerror or exc})",
                             f"文件无法读取（{exc.strerror or exc}）"), None
    except Exception as exc:  # whatever a damaged file does to a decoder: listed, never fatal
        return path, False, (f"the picture cannot be decoded ({type(exc).__name__}: {exc})",
                             f"图片无法解码（{type(exc).__name__}：{exc}）"), None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bar(done: int, total: int, started: float, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    rate = done / max(1e-6, time.monotonic() - started)
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.1f}/s "


def warm(root: Path, cache_dir: str, disk_mb: float = 2048, processes: int | None = None,
         out=None, max_pixels: int | None = None, limit: float = TIME_LIMIT) -> dict:
    """Fill the cache for every picture under ``root``. Returns counts and problems."""
    out = out or sys.stderr  # looked up now: sys.stderr may have been replaced since import
    problems: list[tuple[str, str, str]] = []
    pictures = [str(p) for p in find_pictures(root, problems)]
    processes = processes or os.cpu_count() or 1
    made = 0
    started = time.monotonic()
    from kiosk.images.decode import set_max_pixels
    from kiosk.images.verify import PictureChecks, checks_file

    set_max_pixels(max_pixels)
    checks = PictureChecks(file=checks_file(cache_dir))
    if pictures:
        # "spawn": forking a process that already runs threads (a kiosk, a test run)
        # can copy a held lock into the child and hang it.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(min(processes, len(pictures)), initializer=_start,
                      initargs=(cache_dir, disk_mb, max_pixels, limit)) as pool:
            for done, (path, built, error, proven) in enumerate(
                    pool.imap_unordered(_warm_one, pictures, chunksize=1), start=1):
                made += bool(built)
                if proven is not None:
                    checks.remember(path, *proven)
                if error:
                    problems.append((os.path.relpath(path, root), *error))
                out.write(_bar(done, len(pictures), started))
                out.flush()
        out.write("\n")
        checks.save_if_new()
    problems.sort()
    return {"pictures": len(pictures), "decoded": made, "problems": problems,
            "seconds": time.monotonic() - started}


# ------------------------------------------------------------ command line


def add_parser(sub) -> None:
    cache = sub.add_parser("cache", help="the image cache")
    cache_sub = cache.add_subparsers(dest="cache_command", required=True)
    w = cache_sub.add_parser("warm", help="decode every picture of a content folder into the cache")
    w.add_argument("dir", nargs="?", default=None, help="content folder (default: from kiosk.yaml)")
    w.add_argument("--content", default=None, help="content folder (overrides kiosk.yaml)")
    w.add_argument("--time-limit", type=float, default=TIME_LIMIT,
                   help=f"seconds one picture may take (default: {TIME_LIMIT:g})")
    w.add_argument("--config", default=None, help="kiosk.yaml to read (default: ./kiosk.yaml)")
    w.add_argument("--cache-dir", default=None, help="cache folder (default: cache.dir in kiosk.yaml)")
    w.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")


def run(args) -> int:
    from kiosk.config import load_config

    config_path = args.config or ("kiosk.yaml" if Path("kiosk.yaml").exists() else None)
    config, _ = load_config(config_path)
    folder = args.content or args.dir
    root = Path(folder) if folder else config.content_dir
    if not root.is_dir():
        print(f"找不到内容文件夹 / content folder not found: {root}", file=sys.stderr)
        return 2
    cache_dir = args.cache_dir or str(config.path(config.cache.dir))
    result = warm(root, cache_dir, config.cache.disk_mb, args.jobs,
                  max_pixels=config.images.max_pixels, limit=args.time_limit)
    print(f"{result['pictures']} 张图片，新解码 {result['decoded']} 张，用时 {result['seconds']:.1f} 秒 / "
          f"{result['pictures']} pictures, {result['decoded']} decoded now, "
          f"{result['seconds']:.1f} s; cache: {cache_dir}")
    if result["problems"]:
        print(f"{len(result['problems'])} 张图片无法显示 / "
              f"{len(result['problems'])} pictures cannot be shown:")
    for rel, en, zh in result["problems"]:
        print(f"{root / rel}: error: {zh} / {en}")
    return 1 if result["problems"] else 0
