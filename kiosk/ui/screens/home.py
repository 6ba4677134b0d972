"""Home: the exhibition's title and one large card per section."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Card


class SectionCard(Card):
    pass


class HomeScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    footer_text = StringProperty("")
    logo = ObjectProperty(None, allownone=True)
    portrait = BooleanProperty(True)

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        site = content.site
        self.title_text = app.t(site.title)
        self.subtitle_text = app.t(site.subtitle)
        self.footer_text = app.t(site.footer)
        self.logo = site.logo
        self.heading = ""
        grid = self.ids.cards
        grid.clear_widgets()
        for section in content.home_sections():
            count = len(section.visible_exhibits())
            sub = app.t(section.subtitle)
            card = SectionCard(
                media=section.cover or _first_picture(section),
                title=app.t(section.title),
                subtitle=sub,
                route=section.route,
                badge=f"{count}",
            )
            card.bind(on_release=lambda c: app.go(c.route))
            grid.add_widget(card)
        return True


def _first_picture(section):
    for exhibit in section.visible_exhibits():
        if exhibit.thumbnail:
            return exhibit.thumbnail
    return None


load_kv(__file__, "home.kv")
