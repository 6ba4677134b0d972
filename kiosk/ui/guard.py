"""The screen boundary: an error in one screen's code never takes the kiosk down.

Two places catch it:

- :meth:`KioskApp.go` and :meth:`KioskApp.refresh_current` catch what creating
  or loading a screen raises and hand it to :meth:`ScreenGuard.failed`;
- everything else that runs inside Kivy's main loop (Clock callbacks of a
  screen, ``on_enter``, animations, touch handlers) reaches Kivy's
  ``ExceptionManager``, where :class:`ScreenGuard` is installed as a handler
  and tells the loop to go on (``PASS``) instead of stopping the app.

Either way the error is logged with its traceback (the same error at most
once a minute, so a failing timer cannot flood the log), the screen that
failed is dropped so it is built afresh next time, and the visitor is taken
back to the home screen (a guided tour ends). ``KeyboardInterrupt`` and
``SystemExit`` are never swallowed.
"""

from __future__ import annotations

import logging
import time

from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock

log = logging.getLogger("kiosk.guard")

QUIET_SECONDS = 60.0  # the same error is logged again only after this long
DROP_AFTER = 1.0  # seconds after leaving it that a failed screen is removed


class ScreenGuard(ExceptionHandler):
    def __init__(self, app):
        super().__init__()
        self.app = app
        self.failures = 0  # errors caught since start
        self.last_error = ""  # "RuntimeError: message" of the latest one
        self._logged: dict[tuple[str, str], float] = {}
        self._recovering = False

    def install(self) -> ScreenGuard:
        if self not in ExceptionManager.handlers:
            ExceptionManager.add_handler(self)
        return self

    def remove(self) -> None:
        if self in ExceptionManager.handlers:
            ExceptionManager.remove_handler(self)

    # ------------------------------------------------------------ Kivy's loop
    def handle_exception(self, inst):
        """Called by Kivy's main loop for anything raised inside it."""
        if not isinstance(inst, Exception):  # KeyboardInterrupt, SystemExit: really stop
            return ExceptionManager.RAISE
        self.failed(self.app.route or "", inst, where="while running")
        return ExceptionManager.PASS

    # ---------------------------------------------------------------- failing
    def failed(self, route: str, exc: BaseException, where: str = "while opening") -> bool:
        """Log ``exc`` raised by the screen for ``route``, drop that screen, go Home.

        Always returns False (what :meth:`KioskApp.go` returns for a screen not shown).
        """
        self.failures += 1
        self.last_error = f"{type(exc).__name__}: {exc}"
        key = (route, self.last_error)
        now = time.monotonic()
        if now - self._logged.get(key, -QUIET_SECONDS) >= QUIET_SECONDS:
            self._logged[key] = now
            log.error("the screen %r failed %s: %s; going back to the home screen",
                      route, where, self.last_error,
                      exc_info=(type(exc), exc, exc.__traceback__))
        self._drop(route)
        self._go_home()
        return False

    def _drop(self, route: str) -> None:
        manager = self.app.manager
        if manager is None or not route or not manager.has_screen(route):
            return
        screen = manager.get_screen(route)
        screen.loaded_key = None  # whatever happens, it is loaded afresh next time
        Clock.schedule_once(lambda dt: self._remove(screen), DROP_AFTER)

    def _remove(self, screen) -> None:
        """Remove a failed screen once it is off screen; its timers die with it."""
        manager = self.app.manager
        if manager is None or screen not in manager.screens:
            return
        if manager.current_screen is screen:
            return  # the visitor is on it again (it loaded fine this time)
        try:
            manager.remove_widget(screen)
        except Exception:  # a screen still in a transition: leave it, it is reloaded anyway
            log.debug("failed screen %s kept until later", screen.name, exc_info=True)

    def _go_home(self) -> None:
        if self._recovering:  # home itself failed: do not loop
            return
        self._recovering = True
        try:
            if self.app.tour_control.running:
                self.app.end_tour()
            else:
                self.app.go("home", push=False, direction="right")
        except Exception:
            log.exception("the home screen cannot be shown either")
        finally:
            self._recovering = False


__all__ = ["ScreenGuard"]
