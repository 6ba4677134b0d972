"""The admin panel, opened by the hidden gesture (:mod:`kiosk.ui.admin_gesture`).

First a PIN pad (the staff PIN or the guide PIN, see :mod:`kiosk.pin`; wrong PINs
lock the pad for longer each time), then the tour menu listing ``content.tours``,
with "End the current tour" while one runs and, when the guide's remote is on, a QR
code of its address; for the staff PIN only, the staff sections follow (content
status and errors, Reload now, the session's language, display, visitor figures,
screen test, Exit to desktop: :mod:`kiosk.ui.widgets.adminpanel`). The guide PIN
opens the tour menu only. The panel closes by itself after 60 seconds without a touch.
"""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.pin import PinGate, configured_pins
from kiosk.ui.kv import load_kv
from kiosk.ui.widgets.adminpanel import AdminSections, ScreenTest
from kiosk.ui.widgets.common import TapArea
from kiosk.ui.widgets.pinpad import PinPad  # noqa: F401  (registers the kv rule)

log = logging.getLogger("kiosk.admin")

LOCK_AFTER = 60.0  # seconds without a touch before the panel closes (and locks)
# the panel's card: this share of the screen's width, at most this many touch targets ...
CARD_WIDTH, CARD_MAX_TOUCHES = 0.88, 7.5
CARD_MAX_HEIGHT = 0.9  # ... and at most this share of its height
CARD_PADDING = 0.8  # in margins
DIGIT_KEYS = {Keyboard.keycodes[str(d)]: str(d) for d in range(10)}


class TourChoice(TapArea):
    tour_id = StringProperty("")
    title = StringProperty("")
    detail = StringProperty("")


class RemoteQR(BoxLayout):
    """The remote's address as a QR code and in writing, for the guide's phone camera."""

    address = StringProperty("")
    written = StringProperty("")  # without the final "/", which would wrap alone in 大字
    texture = ObjectProperty(None, allownone=True)

    def __init__(self, address: str, **kwargs):
        super().__init__(**kwargs)
        self.address = address
        self.written = address.rstrip("/")
        self.texture = qr_texture(address)


