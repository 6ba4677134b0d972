"""Stopping cleanly when the system asks: SIGTERM (systemd stop or restart), SIGINT
(Ctrl+C) and SIGHUP (the terminal or session went away).

Without a Python handler SDL turns SIGTERM into a window close request, which a
kiosk refuses, so the kiosk would run on until systemd kills it: ``on_stop``
never runs, the visitor figures still in memory are lost and the metrics file
keeps saying the kiosk is up. Here the handler only notes the signal; a check
on Kivy's clock (a few times a second) then stops the app the normal way, so
everything ``on_stop`` does happens: figures written, status file ``mode:
stopped``, metrics ``kiosk_up 0``. Close requests from the desktop (Alt+F4, a
window manager's close button) are still refused in kiosk mode.
"""

from __future__ import annotations

import logging
import signal

log = logging.getLogger("kiosk")

STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")  # SIGHUP does not exist on Windows
CHECK_EVERY = 0.1  # seconds


class StopSignals:
    """Notes a stop signal; :meth:`watch` stops the running app when one came."""

    def __init__(self):
        self.received: int | None = None
        self._previous: dict[int, object] = {}
        self._event = None

    def install(self) -> StopSignals:
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                self._previous[number] = signal.signal(number, self._note)
            except (ValueError, OSError):  # not the main thread: nothing to catch here
                pass
        return self

    def _note(self, signum, frame) -> None:
        # a signal handler may run in the middle of anything: only a flag here
        self.received = signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.received).name
        except ValueError:
            return str(self.received)

    def watch(self, app) -> None:
        """Check for a noted signal on the app's clock, and stop the app when there is one."""
        from kivy.clock import Clock

        def check(_dt):
            if self.received is not None:
                log.info("%s received: stopping", self.name)
                self._event.cancel()
                app.stop()

        self._event = Clock.schedule_interval(check, CHECK_EVERY)

    def restore(self) -> None:
        if self._event is not None:
            self._event.cancel()
        for number, previous in self._previous.items():
            try:
                signal.signal(number, previous)
            except (ValueError, OSError, TypeError):
                pass
        self._previous.clear()
