"""photo: one picture of a gallery, fullscreen, to swipe through and zoom into.

Route ``photo/SECTION/N`` (N counts from 1 in ``Section.photos()``). Moving to
the next or previous photo replaces the route instead of stacking it, so Back
from any photo returns to the gallery in one step.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.ui.geometry import faded
from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.zoom import ZoomView  # noqa: F401  (registers the kv rule)


def photo_caption(app, exhibit, media) -> str:
    """What a photo is called: its own caption, else the title of its exhibit."""
    return app.t(media.caption) if media.caption else app.t(exhibit.title)


def parse_photo_route(route: str) -> tuple[str, int] | None:
    parts = route.split("/")
    if len(parts) != 3 or parts[0] != "photo" or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


ARROW_SIZE = 1.25  # a ‹ › button's side, in touch targets
ARROW_TEXT = 1.3  # its arrow: this many title sizes ...
ARROW_TEXT_MAX = 0.55  # ... at most this share of the button
ARROW_ALPHA = {False: 0.72, True: 0.92}  # the viewer colour under it, released / pressed


class PhotoArrow(ButtonBehavior, Label):
    """A ‹ or › button over the photo. Hidden, it lets every touch through to the photo."""

    shown = BooleanProperty(True)

    @staticmethod
    def side(space) -> float:
        return space["touch"] * ARROW_SIZE

    @staticmethod
    def arrow_size(title_size: float, height: float) -> float:
        return min(title_size * ARROW_TEXT, height * ARROW_TEXT_MAX)

    @staticmethod
    def disc_color(down: bool, colors):
        """Near-black under the arrow whatever the photo behind it, in every theme."""
        return faded(colors["viewer"], ARROW_ALPHA[down])

    def on_touch_down(self, touch):
        if not self.shown:
            return False
        return super().on_touch_down(touch)


class PhotoScreen(KioskScreen):
    opaque = True  # its dark backdrop hides everything behind it
    media = ObjectProperty(None, allownone=True)
    caption_text = StringProperty("")
    exhibit_text = StringProperty("")  # the exhibit's title, when the caption is something else
    counter_text = StringProperty("")
    number = NumericProperty(1)
    total = NumericProperty(0)
    has_next = BooleanProperty(False)
    has_previous = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.swipe_back = False
        self._app = None
        self.section_id = ""

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        parsed = parse_photo_route(route)
        section = content.section(parsed[0]) if parsed else None
        if section is None:
            return False
        photos = section.photos()
        n = parsed[1]
        if not 1 <= n <= len(photos):
            return False
        exhibit, media = photos[n - 1]
        self._app = app
        self.section_id = section.id
        self.number, self.total = n, len(photos)
        self.has_previous, self.has_next = n > 1, n < len(photos)
        self.heading = app.t(section.title)
        self.caption_text = photo_caption(app, exhibit, media)
        title = app.t(exhibit.title)
        self.exhibit_text = title if title != self.caption_text else ""
        self.counter_text = f"{n} / {len(photos)}"
        self.media = media
        self.ids.zoom.reset()
        self._neighbours = [m for _, m in photos[max(0, n - 2):n + 1] if m is not media]
        Clock.schedule_once(self._preload_neighbours, 0)
        return True

    def _preload_neighbours(self, *_):
        """Decode the previous and next photo now, so a swipe shows them at once."""
        from kivy.core.window import Window

        from kiosk.ui.images import preload

        zoom = self.ids.zoom
        size = zoom.size if min(zoom.size) > 100 else Window.size  # not laid out yet
        lang = self._app.lang if self._app is not None else None
        for media in getattr(self, "_neighbours", ()):
            preload(media, size, "contain", lang)

    def on_pre_enter(self, *args):
        self.ids.zoom.reset()

    def settle(self):
        self.ids.zoom.settle()

    # ------------------------------------------------------------ moving on
    def show(self, step: int) -> bool:
        """Go to the photo ``step`` places on (+1 next, -1 previous), replacing the route."""
        n = self.number + step
        if self._app is None or not 1 <= n <= self.total:
            return False
        direction = "left" if step > 0 else "right"
        return self._app.go(f"photo/{self.section_id}/{n}", push=False, direction=direction)

    def next(self):
        return self.show(1)

    def previous(self):
        return self.show(-1)


load_kv(__file__, "photo.kv")
