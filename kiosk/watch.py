"""Watching the content and theme folders: one call per burst of changes.

Staff copy files in over Samba, save from an editor, unzip a folder, run
``git pull`` or let Syncthing deliver. Each of these produces a flurry of file
system events, temporary names and half-written files. :class:`ContentWatcher`
turns that flurry into one call of ``on_change(paths)`` once the files have
stopped changing::

    watcher = ContentWatcher([content_dir, theme_dir], on_change, settle=0.3)
    watcher.start()
    ...
    watcher.stop()

``on_change`` receives the set of absolute paths that changed, or ``None`` for
"look at everything" (the periodic full rescan, or after the observer had to
be restarted). It runs on the watcher's own thread, never on watchdog's, and
never twice at the same time.

No Kivy here: this module is plain Python and is tested without a window.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable

from kiosk.content.paths import is_ignored

log = logging.getLogger("kiosk.watch")
# watchdog logs every inotify event at DEBUG (the loader's own reads included):
# keep it to warnings unless someone set its level on purpose.
if logging.getLogger("watchdog").level == logging.NOTSET:
    logging.getLogger("watchdog").setLevel(logging.WARNING)

MODES = ("native", "polling")
POLL_INTERVAL = 0.3  # seconds between two looks in polling mode (a look runs in a process of its own)
# Event types that mean a file's content or presence may have changed. Opening
# and reading a file (which the loader itself does) are not among them.
_CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
_MAX_TREE_ENTRIES = 5000  # a changed folder is compared entry by entry up to this many


def _path(value) -> str:
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    return os.path.normpath(value) if value else ""


def _signature(path: str):
    """What a path looks like on disk now: compared twice to tell it stopped changing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not os.path.isdir(path):
        return (st.st_size, st.st_mtime_ns)
    entries = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not is_ignored(d)]
        for name in files:
            if is_ignored(name):
                continue
            try:
                fst = os.stat(os.path.join(folder, name))
            except OSError:
                entries.append((folder, name, None))
                continue
            entries.append((folder, name, fst.st_size, fst.st_mtime_ns))
            if len(entries) >= _MAX_TREE_ENTRIES:
                return tuple(entries)
    return tuple(entries)


# Names a sync tool keeps only while a copy is under way: rsync's --delay-updates
# folder and its in-place temporaries (.NAME.XXXXXX), Syncthing's temporaries,
# browsers' partial downloads. While one written recently is next to the changed
# files, the change is not reported (for up to TRANSFER_WAIT seconds).
_COPYING = re.compile(r"^(\.~tmp~|\.syncthing\..+\.tmp|\..+\.[A-Za-z0-9]{6}|.+\.part|.+\.crdownload)$")
TRANSFER_WAIT = 600.0
TRANSFER_STALE = 120.0


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of a folder, or None when it is not a folder (now)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _recent(path: str) -> bool:
    """Written in the last TRANSFER_STALE seconds (a leftover of a killed copy is not)."""
    try:
        return time.time() - os.stat(path).st_mtime < TRANSFER_STALE
    except OSError:
        return False


def _copy_in_progress(paths: Iterable[str]) -> bool:
    """True if a sync tool's temporary lies in (or under) the folders of ``paths``."""
    folders = {p if os.path.isdir(p) else os.path.dirname(p) for p in paths}
    seen = 0
    for top in sorted(folders):
        for folder, dirs, files in os.walk(top):
            for name in (*dirs, *files):
                if _COPYING.match(name) and _recent(os.path.join(folder, name)):
                    return True
            dirs[:] = [d for d in dirs if not is_ignored(d)]
            seen += len(dirs) + len(files)
            if seen >= _MAX_TREE_ENTRIES:
                return False
    return False


