"""article: a section read as a list — its intro, then one wide row per exhibit.

Each row shows a picture on the left and the title, summary and date on the
right; tapping a row opens the exhibit page.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.exhibit import WrapLabel  # noqa: F401  (article.kv uses it)
from kiosk.ui.widgets import TapArea


class ArticleRow(TapArea):
    """One exhibit in the reading list."""

    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    summary = StringProperty("")
    date = StringProperty("")
    route = StringProperty("")
    wide = BooleanProperty(False)  # landscape: a narrower share for the picture

    @staticmethod
    def row_height(picture_width: float, text_height: float, space) -> float:
        return max(picture_width * ROW_PICTURE_HEIGHT, text_height + space["gap"] * 2)

    @staticmethod
    def picture_width(width: float, wide: bool) -> float:
        return width * ROW_PICTURE_WIDTH[wide]

    @staticmethod
    def edge_pos(right: float, y: float, radius: float):
        """The accent bar inside the right edge, clear of the rounded corners."""
        return (right - ROW_EDGE, y + radius)

    @staticmethod
    def edge_size(height: float, radius: float):
        return (ROW_EDGE, height - radius * 2)


ROW_PICTURE_HEIGHT = 0.72  # a row at least as high as this share of its picture's width
ROW_PICTURE_WIDTH = {True: 0.22, False: 0.3}  # the picture's share of a row, wide / narrow
ROW_EDGE = 5  # px: the accent bar along a row's right edge
LANDSCAPE_INDENT = 0.1  # landscape: the page's sides, as a share of the screen's width
BATCH = 12  # rows built at a time: the first ones at once, the next as the reader nears them


class ArticleScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    empty_text = StringProperty("")
    portrait = BooleanProperty(True)
    intro = ObjectProperty(None, allownone=True)  # the rendered intro, if the section has one

    @staticmethod
    def page_padding(width: float, portrait: bool, space) -> list:
        """Margins round the page (sides indented further in landscape), the bar's height
        more at the bottom."""
        side = space["margin"] if portrait else width * LANDSCAPE_INDENT
        return [side, space["margin"], side, space["bar"] + space["margin"]]

    @staticmethod
    def intro_padding(intro, space) -> list:
        if not intro:
            return [0, 0, 0, 0]
        half = space["gap"] * 0.5
        return [half, half, half, space["gap"]]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._app = None
        self._waiting: list = []  # exhibits whose rows are not built yet, in order
        self._keep = None  # the reading position (from the top) to hold while rows are added
        self.ids.scroll.fbind("scroll_y", self._more_if_near_end)
        self.ids.page.fbind("height", self._hold_position)

    def on_size(self, *_):
        self.portrait = self.height >= self.width

    def on_portrait(self, *_):
        for row in self.ids.rows.children:
            row.wide = not self.portrait

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        section = self.load_section(app, content, route)
        if section is None:
            return False
        self.fill_intro(app, content, section,
                        width_hint=Window.width - 2 * app.space["margin"] - app.space["gap"])
        self._app = app
        self.ids.rows.clear_widgets()
        exhibits = section.visible_exhibits()
        self._waiting = list(exhibits)
        self._add_rows(BATCH)
        self.empty_text = "" if exhibits else app.ui("no_items")
        self.portrait = self.height >= self.width
        self.on_portrait()
        self.ids.scroll.scroll_y = 1
        return True

    # A long list is built a batch at a time: the rows a reader can reach soon exist, the
    # rest are made when the scroll comes within a screen of the end.
    def _add_rows(self, count: int) -> None:
        app, rows = self._app, self.ids.rows
        batch, self._waiting = self._waiting[:count], self._waiting[count:]
        for exhibit in batch:
            row = ArticleRow(
                media=exhibit.thumbnail,
                title=app.t(exhibit.title),
                summary=app.t(exhibit.summary),
                date=exhibit.date.label(app.lang) if exhibit.date else "",
                route=exhibit.route,
                wide=not self.portrait,
            )
            row.bind(on_release=lambda r: app.go(r.route))
            rows.add_widget(row)

    def waiting(self) -> int:
        """How many rows are still to be built."""
        return len(self._waiting)

    def _more_if_near_end(self, *_):
        scroll = self.ids.scroll
        if not self._waiting or self._keep is not None:
            return
        hidden = max(scroll.viewport_size[1] - scroll.height, 0)
        if scroll.scroll_y * hidden > scroll.height:  # more than a screen still below
            return
        self._keep = (1 - scroll.scroll_y) * hidden  # pixels scrolled from the top
        self._add_rows(BATCH)
        Clock.schedule_once(self._release_position, 0.5)

    def _hold_position(self, *_):
        """Rows were added below: keep the same text under the reader's eyes."""
        if self._keep is None:
            return
        scroll, page = self.ids.scroll, self.ids.page
        hidden = max(page.height - scroll.height, 1)
        scroll.scroll_y = min(max(1 - self._keep / hidden, 0.0), 1.0)
        effect = scroll.effect_y
        if effect is not None:
            effect.value = (scroll.height - page.height) * scroll.scroll_y

    def _release_position(self, *_):
        self._keep = None


load_kv(__file__, "article.kv")