def qr_texture(text: str):
    """A QR code of ``text`` (segno) as a texture with sharp modules."""
    import io

    import segno
    from kivy.core.image import Image as CoreImage

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    texture = CoreImage(buffer, ext="png", nocache=True).texture
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class AdminPanel(FloatLayout):
    """PIN pad, then the tour menu, over the screen. Modal: takes every touch."""

    stage = StringProperty("pin")  # pin | menu | none (no PIN set)
    role = StringProperty("")  # admin or guide, once the PIN is right
    tour_running = BooleanProperty(False)
    gate = ObjectProperty(None, allownone=True)

    # ---------------------------------------------------------------- layout
    @staticmethod
    def card_width(width: float, space) -> float:
        return min(width * CARD_WIDTH, space["touch"] * CARD_MAX_TOUCHES)

    @staticmethod
    def card_height(content_height: float, height: float) -> float:
        return min(content_height, height * CARD_MAX_HEIGHT)

    @staticmethod
    def card_padding(space) -> float:
        return space["margin"] * CARD_PADDING

    @staticmethod
    def menu_height(inner: float, title: float, close: float, height: float, space) -> float:
        """The tour menu scrolls within what the card leaves it beside the title and the
        close button; at least one touch target high."""
        room = (height * CARD_MAX_HEIGHT - space["margin"] * CARD_PADDING * 2 - title - close
                - space["gap"] * 2)
        return max(space["touch"], min(inner, room))

    @staticmethod
    def menu_title(role: str) -> str:
        return "panel_title" if role == "admin" else "admin_title"

    @staticmethod
    def tours_note(has_tours) -> str:
        return "admin_choose" if has_tours else "admin_no_tours"

    def __init__(self, app, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self._boxes = {"pin": self.ids.pad, "none": self.ids.none_box, "menu": self.ids.menu_box}
        self.gate = gate_for(app)
        self.stage = "pin" if self.gate.configured else "none"
        self.on_stage()
        self.last_touch = Clock.time()
        self._idle_event = Clock.schedule_interval(self._check_idle, 1.0)
        self._lock_event = None
        self.ids.pad.bind(on_submit=lambda pad, pin: self.submit(pin), on_cancel=lambda pad: self.close())
        Window.bind(on_key_down=self._on_key_down)
        self._show_lock()

    def on_stage(self, *args):
        """Only the box of the current stage is in the card."""
        boxes = getattr(self, "_boxes", None)
        if not boxes:
            return
        card = self.ids.card
        card.clear_widgets()
        card.add_widget(boxes[self.stage])

    # ------------------------------------------------------------ life
    def close(self):
        Window.unbind(on_key_down=self._on_key_down)
        for event in (self._idle_event, self._lock_event):
            if event is not None:
                event.cancel()
        self._idle_event = self._lock_event = None
        if self.parent is not None:
            for pattern in [w for w in self.parent.children if isinstance(w, ScreenTest)]:
                pattern.close()
            self.parent.remove_widget(self)
        app = self.app
        app.leave_admin()
        app.idle.poke()

    def poke(self):
        """Count from now for the 60 seconds (the screen test was just closed)."""
        self.last_touch = Clock.time()

    def _screen_test_open(self) -> bool:
        root = self.parent
        return root is not None and any(isinstance(w, ScreenTest) for w in root.children)

    def _check_idle(self, dt):
        if self._screen_test_open():  # an installer looks at the pattern: no lock meanwhile
            self.poke()
            return
        if Clock.time() - self.last_touch >= LOCK_AFTER:
            log.info("admin panel closed after %.0f s without a touch", LOCK_AFTER)
            self.close()

    def on_touch_down(self, touch):
        self.last_touch = Clock.time()
        super().on_touch_down(touch)
        return True  # nothing under the panel reacts

    def on_touch_move(self, touch):
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch):
        super().on_touch_up(touch)
        return True

    def _on_key_down(self, window, key, scancode=None, text=None, modifiers=None):
        if self.stage != "pin":
            return False
        self.last_touch = Clock.time()
        if key in DIGIT_KEYS:
            self.ids.pad.press(DIGIT_KEYS[key])
        elif key == Keyboard.keycodes["backspace"]:
            self.ids.pad.press("delete")
        elif key in (Keyboard.keycodes["enter"], Keyboard.keycodes.get("numpadenter", -1)):
            self.ids.pad.press("ok")
        else:
            return False
        return True

    # ------------------------------------------------------------- PIN
    def submit(self, pin: str) -> bool:
        result = self.gate.check(pin)
        pad = self.ids.pad
        if result.ok:
            log.info("admin panel opened with the %s PIN", result.role)
            self.role = result.role
            self.show_menu()
            return True
        log.warning("wrong PIN on the admin panel (%d in a row)", self.gate.failures)
        pad.error = True
        pad.message = self.app.ui("pin_wrong")
        self._show_lock()
        return False

    def _show_lock(self, *args):
        wait = self.gate.locked_for() if self.gate is not None else 0
        pad = self.ids.pad
        pad.locked = wait > 0
        if wait > 0:
            pad.error = True
            pad.message = self.app.ui("pin_wait").format(s=int(wait + 0.999))
            if self._lock_event is None:
                self._lock_event = Clock.schedule_interval(self._tick_lock, 0.5)
        elif self._lock_event is not None:
            self._lock_event.cancel()
            self._lock_event = None
            pad.message = ""
            pad.error = False

    def _tick_lock(self, dt):
        self._show_lock()

    # ------------------------------------------------------------ menu
    def show_menu(self):
        app = self.app
        app.enter_admin()
        self.stage = "menu"
        self.tour_running = app.tour_control.running
        box = self.ids.tours
        box.clear_widgets()
        for tour in app.content.tours if app.content else ():
            stops = app.ui("tour_stops").format(n=len(tour.steps))
            description = app.t(tour.description)
            choice = TourChoice(tour_id=tour.id, title=app.t(tour.title),
                                detail=f"{stops}\n{description}" if description else stops)
            choice.bind(on_release=lambda c: self.choose(c.tour_id))
            box.add_widget(choice)
        self.show_remote()
        sections: AdminSections = self.ids.sections
        if self.role == "admin":
            sections.open(self, self.role)
        elif sections.parent is not None:  # the guide PIN opens the tour menu only
            sections.parent.remove_widget(sections)

    def show_remote(self):
        box = self.ids.remote_box
        box.clear_widgets()
        link = self.app.tour_control.remote
        if link.address:
            box.add_widget(RemoteQR(link.address))
        elif link.error:  # switched on, but the address or port cannot be used
            from kiosk.ui.widgets import KLabel

            box.add_widget(KLabel(text=self.app.ui("remote_failed").format(e=link.error),
                                  role="body", color=self.app.colors["card_muted"], wrap=True))

    def choose(self, tour_id: str) -> bool:
        self.close()
        return self.app.start_tour(tour_id)

    def end_tour(self):
        self.close()
        self.app.end_tour()


# ------------------------------------------------------------------ helpers
def gate_for(app) -> PinGate:
    """The app's one PIN gate (its count of wrong PINs survives closing the panel),
    with the PINs read again each time (``kiosk pin`` may have changed them)."""
    gate = app.pin_gate
    gate.pins = PinGate(configured_pins(app.kiosk_config)).pins
    return gate


def current_panel() -> AdminPanel | None:
    app = App.get_running_app()
    root = app.root if app is not None else None
    if root is None:
        return None
    return next((w for w in root.children if isinstance(w, AdminPanel)), None)


def panel_open() -> bool:
    return current_panel() is not None


def open_admin_panel() -> AdminPanel | None:
    app = App.get_running_app()
    if app is None or app.root is None or panel_open():
        return current_panel()
    panel = AdminPanel(app)
    app.enter_admin()
    app.root.add_widget(panel)
    log.info("admin gesture: PIN pad shown")
    return panel


load_kv(__file__, "admin_panel.kv")
