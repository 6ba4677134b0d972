"""Small widgets every screen uses. Their look is in ``common.kv``."""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
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
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk.ui.app import load_kv


class KLabel(Label):
    """A label in the theme's font. ``wrap`` makes it wrap to its width and grow in height."""

    wrap = BooleanProperty(False)
    role = StringProperty("body")  # a key of app.font: title, heading, body, caption, ...

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Done here rather than in the kv rule, so a rule that sets text_size itself
        # (without wrap) never competes with this one.
        self.fbind("wrap", self._sync_wrap)
        self.fbind("width", self._sync_wrap)
        self.fbind("texture_size", self._sync_wrap)
        self._sync_wrap()

    def _sync_wrap(self, *_):
        if not self.wrap:
            return
        self.size_hint_y = None
        self.text_size = (self.width, None)
        self.height = self.texture_size[1]


class TextBlock(KLabel):
    """Text that wraps by the Chinese line-breaking rules (no line starts with 。or ends with “).

    Set ``raw``; ``text`` is ``raw`` with line breaks placed for the current
    width, font and size. Kivy's own wrapping stays on as a fallback.
    """

    raw = StringProperty("")

    def __init__(self, **kwargs):
        self._rewrap_trigger = Clock.create_trigger(self._rewrap, -1)
        super().__init__(**kwargs)
        self.fbind("raw", self._rewrap_trigger)
        self.fbind("width", self._rewrap_trigger)
        self.fbind("font_size", self._rewrap_trigger)
        self.fbind("font_name", self._rewrap_trigger)
        self.fbind("bold", self._rewrap_trigger)

    def _rewrap(self, *_):
        from kiosk.text.kivy_measure import prewrap

        pad = self.padding[0] + self.padding[2] if len(self.padding) == 4 else 0
        width = self.width - pad
        if width <= self.font_size * 2:
            self.text = self.raw
            return
        self.text = prewrap(self.raw, width, self.font_name, self.font_size, self.bold)


class RowFitGrid(GridLayout):
    """A grid whose rows are each as high as their tallest child's ``minimum_height``."""

    def __init__(self, **kwargs):
        self._fit_rows = Clock.create_trigger(self._fit_row_heights, -1)
        super().__init__(**kwargs)
        self.fbind("cols", self._fit_rows)

    def add_widget(self, widget, *args, **kwargs):
        super().add_widget(widget, *args, **kwargs)
        widget.fbind("minimum_height", self._fit_rows)
        self._fit_rows()

    def _fit_row_heights(self, *_):
        cols = max(1, self.cols or 1)
        rows: dict[int, float] = {}
        for i, child in enumerate(reversed(self.children)):
            rows[i // cols] = max(rows.get(i // cols, 0), child.minimum_height)
        self.rows_minimum = rows


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
