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
from kiosk.ui.kv import load_kv
from kiosk.ui.widgets.common import KButton


class AccessLayer(FloatLayout):
    ring = ListProperty([0, 0, 0, 0])  # x, y, width, height of the focused control

    @staticmethod
    def w(key: str, lang: str, **values) -> str:
        return word(key, lang, **values)

    def on_touch_down(self, touch):
        app = App.get_running_app()
        access = app.access if app is not None else None
        handled = super().on_touch_down(touch)
        if not handled and access is not None and access.menu_open:
            access.menu_open = False  # a touch outside the menu closes it
            return True
        return handled


class PlayerBar(BoxLayout):
    shown = BooleanProperty(False)


class AccessProgress(Widget):
    value = NumericProperty(0.0)  # 0..1


class AccessToggle(KButton):
    """A menu switch: shows its name and whether it is on."""


load_kv(__file__, "layer.kv")
