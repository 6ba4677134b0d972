"""The window's root: the screens, the navigation bar and the overlays above them.

The bar sits at the bottom, within thumb reach, on every screen but the
attract loop. A right swipe goes back on screens that allow it; on screens
where horizontal drags mean something else (timeline, photo viewer) a swipe
that starts at the left edge still does.
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.ui import widgets  # noqa: F401  (registers the shared widget rules)
from kiosk.ui.access.layer import AccessLayer  # noqa: F401  (accessibility menu and player, root.kv)
from kiosk.ui.admin_gesture import AdminGesture  # noqa: F401  (the hidden staff gesture, root.kv)
from kiosk.ui.kv import load_kv

SWIPE_MIN = 0.18  # of the window width
SWIPE_MAX_TIME = 0.9  # seconds
EDGE = 0.06  # of the window width
# the countdown card: this share of the screen's width, at least this many touch targets
COUNTDOWN_WIDTH, COUNTDOWN_MIN_TOUCHES = 0.6, 6


class CutTransition(NoTransition):
    """A cut from one screen to the next. Kivy's own keeps the old screen in the tree until
    the next frame, so for one frame both are drawn, one over the other (screens are
    see-through over the theme's background): here the old one leaves the tree at once.
    Hiding it (opacity 0) is not enough: a software renderer still works through the pixels
    of a see-through screen (an exhibit tap from a section's list took 3.5 ms more processor
    time at 1080x1920)."""

    def start(self, manager):
        super().start(manager)
        out = self.screen_out
        if out is not None and out is not self.screen_in and out.parent is manager:
            manager.real_remove_widget(out)  # on_complete's removal then finds it gone


class Screens(ScreenManager):
    """The screens, drawn without ScreenManager's stencil clip (they fill the window, so
    there is nothing to clip, and the clip costs a software renderer two screenfuls of
    drawing each frame). ``covering`` is True while the screen shown is opaque and still,
    so what lies behind it need not be drawn."""

    covering = BooleanProperty(False)
    heading = StringProperty("")  # the current screen's title, for the navigation bar

    def __init__(self, **kwargs):
        self._heading_of = None
        super().__init__(**kwargs)
        self.fbind("current_screen", self._check_covering)
        self.fbind("current_screen", self._follow_heading)
        self.fbind("current_screen", self._release_presses)
        self.fbind("transition", self._watch_transition)
        self._watch_transition()

    def _follow_heading(self, *_):
        """Follow the shown screen's heading, also when that screen changes it in place
        (a language switch reloads the screen without changing which one is shown)."""
        old, screen = self._heading_of, self.current_screen
        if old is not None:
            old.funbind("heading", self._copy_heading)
        self._heading_of = screen
        if screen is not None and hasattr(screen, "heading"):
            screen.fbind("heading", self._copy_heading)
        self._copy_heading()

    def _release_presses(self, *_):
        """No press highlight outlives the screen it was on: a card held while the screen
        changed (a second finger on Back, the idle timer) shows released when seen again,
        that is when its screen is shown (only that screen is looked through)."""
        from kivy.uix.behaviors import ButtonBehavior

        screen = self.current_screen
        if screen is None:
            return
        for widget in screen.walk(restrict=True):
            if isinstance(widget, ButtonBehavior) and widget.state == "down":
                widget.state = "normal"

    def _copy_heading(self, *_):
        self.heading = getattr(self.current_screen, "heading", "") or ""

    def _watch_transition(self, *_):
        transition = self.transition
        if transition is not None and not getattr(transition, "_covering_watched", False):
            transition.fbind("is_active", self._check_covering)
            transition._covering_watched = True
        self._check_covering()

    def _check_covering(self, *_):
        from kivy.core.window import Window

        screen = self.current_screen
        self.covering = bool(getattr(screen, "opaque", False)) and not self.transition.is_active
        backdrop = list(getattr(screen, "backdrop", None) or [])
        if self.covering and backdrop:
            Window.clearcolor = backdrop
        for other in self.screens:
            if hasattr(other, "covering"):
                other.covering = self.covering and other is screen and bool(backdrop)


class KioskRoot(FloatLayout):
    countdown = NumericProperty(-1)
    covered = BooleanProperty(False)  # an opaque screen hides the background
    message = StringProperty("")

    @staticmethod
    def back_label(word: str) -> str:
        return "‹ " + word

    @staticmethod
    def text_size_word(large_text: bool) -> str:
        """The 大字 button names the size a tap switches to."""
        return "normal_text" if large_text else "large_text"

    @staticmethod
    def countdown_width(width: float, space) -> float:
        wanted = max(space["touch"] * COUNTDOWN_MIN_TOUCHES, width * COUNTDOWN_WIDTH)
        return min(width - space["margin"] * 2, wanted)

    @staticmethod
    def message_wrap(width: float, space):
        """The staff message wraps within the margins, a gap inside its box each side."""
        return (width - space["margin"] * 2 - space["gap"] * 2, None)

    @staticmethod
    def message_size(message: str, width: float, text_height: float, space):
        if not message:
            return (0, 0)
        return (width - space["margin"] * 2, text_height + space["gap"])

    def __init__(self, **kwargs):
        from kiosk.ui.backdrop import BackdropDrawing

        super().__init__(**kwargs)
        self.backdrop = BackdropDrawing(self.canvas.before, hidden=self.opaque_areas)
        app = App.get_running_app()
        self._redraw_backdrop = Clock.create_trigger(self._draw_backdrop, -1)
        self.fbind("pos", self._redraw_backdrop)
        self.fbind("size", self._redraw_backdrop)
        self.fbind("covered", self._redraw_backdrop)
        if app is not None:
            app.fbind("background", self._redraw_backdrop)
            app.fbind("colors", self._redraw_backdrop)
        self._draw_backdrop()

    def _draw_backdrop(self, *_):
        app = App.get_running_app()
        colour = (app.colors.get("background") if app is not None else None) or (0, 0, 0, 1)
        prepared = app.background if app is not None else None  # made at the window's size (the root's)
        self.backdrop.update(self.pos, self.size, colour, prepared, not self.covered)

    def opaque_areas(self) -> list:
        """What hides the background in the frame being drawn, in the window's coordinates:
        the navigation bar and the opaque parts of the screen shown (``opaque_parts()``:
        pairs of a widget and rectangles in its coordinates, see kiosk.ui.occlusion)."""
        from kivy.core.window import Window
        from kivy.uix.screenmanager import ShaderTransition

        from kiosk.ui.occlusion import on_window, whole

        app = App.get_running_app()
        colors = app.colors if app is not None else {}
        parts = []
        bar = self.ids.get("bar")
        if bar is not None and (colors.get("surface") or (0, 0, 0, 0))[3] >= 1:
            parts.append(whole(bar))
        manager = self.ids.get("manager")
        screen = manager.current_screen if manager is not None else None
        # a shader transition draws the screens into buffers of their own, elsewhere
        moving = manager is not None and isinstance(manager.transition, ShaderTransition) \
            and manager.transition.is_active
        if screen is not None and not moving and hasattr(screen, "opaque_parts"):
            parts.extend(screen.opaque_parts())
        areas = []
        for widget, rects in parts:
            for rect in rects:
                seen = on_window(widget, rect, Window)
                if seen is not None:
                    areas.append(seen)
        return areas

    def show_countdown(self, remaining):
        self.countdown = -1 if remaining is None else max(0, int(remaining + 0.999))

    def on_touch_down(self, touch):
        touch.ud["kiosk_start"] = (touch.x, touch.y, Clock.time())
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        handled = super().on_touch_up(touch)
        start = touch.ud.get("kiosk_start")
        if start and touch.grab_current is None and self._is_back_swipe(touch, start):
            Clock.schedule_once(lambda dt: App.get_running_app().back(), 0)
            return True
        return handled

    def _is_back_swipe(self, touch, start) -> bool:
        app = App.get_running_app()
        x0, y0, t0 = start
        dx, dy = touch.x - x0, touch.y - y0
        if app.route in ("home", "attract") or dx < SWIPE_MIN * self.width:
            return False
        if app.mode == "tour":  # the tour screen reads its own swipes; visitors cannot leave a tour
            return False
        if abs(dy) > 0.6 * dx or Clock.time() - t0 > SWIPE_MAX_TIME:
            return False
        screen = app.manager.current_screen
        if getattr(screen, "swipe_back", True):
            return True
        return x0 <= EDGE * self.width

    def flash(self, text: str, seconds: float = 3.0):
        """A short message over the screen (e.g. a tour that ended)."""
        self.message = text
        Clock.schedule_once(lambda dt: setattr(self, "message", ""), seconds)


load_kv(__file__, "root.kv")
