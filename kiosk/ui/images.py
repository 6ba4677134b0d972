"""Pictures on screen: decoded off the main thread, kept as textures within a memory budget.

Every :class:`kiosk.ui.widgets.common.Picture` asks the :class:`ImageLoader`
for its file at a size that suits the widget. Worker threads run the
Pillow pipeline (``kiosk.images``); the pixels come back to the main thread
through the Clock, where they become textures. Until then the picture shows
its neutral placeholder, and a frame never waits for a decode.

Textures live in an LRU cache with a byte budget (``cache.texture_mb`` in
``kiosk.yaml``). A texture a picture on screen (or near it, in a scrolling
list) shows is never dropped; the others go, oldest first, when the budget
is exceeded, and the pictures that held them fall back to the placeholder.
That is how neighbours stay ready and far pictures are released.

For rendering and tests, :func:`wait_idle` finishes every pending picture
before it returns.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import queue
import sys
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

from kivy.clock import Clock
from kivy.graphics.texture import Texture

from kiosk.config import CacheConfig
from kiosk.content.model import Problem
from kiosk.images import ImageError, Pipeline, target_box
from kiosk.images.pipeline import Signature

log = logging.getLogger("kiosk.images")

# Pictures within this many window heights (or widths) of the screen are loaded
# ahead; beyond it they may lose their texture when memory is needed.
NEAR = 1.0


def fit_of(fit_mode: str) -> str:
    return "cover" if fit_mode in ("cover", "fill") else "contain"


@dataclass
class Entry:
    texture: Texture
    nbytes: int
    path: str
    holders: weakref.WeakSet = field(default_factory=weakref.WeakSet)

    def in_use(self) -> bool:
        return any(getattr(h, "image_active", False) for h in self.holders)


class TextureCache:
    """Textures by key, least recently used first, within ``budget`` bytes."""

    def __init__(self, budget: int):
        self.budget = budget
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.used = 0
        self.evicted = 0

    def get(self, key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.used -= old.nbytes
        self.entries[key] = entry
        self.used += entry.nbytes
        self.trim()

    def trim(self) -> None:
        """Drop unused textures, oldest first, until within the budget."""
        if self.used <= self.budget:
            return
        for key in list(self.entries):
            if self.used <= self.budget:
                break
            entry = self.entries[key]
            if entry.in_use():
                continue
            self.drop(key)

    def drop(self, key) -> None:
        entry = self.entries.pop(key, None)
        if entry is None:
            return
        self.used -= entry.nbytes
        self.evicted += 1
        for holder in list(entry.holders):
            holder.image_dropped(key)


@dataclass
class Job:
    path: str
    sig: Signature
    box: tuple[int, int]
    mode: str
    callbacks: list = field(default_factory=list)
    future: cf.Future | None = None


class ImageLoader:
    """Decodes pictures on worker threads and keeps their textures within a budget."""

    def __init__(self, config: CacheConfig | None = None, workers: int | None = None):
        self.config = config or CacheConfig()
        self.pipeline = Pipeline(self.config.dir, self.config.disk_mb)
        self.textures = TextureCache(int(self.config.texture_mb * 1024 * 1024))
        workers = workers or decode_workers(os.cpu_count())
        self.executor = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-image",
                                              initializer=_yield_to_frames)
        self.jobs: dict[tuple, Job] = {}
        self.failed: dict[str, tuple[Signature, ImageError]] = {}
        self.problems: dict[tuple, Problem] = {}
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self._dirty: weakref.WeakSet = weakref.WeakSet()  # pictures to (re)consider
        self._pictures: weakref.WeakSet = weakref.WeakSet()
        self._scrolls: dict[int, bool] = {}  # scroll views whose scrolling sweeps
        self._flush_trigger = Clock.create_trigger(self.flush, 0)
        self._sweep_trigger = Clock.create_trigger(self.sweep, 0.1)  # while scrolling
        self.sweep_soon = Clock.create_trigger(self.sweep, 0)  # a new screen, a new window size
        self._lock = threading.Lock()
        self.loaded = 0  # textures made
        # given by the app that shows the pictures (kiosk/ui/services.py): where a picture
        # that cannot be shown is reported, and who returns freed memory to the system
        self.on_problem = None  # callable(Problem)
        self.on_freed = None  # callable()

    # ----------------------------------------------------------- requests
    def fetch(self, path: str, box: tuple[int, int], mode: str, callback=None):
        """The texture entry for ``path`` at ``box`` if it is ready now, else None.

        When it is not ready a worker makes it, and ``callback(key, entry,
        error)`` runs on the main thread afterwards (``entry`` None and
        ``error`` an :class:`ImageError` if the file cannot be shown).
        """
        try:
            sig = Signature.of(path)
        except OSError as exc:
            if callback:
                callback(None, None, ImageError(f"the file cannot be read ({exc.strerror})",
                                                f"文件无法读取（{exc.strerror}）"))
            return None
        failed = self.failed.get(path)
        if failed and failed[0] == sig:
            if callback:
                callback(None, None, failed[1])
            return None
        digest = self.pipeline.hashes.known(path, sig)
        if digest is not None:
            key = (digest, box, mode)
            entry = self.textures.get(key)
            if entry is not None:
                return key, entry
        job_key = (path, sig, box, mode)
        job = self.jobs.get(job_key)
        if job is None:
            job = self.jobs[job_key] = Job(path, sig, box, mode)
            job.future = self.executor.submit(self._work, job_key, job)
        if callback is not None:
            job.callbacks.append(callback)
        return None

    def preload(self, path: str, size, fit_mode: str = "contain", limit=None) -> None:
        """Make ``path`` ready for a widget of ``size`` (a neighbour about to be shown)."""
        if path and os.path.isfile(path):
            self.fetch(str(path), target_box(*size, limit=limit or _window_size()), fit_of(fit_mode))

    def release(self, paths) -> int:
        """Drop the textures of ``paths`` that nothing on screen shows. Returns how many."""
        wanted = {str(p) for p in paths}
        gone = [k for k, e in self.textures.entries.items() if e.path in wanted and not e.in_use()]
        for key in gone:
            self.textures.drop(key)
        return len(gone)

    def _work(self, job_key, job: Job):
        try:
            digest = self.pipeline.hashes.get(job.path, job.sig)
            result = self.pipeline.load(job.path, job.box, job.mode, digest=digest)
            out = (digest, result, None)
        except ImageError as exc:
            out = (None, None, exc)
        except OSError as exc:
            out = (None, None, ImageError(f"the file cannot be read ({exc.strerror or exc})",
                                          f"文件无法读取（{exc.strerror or exc}）"))
        except Exception as exc:  # never let a picture take the kiosk down
            log.exception("decoding %s failed", job.path)
            out = (None, None, ImageError(f"the picture cannot be shown ({exc})",
                                          f"图片无法显示（{exc}）"))
        self._done.put((job_key, out))
        Clock.schedule_once(self.deliver, 0)

    def deliver(self, *_):
        """Turn finished decodes into textures and hand them over (main thread)."""
        delivered = False
        while True:
            try:
                job_key, (digest, decoded, error) = self._done.get_nowait()
            except queue.Empty:
                if delivered and self.on_freed is not None:
                    self.on_freed()  # the decode buffers are gone: memory back when quiet
                return
            delivered = True
            job = self.jobs.pop(job_key, None)
            if job is None:
                continue
            key = entry = None
            if error is not None:
                self.failed[job.path] = (job.sig, error)
            else:
                key = (digest, job.box, job.mode)
                entry = self.textures.get(key)
                if entry is None:
                    entry = Entry(make_texture(decoded), decoded.width * decoded.height * 4, job.path)
                    self.loaded += 1
                    self.textures.put(key, entry)
            for callback in job.callbacks:
                try:
                    callback(key, entry, error)
                except Exception:
                    log.exception("showing %s failed", job.path)
            if entry is not None:
                self.textures.trim()

    def pending(self) -> int:
        return len(self.jobs)

    # ------------------------------------------------------------ pictures
    def register(self, picture) -> None:
        self._pictures.add(picture)

    def want(self, picture) -> None:
        """``picture`` changed (file, size, place): consider it on the next frame."""
        self._dirty.add(picture)
        self._flush_trigger()

    def flush(self, *_):
        dirty, self._dirty = list(self._dirty), weakref.WeakSet()
        for picture in dirty:
            picture.image_refresh()

    def sweep(self, *_):
        """Pictures scrolled near the screen load; far ones become free to drop. A screen
        left behind (see-through or out of the window) is found hidden once, not once for
        each of its pictures."""
        hidden: set[int] = set()
        for picture in list(self._pictures):
            picture.image_refresh(hidden)
        self.textures.trim()

    def watch_scroll(self, scroll) -> None:
        uid = scroll.uid
        if uid in self._scrolls:
            return
        self._scrolls[uid] = True
        scroll.fbind("scroll_y", self._sweep_trigger)
        scroll.fbind("scroll_x", self._sweep_trigger)

    def report(self, problem: Problem) -> None:
        """A picture that cannot be shown: logged once and listed with the content errors."""
        key = (problem.path, problem.message)
        if key in self.problems:
            return
        self.problems[key] = problem
        log.error(problem.format())
        if self.on_problem is not None:
            self.on_problem(problem)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Finish every picture that is wanted now (main thread). False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.flush()
            futures = [j.future for j in list(self.jobs.values()) if j.future is not None]
            if not futures:
                self.deliver()
                if not self.jobs and not self._dirty:
                    return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            cf.wait(futures, timeout=remaining)
            self.deliver()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def decode_workers(cpus: int | None) -> int:
    """Pictures decoded at the same time: one core is left to the frames (the main thread,
    and on a machine without a GPU the renderer too), at most four. On two cores that is one
    decode at a time: measured against two, the photo viewer's memory peaked 13 MB lower,
    its swipes drew their frames sooner and no photo came later."""
    return max(1, min(4, (cpus or 2) - 1))


WORKER_NICENESS = 10  # decoding waits for the frames, never the other way round


def _yield_to_frames() -> None:
    """Run this decoding thread at a lower priority than the rest of the kiosk (Linux: a
    thread's own niceness), so that on a machine with few cores, where the renderer is the
    CPU too, a frame is not slowed by a photo being decoded meanwhile."""
    if not sys.platform.startswith("linux"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
    except OSError:  # not allowed here: decode at the usual priority
        pass


def make_texture(decoded) -> Texture:
    fmt = decoded.mode.lower()
    texture = Texture.create(size=(decoded.width, decoded.height), colorfmt=fmt)
    texture.blit_buffer(decoded.data, colorfmt=fmt, bufferfmt="ubyte")
    texture.flip_vertical()  # Pillow's rows run top to bottom, OpenGL's bottom to top
    return texture


def _window_size():
    from kivy.core.window import Window

    return Window.size


def on_screen(widget, near: float = NEAR, loader: ImageLoader | None = None,
              hidden: set[int] | None = None) -> bool:
    """Is ``widget`` in the window, within ``near`` screens of the visible part?

    ``hidden``: the uids of widgets already found see-through or out of the window (in one
    pass over many pictures); the ones found now are added."""
    from kivy.core.window import WindowBase
    from kivy.uix.scrollview import ScrollView

    x0, y0, x1, y1 = widget.x, widget.y, widget.right, widget.top
    node = widget.parent
    passed = []
    while node is not None:
        if isinstance(node, WindowBase):
            w, h = node.size
            mx, my = w * near, h * near
            return x1 >= -mx and x0 <= w + mx and y1 >= -my and y0 <= h + my
        if hidden is not None:
            if node.uid in hidden:
                break
            passed.append(node.uid)
        if getattr(node, "opacity", 1) == 0 or node.parent is node:
            break
        if isinstance(node, ScrollView) and loader is not None:
            loader.watch_scroll(node)
        x0, y0 = node.to_parent(x0, y0)
        x1, y1 = node.to_parent(x1, y1)
        node = node.parent
    if hidden is not None:
        hidden.update(passed)  # everything under a hidden widget is hidden too
    return False


# --------------------------------------------------------------- module API

_loader: ImageLoader | None = None


def use_loader(config: CacheConfig | None = None) -> ImageLoader:
    """The loader for ``config`` (the app's ``cache`` settings), made when there is none
    for them yet; every picture uses it from now on. Decoded pictures and textures are
    kept when the same settings are asked for again (another app in the same process)."""
    global _loader
    config = config or CacheConfig()
    if _loader is None or _loader.config != config:
        if _loader is not None:
            _loader.shutdown()
        _loader = ImageLoader(config)
        from kivy.core.window import Window

        Window.fbind("size", _loader.sweep_soon)
    return _loader


def get_loader() -> ImageLoader:
    """The loader pictures use: the app's (:func:`use_loader`), or one with the default
    settings when no app chose one."""
    return _loader if _loader is not None else use_loader()


def current_loader() -> ImageLoader | None:
    return _loader


def wait_idle(timeout: float = 60.0) -> bool:
    """Block until every picture wanted on screen is decoded and shown (render, tests)."""
    return _loader.wait_idle(timeout) if _loader is not None else True


def preload(media, size, fit_mode: str = "contain", lang: str | None = None) -> None:
    """Load ``media`` for a widget of ``size`` ahead of time (e.g. the next photo),
    in the variant for language ``lang`` (the visitor's) when it has one."""
    if getattr(media, "variants", ()):
        media = media.for_language(lang)
    path = getattr(media, "path", None)
    if path:
        get_loader().preload(str(path), size, fit_mode)


def release(media_list) -> int:
    paths = [str(m.path) for m in media_list if getattr(m, "path", None)]
    paths += [str(path) for m in media_list for _lang, _src, path in getattr(m, "variants", ())]
    return get_loader().release(paths) if paths else 0


def problem_for(media, error: ImageError) -> Problem:
    where = getattr(media, "src", None) or str(getattr(media, "path", ""))
    return Problem(where, None, "error", f"picture cannot be shown: {error.message}",
                   f"图片无法显示：{error.message_zh}", "image")


def pictures_settled(root) -> bool:
    """True when no picture is being loaded and every picture on screen shows its file
    (or has been found unusable)."""
    if _loader is not None and (_loader.jobs or _loader._dirty):
        return False
    for widget in root.walk(restrict=True):  # pictures: what asks this loader for images
        if getattr(widget, "image_active", False) and widget.texture is None \
                and getattr(widget, "problem", None) is None:
            return False
    return True


__all__ = [
    "ImageLoader", "TextureCache", "current_loader", "get_loader", "on_screen", "preload",
    "release", "use_loader", "wait_idle",
]
