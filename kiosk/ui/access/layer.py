"""The accessibility layer over every screen: the menu opened from the bar's 无障碍
button, the narration / read-aloud player with its progress, and the keyboard focus ring.

Everything sits at the bottom, above the navigation bar, within reach of a visitor in
a wheelchair. Hidden parts have no size, so they never take a touch.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.ui.access.words import word
from kiosk.ui.geometry import NO_COLOR, faded
from kiosk.ui.kv import load_kv
from kiosk.ui.widgets.common import KButton

# the focus ring: (px outside the control, corner radius) of its dark edge and of the ring
RING_EDGE = (6, 6)
RING_INNER = (3, 4)
RING_EDGE_COLOR = (0, 0, 0, 0.9)
PLAYER_HEIGHT = 1.25  # the player bar's height, in touch targets
MENU_WIDTH = 7.5  # the menu's widest, in touch targets
PROGRESS_MIN_HEIGHT = 6  # px
PROGRESS_HEIGHT = 0.35  # the progress line's height, in gaps
PROGRESS_TRACK_ALPHA = 0.35
# the play button's word for each state of the player
PLAY_WORDS = {"play": "pause", "pause": "play", "loading": "preparing"}


class AccessLayer(FloatLayout):
    ring = ListProperty([0, 0, 0, 0])  # x, y, width, height of the focused control
    RING_EDGE, RING_INNER = RING_EDGE, RING_INNER

    @staticmethod
    def w(key: str, lang: str, **values) -> str:
        return word(key, lang, **values)

    # ---------------------------------------------------------------- focus ring
    @staticmethod
    def ring_outline(ring, outside: float, radius: float):
        """The focus ring ``outside`` px around the control: (x, y, w, h, radius)."""
        return (ring[0] - outside, ring[1] - outside, ring[2] + 2 * outside, ring[3] + 2 * outside,
                radius)

    @staticmethod
    def ring_edge_color(ring):
        return RING_EDGE_COLOR if ring[2] else NO_COLOR

    @staticmethod
    def ring_color(ring, colors):
        return colors["accent"] if ring[2] else NO_COLOR

    # ------------------------------------------------------------------ places
    @staticmethod
    def above_bar_y(y: float, space: dict) -> float:
        """Where the player and the menu start: half a gap above the navigation bar."""
        return y + space["bar"] + space["gap"] * 0.5

    @classmethod
    def player_pos(cls, pos, space: dict):
        return (pos[0] + space["margin"] / 2, cls.above_bar_y(pos[1], space))

    @staticmethod
    def player_size(shown: bool, width: float, space: dict):
        """The player bar across the screen within the margins; no size while hidden."""
        if not shown:
            return (0, 0)
        return (width - space["margin"], space["touch"] * PLAYER_HEIGHT)

    @staticmethod
    def menu_width(open_: bool, width: float, space: dict) -> float:
        return min(width - space["margin"], space["touch"] * MENU_WIDTH) if open_ else 0

    @staticmethod
    def menu_x(right: float, menu_width: float, space: dict) -> float:
        """The menu's left edge: its right edge half a margin inside the screen's."""
        return right - menu_width - space["margin"] / 2

    @staticmethod
    def progress_height(space: dict) -> float:
        return max(PROGRESS_MIN_HEIGHT, space["gap"] * PROGRESS_HEIGHT)

    @staticmethod
    def progress_track(colors):
        return faded(colors["text_muted"], PROGRESS_TRACK_ALPHA)

    @staticmethod
    def opaque(color):
        return faded(color, 1)

    # ------------------------------------------------------------------- words
    @staticmethod
    def play_text(state: str, lang: str) -> str:
        """The play button: what a tap does next."""
        return word(PLAY_WORDS.get(state, "listen"), lang)

    @staticmethod
    def player_text(kind: str, clock: str, lang: str) -> str:
        """What plays, and where in it (m:ss / m:ss) once its length is known."""
        name = word("playing_speech" if kind == "speech" else "playing_narration", lang)
        return name + "  " + clock if clock else name

    @staticmethod
    def switch_text(key: str, on: bool, lang: str) -> str:
        """A menu switch's name and state: 放大文字：开 / Larger text: On."""
        return word(key, lang) + word("colon", lang) + word("on" if on else "off", lang)

    @staticmethod
    def volume_text(volume: float, lang: str) -> str:
        return word("volume", lang, v=int(round(volume * 100)))

    @staticmethod
    def play_pressed(access):
        """The play button: pause or resume what plays, else start the narration."""
        if access.player.state in ("play", "pause"):
            access.player.toggle()
        else:
            access.listen()

    def on_touch_down(self, touch):
        app = App.get_running_app()
        access = app.access if app is not None else None
        handled = super().on_touch_down(touch)
        if not handled and access is not None and access.menu_open:
            access.menu_open = False  # a touch outside the menu closes it
            return True
        return handled


class PlayerBar(BoxLayout):
    shown = BooleanProperty(False)  # something plays, or the screen has narration
    seen = BooleanProperty(False)  # shown, and the visitor is browsing (not in a tour)


class AccessProgress(Widget):
    value = NumericProperty(0.0)  # 0..1


class AccessToggle(KButton):
    """A menu switch: shows its name and whether it is on."""


load_kv(__file__, "layer.kv")
