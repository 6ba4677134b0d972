"""gallery: every photo of a section's exhibits as a grid of thumbnails.

A tap opens the fullscreen viewer at that photo (route ``photo/SECTION/N``).
"""

from __future__ import annotations

from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.ui.app import load_kv
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
        grid = self.ids.thumbs
        grid.clear_widgets()
        for n, (exhibit, media) in enumerate(photos, start=1):
            grid.add_widget(self._thumb(app, section, n, exhibit, media))
        self.count_text = (app.ui("photo_count").format(n=len(photos)) if photos
                           else app.ui("no_items"))
        self.ids.scroll.scroll_y = 1
        return True

    def _thumb(self, app, section, n, exhibit, media) -> PhotoThumb:
        thumb = PhotoThumb(media=media, caption=photo_caption(app, exhibit, media), number=n,
                           route=f"photo/{section.id}/{n}")
        thumb.bind(on_release=lambda t: app.go(t.route))
        return thumb

    def thumbs(self) -> list[PhotoThumb]:
        """The thumbnails in reading order."""
        return list(reversed(self.ids.thumbs.children))


load_kv(__file__, "gallery.kv")
