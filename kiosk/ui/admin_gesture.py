"""The hidden way in for staff and guides: hold the top-left corner.

A finger held still for 3 seconds in the top-left corner of the screen (a square
about one and a half touch targets wide) opens the admin panel
(:mod:`kiosk.ui.admin_panel`) over whatever is on screen. Nothing shows while it is
held, so visitors never notice it. The panel's code and layout are loaded the first
time it opens, not while the kiosk starts.
"""

from __future__ import annotations

import sys

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.widget import Widget

HOLD_SECONDS = 3.0  # how long the corner must be held
CORNER = 1.5  # the corner square's side, in touch targets


def panel_open() -> bool:
    """Is the admin panel open? (Never before its module was first loaded.)"""
    panel = sys.modules.get("kiosk.ui.admin_panel")
    return panel is not None and panel.panel_open()


class AdminGesture(Widget):
    """Sees every touch first (mounted last in the root), never takes one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._touch = None
        self._start = (0.0, 0.0)
        self._event = None

    def corner_side(self) -> float:
        app = App.get_running_app()
        return float(app.space.get("touch", 70)) * CORNER

    def in_corner(self, x: float, y: float) -> bool:
        root = self.parent
        if root is None:
            return False
        side = self.corner_side()
        return x <= root.x + side and y >= root.top - side

    def on_touch_down(self, touch):
        if self._touch is None and self.in_corner(touch.x, touch.y) and not panel_open():
            self._touch = touch
            self._start = (touch.x, touch.y)
            self._event = Clock.schedule_once(self._fire, HOLD_SECONDS)
        return False

    def on_touch_move(self, touch):
        if touch is self._touch:
            dx, dy = touch.x - self._start[0], touch.y - self._start[1]
            if (dx * dx + dy * dy) ** 0.5 > self.corner_side() / 2:
                self._cancel()
        return False

    def on_touch_up(self, touch):
        if touch is self._touch:
            self._cancel()
        return False

    def _cancel(self):
        self._touch = None
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _fire(self, dt):
        self._touch = None
        self._event = None
        from kiosk.ui.admin_panel import open_admin_panel  # loaded when first opened

        open_admin_panel()
