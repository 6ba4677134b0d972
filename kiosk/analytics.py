"""Visitor analytics: what visitors look at, stored on this machine in SQLite.

A *session* is one visitor (or group) at the screen: it starts with a touch
after the kiosk was idle and ends when the idle timer sends the kiosk back to
the start. Within a session every screen shown is a *view* with its dwell
time; guided tours and the languages used are recorded too. Nothing about a
person is stored: no touches, no coordinates, no pictures, only which screens
were shown, when and for how long. Nothing leaves the machine.

Recording never waits for the disk. Events go to a list in memory;
:meth:`Analytics.flush` writes them in one transaction (batch inserts), and
:meth:`Analytics.start` runs a small thread that flushes every few seconds::

    rec = Analytics("analytics.sqlite", kiosk="fengming-1").start()
    rec.touch()                         # a touch: opens a session if none is open
    rec.view("exhibit/history/2015", title="党群服务中心成立")
    rec.language("en")
    rec.tour_started("overview"); rec.tour_ended(completed=True)
    rec.end_session("idle")             # the idle reset
    rec.close()                         # flushes and stops the thread

Times come from ``clock`` (a callable returning a local ``datetime``), so tests
can record a day in milliseconds. No Kivy here.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import socket
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import recovery

log = logging.getLogger("kiosk.analytics")

SCHEMA_VERSION = 1
FLUSH_EVERY = 15.0  # seconds between background writes
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sessions (
    uid TEXT PRIMARY KEY,          -- random, so databases of several kiosks merge
    kiosk TEXT NOT NULL,           -- the machine's name
    started TEXT NOT NULL,         -- local time, YYYY-MM-DD HH:MM:SS
    ended TEXT,
    seconds REAL,                  -- length of the session
    views INTEGER DEFAULT 0,       -- screens shown
    language TEXT,                 -- language at the start
    languages TEXT,                -- every language used, comma separated
    end_reason TEXT                -- idle, attract, stop
);
CREATE TABLE IF NOT EXISTS views (
    session TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kiosk TEXT NOT NULL,
    started TEXT NOT NULL,
    seconds REAL,                  -- dwell time on the screen
    route TEXT NOT NULL,           -- home, section/ID, exhibit/S/ID, photo/S/N
    kind TEXT,                     -- the first part of the route
    section TEXT,
    exhibit TEXT,
    title TEXT,                    -- title in the site's default language, for reports
    language TEXT,
    tour TEXT,                     -- the tour running while it was shown
    opened INTEGER DEFAULT 1,      -- 0: the same screen went on in another language
    PRIMARY KEY (session, seq)
);
CREATE TABLE IF NOT EXISTS tours (
    session TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kiosk TEXT NOT NULL,
    tour TEXT NOT NULL,
    started TEXT NOT NULL,
    seconds REAL,
    steps INTEGER DEFAULT 0,       -- screens shown during the tour
    completed INTEGER DEFAULT 0,
    PRIMARY KEY (session, seq)
);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions (started);
CREATE INDEX IF NOT EXISTS views_started ON views (started);
"""


def damaged(exc: BaseException) -> bool:
    """True for SQLite's words for a file that is not (or no longer) a sound database."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text)


def connect(path: str | os.PathLike, *, recover: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) an analytics database. ``recover``: a damaged file is
    moved aside with the date in its name (:mod:`kiosk.recovery`) and a new one started."""
    path = Path(path).expanduser()
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        if not (recover and damaged(exc)):
            raise
        recovery.move_aside(path, "visitor figures database", str(exc),
                            companions=("-wal", "-shm", "-journal"))
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                   (str(SCHEMA_VERSION),))
        db.commit()
        problem = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {problem}")
    except BaseException:
        db.close()
        raise
    return db


