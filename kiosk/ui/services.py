"""The app's services, composed in one place: what each is given, and when it starts.

:func:`compose` builds every service for a :class:`kiosk.ui.app.KioskApp` (building is
cheap: nothing is read, bound or started yet). Then, in two halves:

- :func:`start_for_first_frame`, in ``KioskApp.build``: only what the first frame needs
  (frame sync, the screen guard, the image loader for Home's pictures);
- :func:`start_after_first_frame`, on the Clock's tick right after the first frame was
  drawn: the rest (memory trim, hot reload, idle, the accessibility menu's sound and keys,
  visitor figures, the publishing schedule, the status and metrics files, the guide's
  remote). A visitor sees Home first; none of these is needed to draw it.

:func:`stop` undoes both halves when the app stops (also when the second never ran).

Each service reads the app's properties and binds to their changes; it changes the app
only through the app's methods (``go``, ``apply_content``, ``apply_theme``, ``tour_ended``,
``enter_admin`` ...). The one exception is the reloader, which owns
``app.content_errors``. To add a service: a class with ``start()`` / ``stop()``, a field
on :class:`Services`, a line in :func:`compose` and one in the right half here
(docs/architecture.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kivy.clock import Clock

from kiosk.pin import PinGate
from kiosk.schedule import ScheduleRefresher
from kiosk.ui import images
from kiosk.ui.access.state import AccessState
from kiosk.ui.framesync import FrameSync
from kiosk.ui.guard import ScreenGuard
from kiosk.ui.idle import IdleController
from kiosk.ui.memory import MemoryTrim
from kiosk.ui.reload import Reloader
from kiosk.ui.status_writer import StatusWriter
from kiosk.ui.tour_control import TourControl

if TYPE_CHECKING:  # imported when it starts, after the first frame (sqlite and the figures)
    from kiosk.ui.analytics_hooks import AnalyticsHooks

log = logging.getLogger("kiosk.app")

# seconds after the first frame: an exhibit page made ready, before the first quiet moment
# settles what is alive (kiosk.ui.memory), so that it is frozen with the content
PREPARE_PAGE_AFTER = 0.3


@dataclass(eq=False)
class Services:
    """Every service of one app. The app keeps this (``app.services``), which keeps each
    service alive: the Clock holds callbacks weakly."""

    frame_sync: FrameSync  # glFinish after each frame on a software renderer
    guard: ScreenGuard  # an error in a screen's code: log it, go Home
    memory_trim: MemoryTrim  # freed memory back to the system when quiet
    access: AccessState  # the accessibility menu's choices, sound and keys
    idle: IdleController  # countdown, back Home, attract loop
    tour_control: TourControl  # guided mode, the clicker and the guide's remote
    reloader: Reloader  # hot reload of content and theme; owns app.content_errors
    status: StatusWriter  # the status file and the metrics file
    pin_gate: PinGate  # the admin panel's PIN check (wrong PINs survive closing it)
    image_loader: images.ImageLoader | None = None  # from the first frame on
    analytics: AnalyticsHooks | None = None  # after the first frame
    schedule: ScheduleRefresher | None = None  # after the first frame
    started: bool = False  # start_after_first_frame ran


def compose(app) -> Services:
    """Build every service of ``app`` from its config (nothing starts yet)."""
    config = app.kiosk_config
    return Services(
        frame_sync=FrameSync(),
        guard=ScreenGuard(app),
        memory_trim=MemoryTrim(),
        access=AccessState(app, config.accessibility),
        idle=IdleController(app, config.idle),
        tour_control=TourControl(app),
        reloader=Reloader(app, config.watch),
        status=StatusWriter(app),
        pin_gate=PinGate({}, clock=lambda: Clock.time()),  # the PINs: read at each opening
    )


def start_for_first_frame(app, s: Services) -> None:
    """What drawing Home needs (``KioskApp.build``, before its layouts are made)."""
    s.frame_sync.install()  # software GL: memory would pile up frame after frame
    s.guard.install()
    s.image_loader = images.use_loader(app.kiosk_config.cache)
    s.image_loader.on_problem = app.report_problem  # listed for staff by the reloader
    s.image_loader.on_freed = s.memory_trim.soon
    app.fbind("route", s.image_loader.sweep_soon)  # far pictures may let go of textures


def start_after_first_frame(app, s: Services) -> None:
    """Everything else, right after the first frame is drawn."""
    if s.started or app.stopped:
        return
    s.started = True
    from kiosk.ui.analytics_hooks import attach_analytics

    s.memory_trim.start()
    s.reloader.start()  # watches content and theme (kiosk.yaml's ``watch``)
    s.idle.start()
    s.access.install()
    s.analytics = attach_analytics(app)  # visitor figures
    s.schedule = ScheduleRefresher(app).start()  # publish_from / publish_until on time
    s.status.start()
    s.tour_control.remote.start()  # the guide's phone, if kiosk.yaml switches it on
    # the first exhibit opened refills a page made ready meanwhile
    if app.prepare_page_after is not None:
        Clock.schedule_once(app.prepare_exhibit_page, app.prepare_page_after)


def stop(app, s: Services) -> None:
    """Undo both halves (``KioskApp.on_stop``); the status writer has the last word."""
    s.guard.remove()
    s.frame_sync.remove()
    s.memory_trim.stop()
    s.reloader.stop()
    s.idle.stop()
    s.tour_control.remote.stop()
    s.access.remove()
    s.tour_control.stop()  # a tour never outlives the app: restarts come back browsing
    if s.schedule is not None:
        s.schedule.stop()
    if s.image_loader is not None:
        app.funbind("route", s.image_loader.sweep_soon)
        if s.image_loader.on_problem == app.report_problem:  # not yet another app's
            s.image_loader.on_problem = s.image_loader.on_freed = None
    Clock.unschedule(app.prepare_exhibit_page)
    s.status.stop()  # status "stopped", metrics kiosk_up 0
    if s.analytics is not None:
        s.analytics.stop()


__all__ = ["Services", "compose", "start_after_first_frame", "start_for_first_frame", "stop"]
