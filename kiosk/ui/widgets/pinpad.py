"""A PIN pad: ten large digit keys, Delete and OK, the digits shown as dots.

It only collects digits; checking them is the job of whoever listens to
``on_submit`` (see :class:`kiosk.pin.PinGate`). Layout in ``pinpad.kv``.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.kv import load_kv
from kiosk.ui.style import ui_text
from kiosk.ui.widgets.common import KButton

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "ok")


KEY_WORDS = {"delete": "pin_delete", "ok": "ok"}  # keys named by a word; the rest show their digit


class PinKey(KButton):
    key = StringProperty("")

    @staticmethod
    def label(key: str, lang: str) -> str:
        word = KEY_WORDS.get(key)
        return ui_text(word, lang) if word and lang else key


KEY_HEIGHT = 1.15  # a key, in touch targets
DOT = "●"  # one per digit entered


class PinPad(BoxLayout):
    entered = StringProperty("")
    message = StringProperty("")  # under the dots: wrong PIN, wait, ...
    error = BooleanProperty(False)
    locked = BooleanProperty(False)  # keys do nothing (too many wrong PINs)
    max_digits = NumericProperty(12)

    __events__ = ("on_submit", "on_cancel")

    @staticmethod
    def dots_line(entered: str) -> str:
        """A dot for each digit entered (a space keeps the line's height)."""
        return DOT * len(entered) if entered else " "

    @staticmethod
    def keys_height(space, row_spacing: float) -> float:
        """Four rows of keys."""
        rows = len(KEYS) // 3
        return space["touch"] * KEY_HEIGHT * rows + row_spacing * (rows - 1)

    def on_kv_post(self, base_widget):
        grid = self.ids.key_grid
        if grid.children:
            return
        for key in KEYS:
            button = PinKey(key=key)
            button.bind(on_release=lambda b: self.press(b.key))
            grid.add_widget(button)

    @property
    def dots(self) -> str:
        return DOT * len(self.entered)

    def press(self, key: str) -> None:
        if self.locked:
            return
        if key == "delete":
            self.entered = self.entered[:-1]
        elif key == "ok":
            if self.entered:
                pin, self.entered = self.entered, ""
                self.dispatch("on_submit", pin)
        elif key.isdigit() and len(key) == 1 and len(self.entered) < self.max_digits:
            self.entered += key
            self.error = False

    def on_submit(self, pin: str):
        pass

    def on_cancel(self):
        pass


load_kv(__file__, "pinpad.kv")