class ContentWatcher:
    """Reports changes below ``paths`` once they have settled.

    ``mode`` is ``"native"`` (inotify and friends; falls back to polling when it
    cannot start, e.g. the inotify watch limit is reached) or ``"polling"``
    (for network shares where native events never arrive). ``settle`` is the
    quiet time after the last event while a changed file may still be open for
    writing (written to, and not yet closed); then sizes and modification times
    are read twice, ``settle / 2`` apart, and must agree before a change is
    reported. A file that was closed after writing, renamed into place or
    deleted (native watching reports each) is complete when its event arrives:
    it is not read twice. One such file alone is reported after ``instant``
    seconds of quiet (long enough to gather the events of the same save); as
    soon as a second file joins the burst (an unzip, a folder copied in), the
    quiet is ``quick`` instead, so the burst still lands as one report. A copy
    in progress (a file written to and not closed) is still waited for with
    ``settle``. Polling (no close events) takes a burst as soon as one poll has
    delivered it and reads it twice, ``quick`` apart. After ``rescan_every``
    seconds without a report, ``on_change(None)`` asks for a full rescan.
    """

    def __init__(self, paths: Iterable[str | os.PathLike],
                 on_change: Callable[[frozenset[str] | None], object], *,
                 mode: str = "native", settle: float = 0.3, quick: float = 0.06,
                 instant: float = 0.012, rescan_every: float = 300.0,
                 poll_interval: float = POLL_INTERVAL,
                 check_every: float = 1.0, max_wait: float = 30.0):
        if mode not in MODES:
            raise ValueError(f"watch mode must be one of {MODES}, not {mode!r}")
        self.paths = tuple(dict.fromkeys(os.path.abspath(os.fspath(p)) for p in paths))
        self.on_change = on_change
        self.mode = mode
        self.settle = settle
        self.quick = min(quick, settle)
        self.instant = min(instant, self.quick)
        self.rescan_every = rescan_every
        self.poll_interval = poll_interval
        self.check_every = check_every
        self.max_wait = max_wait
        self.active_mode: str | None = None  # the mode actually running ("polling" after a fall-back)
        self.restarts = 0
        self.reports = 0  # how many times on_change was called
        self._observer = None
        self._watched: dict[str, tuple[int, int]] = {}  # folder -> (device, inode) when watched
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pending: set[str] = set()
        self._writing: set[str] = set()  # files written to and not closed since
        self._lone = False  # the burst so far is one file's events (a save, a rename)
        self._full = False
        self._last_event = 0.0
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life

    def start(self) -> ContentWatcher:
        self._start_observer()
        self._thread = threading.Thread(target=self._run, name="content-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; waits for the threads to end (a call in progress finishes first)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None
        self._stop_observer(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def request_rescan(self) -> None:
        """Ask for a full rescan on the watcher thread (as if everything changed)."""
        with self._lock:
            self._full = True
            self._last_event = time.monotonic()
        self._wake.set()

    # -------------------------------------------------------------- observer

    def _make_observer(self, mode: str):
        if mode == "polling":
            # looks in a process of its own, out of the way of the drawing thread
            from kiosk.pollwatch import PollObserver

            return PollObserver(timeout=self.poll_interval)
        from watchdog.observers import Observer

        return Observer()

    def _start_observer(self) -> None:
        mode = self.mode
        try:
            self._observer = self._launch(mode)
        except OSError as exc:
            if mode == "polling":
                raise
            log.warning("native file watching cannot start (%s); checking for changes "
                        "every %.1f s instead", exc, self.poll_interval)
            mode = "polling"
            self._observer = self._launch(mode)
        self.active_mode = mode

    def _launch(self, mode: str):
        try:
            return self._launch_observer(self._make_observer(mode))
        except OSError as exc:
            if mode != "polling":
                raise
            # no separate process (no interpreter to run it): watchdog's polling, in here
            log.warning("cannot start the polling process (%s); polling in the kiosk itself",
                        exc)
            from watchdog.observers.polling import PollingObserver

            return self._launch_observer(PollingObserver(timeout=self.poll_interval))

    def _launch_observer(self, observer):
        watched = {}
        for path in self.paths:
            identity = _identity(path)
            if identity is not None:
                observer.schedule(_Handler(self, path), path, recursive=True)
                watched[path] = identity
        observer.daemon = True
        try:
            observer.start()
        except BaseException:
            _quietly_stop(observer)
            raise
        self._watched = watched
        return observer

    def _stop_observer(self, timeout: float = 5.0) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            _quietly_stop(observer, timeout)

    def _observer_healthy(self) -> bool:
        """The observer runs, every watched folder has a live emitter, none is missing."""
        observer = self._observer
        if observer is None or not observer.is_alive():
            return False
        emitters = list(getattr(observer, "emitters", ()))
        if len(emitters) < len(self._watched) or not all(e.is_alive() for e in emitters):
            return False
        # A folder that appeared, went away, or was deleted and made again (staff paste a
        # fresh copy from a USB stick) needs a new watch and a full look: the old watch
        # follows the old folder wherever it went, and a folder gone is reported.
        return all(_identity(p) == self._watched.get(p) for p in self.paths)

    def _supervise(self) -> None:
        if self._stopping.is_set() or self._observer_healthy():
            return
        log.warning("file watching stopped; starting it again and checking everything")
        self._stop_observer(timeout=2.0)
        try:
            self._start_observer()
        except OSError as exc:
            log.error("file watching cannot start again: %s", exc)
            self._observer = None
            self._watched = {}
        self.restarts += 1
        with self._lock:
            self._full = True
            self._last_event = time.monotonic()

    # ---------------------------------------------------------------- events

    def _relevant(self, path: str, root: str) -> bool:
        rel = os.path.relpath(path, root)
        if rel == os.curdir:
            return True
        return not any(is_ignored(part) for part in rel.split(os.sep)
                       if part not in ("", os.curdir, os.pardir))

    def _event(self, event, root: str) -> None:
        """Called on watchdog's thread: only record what changed."""
        kind = event.event_type
        if kind not in _CHANGE_EVENTS:
            return
        if kind == "modified" and event.is_directory:
            return  # a child changed: it has an event of its own
        found = []
        src = _path(event.src_path)
        if src and self._relevant(src, root):
            found.append(src)
        if kind == "moved":
            dest = _path(getattr(event, "dest_path", ""))
            if dest and self._relevant(dest, root):
                found.append(dest)
        if not found:
            # A temporary file being written (rsync's .~tmp~ folder and .NAME.XXXXXX,
            # Syncthing's .syncthing.*.tmp, *.part) means a copy is still arriving:
            # it loads nothing, but what is already waiting waits for the rest.
            with self._lock:
                if self._pending:
                    self._last_event = time.monotonic()
            return
        with self._lock:
            if not self._pending:
                self._lone = not event.is_directory
            elif not self._pending.issuperset(found):
                self._lone = False  # a second file: a burst (unzip, copy of a folder)
            self._pending.update(found)
            if kind in ("created", "modified") and not event.is_directory:
                self._writing.update(found)
            elif kind in ("closed", "moved", "deleted"):
                self._writing.difference_update(found)  # complete, or gone
            self._last_event = time.monotonic()
        self._wake.set()

    # ------------------------------------------------------------ the thread

    def _run(self) -> None:
        """The watcher's thread: nothing that goes wrong in one round ends it (a kiosk that
        stopped watching would show old content until restarted, with no sign of it)."""
        while not self._stopping.is_set():
            try:
                self._rounds()
            except Exception:
                log.exception("file watching failed; going on")
                with self._lock:
                    self._full = True  # what happened meanwhile is looked at again
                    self._last_event = time.monotonic()
                self._stopping.wait(self.check_every)

    def _rounds(self) -> None:
        last_report = time.monotonic()
        last_check = time.monotonic()
        while not self._stopping.is_set():
            now = time.monotonic()
            wait = min(self.check_every, max(0.0, last_report + self.rescan_every - now))
            self._wake.wait(wait)
            self._wake.clear()
            if self._stopping.is_set():
                break
            now = time.monotonic()
            if now - last_check >= self.check_every:
                last_check = now
                self._supervise()
            with self._lock:
                busy = bool(self._pending) or self._full
            if not busy and now - last_report >= self.rescan_every:
                self.request_rescan()
                busy = True
            if not busy:
                continue
            changed = self._wait_until_settled()
            if changed is _STOPPED:
                break
            self._report(changed)
            last_report = time.monotonic()

    def _wait_until_settled(self):
        """Wait for quiet, then (unless every changed file is complete) for the changed
        files to hold still; take what changed."""
        deadline = time.monotonic() + self.max_wait
        copy_deadline = time.monotonic() + TRANSFER_WAIT
        previous = None
        while True:
            # Quiet period: restart the wait on every new event (debounce).
            while time.monotonic() < deadline:
                with self._lock:
                    quiet_for = time.monotonic() - self._last_event
                    need, _ = self._timing()
                if quiet_for >= need:
                    break
                # woken by each new event: a file just closed may shorten the wait
                self._wake.wait(need - quiet_for)
                self._wake.clear()
                if self._stopping.is_set():
                    return _STOPPED
            with self._lock:
                paths = set(self._pending)
                stamp = self._last_event
                _, gap = self._timing()
            # complete files (closed, renamed into place, deleted) are not read twice
            current = None if gap is None else {p: _signature(p) for p in sorted(paths)}
            steady = gap is None or current == previous
            overdue = time.monotonic() >= deadline
            if overdue:
                log.warning("files are still changing after %.0f s; loading them anyway",
                            self.max_wait)
            if not overdue and steady and time.monotonic() < copy_deadline:
                with self._lock:
                    full = self._full
                if _copy_in_progress(self.paths if full else paths):
                    # rsync / Syncthing paused between files: wait for the rest
                    deadline = max(deadline, min(copy_deadline, time.monotonic() + self.max_wait))
                    previous = None
                    if self._stopping.wait(self.settle):
                        return _STOPPED
                    continue
            if overdue or steady:
                with self._lock:
                    if overdue or self._last_event == stamp:
                        changed = None if self._full else frozenset(self._pending)
                        self._writing.difference_update(self._pending)
                        self._pending.clear()
                        self._full = False
                        self._lone = False
                        return changed
            previous = current
            if gap is not None and self._stopping.wait(gap):
                return _STOPPED

    def _timing(self) -> tuple[float, float | None]:
        """The quiet time a burst needs, and the time between the two reads of the
        changed files, or None when they are complete and need no reads (lock held).

        - a full rescan, or a file still open for writing: ``settle``, reads ``settle / 2``
          apart;
        - polling (sees no close events): ``instant`` (one poll's events come together),
          reads ``quick`` apart;
        - every changed file complete: ``instant`` for one file, ``quick`` for several.
        """
        if self._full or (self.active_mode == "native" and self._writing & self._pending):
            return self.settle, self.settle / 2
        if self.active_mode != "native":
            return self.instant, self.quick
        return (self.instant if self._lone else self.quick), None

    def _report(self, changed: frozenset[str] | None) -> None:
        self.reports += 1
        try:
            self.on_change(changed)
        except Exception:
            log.exception("reloading after a change failed")


_STOPPED = object()


class _Handler:
    """watchdog calls ``dispatch(event)``; we hand the event to the watcher."""

    def __init__(self, watcher: ContentWatcher, root: str):
        self.watcher = watcher
        self.root = root

    def dispatch(self, event) -> None:
        try:
            self.watcher._event(event, self.root)
        except Exception:  # never let an odd event kill watchdog's thread
            log.exception("cannot handle file event %r", event)


def _quietly_stop(observer, timeout: float = 5.0) -> None:
    """Stop ``observer``, waiting at most ``timeout`` seconds. watchdog's ``stop`` waits for
    its emitters' threads without a time limit, and an inotify reader whose folder was
    deleted under it can wait on a read that never returns: the stop runs on a thread of
    its own, so the watcher goes on (with a new observer) whatever happens to the old one."""

    def stop():
        try:
            observer.stop()
        except Exception:  # pragma: no cover - stopping a broken observer
            log.debug("observer did not stop cleanly", exc_info=True)

    stopper = threading.Thread(target=stop, name="content-watch-stop", daemon=True)
    stopper.start()
    deadline = time.monotonic() + timeout
    stopper.join(timeout)
    if observer.is_alive() and observer is not threading.current_thread():
        observer.join(max(0.0, deadline - time.monotonic()))
    if stopper.is_alive() or observer.is_alive():
        log.warning("the old file watcher did not stop within %.0f s; it is left behind", timeout)


__all__ = ["ContentWatcher", "MODES", "POLL_INTERVAL"]
