"""tour: one step of a guided tour, large, with the guide's controls.

Route ``tour/ID/N`` (N from 1). The step's own screen (a section in any
layout, an exhibit page, a stats board, one gallery photo) is built by the
same screen class visitors see, and hosted full size on the stage; the tour
adds a slim bar in place of the navigation bar: previous / next, the progress
("3 / 12" and the step's title), pause for auto-advance, the talking-points
drawer (讲解词, shown only on request) and Finish on the last step. Blanking
covers everything with the theme's background.

The state (which step, paused, blanked, drawer open) belongs to
:class:`kiosk.tour.TourRun`; this screen only shows it (:meth:`sync`) and
sends the guide's taps and swipes to ``app.tour_control``.
"""

from __future__ import annotations

import dataclasses

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.tour import parse_tour_route
from kiosk.ui.kv import load_kv
from kiosk.ui.screens import create_screen
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.style import ui_text
from kiosk.ui.widgets import KButton, KLabel  # noqa: F401  (tour.kv uses them)

SWIPE_MIN = 0.15  # of the screen width
SWIPE_MAX_TIME = 0.9  # seconds
PROGRESS_THICKNESS = 5  # px: the progress line along the top of the guide's bar
DRAWER_MAX = 0.5  # the talking points take at most this share of the screen's height
DRAWER_HEAD = 1.5  # their heading row, in touch targets ...
DRAWER_GAPS = 2.5  # ... and the drawer's padding and spacing, in gaps
DRAWER_HIDDEN = 20  # px below the screen's edge a closed drawer waits


class TourBarButton(KButton):
    """A button of the guide's bar: no width while not ``shown``."""

    shown = BooleanProperty(True)


