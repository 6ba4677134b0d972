"""gallery: every photo of a section's exhibits as a grid of thumbnails.

A tap opens the fullscreen viewer at that photo (route ``photo/SECTION/N``).
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.photo import photo_caption
from kiosk.ui.widgets import TapArea
from kiosk.ui.widgets.common import PICTURE_ASPECT


class PhotoThumb(TapArea):
    """One thumbnail: the picture at 16:10, up to two lines of caption below."""

    media = ObjectProperty(None, allownone=True)
    caption = StringProperty("")
    number = NumericProperty(0)  # 1-based place in the section's photos
    route = StringProperty("")

    @staticmethod
    def picture_height(width: float) -> float:
        return width / PICTURE_ASPECT

    def height_for(self, width: float, captions) -> float:
        """The height a thumbnail ``width`` wide needs for the longest of ``captions``."""
        label = self.ids.caption
        pad = self.padding
        label.width = width - pad[0] - pad[2]
        tallest = 0
        for caption in captions:
            label.raw = caption
            label._rewrap()
            label.text_size = (label.width, None)
            label.texture_update()
            tallest = max(tallest, label.texture_size[1])
        return self.picture_height(label.width) + pad[1] + pad[3] + self.spacing + tallest


COLUMNS = {True: 3, False: 4}  # thumbnails a row, in portrait / in landscape (one less in 大字)


class GalleryScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    count_text = StringProperty("")
    thumb_height = NumericProperty(200)

    @staticmethod
    def columns(size, large_text: bool) -> int:
        return COLUMNS[size[1] >= size[0]] - (1 if large_text else 0)

    def __init__(self, **kwargs):
        self._measure_trigger = Clock.create_trigger(self._measure_thumbs, -1)
        self._measurer = None
        super().__init__(**kwargs)
        self.ids.thumbs.fbind("width", self._measure_trigger)
        self.ids.thumbs.fbind("cols", self._measure_trigger)

    def _measure_thumbs(self, *_):
        grid = self.ids.thumbs
        cols = max(1, grid.cols or 1)
        width = (grid.width - grid.spacing[0] * (cols - 1)) / cols
        if width <= 10:
            return
        if self._measurer is None:
            self._measurer = PhotoThumb()
        self.thumb_height = self._measurer.height_for(
            width, [item["caption"] for item in self.ids.scroll.data] or [""])

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        section = self.load_section(app, content, route)
        if section is None:
            return False
        photos = section.photos()
        self.ids.scroll.data = [
            {"media": media, "caption": photo_caption(app, exhibit, media), "number": n,
             "route": f"photo/{section.id}/{n}"}
            for n, (exhibit, media) in enumerate(photos, start=1)
        ]
        self.count_text = (app.ui("photo_count").format(n=len(photos)) if photos
                           else app.ui("no_items"))
        self.ids.scroll.scroll_y = 1
        self._measure_thumbs()
        return True

    def items(self) -> list[dict]:
        """Every photo in the grid, in order (only those in view have a thumbnail)."""
        return list(self.ids.scroll.data)

    def thumbs(self) -> list[PhotoThumb]:
        """The thumbnails built now (those in view), in reading order."""
        return sorted(self.ids.thumbs.children, key=lambda t: t.number)


load_kv(__file__, "gallery.kv")
