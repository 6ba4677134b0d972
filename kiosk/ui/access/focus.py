"""Keyboard and keypad navigation: arrows move a visible focus ring through every
control on the screen, Enter (or the keypad's Enter, or Space) presses it, Backspace or
Escape goes back. A tactile keypad with a headphone jack drives the kiosk this way.

Guided tours and the staff panel read the keys first (they bind to the window later).
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.uix.behaviors import ButtonBehavior

KEYS = Keyboard.keycodes
MOVES = {KEYS["up"]: (0, 1), KEYS["down"]: (0, -1), KEYS["left"]: (-1, 0), KEYS["right"]: (1, 0)}
NEXT = {KEYS["tab"]}
PRESS = {KEYS["enter"], KEYS["numpadenter"], KEYS["spacebar"]}
BACK = {KEYS["backspace"], KEYS["escape"]}
RING_EVERY = 1 / 30  # seconds: the ring follows a control that scrolls


def shown(widget) -> bool:
    w = widget
    while w is not None and w.parent is not w:
        if getattr(w, "opacity", 1) == 0 or getattr(w, "disabled", False):
            return False
        w = w.parent
    return True


def window_rect(widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, widget.width, widget.height


def controls(root) -> list:
    """Every control a visitor can press on what is shown, in reading order."""
    from kiosk.ui.admin_gesture import AdminGesture

    win_w, win_h = Window.size
    found = []
    for w in root.walk(restrict=True):
        if not isinstance(w, ButtonBehavior) or isinstance(w, AdminGesture):
            continue
        if w.width < 2 or w.height < 2 or not shown(w):
            continue
        x, y, width, height = window_rect(w)
        if x + width <= 0 or y + height <= 0 or x >= win_w or y >= win_h:
            if not _in_scroll(w):
                continue  # off screen and no way to scroll it into view
        found.append(w)
    found.sort(key=lambda w: (-round(window_rect(w)[1] + w.height), window_rect(w)[0]))
    return found


def _in_scroll(widget):
    from kivy.uix.scrollview import ScrollView

    w = widget.parent
    while w is not None and w.parent is not w:
        if isinstance(w, ScrollView):
            return w
        w = w.parent
    return None


class FocusNavigator:
    def __init__(self, app):
        self.app = app
        self.focused = None
        self._event = None

    def install(self):
        Window.bind(on_key_down=self._on_key_down)

    def remove(self):
        Window.unbind(on_key_down=self._on_key_down)
        self.clear()

    def clear(self):
        self.focused = None
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self._show_ring(None)

    # ----------------------------------------------------------------- keys
    def _scope(self):
        """Where focus may go: the open accessibility menu, the countdown, or everything."""
        root = self.app.root
        layer = getattr(root, "ids", {}).get("access_layer") if root is not None else None
        if layer is not None and self.app.access.menu_open:
            return layer.ids.menu
        countdown = getattr(root, "countdown", -1)
        if countdown >= 0 and "countdown_layer" in root.ids:
            return root.ids.countdown_layer
        return root

    def _on_key_down(self, window, key, scancode=None, text=None, modifiers=None):
        app = self.app
        if app.root is None or app.mode in ("tour", "admin"):
            return False
        app.idle.poke()  # a key is activity, as a touch is (this handler may stop the event)
        if app.route == "attract":
            Clock.schedule_once(lambda dt: app.go("home", push=False), 0)
            return True
        if key in BACK:
            if app.access.menu_open:
                app.access.menu_open = False
            else:
                app.back()
            return True
        if key in PRESS:
            return self.press()
        if key in MOVES:
            self.move(*MOVES[key])
            return True
        if key in NEXT:
            self.move_next(-1 if "shift" in (modifiers or ()) else 1)
            return True
        return False

    def press(self) -> bool:
        w = self.focused
        if w is None or w.get_root_window() is None or not shown(w):
            self.move_next(1)
            return True
        w.trigger_action(duration=0.05)
        return True

    # ---------------------------------------------------------------- moves
    def _valid(self, items):
        w = self.focused
        return w if (w is not None and w in items) else None

    def move_next(self, step: int = 1):
        items = controls(self._scope())
        if not items:
            return self.clear()
        current = self._valid(items)
        index = (items.index(current) + step) % len(items) if current is not None else 0
        self.focus(items[index])

    def move(self, dx: int, dy: int):
        items = controls(self._scope())
        if not items:
            return self.clear()
        current = self._valid(items)
        if current is None:
            return self.focus(items[0])
        cx, cy = _centre(current)
        best, best_score = None, None
        for w in items:
            if w is current:
                continue
            x, y = _centre(w)
            along = (x - cx) * dx + (y - cy) * dy  # distance in the direction asked
            across = abs((x - cx) * dy) + abs((y - cy) * dx)
            if along <= 1:
                continue
            score = along + 2 * across
            if best_score is None or score < best_score:
                best, best_score = w, score
        if best is not None:
            self.focus(best)

    def focus(self, widget):
        widget = getattr(widget, "__self__", widget)  # the widget, not a weak proxy of it
        self.focused = widget
        scroll = _in_scroll(widget)
        if scroll is not None:
            try:
                scroll.scroll_to(widget, padding=10, animate=False)
            except Exception:  # noqa: BLE001 - a control outside its scroll view stays put
                pass
        if self._event is None:
            self._event = Clock.schedule_interval(lambda dt: self._show_ring(self.focused), RING_EVERY)
        self._show_ring(widget)

    def _show_ring(self, widget):
        root = self.app.root
        layer = getattr(root, "ids", {}).get("access_layer") if root is not None else None
        if layer is None:
            return
        if widget is None or widget.get_root_window() is None or not shown(widget):
            layer.ring = [0, 0, 0, 0]
            return
        layer.ring = list(window_rect(widget))


def _centre(widget):
    x, y, w, h = window_rect(widget)
    return x + w / 2, y + h / 2
