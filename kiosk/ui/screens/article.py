"""article: a section read as a list — its intro, then one wide row per exhibit.

Each row shows a picture on the left and the title, summary and date on the
right; tapping a row opens the exhibit page.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.ui.app import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import TapArea


class ArticleRow(TapArea):
    """One exhibit in the reading list."""

    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    summary = StringProperty("")
    date = StringProperty("")
    route = StringProperty("")
    wide = BooleanProperty(False)  # landscape: a narrower share for the picture


class ArticleScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    empty_text = StringProperty("")
    portrait = BooleanProperty(True)
    intro = ObjectProperty(None, allownone=True)  # the rendered intro, if the section has one

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
        rows = self.ids.rows
        rows.clear_widgets()
        exhibits = section.visible_exhibits()
        for exhibit in exhibits:
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
        self.empty_text = "" if exhibits else app.ui("no_items")
        self.portrait = self.height >= self.width
        self.on_portrait()
        self.ids.scroll.scroll_y = 1
        return True


load_kv(__file__, "article.kv")
