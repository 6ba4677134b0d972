"""Hot reload: files dropped into the content folder show on screen within a moment.

:class:`Reloader` owns a :class:`kiosk.watch.ContentWatcher`. When a burst of
changes has settled, the watcher thread loads the content again (incremental:
the loader lists only the folders of the changed paths and reads only changed
files; a full rescan walks the whole tree; the loader has no Kivy in it) and, for a theme
change, reads the theme. The result is handed to the Kivy main thread with
``Clock.schedule_once``; only there are the app and its widgets touched. The app's
services are composed in ``kiosk/ui/services.py``: the reloader is built with the app and
starts watching once the first frame is drawn; the app stops it when it stops.

The reloader owns ``app.content_errors``: the errors of the content on screen, of the
theme's background picture and of pictures that failed on screen (:meth:`report`).
A new theme goes to the app through :meth:`KioskApp.apply_theme`.

Last good content wins. A file that fails to load now (a typo in its YAML, a
half-copied file) is reported, and what it showed before stays on screen:
see :func:`keep_last_good`. Deleting the whole content folder keeps the last
content too, with an error in the status file.

Kivy caches images by file name, so a photo replaced at the same path is
removed from those caches and pictures showing it are reloaded.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from functools import partial
from pathlib import Path

from kivy.cache import Cache
from kivy.clock import Clock
from kivy.uix.image import Image

from kiosk.content.lastgood import is_incomplete_problem, keep_last_good
from kiosk.content.model import Content, Problem
from kiosk.content.paths import media_kind
from kiosk.content.source import problem
from kiosk.watch import POLL_INTERVAL, ContentWatcher

log = logging.getLogger("kiosk.reload")

# A load that lost sections is looked at again this much later, up to this many times,
# before it is believed (a copy or deletion in progress changes in between).
CONFIRM_DELAY = 0.25
CONFIRM_LOOKS = 3

# Kivy's caches that remember a picture by its file name.
IMAGE_CACHES = ("kv.image", "kv.texture", "kv.loader", "kv.resourcefind")


# ------------------------------------------------------------------ images


def _under(path: str, roots) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _cache_file(category: str, key) -> str:
    key = str(key)
    if category in ("kv.image", "kv.texture"):
        return key.rsplit("|", 2)[0]  # "FILE|mipmap|frame"
    return key


def changed_since(path: str, since_ns: int | None) -> bool:
    """True if ``path`` was written, replaced or removed at or after ``since_ns``
    (the inode change time, which copying tools cannot set back)."""
    if since_ns is None:
        return True
    try:
        return os.stat(path).st_ctime_ns >= since_ns
    except OSError:
        return True


def forget_images(paths, since_ns: int | None = None) -> int:
    """Drop every cached picture read from one of ``paths`` (files or folders);
    with ``since_ns``, only pictures whose file changed since then."""
    roots = [os.path.normpath(str(p)) for p in paths]
    removed = 0
    for category in IMAGE_CACHES:
        entries = getattr(Cache, "_objects", {}).get(category) or {}
        for key in list(entries):
            name = os.path.normpath(_cache_file(category, key))
            if _under(name, roots) and changed_since(name, since_ns):
                Cache.remove(category, key)
                removed += 1
    return removed


def _swap_picture(picture) -> None:
    """Show the new file of ``picture``, keeping the old pixels until the new ones are
    ready (a pipeline picture); a plain Kivy image is reloaded."""
    loader = getattr(picture, "_loader", None)
    if loader is None or not hasattr(picture, "_shown") or not hasattr(picture, "image_refresh"):
        picture.reload()
        return
    picture._shown = None  # what is shown is no longer what the file holds
    picture._asked = None
    picture.problem = None  # a picture that was broken may be whole again
    loader.want(picture)


# ---------------------------------------------------------------- reloader


class Reloader:
    """Watches the content and theme folders of ``app`` and swaps in what changed.

    ``watcher_mode`` is ``kiosk.yaml``'s ``watch``: ``native``, ``polling`` or
    ``off`` (no watching; :meth:`reload_now` still works).
    """

    def __init__(self, app, watcher_mode: str = "native", *, settle: float = 0.3,
                 rescan_every: float = 300.0, poll_interval: float = POLL_INTERVAL,
                 check_every: float = 1.0, theme_dir=None):
        self.app = app
        if app.loader is not None:
            self.loader = app.loader
        else:  # an app started from a snapshot alone
            from kiosk.content.loader import ContentLoader

            self.loader = ContentLoader(app.kiosk_config.content_dir)
        self.content_root = os.path.abspath(str(self.loader.root))
        if theme_dir is None and app.normal_theme is not None:
            theme_dir = app.normal_theme.folder
        self.theme_dir = os.path.abspath(str(theme_dir)) if theme_dir else None
        self.mode = watcher_mode
        self.loads = 0  # content loads done
        self.applied = 0  # results handed to the main thread and applied
        self.reloads = 0  # times the content on screen actually changed
        self.stopped = False
        self._lock = threading.Lock()
        self._since = time.time_ns()  # when the files were last looked at
        self._logged: set[Problem] = set(app.content.problems if app.content else ())
        self.watcher: ContentWatcher | None = None
        if watcher_mode != "off":
            paths = [self.content_root] + ([self.theme_dir] if self.theme_dir else [])
            self.watcher = ContentWatcher(paths, self._changed, mode=watcher_mode,
                                          settle=settle, rescan_every=rescan_every,
                                          poll_interval=poll_interval, check_every=check_every)
        self._background: list[Problem] = []  # the theme's background picture (start())
        self._found: list[Problem] = []  # pictures that failed on screen since the last load

    def start(self) -> Reloader:
        """Prove the theme's background picture and start watching."""
        self._background = self._background_problems(self.app.normal_theme)
        self._publish(self.app.content)
        if self.watcher is not None:
            try:
                self.watcher.start()
                log.info("watching %s for changes (%s)", self.content_root,
                         self.watcher.active_mode)
            except Exception as exc:  # the kiosk still runs, only without hot reload
                log.error("cannot watch %s for changes: %s", self.content_root, exc)
        return self

    def stop(self) -> None:
        self.stopped = True  # a result still queued on the Clock is dropped
        if self.watcher is not None:
            self.watcher.stop()

    def report(self, found: Problem) -> None:
        """A picture that cannot be shown (the image loader): listed with the content errors
        until the next load looks at the files again."""
        if found not in self._found:
            self._found.append(found)
            self._publish(self.app.content)

    def _publish(self, content: Content | None) -> None:
        """``app.content_errors``: what staff are told is wrong now."""
        errors = list(content.errors) if content is not None else []
        errors += [p for p in self._background + self._found if p not in errors]
        self.app.content_errors = errors

    # ------------------------------------------------------ watcher thread

    def _changed(self, paths: frozenset[str] | None) -> None:
        """Called by the watcher once per settled burst, on its own thread."""
        with self._lock:  # loads run one at a time and are applied in order
            loaded = self._read(paths)
            Clock.schedule_once(partial(self._apply_loaded, *loaded), 0)

    def _read(self, paths):
        content_hit = paths is None or any(_under(p, [self.content_root]) for p in paths)
        theme_hit = bool(self.theme_dir) and (
            paths is None or any(_under(p, [self.theme_dir]) for p in paths))
        since, self._since = self._since, time.time_ns()
        snapshot, root_exists, theme, tours = None, True, None, ()
        if content_hit:
            root_exists = os.path.isdir(self.content_root)
            # the changed paths spare the loader a walk of the whole tree; None (a full
            # rescan) walks it all
            snapshot = self.loader.load(changed=paths)
            snapshot = self._confirmed(snapshot)
            tours = tuple(self.loader.last_tours)
            # a folder that vanished while it was read is not content either
            root_exists = root_exists and os.path.isdir(self.content_root)
            self.loads += 1
        if theme_hit:
            from kiosk.theme import load_theme_or_builtin

            # a theme broken while running gives way to the built-in one, never to a font
            # without Chinese
            theme = load_theme_or_builtin(self.theme_dir)
        return paths, (snapshot, tours), root_exists, theme, since

    def _confirmed(self, snapshot: Content) -> Content:
        """``snapshot``, or a later look at the folder when it lacks sections on screen: a folder
        being deleted, restored or synchronised is caught half done now and then, and a
        section gone for good is still gone a moment later (watcher thread)."""
        shown = self.app.content  # read once; only the main thread replaces it
        before = {s.folder for s in shown.sections} if shown is not None else None
        for _ in range(CONFIRM_LOOKS):
            if before is None or before <= {s.folder for s in snapshot.sections}:
                break
            time.sleep(CONFIRM_DELAY)
            again = self.loader.load()  # the whole tree, as it is now
            if again == snapshot:
                break
            snapshot = again
        return snapshot

    # --------------------------------------------------------- main thread

    def reload_now(self, paths=None) -> bool:
        """Load and apply at once, on the calling (main) thread. True if the content changed."""
        with self._lock:
            loaded = self._read(paths)
        return self._apply_loaded(*loaded)

    def _apply_loaded(self, paths, snapshot, root_exists, theme, since, *_dt) -> bool:
        if self.stopped:
            return False
        self.applied += 1
        try:
            return self._apply(paths, snapshot, root_exists, theme, since)
        except Exception:  # a reload must never take the kiosk down
            log.exception("applying the reloaded content failed; the screen keeps what it shows")
            return False

    def _apply(self, paths, loaded, root_exists, theme, since) -> bool:
        snapshot, tours = loaded
        if paths is None:  # a full rescan: pictures written since the last look
            images = [self.content_root] + ([self.theme_dir] if self.theme_dir else [])
        else:  # pictures, and folders that may hold some
            images = [p for p in paths if media_kind(p) == "image" or not os.path.isfile(p)]
            since = None
        stale = []
        if images:
            stale = [w for w in self._pictures()
                     if w.source and _under(os.path.normpath(w.source), images)
                     and changed_since(w.source, since)]
            forget_images(images, since)
        if theme is not None:
            self._apply_theme(*theme)
        changed = snapshot is not None and self._apply_content(snapshot, root_exists, tours)
        for picture in stale:
            if picture.parent is not None and self._settled(picture.source):
                _swap_picture(picture)
        return changed

    def _settled(self, path: str) -> bool:
        """Is the picture at ``path`` a whole picture now? One still being written (in
        chunks, over a share) is not: what the screen shows stays until it is."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
            return False
        notes = self.loader.pictures.get(path, st)  # proven by the load already, mostly
        return not any(severity == "error" for severity, _, _ in notes)

    def _apply_content(self, snapshot: Content, root_exists: bool, tours=None) -> bool:
        app = self.app
        content = keep_last_good(app.content, snapshot, root_exists=root_exists,
                                 tours=tours)
        self._log(content, root_exists)
        self._found = []  # the files were looked at again
        self._publish(content)
        if content == app.content:
            return False
        app.apply_content(content)
        self.reloads += 1
        log.info("content reloaded (version %s; %d file(s) read again, %s)",
                 int(app.content_version), len(self.loader.last_parsed),
                 "whole tree walked" if self.loader.last_full_walk
                 else f"{len(self.loader.last_listed)} folder(s) listed")
        return True

    def _log(self, content: Content, root_exists: bool) -> None:
        if not root_exists:
            log.error("the content folder %s is gone; the last content stays on screen",
                      self.content_root)
        elif any(is_incomplete_problem(p) for p in content.problems):
            log.error("the content folder %s is incomplete; the last content stays on screen",
                      self.content_root)
        for p in content.problems:
            if p not in self._logged:
                (log.error if p.is_error else log.warning)(p.format(self.content_root))
        self._logged = set(content.problems)

    def _background_problems(self, theme) -> list[Problem]:
        """The theme's background picture, proven like the content's (errors only: the
        theme falls back to its plain colour)."""
        background = theme.background if theme is not None else None
        if not background or not os.path.isfile(background):
            return []
        source = str(Path(getattr(theme, "folder", Path(background).parent)) / "theme.yaml")
        found = [problem(source, None, "error", f"'background.image': {en}",
                         f"'background.image'：{zh}",
                         "background.image")
                 for severity, en, zh in self.loader.pictures.get(os.fspath(background))
                 if severity == "error"]
        for p in found:
            log.error(p.format())
        return found

    def _apply_theme(self, theme, problems) -> None:
        for p in problems:
            log.warning(p.format())
        self._background = self._background_problems(theme)
        self._publish(self.app.content)
        if theme == self.app.normal_theme:
            return
        from kiosk.ui import style

        style.register_fonts(theme)
        Cache.remove("kv.label")  # rendered text may use the old font files
        self.app.apply_theme(theme)  # colours, fonts, sizes and transitions follow
        log.info("theme reloaded from %s", self.theme_dir)

    def _pictures(self) -> list[Image]:
        manager = self.app.manager
        roots = list(manager.screens) if manager is not None else []
        if self.app.root is not None:
            roots.append(self.app.root)
        seen: dict[int, Image] = {}
        for root in roots:
            for w in root.walk(restrict=True):
                if isinstance(w, Image):
                    seen[id(w)] = w
        return list(seen.values())


__all__ = ["Reloader", "changed_since", "forget_images", "keep_last_good"]
