"""Feeding visitor analytics from the running app.

Composed with the other services (``kiosk/ui/services.py``) once the first frame is
drawn. It watches, without the screens knowing:

- touches on the window: the first one after idle opens a session;
- ``app.route``: each screen shown is a view (the attract loop is not);
- ``app.lang``: languages used;
- ``app.mode``: guided tours starting and ending;
- the idle reset (the kiosk going back to the start after nobody touched it
  for ``idle.reset_after`` / ``idle.attract_after`` seconds) ends the session.

Without an analytics database (``analytics_db: off``) it does nothing.
"""

from __future__ import annotations

import logging

from kivy.core.window import Window

from kiosk import schedule
from kiosk.analytics import Analytics

log = logging.getLogger("kiosk.analytics")

IDLE_SLACK = 1.0  # seconds: an idle check runs every 0.25 s, so allow a little


def route_title(content, route: str) -> str:
    """The title of what ``route`` shows, in the site's default language."""
    if content is None:
        return ""
    parts = route.split("/")
    lang = content.site.default_language
    section = content.section(parts[1]) if len(parts) > 1 else None
    if parts[0] == "exhibit" and section is not None and len(parts) > 2:
        exhibit = section.exhibit(parts[2])
        return exhibit.title.get(lang) if exhibit else ""
    if parts[0] == "photo" and section is not None:
        return f"{section.title.get(lang)} #{parts[-1]}"
    if parts[0] == "section" and section is not None:
        return section.title.get(lang)
    return ""


class AnalyticsHooks:
    def __init__(self, app, analytics: Analytics | None):
        self.app = app
        self.analytics = analytics
        self.tour: str | None = None
        if analytics is None:
            return
        analytics.language(app.lang)
        app.bind(route=self._on_route, lang=self._on_lang, mode=self._on_mode)
        Window.bind(on_touch_down=self._on_touch)

    # ------------------------------------------------------------- helpers
    def _idle_reset(self) -> bool:
        """True while the idle controller is sending the kiosk back to the start."""
        app = self.app
        if app.mode in ("tour", "admin"):
            return False
        s = app.idle.settings
        return app.idle.idle_for >= min(s.reset_after, s.attract_after) - IDLE_SLACK

    def _idle_seconds(self) -> float:
        return self.app.idle.idle_for

    def _tour_id(self) -> str:
        return self.app.tour_id or "tour"

    # -------------------------------------------------------------- events
    def _on_touch(self, *_args):
        try:
            a = self.analytics
            if not a.active and self.app.mode != "admin":
                route = self.app.route
                a.touch(route, route_title(self.app.content, route))
                if self.app.mode == "tour" and self.tour is None:
                    self._start_tour()
        except Exception:  # analytics must never disturb a visitor
            log.exception("recording a touch failed")
        return False

    def _on_route(self, app, route):
        try:
            a = self.analytics
            if route == "attract":
                a.end_session("attract", self._idle_seconds())
            elif route == "home" and self._idle_reset():
                a.end_session("idle", self._idle_seconds())
            else:
                a.view(route, route_title(app.content, route))
        except Exception:
            log.exception("recording a screen view failed")

    def _on_lang(self, app, lang):
        try:
            if self._idle_reset():
                self.analytics.end_session("idle", self._idle_seconds())
            self.analytics.language(lang)
        except Exception:
            log.exception("recording a language switch failed")

    def _on_mode(self, app, mode):
        try:
            a = self.analytics
            if mode == "tour" and self.tour is None:
                self._start_tour()
            elif mode != "tour" and self.tour is not None:
                completed = bool(app.tour_completed)
                a.tour_ended(completed)
                self.tour = None
            if mode == "admin":
                a.end_session("admin")
        except Exception:
            log.exception("recording a tour failed")

    def _start_tour(self):
        self.tour = self._tour_id()
        self.analytics.tour_started(self.tour)
        route = self.app.route
        if route != "attract":  # the screen on show when the tour began is its first step
            self.analytics.view(route, route_title(self.app.content, route), same_screen=True)
            self.analytics.session.tour.steps += 1

    def stop(self) -> None:
        """The app stops: the open session is written and the database closed."""
        if self.analytics is None:
            return
        self.app.unbind(route=self._on_route, lang=self._on_lang, mode=self._on_mode)
        Window.unbind(on_touch_down=self._on_touch)
        try:
            self.analytics.close("stop")
        except Exception:
            log.exception("closing the analytics database failed")


def attach_analytics(app) -> AnalyticsHooks:
    """Open the analytics database named by ``kiosk.yaml`` (if any) and start recording."""
    config = app.kiosk_config
    analytics = None
    path = config.analytics_db
    if path:
        try:
            analytics = Analytics(config.path(path), kiosk=config.name,
                                  clock=schedule.now).start()
        except Exception as exc:  # a kiosk without figures is still a kiosk
            log.error("visitor figures are off: cannot open %s: %s", path, exc)
    return AnalyticsHooks(app, analytics)


__all__ = ["AnalyticsHooks", "attach_analytics", "route_title"]
