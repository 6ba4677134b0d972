"""Small widgets every screen uses. Their look is in ``common.kv``."""

from __future__ import annotations

from pathlib import Path

from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk.ui.app import load_kv


class KLabel(Label):
    """A label in the theme's font. ``wrap`` makes it wrap to its width and grow in height."""

    wrap = BooleanProperty(False)
    role = StringProperty("body")  # a key of app.font: title, heading, body, caption, ...


class TapArea(ButtonBehavior, BoxLayout):
    """Anything that can be tapped, with a visible press state."""

    pressed_color = ColorProperty([1, 1, 1, 0.18])
    radius = NumericProperty(0)


class KButton(ButtonBehavior, Label):
    """A text button at least one touch target high, with press feedback."""

    bg = ColorProperty([0, 0, 0, 0])
    fg = ColorProperty([1, 1, 1, 1])
    border_color = ColorProperty([0, 0, 0, 0])
    active = BooleanProperty(False)
    radius = NumericProperty(0)


class Picture(Image):
    """An image that fills its box (``cover``) or fits in it (``contain``).

    With no file (or a missing one) it shows a quiet tinted box instead of
    Kivy's checkerboard, so a missing photo never looks broken.
    """

    media = ObjectProperty(None, allownone=True)
    placeholder_color = ColorProperty([1, 1, 1, 0.08])
    empty = BooleanProperty(True)

    def on_media(self, *_):
        path = getattr(self.media, "path", None)
        if path and Path(path).is_file():
            self.source = str(path)
            self.empty = False
        else:
            self.source = ""
            self.empty = True


class Card(TapArea):
    """A large touch card: a picture above a title and a short line of text."""

    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    subtitle = StringProperty("")
    badge = StringProperty("")
    picture_ratio = NumericProperty(0.62)
    route = StringProperty("")
    extra = ListProperty()


load_kv(__file__, "common.kv")