def stamp(moment: _dt.datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def route_parts(route: str) -> tuple[str, str | None, str | None]:
    """``exhibit/history/a`` → ("exhibit", "history", "a")."""
    parts = route.split("/")
    kind = parts[0]
    section = parts[1] if len(parts) > 1 else None
    exhibit = parts[2] if kind == "exhibit" and len(parts) > 2 else None
    return kind, section, exhibit


@dataclass
class _View:
    seq: int
    route: str
    started: _dt.datetime
    title: str
    language: str | None
    tour: str | None
    opened: bool = True


@dataclass
class _Tour:
    seq: int
    tour: str
    started: _dt.datetime
    steps: int = 0


@dataclass
class _Session:
    uid: str
    started: _dt.datetime
    language: str | None
    languages: list[str] = field(default_factory=list)
    views: int = 0
    seq: int = 0
    view: _View | None = None
    tour: _Tour | None = None


class Analytics:
    """Records sessions, views, tours and languages; writes them in batches."""

    def __init__(self, path: str | os.PathLike, *, kiosk: str | None = None, clock=None,
                 flush_every: float = FLUSH_EVERY):
        self.path = Path(path).expanduser()
        self.kiosk = kiosk or socket.gethostname() or "kiosk"
        self.clock = clock or _dt.datetime.now
        self.flush_every = flush_every
        self.session: _Session | None = None
        self.lang: str | None = None
        self.sessions_recorded = 0  # sessions ended since start
        self._day_counts: dict[str, int] = {}  # day → sessions ended, for sessions_today
        self._rows: list[tuple[str, tuple]] = []  # (table, row) waiting for the disk
        self._lock = threading.Lock()  # guards _rows and the connection
        self._db = connect(self.path, recover=True)  # a damaged file: set aside, a new one
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # ------------------------------------------------------------- events
    @property
    def active(self) -> bool:
        return self.session is not None

    def touch(self, route: str | None = None, title: str = "") -> bool:
        """A visitor touched the screen. Opens a session if none is open (True then)."""
        if self.session is not None:
            return False
        now = self.clock()
        self.session = _Session(uuid.uuid4().hex, now, self.lang,
                                [self.lang] if self.lang else [])
        if route and route != "attract":
            self.view(route, title)
        return True

    def view(self, route: str, title: str = "", *, same_screen: bool = False) -> None:
        """``route`` is now on screen. Ends the previous view; ignored outside a session.
        ``same_screen``: the screen did not change (a new language or a tour began), so
        a new view row starts but the session's screen count stays."""
        s = self.session
        if s is None:
            return
        now = self.clock()
        self._end_view(now)
        if route == "attract":
            return
        s.seq += 1
        s.views += 0 if same_screen else 1
        s.view = _View(s.seq, route, now, title, self.lang, s.tour.tour if s.tour else None,
                       not same_screen)
        if s.tour is not None and not same_screen:
            s.tour.steps += 1

    def language(self, lang: str) -> None:
        """The visitor switched the language (or the kiosk started in it)."""
        self.lang = lang
        s = self.session
        if s is None:
            return
        if lang not in s.languages:
            s.languages.append(lang)
        if s.view is not None and s.view.language != lang:
            route, title = s.view.route, s.view.title
            self.view(route, title, same_screen=True)  # the rest counts for the new language

    def tour_started(self, tour_id: str) -> None:
        s = self.session
        if s is None:
            self.touch()
            s = self.session
        self._end_tour(self.clock(), completed=False)
        s.seq += 1
        s.tour = _Tour(s.seq, tour_id, self.clock())

    def tour_ended(self, completed: bool = False) -> None:
        if self.session is not None:
            self._end_tour(self.clock(), completed)

    def end_session(self, reason: str = "idle", idle_seconds: float = 0.0) -> bool:
        """The idle reset (or the app stopping) ends the visit. True if one was open.

        ``idle_seconds``: how long nobody touched the screen before. The visit ended
        at the last touch, so the session and its last screen end then, not when the
        idle timer ran out."""
        s = self.session
        if s is None:
            return False
        now = self.clock() - _dt.timedelta(seconds=max(0.0, idle_seconds))
        last = s.view.started if s.view is not None else s.started
        now = max(now, last, s.tour.started if s.tour is not None else last)
        self._end_view(now)
        self._end_tour(now, completed=False)
        row = (s.uid, self.kiosk, stamp(s.started), stamp(now), _seconds(s.started, now),
               s.views, s.language, ",".join(s.languages), reason)
        with self._lock:
            self._rows.append(("sessions", row))
        self.session = None
        self.sessions_recorded += 1
        day = s.started.date().isoformat()
        if day in self._day_counts:
            self._day_counts[day] += 1
        return True

    def _end_view(self, now: _dt.datetime) -> None:
        s = self.session
        v = s.view if s else None
        if v is None:
            return
        kind, section, exhibit = route_parts(v.route)
        row = (s.uid, v.seq, self.kiosk, stamp(v.started), _seconds(v.started, now), v.route,
               kind, section, exhibit, v.title, v.language, v.tour, int(v.opened))
        with self._lock:
            self._rows.append(("views", row))
        s.view = None

    def _end_tour(self, now: _dt.datetime, completed: bool) -> None:
        s = self.session
        t = s.tour if s else None
        if t is None:
            return
        row = (s.uid, t.seq, self.kiosk, t.tour, stamp(t.started), _seconds(t.started, now),
               t.steps, int(bool(completed)))
        with self._lock:
            self._rows.append(("tours", row))
        s.tour = None

    # ------------------------------------------------------------ writing
    def flush(self) -> int:
        """Write what is waiting, in one transaction. Safe from any thread. Returns rows written."""
        with self._lock:
            rows, self._rows = self._rows, []
            if not rows or self._db is None:
                return 0
            try:
                with self._db:
                    for table in ("sessions", "views", "tours"):
                        batch = [r for t, r in rows if t == table]
                        if batch:
                            marks = ",".join("?" * len(batch[0]))
                            self._db.executemany(
                                f"INSERT OR REPLACE INTO {table} VALUES ({marks})", batch)
            except sqlite3.Error as exc:
                log.error("cannot write visitor figures to %s: %s", self.path, exc)
                self._rows[:0] = rows  # try again next time
                if damaged(exc):  # damaged while running: set aside, the rows go to a new one
                    self._db.close()
                    try:
                        self._db = connect(self.path, recover=True)
                    except sqlite3.Error as again:
                        log.error("visitor figures are off: %s", again)
                        self._db = None
                return 0
        return len(rows)

    def start(self) -> Analytics:
        """Flush every ``flush_every`` seconds on a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="analytics", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.flush_every):
            self.flush()

    def close(self, reason: str = "stop") -> None:
        """End an open session, write everything and close the database."""
        self.end_session(reason)
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        self.flush()
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ------------------------------------------------------------ reading
    def sessions_on(self, day: _dt.date) -> int:
        """Sessions started on ``day``, written or still waiting (a query)."""
        prefix = day.isoformat()
        with self._lock:
            waiting = sum(1 for t, r in self._rows if t == "sessions" and r[2].startswith(prefix))
            count = 0
            if self._db is not None:
                count = self._db.execute(
                    "SELECT COUNT(*) FROM sessions WHERE started BETWEEN ? AND ?",
                    (prefix, prefix + "~")).fetchone()[0]
        return count + waiting

    def sessions_today(self) -> int:
        """Sessions started today, the open one included. Cheap: the database is read
        once a day, then counted in memory."""
        now = self.clock()
        day = now.date().isoformat()
        if day not in self._day_counts:
            self._day_counts = {day: self.sessions_on(now.date())}
        opened = self.session is not None and self.session.started.date().isoformat() == day
        return self._day_counts[day] + int(opened)


def _seconds(start: _dt.datetime, end: _dt.datetime) -> float:
    return round(max(0.0, (end - start).total_seconds()), 3)


__all__ = ["Analytics", "connect", "route_parts", "stamp", "SCHEMA_VERSION"]
