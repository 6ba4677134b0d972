"""The attract loop: featured exhibits one after another, and a prompt to touch.

Any touch returns to Home (the touch itself does not open anything).
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import KLabel, Picture, TextBlock  # noqa: F401  (attract.kv uses them)

# landscape: the caption panel's share of the width, in normal text / in 大字
CAPTION_WIDTH = {False: 0.4, True: 0.46}
ACCENT = 3  # px: the caption panel's accent line, along its top (portrait) or left edge


class AttractScreen(KioskScreen):
    # the picture is shown at most at its own size: the theme's background shows around it
    opaque = False
    portrait = BooleanProperty(True)
    slide_media = ObjectProperty(None, allownone=True)
    slide_title = StringProperty("")
    slide_summary = StringProperty("")
    slide_section = StringProperty("")
    prompt = StringProperty("")
    site_title = StringProperty("")
    index = NumericProperty(0)

    @staticmethod
    def accent_pos(portrait: bool, pos, top: float):
        return (pos[0], top - ACCENT) if portrait else (pos[0], pos[1])

    @staticmethod
    def accent_size(portrait: bool, size):
        return (size[0], ACCENT) if portrait else (ACCENT, size[1])

    @staticmethod
    def caption_hint(portrait: bool, large_text: bool):
        """The caption under the picture in portrait; a panel beside it in landscape."""
        return (1, None) if portrait else (CAPTION_WIDTH[large_text], 1)

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        self.show_bar = False
        self.swipe_back = False
        self._app = app
        self._slides = list(content.featured()) or [
            ex for s in content.home_sections() for ex in s.visible_exhibits()[:1]
        ]
        self._seconds = content.site.attract.slide_seconds
        self.prompt = app.t(content.site.attract.prompt)
        self.site_title = app.t(content.site.title)
        self.index = 0
        self._show()
        return True

    def on_enter(self, *args):
        self._tick = Clock.schedule_interval(self.next_slide, self._seconds)

    def on_leave(self, *args):
        if getattr(self, "_tick", None) is not None:
            self._tick.cancel()
            self._tick = None

    def next_slide(self, *_):
        if self._app is not None and self._app.access.reduced_motion:
            return  # reduced motion: the slide shown stays
        if self._slides:
            self.index = (self.index + 1) % len(self._slides)
            self._show()

    def _show(self):
        if not self._slides:
            self.slide_media = None
            self.slide_title = self.site_title
            self.slide_summary = ""
            return
        app = self._app
        ex = self._slides[self.index % len(self._slides)]
        section = app.content.section(ex.section)
        self.slide_media = ex.thumbnail
        self.slide_title = app.t(ex.title)
        self.slide_summary = app.t(ex.summary)
        self.slide_section = app.t(section.title) if section else ""

    def on_touch_down(self, touch):
        app = App.get_running_app()
        Clock.schedule_once(lambda dt: app.go("home", push=False), 0)
        return True

    def on_touch_up(self, touch):
        return True


load_kv(__file__, "attract.kv")
