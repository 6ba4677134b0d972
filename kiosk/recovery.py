"""The kiosk's own files found damaged: moved aside with the date in their name, so
the kiosk starts afresh with a new one, and nothing is silently lost (the damaged
file is kept for whoever wants to look at it or repair it).

Used for the visitor figures database, the loader's saved state and the picture
cache. What was set aside since the start is listed in the status file
(``recovered``) and in the admin panel. No Kivy here.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger("kiosk")

_notices: list[dict] = []
_lock = threading.Lock()
KEEP = 20  # notices kept (a damaged cache could otherwise fill the status file)


def dated_name(path: Path, moment: _dt.datetime | None = None) -> Path:
    """``analytics.sqlite`` → ``analytics.sqlite.damaged-20261205-093000`` (first free name)."""
    stamp = (moment or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return target


def move_aside(path: str | os.PathLike, what: str, reason: str, *,
               companions: tuple[str, ...] = ()) -> Path | None:
    """Rename the damaged ``path`` to a dated name beside it and note it. ``companions``:
    suffixes of files that belong to it (SQLite's ``-wal``, ``-shm``), moved along.
    Returns the new name, or None if it could not be moved (then it is deleted if it can be)."""
    path = Path(path)
    target: Path | None = dated_name(path)
    try:
        os.replace(path, target)
        for suffix in companions:
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                os.replace(extra, target.with_name(target.name + suffix))
    except OSError as exc:
        log.error("the damaged %s %s cannot be moved aside: %s", what, path, exc)
        target = None
    log.warning("the %s %s was damaged (%s); kept as %s, a new one is started",
                what, path, reason, target or "nothing")
    note = {"what": what, "path": str(path), "moved_to": str(target) if target else None,
            "reason": reason, "at": _dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    with _lock:
        _notices.append(note)
        del _notices[:-KEEP]
    return target


def notices() -> list[dict]:
    """What was moved aside since the start, oldest first."""
    with _lock:
        return [dict(n) for n in _notices]


def clear() -> None:
    with _lock:
        _notices.clear()


__all__ = ["clear", "dated_name", "move_aside", "notices"]
