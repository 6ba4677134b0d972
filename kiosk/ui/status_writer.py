"""The status file and the metrics file, kept up to date while the kiosk runs.

The app says what it shows (:meth:`KioskApp.status_document`); this service writes it,
with the Prometheus metrics beside it (``kiosk/metrics.py``), at every screen change
(the app calls :meth:`write`) and every :data:`EVERY` seconds. It starts after the first
frame is drawn; whatever happens, :meth:`stop` writes the last word (``stopped``,
``kiosk_up 0``).
"""

from __future__ import annotations

import logging

from kivy.clock import Clock

from kiosk.metrics import write_app_metrics
from kiosk.status import write_status

log = logging.getLogger("kiosk.app")

EVERY = 5.0  # seconds


class StatusWriter:
    def __init__(self, app, every: float = EVERY):
        self.app = app
        self.every = every
        self.started = False
        self._event = None
        self._failed = ""  # why the last write failed, logged once per cause

    def start(self) -> StatusWriter:
        self.started = True
        self._event = Clock.schedule_interval(lambda dt: self.write(), self.every)
        self.write()
        return self

    def stop(self) -> None:
        """Stop the timer and write the last word (the app has stopped by now)."""
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self.started = True
        self.write()
        self.started = False

    def write(self) -> None:
        """Write both files now (nothing before :meth:`start`)."""
        if not self.started:
            return
        app = self.app
        write_app_metrics(app, up=not app.stopped)  # the Prometheus file, when kiosk.yaml names one
        path = app.kiosk_config.status_file
        if not path:
            return
        failed = self._failed
        try:
            write_status(app.kiosk_config.path(path), app.status_document())
        except OSError as exc:
            if str(exc) != failed:  # once per cause, not every few seconds for months
                log.error("cannot write the status file %s: %s", path, exc)
            self._failed = str(exc)
        else:
            if failed:
                log.info("the status file %s is written again", path)
            self._failed = ""


__all__ = ["EVERY", "StatusWriter"]
