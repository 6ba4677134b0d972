"""Publishing windows that open and close while the kiosk runs.

Sections and exhibits may carry ``publish_from`` / ``publish_until`` (local
time). The screens already ask ``visible(now)``; what this module adds is the
*moment*: :class:`ScheduleRefresher` works out when the next window opens or
closes and sets a Clock event for that moment, so an anniversary exhibit
appears on 七一 at midnight without a restart, and an expired one leaves the
screen (a visitor looking at it goes to its section).

The wall clock of the whole kiosk is :func:`now` (local, naive ``datetime``).
Tests replace it with :func:`use_clock` to move through days in milliseconds.
The pure functions here need no Kivy.
"""

from __future__ import annotations

import datetime as _dt
import logging

from kiosk.content.model import Content

log = logging.getLogger("kiosk.schedule")

MAX_WAIT = 300.0  # seconds: look again at least this often (the wall clock may be set)
LATE = 0.05  # seconds after a boundary, so ``now >= boundary`` holds when we look

_clock = _dt.datetime.now


def now() -> _dt.datetime:
    """The kiosk's local wall-clock time."""
    return _clock()


def use_clock(clock) -> object:
    """Make ``clock`` (a callable returning a naive local datetime) the kiosk's wall
    clock; ``None`` restores the system clock. Returns the previous one."""
    global _clock
    previous = _clock
    _clock = clock or _dt.datetime.now
    return previous


def boundaries(content: Content | None) -> list[_dt.datetime]:
    """Every moment at which something in ``content`` appears or disappears, sorted."""
    if content is None:
        return []
    moments: set[_dt.datetime] = set()
    for section in content.sections:
        items = [section.schedule, *(ex.schedule for ex in section.exhibits)]
        for sched in items:
            if sched.draft:
                continue
            for moment in (sched.publish_from, sched.publish_until):
                if moment is not None:
                    moments.add(moment)
    return sorted(moments)


def next_boundary(content: Content | None, at: _dt.datetime) -> _dt.datetime | None:
    """The first boundary strictly after ``at``, or None."""
    for moment in boundaries(content):
        if moment > at:
            return moment
    return None


def visible_set(content: Content | None, at: _dt.datetime) -> frozenset[str]:
    """Routes of the sections and exhibits visible at ``at``."""
    if content is None:
        return frozenset()
    shown = set()
    for section in content.sections:
        if not section.visible(at):
            continue
        shown.add(section.route)
        shown.update(ex.route for ex in section.visible_exhibits(at))
    return frozenset(shown)


def wait_seconds(content: Content | None, at: _dt.datetime, cap: float = MAX_WAIT) -> float:
    """How long to sleep before looking again: until just after the next boundary,
    never longer than ``cap``."""
    moment = next_boundary(content, at)
    if moment is None:
        return cap
    return max(LATE, min(cap, (moment - at).total_seconds() + LATE))


class ScheduleRefresher:
    """Rebuilds the screens when a publishing window of the content on screen opens or
    closes. Composed with the app's other services (``kiosk/ui/services.py``), which keep
    it alive: the Clock holds its callback weakly."""

    def __init__(self, app, cap: float = MAX_WAIT):
        self.app = app
        self.cap = cap
        self.refreshes = 0
        self._event = None
        self._shown = visible_set(app.content, now())

    def start(self) -> ScheduleRefresher:
        self.app.bind(content_version=self._content_changed)
        self._plan()
        return self

    def stop(self) -> None:
        self.app.unbind(content_version=self._content_changed)
        self._cancel()

    def _cancel(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _content_changed(self, *_):
        self._shown = visible_set(self.app.content, now())
        self._plan()

    def _plan(self) -> None:
        from kivy.clock import Clock

        self._cancel()
        delay = wait_seconds(self.app.content, now(), self.cap)
        self._event = Clock.schedule_once(self._tick, delay)

    def _tick(self, *_):
        self._event = None
        try:
            shown = visible_set(self.app.content, now())
            if shown != self._shown:
                self._shown = shown
                self.refresh()
        except Exception:  # never let a schedule check take the kiosk down
            log.exception("publishing schedule check failed")
        self._plan()

    def refresh(self) -> None:
        """Every screen is built again when next shown; the visible one now."""
        app = self.app
        self.refreshes += 1
        log.info("publishing schedule: what is shown changed at %s", now().isoformat(" ", "minutes"))
        manager = app.manager
        if manager is not None:
            for screen in manager.screens:
                screen.loaded_key = None
        app.refresh_current()


__all__ = ["ScheduleRefresher", "boundaries", "next_boundary", "now", "use_clock",
           "visible_set", "wait_seconds"]
