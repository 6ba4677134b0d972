"""gallery: every photo of a section's exhibits as a grid of thumbnails.

A tap opens the fullscreen viewer at that photo (route ``photo/SECTION/N``).
"""

from __future__ import annotations

from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.photo import photo_caption
from kiosk.ui.widgets import TapArea


class PhotoThumb(TapArea):
    """One thumbnail: the picture cropped to fill its square, a caption line below."""

    media = ObjectProperty(None, allownone=True)
    caption = StringProperty("")
    number = NumericProperty(0)  # 1-based place in the section's photos
    route = StringProperty("")


class GalleryScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    count_text = StringProperty("")

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
        return True

    def items(self) -> list[dict]:
        """Every photo in the grid, in order (only those in view have a thumbnail)."""
        return list(self.ids.scroll.data)

    def thumbs(self) -> list[PhotoThumb]:
        """The thumbnails built now (those in view), in reading order."""
        return sorted(self.ids.thumbs.children, key=lambda t: t.number)


load_kv(__file__, "gallery.kv")
