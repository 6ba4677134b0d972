"""Polling folder trees for changes, in a small process of its own.

Network shares send no change events, so ``watch: polling`` looks at every
file's size and modification time again and again. A look stats every file
(about 2,000 calls for an exhibition of 2,000 exhibits), and each call hands
Python's interpreter lock back and forth: inside the kiosk, beside a main
thread that draws frames, one look over 2,000 files took 0.3-0.4 s instead of
the 40 ms it takes alone. So the looking is done by a separate Python process
(standard library only, started with ``-I -S``: a few megabytes) that reports
on its standard output only what changed, one JSON line per change::

    ["ready"]                        the first look is done
    ["modified", "/path/a.md", false, 0]     (the last number: which tree)
    ["created", "/path/new", true, 0]        (a folder)
    ["deleted", "/path/old.md", false, 1]

A look is cheap: a folder is listed again only when its own modification time
changed since it was last listed (a file created, deleted or renamed in it) or
when it was listed within ``RACY_S`` of its last change (file systems with a
coarse clock, such as FAT's 2 s or a share's, could hide a second change in the
same tick); every ``RELIST_EVERY`` looks every folder is listed anyway. Files
are then stat-ed one by one (a file rewritten in place changes no folder).
Hidden folders (``.git``, rsync's ``.~tmp~``) are not entered.

The process ends when its standard input is closed (the kiosk stopped or died).
:class:`PollObserver` starts it and hands each change to the same handler as
watchdog's observers (``dispatch(event)``), so :mod:`kiosk.watch` treats both
alike. No Kivy, no other kiosk module here: the file runs as a script.
"""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys
import threading
import time
from typing import NamedTuple

RACY_S = 3.0  # a folder listed this soon after its last change is listed again next time
RELIST_EVERY = 20  # looks between two listings of every folder


class TreePoll:
    """What a tree looked like at the last look, and what changed since."""

    def __init__(self, root: str):
        self.root = root
        self.files: dict[str, tuple] = {}  # path -> (size, mtime_ns, inode)
        self.dirs: dict[str, tuple] = {}  # path -> (mtime_ns, listed_ns, subfolders, files)
        self.looks = 0

    def _listing(self, folder: str, st, relist: bool):
        known = self.dirs.get(folder)
        if (not relist and known is not None and known[0] == st.st_mtime_ns
                and known[1] - st.st_mtime_ns > RACY_S * 1e9):
            return known
        listed = time.time_ns()
        subdirs, files = [], []
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir:
                    if not entry.name.startswith("."):
                        subdirs.append(entry.path)
                else:
                    files.append(entry.path)
        return (st.st_mtime_ns, listed, tuple(subdirs), tuple(files))

    def look(self) -> list[tuple[str, str, bool]]:
        """Look at the whole tree once; the changes since the last look."""
        relist = self.looks % RELIST_EVERY == 0
        self.looks += 1
        dirs: dict[str, tuple] = {}
        files: dict[str, tuple] = {}
        seen = set()  # (device, inode) of folders: a link back up is not followed twice
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                st = os.stat(folder)
            except OSError:
                continue
            if not stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            try:
                listing = self._listing(folder, st, relist)
            except OSError:
                continue
            dirs[folder] = listing
            stack.extend(listing[2])
            for path in listing[3]:
                try:
                    fst = os.stat(path)
                except OSError:  # gone since the listing: list the folder again next time
                    dirs[folder] = (-1, *listing[1:])
                    continue
                files[path] = (fst.st_size, fst.st_mtime_ns, fst.st_ino)
        changes = []
        old_dirs, old_files = self.dirs, self.files
        if self.looks > 1:
            changes += [("created", p, True) for p in dirs.keys() - old_dirs.keys()]
            changes += [("deleted", p, True) for p in old_dirs.keys() - dirs.keys()]
            changes += [("created", p, False) for p in files.keys() - old_files.keys()]
            changes += [("deleted", p, False) for p in old_files.keys() - files.keys()]
            changes += [("modified", p, False) for p, sig in files.items()
                        if p in old_files and old_files[p] != sig]
        self.dirs, self.files = dirs, files
        return changes


class PolledEvent(NamedTuple):
    """A change as watchdog's events describe one (what ``kiosk.watch`` reads of them)."""

    event_type: str
    src_path: str
    is_directory: bool
    dest_path: str = ""


class PollObserver:
    """Runs this file as a process looking at the scheduled folders every ``timeout``
    seconds, and hands each change it reports to that folder's handler on a thread of
    its own. Used like watchdog's observers: ``schedule``, ``start``, ``stop``, ``join``,
    ``is_alive``, ``emitters``."""

    READY_TIMEOUT = 30.0  # the first look over a large share may take a while

    def __init__(self, timeout: float = 0.5):
        self.timeout = timeout
        self.daemon = True
        self._handlers: list[tuple[str, object]] = []
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    def schedule(self, handler, path, recursive: bool = True) -> None:
        self._handlers.append((os.path.abspath(os.fspath(path)), handler))

    @property
    def emitters(self) -> list:
        return [self] * len(self._handlers) if self.is_alive() else []

    def is_alive(self) -> bool:
        return (self._thread is not None and self._thread.is_alive()
                and self._process is not None and self._process.poll() is None)

    def start(self) -> None:
        """Start the looking process and wait for its first look (``OSError`` if it fails)."""
        command = [sys.executable, "-I", "-S", os.path.abspath(__file__), str(self.timeout),
                   *(root for root, _ in self._handlers)]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, close_fds=True)
        self._process = process
        ready, _, _ = select.select([process.stdout], [], [], self.READY_TIMEOUT)
        first = process.stdout.readline() if ready else b""
        if first.strip() != b'["ready"]':
            self.stop()
            raise OSError(f"the polling process did not start ({first[:80]!r})")
        self._thread = threading.Thread(target=self._read, args=(process,),
                                        name="content-poll", daemon=self.daemon)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:  # until the process ends
            try:
                kind, path, is_dir, tree = json.loads(line)
                handler = self._handlers[tree][1]
            except (ValueError, TypeError, IndexError):
                continue
            handler.dispatch(PolledEvent(kind, path, bool(is_dir)))

    def stop(self) -> None:
        self._stopping = True
        process = self._process
        if process is None:
            return
        try:
            process.stdin.close()  # the process ends at once
            process.wait(1.0)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


def main(argv: list[str]) -> int:
    interval = float(argv[0])
    trees = [TreePoll(os.path.abspath(root)) for root in argv[1:]]
    out = sys.stdout
    for tree in trees:
        tree.look()
    out.write('["ready"]\n')
    out.flush()
    stdin = sys.stdin.fileno()
    next_look = time.monotonic() + interval
    while True:
        ready, _, _ = select.select([stdin], [], [], max(0.0, next_look - time.monotonic()))
        if ready and not os.read(stdin, 4096):
            return 0  # the kiosk closed the pipe: it stopped or died
        if time.monotonic() < next_look:
            continue
        # the next look starts one interval after this one started (a slow look on a
        # busy share does not stretch the interval further)
        next_look = max(next_look + interval, time.monotonic() + interval / 4)
        lines = [json.dumps([*change, n]) for n, tree in enumerate(trees) for change in tree.look()]
        if lines:
            out.write("\n".join(lines) + "\n")
            out.flush()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(0)