class TourScreen(KioskScreen):
    tour_title = StringProperty("")
    step_title = StringProperty("")
    number = NumericProperty(1)
    total = NumericProperty(1)
    is_first = BooleanProperty(True)
    is_last = BooleanProperty(False)
    has_seconds = BooleanProperty(False)  # this step advances by itself
    remaining = NumericProperty(0)  # whole seconds until it does
    paused = BooleanProperty(False)
    blanked = BooleanProperty(False)
    has_notes = BooleanProperty(False)
    notes_open = BooleanProperty(False)
    notes_elsewhere = BooleanProperty(False)  # a guide's phone shows the talking points
    inner = ObjectProperty(None, allownone=True)  # the step's own screen

    # ---------------------------------------------------------------- layout
    @staticmethod
    def progress_text(number: int, total: int) -> str:
        return f"{number} / {total}"

    @staticmethod
    def progress_pos(x: float, top: float):
        return (x, top - PROGRESS_THICKNESS)

    @staticmethod
    def progress_size(width: float, number: int, total: int):
        """The progress line: the share of the steps shown so far (1, 1: the whole track)."""
        return (width * number / max(1, total), PROGRESS_THICKNESS)

    @staticmethod
    def pause_text(paused: bool, remaining: int, lang: str) -> str:
        """Says what the button does: counting down, or held (tap to resume)."""
        if paused:
            return ui_text("tour_auto_paused", lang)
        return ui_text("tour_auto_in", lang).format(s=remaining)

    @staticmethod
    def next_word(is_last: bool) -> str:
        return "tour_finish" if is_last else "tour_next"

    @staticmethod
    def notes_title(step_title: str, lang: str) -> str:
        notes = ui_text("tour_notes", lang)
        return f"{notes} · {step_title}" if step_title else notes

    @staticmethod
    def drawer_height(height: float, notes_height: float, space) -> float:
        """As tall as the talking points need, at most a share of the screen."""
        wanted = space["touch"] * DRAWER_HEAD + notes_height + space["gap"] * DRAWER_GAPS
        return min(height * DRAWER_MAX, wanted)

    @staticmethod
    def drawer_y(open_: bool, drawer_height: float, space) -> float:
        return space["bar"] if open_ else -drawer_height - DRAWER_HIDDEN

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.swipe_back = False
        self.step_route = ""
        self._notes_text = ""
        self._notes_source = ""
        self._notes_built = None  # (text, font scale) the drawer holds

    # ----------------------------------------------------------------- load
    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        parsed = parse_tour_route(route)
        tour = content.tour(parsed[0]) if parsed else None
        if tour is None or not 1 <= parsed[1] <= len(tour.steps):
            return False
        step = tour.steps[parsed[1] - 1]
        inner = create_screen(content, step.route, name=f"{route}:{step.route}")
        if inner is None or not inner.load(app, content, step.route):
            return False
        if hasattr(inner, "has_next"):  # a gallery photo: the tour, not the photo, moves on
            inner.has_next = inner.has_previous = False
        self._host(inner)
        self.step_route = step.route
        self.tour_title = app.t(tour.title)
        self.step_title = app.t(step.title) or inner.heading
        self.heading = self.step_title
        self.number, self.total = parsed[1], len(tour.steps)
        self.is_first, self.is_last = self.number == 1, self.number == self.total
        self._notes_text = app.t(step.notes).strip()
        self._notes_source = tour.source
        self.has_notes = bool(self._notes_text)
        self._notes_built = None
        self.ids.notes_holder.clear_widgets()
        run = app.tour_control.state_for(route)
        self.sync(run)
        return True

    def _host(self, inner) -> None:
        old = self.inner
        showing = self.manager is not None and self.manager.current == self.name
        stage = self.ids.stage
        if old is not None:
            if showing:
                old.dispatch("on_leave")
            stage.remove_widget(old)
        inner.pos_hint = {"x": 0, "y": 0}
        inner.size_hint = (1, 1)
        stage.add_widget(inner)
        self.inner = inner
        if showing:
            inner.dispatch("on_pre_enter")
            inner.dispatch("on_enter")

    def on_pre_enter(self, *args):
        if self.inner is not None:
            self.inner.dispatch("on_pre_enter")

    def on_enter(self, *args):
        if self.inner is not None:
            self.inner.dispatch("on_enter")

    def on_leave(self, *args):
        if self.inner is not None:
            self.inner.dispatch("on_leave")

    def settle(self):
        if self.inner is not None and hasattr(self.inner, "settle"):
            self.inner.settle()

    def opaque_parts(self) -> list:
        """What hides the theme's background (kiosk.ui.occlusion): the whole screen while
        blanked (the cover draws the background itself), else the guide's bar when the
        theme's surface is opaque and the opaque parts of the step's own screen."""
        from kivy.app import App

        from kiosk.ui.occlusion import whole

        app = App.get_running_app()
        if app is None:
            return []
        if self.blanked and app.colors["background"][3] >= 1:
            return [whole(self.ids.blank)]
        parts = []
        if app.colors["surface"][3] >= 1:
            parts.append(whole(self.ids.bar))
        if self.inner is not None and hasattr(self.inner, "opaque_parts"):
            parts.extend(self.inner.opaque_parts())
        return parts

    # ---------------------------------------------------------------- state
    def sync(self, run) -> None:
        """Show the run's state; None (no tour running, as when rendering) shows the step plainly."""
        if run is not None and run.route != self.route:
            return
        self.paused = bool(run and run.paused)
        self.blanked = bool(run and run.blanked)
        from kivy.app import App

        app = App.get_running_app()
        control = app.tour_control if app is not None else None
        self.notes_elsewhere = bool(run is not None and control is not None
                                    and control.notes_on_phone)
        self.notes_open = bool(run and run.notes_open and self.has_notes
                               and not self.notes_elsewhere)
        remaining = run.remaining if run is not None else None
        self.has_seconds = remaining is not None
        self.remaining = int(remaining + 0.999) if remaining is not None else 0
        if self.notes_open:
            self._build_notes()

    def _build_notes(self) -> None:
        from kivy.app import App

        from kiosk.ui.markdown import build_markdown
        from kiosk.ui.screens.markdown_look import image_resolver, markdown_style

        app = App.get_running_app()
        key = (self._notes_text, app.text_scale, app.lang)
        if self._notes_built == key:
            return
        holder = self.ids.notes_holder
        holder.clear_widgets()
        style = markdown_style(app, on_dark=False)
        big = float(app.font["heading"]) / float(app.text_scale or 1.0)  # large type for reading aloud
        style = dataclasses.replace(style, body_size=big,
                                    heading_sizes=(big * 1.25, big * 1.12, big * 1.05))
        holder.add_widget(build_markdown(self._notes_text, style,
                                         image_resolver(app.content, self._notes_source),
                                         width_hint=self.width - 2 * app.space["margin"]))
        self._notes_built = key

    # ------------------------------------------------------------- commands
    def command(self, name: str) -> None:
        from kivy.app import App

        App.get_running_app().tour_control.command(name)

    def text_remaining(self, app) -> str:
        if self.paused:
            return app.ui("tour_paused")
        return app.ui("tour_next_in").format(s=self.remaining) if self.has_seconds else ""

    # -------------------------------------------------------------- touches
    def on_touch_down(self, touch):
        if self.blanked and self.collide_point(*touch.pos):
            self.command("blank")  # any touch brings the picture back
            return True
        if self.collide_point(*touch.pos):
            touch.ud["tour_swipe"] = (touch.x, touch.y, Clock.time())
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        handled = super().on_touch_up(touch)
        start = touch.ud.get("tour_swipe")
        if start and touch.grab_current is None and not self.notes_open:
            move = self._swipe(touch, start)
            if move:
                touch.ud.pop("tour_swipe", None)
                Clock.schedule_once(lambda dt: self.command(move), 0)
                return True
        return handled

    def _swipe(self, touch, start) -> str | None:
        x0, y0, t0 = start
        dx, dy = touch.x - x0, touch.y - y0
        if abs(dx) < SWIPE_MIN * self.width or abs(dy) > 0.6 * abs(dx):
            return None
        if Clock.time() - t0 > SWIPE_MAX_TIME:
            return None
        if y0 < self.ids.bar.top:  # drags on the bar are taps gone astray
            return None
        return "next" if dx < 0 else "previous"


load_kv(__file__, "tour.kv")
