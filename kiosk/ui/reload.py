"""Hot reload: files dropped into the content folder show on screen within a moment.

:class:`Reloader` owns a :class:`kiosk.watch.ContentWatcher`. When a burst of
changes has settled, the watcher thread loads the content again (incremental:
the loader lists only the folders of the changed paths and reads only changed
files; a full rescan walks the whole tree; the loader has no Kivy in it) and, for a theme
change, reads the theme. The result is handed to the Kivy main thread with
``Clock.schedule_once``; only there are the app and its widgets touched::

    reloader = Reloader(app, config.watch).start()   # in run_kiosk
    ...
    reloader.stop()                                  # in KioskApp.on_stop

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
import threading
import time
from dataclasses import replace
from functools import partial

from kivy.cache import Cache
from kivy.clock import Clock
from kivy.uix.image import Image

from kiosk.content.model import Content, Problem
from kiosk.content.paths import media_kind
from kiosk.content.source import parse_file, problem
from kiosk.watch import POLL_INTERVAL, ContentWatcher

log = logging.getLogger("kiosk.reload")

# Kivy's caches that remember a picture by its file name.
IMAGE_CACHES = ("kv.image", "kv.texture", "kv.loader", "kv.resourcefind")


# --------------------------------------------------------------- last good


def _still_shown(path: str) -> Problem:
    return problem(path, None, "warning",
                   "this file has an error; the last version that worked is still shown",
                   "该文件有错误；屏幕上仍显示上一次正确的版本")


def _merge(previous: list, current: list, keep, key) -> tuple[list, list]:
    """``current`` plus the items of ``previous`` that ``keep`` says to keep, each
    placed after the neighbour it followed before. Returns (items, kept)."""
    out = list(current)
    kept = []
    for i, item in enumerate(previous):
        if any(key(x) == key(item) for x in out) or not keep(item):
            continue
        pos = 0
        for before in reversed(previous[:i]):
            idx = next((n for n, x in enumerate(out) if key(x) == key(before)), None)
            if idx is not None:
                pos = idx + 1
                break
        out.insert(pos, item)
        kept.append(item)
    return out, kept


def _site_unreadable(content: Content, errors: set[str]) -> bool:
    rel = content.site.source or "site.yaml"
    if rel not in errors:
        return False
    path = os.path.join(str(content.root), *rel.split("/"))
    return os.path.isfile(path) and not parse_file(path, rel, markdown=False).readable


def keep_last_good(previous: Content | None, new: Content, *, root_exists: bool = True) -> Content:
    """``new``, except that what failed to load now keeps its previous version.

    An exhibit, section or tour missing from ``new`` while its file has an
    error is taken from ``previous`` (a deleted file has no error, so deleting
    still removes). A ``site.yaml`` that cannot be read keeps the previous
    site settings. A content folder that is gone keeps everything. The errors
    stay in the problems, with a warning that the last good version is shown.
    """
    if previous is None:
        return new
    if not root_exists:
        return replace(previous, problems=new.problems)
    errors = {p.path for p in new.problems if p.is_error}
    if not errors:
        return new
    shown: list[str] = []
    sections = []
    new_ids = {s.id for s in new.sections}
    for section in new.sections:
        before = previous.section(section.id)
        if before is not None:
            exhibits, kept = _merge(list(before.exhibits), list(section.exhibits),
                                    lambda ex: ex.source in errors, lambda ex: ex.id)
            if kept:
                section = replace(section, exhibits=tuple(exhibits))
                shown.extend(ex.source for ex in kept)
        sections.append(section)
    sections, kept_sections = _merge(
        list(previous.sections), sections,
        lambda s: s.id not in new_ids and s.source in errors, lambda s: s.id)
    shown.extend(s.source for s in kept_sections)
    tours, kept_tours = _merge(list(previous.tours), list(new.tours),
                               lambda t: t.source in errors, lambda t: t.id)
    shown.extend(t.source for t in kept_tours)
    site = new.site
    if _site_unreadable(new, errors) and previous.site.source:
        site = previous.site
        shown.append(site.source)
    if not shown:
        return new
    notes = [_still_shown(p) for p in dict.fromkeys(shown)]
    # each note comes right after the errors of its file
    problems = sorted([*new.problems, *notes], key=lambda p: (p.path, p in notes, p.line or 0))
    return replace(new, site=site, sections=tuple(sections), tours=tuple(tours),
                   problems=tuple(problems))


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
        if getattr(app, "loader", None) is None:  # an app started from a snapshot alone
            from kiosk.content.loader import ContentLoader

            app.loader = ContentLoader(app.kiosk_config.content_dir)
        self.loader = app.loader
        self.content_root = os.path.abspath(str(self.loader.root))
        if theme_dir is None and getattr(app, "theme", None) is not None:
            theme_dir = app.theme.folder
        self.theme_dir = os.path.abspath(str(theme_dir)) if theme_dir else None
        self.mode = watcher_mode
        self.loads = 0  # content loads done
        self.applied = 0  # results handed to the main thread and applied
        self.reloads = 0  # times the content on screen actually changed
        self.stopped = False
        self._lock = threading.Lock()
        self._since = time.time_ns()  # when the files were last looked at
        self._logged: set[Problem] = set(getattr(app.content, "problems", ()) or ())
        self.watcher: ContentWatcher | None = None
        if watcher_mode != "off":
            paths = [self.content_root] + ([self.theme_dir] if self.theme_dir else [])
            self.watcher = ContentWatcher(paths, self._changed, mode=watcher_mode,
                                          settle=settle, rescan_every=rescan_every,
                                          poll_interval=poll_interval, check_every=check_every)
        app.content_errors = list(app.content.errors) if app.content else []

    def start(self) -> Reloader:
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
        snapshot, root_exists, theme = None, True, None
        if content_hit:
            root_exists = os.path.isdir(self.content_root)
            # the changed paths spare the loader a walk of the whole tree; None (a full
            # rescan) walks it all
            snapshot = self.loader.load(changed=paths)
            self.loads += 1
        if theme_hit:
            from kiosk.theme import load_theme_or_builtin

            # a theme broken while running gives way to the built-in one, never to a font
            # without Chinese
            theme = load_theme_or_builtin(self.theme_dir)
        return paths, snapshot, root_exists, theme, since

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

    def _apply(self, paths, snapshot, root_exists, theme, since) -> bool:
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
        changed = snapshot is not None and self._apply_content(snapshot, root_exists)
        for picture in stale:
            if picture.parent is not None and os.path.isfile(picture.source):
                picture.reload()
        return changed

    def _apply_content(self, snapshot: Content, root_exists: bool) -> bool:
        app = self.app
        content = keep_last_good(app.content, snapshot, root_exists=root_exists)
        self._log(content, root_exists)
        app.content_errors = list(content.errors)
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
        for p in content.problems:
            if p not in self._logged:
                (log.error if p.is_error else log.warning)(p.format(self.content_root))
        self._logged = set(content.problems)

    def _apply_theme(self, theme, problems) -> None:
        app = self.app
        for p in problems:
            log.warning(p.format())
        if theme == app.theme:
            return
        from kiosk.ui import style

        style.register_fonts(theme)
        Cache.remove("kv.label")  # rendered text may use the old font files
        app.theme = theme  # colours, fonts and sizes follow (app._update_metrics)
        log.info("theme reloaded from %s", self.theme_dir)
        manager = getattr(app, "manager", None)
        if manager is None:
            return
        for screen in manager.screens:
            screen.loaded_key = None  # rebuild with the new look when shown
        app.refresh_current()

    def _pictures(self) -> list[Image]:
        manager = getattr(self.app, "manager", None)
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
