"""Idle handling: a gentle countdown back to Home, then the attract loop.

Time comes from ``Clock.time()`` (the Clock's monotonic source), so tests can move it.
Any touch or key counts as activity.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window

CHECK_EVERY = 0.25


class IdleController:
    def __init__(self, app, settings):
        self.app = app
        self.settings = settings
        self.last_activity = 0.0
        self._event = None
        self.countdown_left: float | None = None
        # after an idle reset, a visitor's reduced motion lasts until the next touch or key
        self.motion_held = False

    def start(self):
        self.last_activity = Clock.time()
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self._event = Clock.schedule_interval(self._check, CHECK_EVERY)

    def stop(self):
        Window.unbind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _on_activity(self, *args):
        self.poke()
        return False

    def poke(self):
        self.last_activity = Clock.time()
        if self.motion_held:
            self.motion_held = False
            self.app.access.reset_motion()
        if self.countdown_left is not None:
            self.countdown_left = None
            self._show_countdown(None)

    @property
    def idle_for(self) -> float:
        return max(0.0, Clock.time() - self.last_activity)

    def _check(self, dt):
        app = self.app
        if app.mode in ("tour", "admin"):
            return
        idle = self.idle_for
        s = self.settings
        if app.route == "attract":
            return
        if app.route == "home":
            if idle >= s.attract_after:
                self._reset_visitor()
                app.go("attract", push=False)
            return
        remaining = s.reset_after - idle
        if remaining <= 0:
            self.countdown_left = None
            self._show_countdown(None)
            self._reset_visitor()
            app.home()
            self.last_activity = Clock.time()
        elif remaining <= s.countdown:
            self.countdown_left = remaining
            self._show_countdown(remaining)

    def _reset_visitor(self):
        self.app.reset_visitor(keep_motion=True)
        self.motion_held = True

    def _show_countdown(self, remaining: float | None):
        root = self.app.root
        if root is not None and hasattr(root, "show_countdown"):
            root.show_countdown(remaining)
